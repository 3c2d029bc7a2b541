// One row of a table from a structured source (HTML, Word) as a TAB-separated line.

/**
 * The row's cells joined by TAB, or null for a row with nothing in it. Empty cells after the first
 * filled one are blanks, not gaps, and are written as 空 so the checker reports them (a blank is
 * not 0); so is a wholly empty row of five or more cells (表四's numbers, all left empty).
 */
export function tableLine(cells: string[]): string | null {
  const first = cells.findIndex((c) => c !== '');
  if (first < 0) return cells.length >= 5 ? cells.map(() => '空').join('\t') : null;
  return cells.map((x, i) => (x === '' && i > first ? '空' : x)).join('\t');
}

const CJK = /[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]/;

/**
 * A cell's paragraphs as one cell text: a label broken by Enter between two Chinese characters
 * joins without a space (本机关不掌握 + 相关政府信息), anything else with one (21 + （含1件转办））.
 */
export function joinCellParagraphs(paras: string[]): string {
  let out = '';
  for (const raw of paras) {
    const p = raw.replace(/[\s\u00a0\u3000]+/g, ' ').trim();
    if (!p) continue;
    out += out && !(CJK.test(out.at(-1)!) && CJK.test(p[0])) ? ` ${p}` : p;
  }
  return out;
}
