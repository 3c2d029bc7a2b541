// 表二 and 表三, the tables whose rows are found by their labels: read (label-reader.ts), placed
// (labels.ts placeByOrder), given their cells (blank cells put back by columns.ts, digit runs cut
// by digit-runs.ts), and cached by the table's text.
import { LRUCache } from 'lru-cache';
import type { Cell, LabelledTable, LegacyRow, Range, Row, T2Table, T3Table } from '../model.js';
import { type RowSpec, T2_ROWS, T3_COLUMN_COUNT, T3_LEGACY_OTHER, T3_ROWS } from '../template.js';
import type { LineIndex } from '../text.js';
import { cellsFromRun, cellValues, makeCell, rowBlock } from './cells.js';
import { alignedBlanks, columnModel, spacedBlanks } from './columns.js';
import { solveT3Cached, splitSpacedRuns, splits } from './digit-runs.js';
import { LabelReader } from './label-reader.js';
import { type Pending, placeByOrder } from './labels.js';

const tableCache = new LRUCache<string, LabelledTable>({ max: 200 });

/**
 * parseLabelled, cached by the table's text: an editor re-checks the whole document on every
 * keystroke, and most keystrokes are outside the tables. The cached table is kept with offsets
 * relative to its region and shifted to where the region is now.
 */
export function parseLabelledCached(
  id: 't2',
  clean: string,
  text: string,
  lines: LineIndex,
  region: Range,
): T2Table;
export function parseLabelledCached(
  id: 't3',
  clean: string,
  text: string,
  lines: LineIndex,
  region: Range,
): T3Table;
export function parseLabelledCached(
  id: 't2' | 't3',
  clean: string,
  text: string,
  lines: LineIndex,
  region: Range,
): LabelledTable {
  const lineStart = lines.starts[lines.lineOf(region.start)];
  const k = `${id}\u0001${region.start - lineStart}\u0001${text.slice(lineStart, region.end)}\u0001${clean.slice(region.start, region.end)}`;
  const hit = tableCache.get(k);
  if (hit) return shiftTable(hit, region.start);
  const table = parseLabelled(id, clean, text, lines, region);
  tableCache.set(k, shiftTable(table, -region.start));
  return table;
}

/** A copy of a table with every offset moved by `d`. */
function shiftTable(t: LabelledTable, d: number): LabelledTable {
  const r = (x: Range): Range => ({ start: x.start + d, end: x.end + d });
  const cell = (c: Cell): Cell => ({ ...c, range: r(c.range) });
  const row = (x: Row): Row => ({
    ...x,
    labelRange: r(x.labelRange),
    block: r(x.block),
    cells: x.cells.map(cell),
    ...(x.run ? { run: { ...x.run, range: r(x.run.range) } } : {}),
  });
  return {
    ...t,
    region: r(t.region),
    rows: t.rows.map((x) => x && row(x)),
    duplicates: t.duplicates.map(row),
    order: [...t.order],
    ...(t.id === 't3' && t.legacyOther
      ? {
          legacyOther: {
            ...t.legacyOther,
            labelRange: r(t.legacyOther.labelRange),
            block: r(t.legacyOther.block),
            cells: t.legacyOther.cells.map(cell),
          },
        }
      : {}),
  };
}

/** 表二 or 表三 from its region: rows read in text order, placed, given their cells. */
function parseLabelled(
  id: 't2' | 't3',
  clean: string,
  text: string,
  lines: LineIndex,
  region: Range,
): LabelledTable {
  const specs = id === 't2' ? T2_ROWS : T3_ROWS;
  const table: Draft = { region, rows: specs.map(() => undefined), order: [], duplicates: [] };
  const read = placeByOrder(new LabelReader(id, clean, text, region).read(lines), specs, id);
  // The column model is learned only when a row is short of cells (most tables never need it).
  let columns: Map<number, number[]> | null = null;
  const ctx: Context = {
    id,
    text,
    lines,
    region,
    table,
    runs: new Map(),
    columnsFor: (want) => (columns ??= columnModel(read, lines, text, region.start)).get(want),
  };
  placeRows(ctx, read);
  if (id === 't3' && ctx.runs.size) solveT3Runs(ctx);
  table.unreadable = confidence(table, specs.length);
  const rowOf = (spec: RowSpec) => (table.unreadable ? undefined : table.rows[spec.index]);
  return id === 't2'
    ? { ...table, id, values: T2_ROWS.flatMap((spec) => cellValues(rowOf(spec), spec.cells)) }
    : { ...table, id, values: T3_ROWS.map((spec) => cellValues(rowOf(spec), T3_COLUMN_COUNT)) };
}

/** A table while its rows are read; its id and values are set once they are all placed. */
type Draft = Omit<T3Table, 'id' | 'values'>;

interface Context {
  id: 't2' | 't3';
  text: string;
  lines: LineIndex;
  region: Range;
  table: Draft;
  /** 表三 rows that are one digit run, by row index: cut together, by the table's totals. */
  runs: Map<number, string>;
  /** Where the numbers of a row with `want` cells stand, when the table is laid out by spaces. */
  columnsFor: (want: number) => number[] | undefined;
}

