// Cells of the model from tokens and from cut digit runs; the text a row occupies.
import type { Cell, Range, Row } from '../model.js';
import type { LineIndex } from '../text.js';
import { partOffsets } from './digit-runs.js';
import type { Token } from './grammar.js';

export function cellValues(row: Row | undefined, n: number): Array<number | null> {
  if (!row || row.cells.length !== n) return Array(n).fill(null);
  return row.cells.map((c) => c.value);
}

export function cellsFromRun(parts: number[], start: number, text: string): Cell[] {
  return partOffsets(parts).map((o, i) => {
    const range = { start: start + o, end: start + o + String(parts[i]).length };
    return { value: parts[i], raw: text.slice(range.start, range.end), range, status: 'ok' as const };
  });
}

const NUMBER = /^(?:\d+|[1-9]\d{0,2}(?:,\d{3})+)(?:\.\d+)?$/;

export function makeCell(t: Token, base: number, text: string, decimal?: boolean): Cell {
  const range = { start: base + t.start, end: base + t.end };
  const raw = text.slice(range.start, range.end);
  if (t.kind === 'placeholder') return { value: null, raw, range, status: 'blank' };
  // Thousands separators are only in a number token of the grouped shape (report.ohm `grouped`).
  if (t.kind === 'number' && NUMBER.test(t.text) && (decimal || !t.text.includes('.'))) {
    return { value: Number(t.text.replace(/,/g, '')), raw, range, status: 'ok' };
  }
  return { value: null, raw, range, status: 'invalid' };
}

/** The text a row occupies: whole lines when the row starts on its own line, else just its span. */
export function rowBlock(lines: LineIndex, start: number, end: number, prevEnd: number): Range {
  const ls = lines.lineOf(start),
    le = lines.lineOf(end);
  // Another label after the numbers on the same line: a flattened page, rows are spans.
  if (/[\u3400-\u9fff]/.test(lines.text.slice(end, lines.lineEnd(le)))) return { start, end };
  if (prevEnd >= 0 && lines.lineOf(prevEnd) === ls) return { start, end };
  const from =
    prevEnd >= 0 && lines.lineOf(prevEnd) < ls ? lines.starts[lines.lineOf(prevEnd) + 1] : lines.starts[ls];
  const to = le + 1 < lines.lineCount ? lines.starts[le + 1] : lines.text.length;
  return { start: from, end: to };
}
