// Every producer of report files we can run here: each turns a matrix report into the bytes of a
// file, as the report would reach the checker (text copied in several layouts, a web page, Word
// files, and what LibreOffice and Chromium make of them).
import { chromiumPdf, libreOffice, toolAvailable } from './convert.js';
import { variants as allVariants, rendersFor, toDoc, type Variant } from './reports.js';
import { printedHtml, renderHtml, renderText, type TextLayout } from './text.js';
import { renderWord, type WordVariant } from './word.js';

export interface Producer {
  id: string;
  /** What the producer stands for, in Chinese. */
  name: string;
  ext: '.txt' | '.html' | '.docx' | '.pdf' | '.doc';
  /** External program the producer needs, if any. */
  needs?: 'soffice' | 'chromium';
}

const text = (id: string, layout: TextLayout, name: string): Producer & { layout: TextLayout } => ({
  id,
  name,
  ext: '.txt',
  layout,
});

const TEXT_PRODUCERS = [
  text('text-tab', 'tab', '纯文本：每行一个表格行，单元格以 TAB 分隔'),
  text('text-pipe', 'pipe', '纯文本：每行一个表格行，单元格以“ | ”分隔'),
  text('text-cell-pipe', 'cell-pipe', '纯文本：每行一个单元格，行间以“|”行分隔'),
  text('text-cell-tab', 'cell-tab', '纯文本：每行一个 TAB 缩进的单元格，行间空行'),
  text('text-spaced-top', 'spaced-top', '纯文本：pdftotext -layout 式空格对齐，标签折行，数字在首行'),
  text('text-spaced-middle', 'spaced-middle', '纯文本：pdftotext -layout 式空格对齐，标签折行，数字在中间行'),
  text('text-flat', 'flat', '网页正文压成一行，数字部分连写'),
];

export const PRODUCERS: Producer[] = [
  ...TEXT_PRODUCERS.map(({ id, name, ext }) => ({ id, name, ext })),
  { id: 'html', name: '网页：HTML 表格（rowspan/colspan）', ext: '.html' },
  { id: 'docx', name: 'Word .docx：A4 版心、窄标签列、合并单元格', ext: '.docx' },
  { id: 'docx-sdt', name: 'Word .docx：内容控件（块、行、单元格、文字级）', ext: '.docx' },
  { id: 'docx-tracked', name: 'Word .docx：修订（删除和插入的文字、删除的表格行）', ext: '.docx' },
  { id: 'lo-pdf', name: 'LibreOffice：Word → PDF', ext: '.pdf', needs: 'soffice' },
  { id: 'lo-doc', name: 'LibreOffice：Word → Word 97–2003 .doc', ext: '.doc', needs: 'soffice' },
  { id: 'chromium-pdf', name: 'Chromium：网页打印为 PDF', ext: '.pdf', needs: 'chromium' },
  {
    id: 'chromium-pdf-hf',
    name: 'Chromium：网页打印为 PDF，带页眉页脚（标题、日期时间、网址、页码）和斜置水印',
    ext: '.pdf',
    needs: 'chromium',
  },
  {
    id: 'lo-pdf-running',
    name: 'LibreOffice：Word → PDF，带页眉、页码页脚（第N页 共M页 / - N -）和水印',
    ext: '.pdf',
    needs: 'soffice',
  },
  {
    id: 'lo-pdf-split',
    name: 'LibreOffice：Word → PDF，带页眉页码，表三、表四在第一行表头后分页',
    ext: '.pdf',
    needs: 'soffice',
  },
];

export interface Produced {
  producer: Producer;
  variant: Variant;
  /** File name: `<variant>.<producer><ext>`, e.g. `jiangzhou.row-deleted.lo-pdf.pdf`. */
  file: string;
  bytes: Uint8Array;
}

/** Producers whose external program is installed. */
export function runnableProducers(): Producer[] {
  return PRODUCERS.filter((p) => !p.needs || toolAvailable(p.needs));
}

