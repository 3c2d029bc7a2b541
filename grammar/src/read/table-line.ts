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
