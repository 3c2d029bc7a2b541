// The spaced-column model: text laid out by spaces (pdftotext -layout, flattened web pages) drops
// blank cells, and where the numbers stand says which columns they are. Positions are display
// widths, so this is arithmetic on columns, not grammar.
import type { Cell } from '../model.js';
import type { LineIndex } from '../text.js';
import { makeCell } from './cells.js';
import type { Token } from './grammar.js';
import { CJK, type Pending } from './labels.js';

/**
 * Cells separated by single spaces where a wider gap holds empty cells (`0 0     0`: a web page's
 * empty cells copied as nothing between the spaces). Taken only when the gaps make up exactly the
 * row's count; columns aligned by many spaces never do.
 */
export function spacedBlanks(cells: Cell[], text: string, want: number): Cell[] | null {
  const out: Cell[] = [cells[0]];
  let total = cells.length;
  for (let i = 1; i < cells.length; i++) {
    const gap = text.slice(cells[i - 1].range.end, cells[i].range.start);
    if (!/^ +$/.test(gap)) return null;
    for (let k = 1; k < gap.length; k++) {
      const at = cells[i - 1].range.end + k;
      out.push({ value: null, raw: '', range: { start: at, end: at }, status: 'blank' });
      total++;
    }
    out.push(cells[i]);
  }
  return total === want ? out : null;
}

/** Display width of text as aligned monospace output counts it: CJK and full-width characters take two columns. */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    w += c >= 0x2e80 || (c >= 0x2018 && c <= 0x201f) || (c >= 0x1100 && c <= 0x115f) ? 2 : 1;
  }
  return w;
}

const columnOf = (lines: LineIndex, text: string, c: Cell) => {
  const ls = lines.starts[lines.lineOf(c.range.start)];
  return displayWidth(text.slice(ls, c.range.start)) + displayWidth(c.raw) / 2;
};

/**
 * Space-aligned text (pdftotext -layout) drops blank cells but keeps every number under its column.
 * The columns' display positions, learned from the rows that have all their cells, by cell count.
 */
export function columnModel(
  pending: Pending[],
  lines: LineIndex,
  text: string,
  base: number,
): Map<number, number[]> {
  const samples = new Map<number, number[][]>();
  for (const p of pending) {
    const want = p.cand.row?.cells ?? 7;
    if (p.cells || p.allBlank || want < 2 || p.toks.length !== want || p.toks.some((t) => t.kind === 'label'))
      continue;
    const cells = p.toks.map((t) => makeCell(t, base, text));
    if (lines.lineOf(cells[0].range.start) !== lines.lineOf(cells[want - 1].range.start)) continue;
    const l = samples.get(want) ?? [];
    l.push(cells.map((c) => columnOf(lines, text, c)));
    samples.set(want, l);
  }
  const out = new Map<number, number[]>();
  for (const [want, rows] of samples) {
    if (rows.length < 2) continue;
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
    out.set(
      want,
      Array.from({ length: want }, (_, i) => median(rows.map((r) => r[i]))),
    );
  }
  return out;
}

/** A short row's numbers put under their columns; the columns left over are blank cells. */
export function alignedBlanks(
  cells: Cell[],
  columns: number[] | undefined,
  lines: LineIndex,
  text: string,
): Cell[] | null {
  if (!columns) return null;
  const line = lines.lineOf(cells[0].range.start);
  if (cells.some((c) => lines.lineOf(c.range.start) !== line)) return null;
  const spacing = Math.min(...columns.slice(1).map((x, i) => x - columns[i]));
  const out: Array<Cell | null> = columns.map(() => null);
  let next = 0;
  for (const c of cells) {
    const x = columnOf(lines, text, c);
    let best = -1;
    for (let i = next; i < columns.length; i++)
      if (best < 0 || Math.abs(columns[i] - x) < Math.abs(columns[best] - x)) best = i;
    if (best < 0 || Math.abs(columns[best] - x) > spacing / 2) return null;
    out[best] = c;
    next = best + 1;
  }
  return out.map(
    (c, i) =>
      c ??
      (() => {
        const prev = out.slice(0, i).reverse().find(Boolean);
        const at = prev ? prev.range.end : cells[0].range.start;
        return { value: null, raw: '', range: { start: at, end: at }, status: 'blank' as const };
      })(),
  );
}

/**
 * 表四's fifteen columns in space-aligned text, from the header words above the numbers: the
 * two-character column words (结果 维持 其他 尚未 总计…) sit at the columns' starts, the longer
 * block names (行政复议, 未经复议直接起诉) are left out. Null unless exactly fifteen columns show.
 */
export function headerColumns(
  toks: Token[],
  base: number,
  firstNumber: Cell,
  lines: LineIndex,
  text: string,
): number[] | null {
  const starts: number[] = [];
  for (const t of toks) {
    const at = base + t.start;
    if (at >= firstNumber.range.start) break;
    if (t.kind !== 'label' || [...t.text].length > 2 || !CJK.test(t.text)) continue;
    starts.push(displayWidth(text.slice(lines.starts[lines.lineOf(at)], at)));
  }
  const cols: number[] = [];
  for (const x of [...starts].sort((a, b) => a - b))
    if (!cols.length || x - cols[cols.length - 1] > 2) cols.push(x);
  if (cols.length !== 15) return null;
  // Numbers are placed by their centre: shift the starts to the centre of a two-character word.
  return cols.map((x) => x + 2);
}
