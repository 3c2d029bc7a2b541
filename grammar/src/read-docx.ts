// Word (.docx): the body's paragraphs and real tables. Merged cells (gridSpan, vMerge) are resolved
// to the template grid; auto-numbered headings get their numbers from the numbering definitions.
import { unzipSync } from 'fflate';
import { DOMParser, type Document, type Element } from '@xmldom/xmldom';
import { tableLine } from './read-table.js';

export interface DocxLimits { maxUnzippedBytes: number; maxEntries: number }

export class DocxError extends Error {}

const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';

/** Where a line of the extracted text came from in document.xml (for writing fixes back). */
export type LineSource =
  | { kind: 'p'; el: Element; numbered: boolean; whole: boolean }
  | { kind: 'row'; tr: Element; cells: Element[] };

export interface DocxParts {
  files: Record<string, Uint8Array>;
  doc: Document;
  text: string;
  wheres: Array<string | undefined>;
  sources: LineSource[];
}

export function readDocx(bytes: Uint8Array, limits: DocxLimits): { text: string; wheres: Array<string | undefined> } {
  const { text, wheres } = openDocx(bytes, limits, false);
  return { text, wheres };
}

/** The parsed document and its text, line by line with the XML each line came from. */
export function openDocx(bytes: Uint8Array, limits: DocxLimits, allEntries: boolean): DocxParts {
  let entries = 0, total = 0, tooBig = false;
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, {
      filter(f) {
        entries++;
        total += f.originalSize;
        if (entries > limits.maxEntries || total > limits.maxUnzippedBytes) tooBig = true;
        return !tooBig && (allEntries || f.name === 'word/document.xml' || f.name === 'word/numbering.xml');
      },
    });
  } catch {
    throw new DocxError(tooBig ? 'zip' : '不是有效的 Word 文档');
  }
  if (tooBig) throw new DocxError('zip');
  const docXml = files['word/document.xml'];
  if (!docXml || docXml.length > limits.maxUnzippedBytes) throw new DocxError('不是有效的 Word 文档（缺少 word/document.xml）');
  const parse = (b: Uint8Array) => new DOMParser({ onError: () => undefined }).parseFromString(new TextDecoder().decode(b), 'text/xml');
  const doc = parse(docXml);
  const body = doc.getElementsByTagNameNS(W, 'body')[0];
  if (!body) throw new DocxError('不是有效的 Word 文档（没有正文）');
  const numbering = files['word/numbering.xml'] ? numberingOf(parse(files['word/numbering.xml']).documentElement as unknown as Element) : null;
  const counters = new Map<string, number[]>();
  const used = new Set<string>();
  const lines: string[] = [];
  const wheres: Array<string | undefined> = [];
  const sources: LineSource[] = [];
  let para = 0, table = 0;
  for (const el of children(body as unknown as Element)) {
    if (el.localName === 'p') {
      para++;
      const prefix = numberPrefix(el, numbering, counters, used);
      const t = (prefix + paragraphText(el)).replace(/[ \u00a0\u3000]+/g, ' ').trim();
      const parts = t.split('\n').filter((part) => part.trim());
      for (const part of parts) {
        lines.push(part.trim());
        wheres.push(`第${para}段`);
        sources.push({ kind: 'p', el, numbered: prefix !== '', whole: parts.length === 1 });
      }
    } else if (el.localName === 'tbl') {
      table++;
      tableGrid(el).forEach(({ tr, cells, texts }, r) => {
        const line = tableLine(texts);
        if (line !== null) { lines.push(line); wheres.push(`第${table}个表格 第${r + 1}行`); sources.push({ kind: 'row', tr, cells }); }
      });
    }
  }
  return { files, doc, text: lines.join('\n') + '\n', wheres, sources };
}

export { children, W };

function children(el: Element): Element[] {
  const out: Element[] = [];
  for (let n = el.firstChild; n; n = n.nextSibling) if (n.nodeType === 1) out.push(n as Element);
  return out;
}
const child = (el: Element, name: string) => children(el).find((c) => c.localName === name);
const attr = (el: Element | undefined, name: string) => el?.getAttributeNS(W, name) || el?.getAttribute(`w:${name}`) || null;

/** Text of a paragraph, text boxes included; tabs kept, line breaks as \n. */
function paragraphText(p: Element): string {
  let s = '';
  const walk = (el: Element) => {
    for (const c of children(el)) {
      switch (c.localName) {
        case 't': s += c.textContent ?? ''; break;
        case 'tab': s += '\t'; break;
        case 'br': case 'cr': s += '\n'; break;
        // A text box is stored twice (mc:Choice and a VML mc:Fallback): read it once.
        case 'pPr': case 'rPr': case 'instrText': case 'delText': case 'Fallback': break;
        default: walk(c);
      }
    }
  };
  walk(p);
  return s;
}

