// Inserting a row in a table's own layout: copy the text block of a neighbouring row of the same
// shape, with the standard label and zeros in place of the label and the numbers.
import type { Edit, LabelledTable, Row } from '../model.js';
import { type RowSpec, T2_ROWS, T3_ROWS } from '../template.js';
import { key } from '../text.js';

const CJK = /[\u3400-\u9fff]/;

/**
 * The edit that inserts template row `spec` into `table` with `values` (zeros by default), or null
 * if the table has no row to copy.
 */
export function insertRow(text: string, table: LabelledTable, spec: RowSpec, values?: number[]): Edit | null {
  const value = (i: number) => String(values?.[i] ?? 0);
  const present = table.rows.filter((r): r is Row => !!r && r.cells.length > 0);
  if (!present.length) return null;
  const byDistance = [...present].sort(
    (a, b) => Math.abs(a.spec.index - spec.index) - Math.abs(b.spec.index - spec.index),
  );
  const clean = (r: Row) => {
    let rest = text.slice(r.block.start, r.labelRange.start) + text.slice(r.labelRange.end, r.block.end);
    for (const c of r.cells) rest = rest.replace(c.raw, '');
    return !CJK.test(rest);
  };
  const example =
    byDistance.find((r) => r.cells.length === spec.cells && clean(r)) ??
    byDistance.find((r) => clean(r)) ??
    byDistance[0];
  // Build the new block from the example block.
  const specs = spec.table === 't2' ? T2_ROWS : T3_ROWS;
  const regionKey = key(text.slice(table.region.start, table.region.end));
  let label = spec.label;
  const first = example.cells[0];
  const sep = first ? text.slice(example.labelRange.end, first.range.start) : ' ';
  if (
    spec.group &&
    !regionKey.includes(key(spec.group)) &&
    !specs.some((s) => s.group === spec.group && table.rows[s.index])
  ) {
    label = spec.group + (sep || ' ') + label;
  }
  const pieces: Array<{ start: number; end: number; newText: string }> = [
    { start: example.labelRange.start, end: example.labelRange.end, newText: label },
  ];
  const cells = example.cells;
  const zeros = cells
    .slice(0, spec.cells)
    .map((c, i) => ({ start: c.range.start, end: c.range.end, newText: value(i) }));
  pieces.push(...zeros);
  // Extra cells of the example are dropped with the separator before each; missing ones are added
  // after the last, with its separator.
  for (let i = spec.cells; i < cells.length; i++) {
    const from = i > 0 ? cells[i - 1].range.end : example.labelRange.end;
    pieces.push({ start: from, end: cells[i].range.end, newText: '' });
  }
  let block = '';
  let p = example.block.start;
  for (const piece of pieces.sort((a, b) => a.start - b.start)) {
    block += text.slice(p, piece.start) + piece.newText;
    p = piece.end;
  }
  if (cells.length < spec.cells && cells.length > 0) {
    const cs =
      cells.length > 1
        ? text.slice(cells[cells.length - 2].range.end, cells[cells.length - 1].range.start)
        : sep;
    const lastEnd = cells[cells.length - 1].range.end;
    for (let i = cells.length; i < spec.cells; i++)
      block += (i === cells.length ? text.slice(p, lastEnd) : '') + cs + value(i);
    p = lastEnd;
  }
  block += text.slice(p, example.block.end);
  // Position: after the nearest present row before it, else before the nearest one after it.
  const before = [...present]
    .filter((r) => r.spec.index < spec.index)
    .sort((a, b) => b.spec.index - a.spec.index)[0];
  const after = [...present]
    .filter((r) => r.spec.index > spec.index)
    .sort((a, b) => a.spec.index - b.spec.index)[0];
  const sameLine =
    example.block.end ===
    (example.cells.length ? example.cells[example.cells.length - 1].range.end : example.labelRange.end);
  if (sameLine && after)
    return { start: after.labelRange.start, end: after.labelRange.start, newText: block + ' ' };
  if (before) {
    const at = before.block.end;
    if (sameLine) return { start: at, end: at, newText: (block.startsWith(' ') ? '' : ' ') + block };
    if (at > 0 && text[at - 1] !== '\n' && text[at - 1] !== '\r') block = '\n' + block.replace(/\r?\n$/, '');
    return { start: at, end: at, newText: block };
  }
  if (after) {
    const at = after.block.start;
    return { start: at, end: at, newText: sameLine ? block + ' ' : block };
  }
  return null;
}
