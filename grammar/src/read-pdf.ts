// PDF: text with positions (pdf.js via unpdf); lines rebuilt from coordinates, columns kept apart
// by wide gaps, as `pdftotext -layout` does, so tables come out as rows of cells.
import { getDocumentProxy } from 'unpdf';

export class PdfError extends Error {}

interface Item { str: string; x: number; y: number; w: number; size: number }

export async function readPdf(bytes: Uint8Array): Promise<{ text: string; wheres: Array<string | undefined> }> {
  let pdf: Awaited<ReturnType<typeof getDocumentProxy>>;
  try {
    pdf = await getDocumentProxy(new Uint8Array(bytes), { isEvalSupported: false, verbosity: 0 } as never);
  } catch (e) {
    const name = (e as { name?: string })?.name ?? '';
    throw new PdfError(/Password/i.test(name) ? 'PDF 已加密' : '不是有效的 PDF 文件');
  }
  const lines: string[] = [];
  const wheres: Array<string | undefined> = [];
  let chars = 0;
  try {
    for (let p = 1; p <= pdf.numPages; p++) {
      const page = await pdf.getPage(p);
      const content = await page.getTextContent();
      const items: Item[] = [];
      for (const it of content.items as Array<{ str?: string; transform?: number[]; width?: number }>) {
        if (!it.str || !it.str.trim() || !it.transform) continue;
        const [a, b, , , x, y] = it.transform;
        items.push({ str: it.str, x, y, w: it.width ?? 0, size: Math.hypot(a, b) || 10 });
        chars += it.str.length;
      }
      for (const line of pageLines(items)) { lines.push(line); wheres.push(`第${p}页`); }
    }
  } finally {
    await pdf.destroy().catch(() => undefined);
  }
  if (chars < 20) throw new PdfError('PDF 没有文字层（可能是扫描件）');
  return { text: lines.join('\n') + '\n', wheres };
}

/** Items → text lines, top to bottom; a gap wider than a character becomes a column break. */
function pageLines(items: Item[]): string[] {
  items.sort((a, b) => b.y - a.y || a.x - b.x);
  const rows: Item[][] = [];
  for (const it of items) {
    const row = rows[rows.length - 1];
    if (row && Math.abs(row[0].y - it.y) <= Math.min(row[0].size, it.size) * 0.5) row.push(it);
    else rows.push([it]);
  }
  return rows.map((row) => {
    row.sort((a, b) => a.x - b.x);
    let s = '', end = -Infinity;
    for (const it of row) {
      const gap = it.x - end;
      if (end > -Infinity) s += gap > it.size * 0.9 ? '    ' : gap > it.size * 0.2 ? ' ' : '';
      s += it.str;
      end = Math.max(end, it.x + it.w);
    }
    return s;
  }).filter((l) => l.trim());
}