const fileName = (v: Variant, p: Producer) => `${v.id}.${p.id}${p.ext}`;

/**
 * Files of every (producer, variant): direct renderings first, then the conversions in batches
 * (one LibreOffice run per target format, Chromium two pages at a time), from the cache where
 * the same input was converted before.
 */
export async function produce(
  producers: Producer[] = runnableProducers(),
  variants: Variant[] = allVariants(),
): Promise<Produced[]> {
  const want = new Set(producers.map((p) => p.id));
  const byId = new Map(PRODUCERS.map((p) => [p.id, p]));
  const out: Produced[] = [];
  const docx = new Map<string, Uint8Array>();
  const html = new Map<string, string>();
  for (const v of variants) {
    const doc = toDoc(v.report);
    for (const t of TEXT_PRODUCERS) {
      if (want.has(t.id) && rendersFor(v, t.id))
        out.push({
          producer: byId.get(t.id)!,
          variant: v,
          file: fileName(v, t),
          bytes: new TextEncoder().encode(renderText(doc, t.layout)),
        });
    }
    if (
      (want.has('html') && rendersFor(v, 'html')) ||
      (want.has('chromium-pdf') && rendersFor(v, 'chromium-pdf'))
    )
      html.set(v.id, renderHtml(doc));
    if (want.has('html') && rendersFor(v, 'html'))
      out.push({
        producer: byId.get('html')!,
        variant: v,
        file: fileName(v, byId.get('html')!),
        bytes: new TextEncoder().encode(html.get(v.id)!),
      });
    if (want.has('chromium-pdf-hf') && rendersFor(v, 'chromium-pdf-hf'))
      html.set(`${v.id}:hf`, printedHtml(renderHtml(doc)));
    if (['docx', 'lo-pdf', 'lo-doc'].some((id) => want.has(id) && rendersFor(v, id)))
      docx.set(v.id, await renderWord(doc, v.report, 'plain'));
    if (want.has('lo-pdf-running') && rendersFor(v, 'lo-pdf-running'))
      docx.set(`${v.id}:running`, await renderWord(doc, v.report, 'running'));
    if (want.has('lo-pdf-split') && rendersFor(v, 'lo-pdf-split'))
      docx.set(`${v.id}:split`, await renderWord(doc, v.report, 'split'));
    for (const [id, variant] of [
      ['docx', 'plain'],
      ['docx-sdt', 'sdt'],
      ['docx-tracked', 'tracked'],
    ] as Array<[string, WordVariant]>) {
      if (!want.has(id) || !rendersFor(v, id)) continue;
      const bytes = variant === 'plain' ? docx.get(v.id)! : await renderWord(doc, v.report, variant);
      out.push({ producer: byId.get(id)!, variant: v, file: fileName(v, byId.get(id)!), bytes });
    }
  }
  for (const [id, to, key] of [
    ['lo-pdf', 'pdf', ''],
    ['lo-doc', 'doc', ''],
    ['lo-pdf-running', 'pdf', ':running'],
    ['lo-pdf-split', 'pdf', ':split'],
  ] as const) {
    if (!want.has(id)) continue;
    const mine = variants.filter((v) => rendersFor(v, id));
    const files = await libreOffice(
      mine.map((v) => docx.get(v.id + key)!),
      to,
    );
    mine.forEach((v, i) =>
      out.push({ producer: byId.get(id)!, variant: v, file: fileName(v, byId.get(id)!), bytes: files[i] }),
    );
  }
  for (const [id, key] of [
    ['chromium-pdf', ''],
    ['chromium-pdf-hf', ':hf'],
  ] as const) {
    if (!want.has(id)) continue;
    const mine = variants.filter((v) => rendersFor(v, id));
    const files = await chromiumPdf(
      mine.map((v) => html.get(v.id + key)!),
      key === ':hf',
    );
    mine.forEach((v, i) =>
      out.push({ producer: byId.get(id)!, variant: v, file: fileName(v, byId.get(id)!), bytes: files[i] }),
    );
  }
  return out;
}