/** Rows in the order found, with their cells and blocks (for inserting rows in the same layout). */
function placeRows(ctx: Context, read: Pending[]) {
  const { id, lines, table } = ctx;
  let prevEnd = -1;
  for (const p of read) {
    const cells = rowCells(ctx, p);
    const lastEnd = cells.length ? cells[cells.length - 1].range.end : p.labelRange.end;
    const block = rowBlock(lines, p.labelRange.start, lastEnd, prevEnd);
    prevEnd = lastEnd;
    if (p.cand.group) {
      if (id === 't3' && p.cand.group === T3_LEGACY_OTHER && cells.length)
        table.legacyOther = { label: p.label, labelRange: p.labelRange, cells, block } satisfies LegacyRow;
      continue;
    }
    const spec = p.cand.row!;
    const row: Row = {
      spec,
      label: p.label,
      labelRange: p.labelRange,
      labelDistance: p.dist,
      wrapped: p.wrapped,
      cells,
      found: cells.length,
      block,
    };
    readDigitRun(ctx, row, p);
    table.order.push(spec.index);
    if (table.rows[spec.index]) table.duplicates.push(row);
    else table.rows[spec.index] = row;
  }
}

/** A row's cells: as read, with the blank cells a layout dropped put back where it can tell. */
function rowCells(ctx: Context, p: Pending): Cell[] {
  const { text, lines, region } = ctx;
  let cells: Cell[] = p.cells ?? p.toks.map((t) => makeCell(t, region.start, text, p.cand.row?.decimal));
  const want = p.cand.row?.cells ?? 7;
  // A label with no numbers after it up to the table's end: its cells are all blank.
  if (p.allBlank || (!p.cells && !p.toks.length && p.cand.row))
    cells = Array.from({ length: want }, () => ({
      value: null,
      raw: '',
      range: { start: p.labelRange.end, end: p.labelRange.end },
      status: 'blank' as const,
    }));
  else if (!p.cells && cells.length < want && cells.length > 0) {
    cells =
      spacedBlanks(cells, text, want) ?? alignedBlanks(cells, ctx.columnsFor(want), lines, text) ?? cells;
  }
  // Blank cells past the template's count are padding of a ragged table, not cells.
  while (cells.length > want && cells[cells.length - 1].status === 'blank') cells.pop();
  return cells;
}

/**
 * Digits run together where several cells belong: one number for the whole row (cut here for
 * 表二, by the table's totals for 表三), or partly spaced digits (0 0 0 0 0 00).
 */
function readDigitRun(ctx: Context, row: Row, p: Pending) {
  const { id, text, region, table } = ctx;
  const spec = row.spec;
  if (spec.cells < 2) return;
  const only = p.toks.length === 1 ? p.toks[0] : null;
  if (only && only.kind === 'number' && /^\d+$/.test(only.text) && only.text.length >= spec.cells) {
    const range = { start: region.start + only.start, end: region.start + only.end };
    row.run = { digits: only.text, range, solutions: 0 };
    if (id === 't3') {
      if (!table.rows[spec.index]) ctx.runs.set(spec.index, only.text);
      return;
    }
    const s = splits(only.text, spec.cells, () => true, 3);
    row.run.solutions = s.length;
    row.cells = s.length === 1 ? cellsFromRun(s[0], range.start, text) : [];
    return;
  }
  const numbers = p.toks.filter((t) => t.kind === 'number');
  if (
    row.cells.length < spec.cells &&
    numbers.length === p.toks.length &&
    numbers.some((t) => t.text.length > 1) &&
    numbers.every((t) => /^\d+$/.test(t.text))
  ) {
    // Cut the runs so the row has its count of cells.
    const parts = splitSpacedRuns(
      numbers.map((t) => t.text),
      spec.cells,
      spec.table === 't3',
    );
    const range = {
      start: region.start + numbers[0].start,
      end: region.start + numbers[numbers.length - 1].end,
    };
    row.run = { digits: text.slice(range.start, range.end), range, solutions: parts ? 1 : 2 };
    row.cells = parts
      ? parts.flatMap((ps, i) => cellsFromRun(ps, region.start + numbers[i].start, text))
      : [];
  }
}

/** 表三's digit runs, cut together so that the table's totals add up (digit-runs.ts). */
function solveT3Runs(ctx: Context) {
  const { table, text } = ctx;
  const known = table.rows.map((r) =>
    r && !r.run && r.cells.length === 7 ? r.cells.map((c) => c.value) : null,
  );
  const legacy =
    table.legacyOther?.cells.length === 7 ? table.legacyOther.cells.map((c) => c.value ?? 0) : null;
  for (const [r, sol] of solveT3Cached(ctx.runs, known, legacy)) {
    const row = table.rows[r];
    if (!row?.run) continue;
    row.run.solutions = sol.solutions;
    row.cells = sol.parts ? cellsFromRun(sol.parts, row.run.range.start, text) : [];
  }
}

/**
 * Whether the rows found can be trusted as the template's rows. A table broken apart by a
 * conversion (or mostly an image) yields a few stray labels with odd cell counts: reporting each
 * absent row and each odd count would bury the reader, so the table is called unreadable once.
 * Returns what was read (for the message), or undefined when the table reads with confidence.
 */
function confidence(table: Draft, want: number): string | undefined {
  const rows = table.rows.filter((r): r is Row => !!r);
  if (!rows.length) return undefined; // no table at all: table-missing
  const odd = rows.filter((r) => !r.run && r.found !== r.spec.cells).length;
  const few = rows.length < Math.ceil(want / 2);
  if (!few && odd < Math.max(3, Math.ceil(rows.length / 3))) return undefined;
  return `只识别出模板${want}行中的${rows.length}行${odd ? `，其中${odd}行的数字个数不符` : ''}`;
}
