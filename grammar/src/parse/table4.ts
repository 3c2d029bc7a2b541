// 表四 (行政复议、行政诉讼): one row of fifteen numbers under a two-level header, read from the
// numbers in its region in order.
import type { Cell, DigitRun, Range, T4Table } from '../model.js';
import { T4_CELL_COUNT } from '../template.js';
import type { LineIndex } from '../text.js';
import { cellsFromRun, makeCell } from './cells.js';
import { alignedBlanks, headerColumns, spacedBlanks } from './columns.js';
import { solveT4, splits } from './digit-runs.js';
import { regionTokens } from './line-cells.js';

/**
 * 表四 from flattened web text where both things happen: some numbers run together (`00`) and
 * empty cells left wider gaps (also after the last number). Every way to cut the runs is tried
 * with the gaps' blanks in place; taken when exactly one gives fifteen cells, or when exactly one
 * of several has the most blocks that add up.
 */
function flatT4(
  found: Cell[],
  text: string,
  regionEnd: number,
): { cells: Cell[] | null; solutions: number } | null {
  if (
    found.some((c) => c.status !== 'ok' || !/^\d+$/.test(c.raw)) ||
    found.map((c) => c.raw).join('').length > 30
  )
    return null;
  const gaps: number[] = [];
  for (let i = 0; i < found.length; i++) {
    const end = i + 1 < found.length ? found[i + 1].range.start : regionEnd;
    const gap = text.slice(found[i].range.end, end);
    const spaces = i + 1 < found.length ? gap : (/^ */.exec(gap)?.[0] ?? '');
    if (i + 1 < found.length && !/^ +$/.test(gap)) return null;
    gaps.push(Math.max(0, spaces.length - 1));
  }
  // Cuttings that give fifteen cells; when only one does (leading zeros and gaps decide it), it
  // stands even if a total is wrong (t4-total then says so); else the blocks' totals choose.
  const solutions: Cell[][] = [];
  const pick: Cell[] = [];
  const rec = (i: number) => {
    if (solutions.length > 50 || pick.length > T4_CELL_COUNT) return;
    if (i === found.length) {
      if (pick.length !== T4_CELL_COUNT) return;
      solutions.push([...pick]);
      return;
    }
    const c = found[i];
    for (let m = 1; m <= c.raw.length; m++) {
      for (const parts of splits(c.raw, m, () => true, 50)) {
        const n = pick.length;
        pick.push(...cellsFromRun(parts, c.range.start, text));
        for (let k = 0; k < gaps[i]; k++) {
          const at = c.range.end + 1 + k;
          pick.push({ value: null, raw: '', range: { start: at, end: at }, status: 'blank' });
        }
        rec(i + 1);
        pick.length = n;
      }
    }
  };
  rec(0);
  if (solutions.length <= 1) return { cells: solutions[0] ?? null, solutions: solutions.length };
  // Several cuttings: the one under which the most blocks add up, if only one does best (a wrong
  // total in one block leaves the other blocks to decide).
  const adds = (p: Cell[]) =>
    [0, 5, 10].filter(
      (b) =>
        p.slice(b, b + 5).every((c) => c.value != null) &&
        p[b + 4].value === p[b].value! + p[b + 1].value! + p[b + 2].value! + p[b + 3].value!,
    ).length;
  const scores = solutions.map(adds);
  const best = Math.max(...scores);
  const top = solutions.filter((_, i) => scores[i] === best);
  return { cells: top.length === 1 && best > 0 ? top[0] : null, solutions: top.length };
}

export function parseT4(clean: string, lines: LineIndex, region: Range): T4Table {
  const toks = regionTokens(clean, lines, region);
  const found: Cell[] = [];
  const text = clean; // positions only; raw text is taken from the same offsets
  for (const t of toks) {
    if (t.kind === 'label') {
      if (found.length >= T4_CELL_COUNT) break;
      continue;
    }
    // Blanks in the header (merged cells of a Word or HTML table) come before any number.
    if (t.kind === 'placeholder' && !found.some((c) => c.status !== 'blank') && found.length >= T4_CELL_COUNT)
      found.shift();
    found.push(makeCell(t, region.start, text));
  }
  while (found.length > T4_CELL_COUNT && found[found.length - 1].status === 'blank') found.pop();
  while (found.length > T4_CELL_COUNT && found[0].status === 'blank') found.shift();
  let flatRun: DigitRun | undefined;
  if (found.length > 1 && found.length < T4_CELL_COUNT) {
    const filled =
      spacedBlanks(found, text, T4_CELL_COUNT) ??
      alignedBlanks(
        found,
        headerColumns(toks, region.start, found[0], lines, text) ?? undefined,
        lines,
        text,
      );
    const flat = filled ? null : flatT4(found, text, region.end);
    if (filled || flat?.cells) found.splice(0, found.length, ...(filled ?? flat!.cells!));
    // Runs the totals cannot cut (a wrong total among them): digits run together, not a cell count.
    else if (flat && found.some((c) => c.raw.length > 1 && c.raw.startsWith('0'))) {
      flatRun = {
        digits: text.slice(found[0].range.start, found[found.length - 1].range.end),
        range: { start: found[0].range.start, end: found[found.length - 1].range.end },
        solutions: flat.solutions,
      };
    }
  }
  const table: T4Table = { id: 't4', region, values: Array(T4_CELL_COUNT).fill(null) };
  let cells: Cell[] | null = null;
  let run: DigitRun | undefined = flatRun;
  if (found.length === T4_CELL_COUNT) cells = found;
  else if (found.length === 1 && /^\d{15,}$/.test(found[0].raw)) {
    const s = solveT4(found[0].raw);
    run = { digits: found[0].raw, range: found[0].range, solutions: s.solutions };
    if (s.parts) cells = cellsFromRun(s.parts, found[0].range.start, clean);
  }
  table.t4 = { cells, found, run };
  if (cells) table.values = cells.map((c) => c.value);
  return table;
}