/** A table cell whose text continues the cell above (vMerge): not a cell of the grid. */
export function continuesAbove(tc: Element): boolean {
  const pr = child(tc, 'tcPr');
  const vMerge = pr && child(pr, 'vMerge');
  return !!vMerge && attr(vMerge, 'val') !== 'restart';
}

/** Rows of a Word table: gridSpan cells kept once, vMerge continuations dropped. */
function tableGrid(tbl: Element): Array<{ tr: Element; cells: Element[]; texts: string[] }> {
  return children(tbl).filter((c) => c.localName === 'tr').map((tr) => {
    const cells = children(tr).filter((c) => c.localName === 'tc' && !continuesAbove(c));
    const texts = cells.map((tc) => children(tc).filter((c) => c.localName === 'p').map(paragraphText).join(' ').replace(/[\s\u00a0\u3000]+/g, ' ').trim());
    return { tr, cells, texts };
  });
}

// ------------------------------------------------------------------ numbering

interface Level { fmt: string; text: string; start: number }
/** A numbering instance: its abstract list (whose counters instances share) and start overrides. */
interface NumInstance { abstractId: string; levels: Level[]; overrides: Map<number, number> }
type Numbering = Map<string, NumInstance>;

function numberingOf(root: Element): Numbering {
  const abstract = new Map<string, Level[]>();
  for (const a of children(root).filter((c) => c.localName === 'abstractNum')) {
    const levels: Level[] = [];
    for (const l of children(a).filter((c) => c.localName === 'lvl')) {
      levels[Number(attr(l, 'ilvl') ?? 0)] = {
        fmt: attr(child(l, 'numFmt'), 'val') ?? 'decimal',
        text: attr(child(l, 'lvlText'), 'val') ?? '',
        start: Number(attr(child(l, 'start'), 'val') ?? 1),
      };
    }
    abstract.set(attr(a, 'abstractNumId') ?? '', levels);
  }
  const out: Numbering = new Map();
  for (const n of children(root).filter((c) => c.localName === 'num')) {
    const abstractId = attr(child(n, 'abstractNumId'), 'val') ?? '';
    const overrides = new Map<number, number>();
    for (const o of children(n).filter((c) => c.localName === 'lvlOverride')) {
      const start = attr(child(o, 'startOverride'), 'val');
      if (start != null) overrides.set(Number(attr(o, 'ilvl') ?? 0), Number(start));
    }
    out.set(attr(n, 'numId') ?? '', { abstractId, levels: abstract.get(abstractId) ?? [], overrides });
  }
  return out;
}

const CN = '〇一二三四五六七八九十';
function cnNumber(n: number): string {
  if (n <= 10) return CN[n];
  if (n < 20) return '十' + CN[n - 10];
  return CN[Math.floor(n / 10)] + '十' + (n % 10 ? CN[n % 10] : '');
}

/**
 * The number Word shows before a numbered paragraph. Instances of one abstract list share its
 * counters (LibreOffice writes the first heading with its own instance that restarts at 1 and the
 * rest with another that continues); a start override restarts the count where its instance is
 * first used.
 */
function numberPrefix(p: Element, numbering: Numbering | null, counters: Map<string, number[]>, used: Set<string>): string {
  const pPr = child(p, 'pPr');
  const numPr = pPr && child(pPr, 'numPr');
  if (!numPr || !numbering) return '';
  const numId = attr(child(numPr, 'numId'), 'val') ?? '';
  const ilvl = Number(attr(child(numPr, 'ilvl'), 'val') ?? 0);
  const inst = numbering.get(numId);
  const levels = inst?.levels;
  if (!inst || !levels?.[ilvl] || numId === '0') return '';
  const c = counters.get(inst.abstractId) ?? [];
  if (!used.has(numId)) {
    used.add(numId);
    const start = inst.overrides.get(ilvl);
    if (start != null) c[ilvl] = start - 1;
  }
  c[ilvl] = (c[ilvl] ?? levels[ilvl].start - 1) + 1;
  c.length = ilvl + 1;
  counters.set(inst.abstractId, c);
  return levels[ilvl].text.replace(/%(\d)/g, (_, d) => {
    const i = Number(d) - 1;
    const v = c[i] ?? levels[i]?.start ?? 1;
    const fmt = levels[i]?.fmt ?? 'decimal';
    return /chinese|ideograph|japaneseCounting/i.test(fmt) ? cnNumber(v) : String(v);
  });
}
