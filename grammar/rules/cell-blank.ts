import type { Cell, Fix, Report } from '../src/model.js';
import type { Rule, RuleFinding } from '../src/rule.js';
import {
  cellName,
  T2_COLUMNS,
  T3_COLUMNS,
  T4_BLOCK_NAMES,
  T4_CELL_COUNT,
  T4_COLUMNS,
  TABLE_NAMES,
  type TableId,
  t4Cell,
} from '../src/template.js';

interface Group {
  table: TableId;
  name: string;
  /** Each blank cell, its column's name and its own name (as every message names a cell). */
  cells: Array<{ cell: Cell; column: string; cellName: string }>;
}

/** Blank cells grouped by row (表四: by block), in table order. */
function blankGroups(report: Report): Group[] {
  const out: Group[] = [];
  for (const id of ['t2', 't3'] as const) {
    if (report.tables[id]?.unreadable) continue;
    for (const row of report.tables[id]?.rows ?? []) {
      if (!row) continue;
      const cells = row.cells
        .slice(0, row.spec.cells)
        .map((cell, i) => ({
          cell,
          column: id === 't3' ? T3_COLUMNS[i] : row.spec.cells > 1 ? T2_COLUMNS[i] : '',
          cellName: id === 't3' ? cellName('t3', row.spec.index, i) : cellName('t2', row.spec.offset + i),
        }))
        .filter((x) => x.cell.status === 'blank');
      if (cells.length) out.push({ table: id, name: `${TABLE_NAMES[id]}“${row.spec.label}”`, cells });
    }
  }
  const t4 = report.tables.t4?.t4?.cells;
  if (t4) {
    for (let b = 0; b < T4_BLOCK_NAMES.length; b++) {
      const cells = T4_COLUMNS.map((column, i) => ({
        cell: t4[t4Cell(b, i)],
        column,
        cellName: cellName('t4', t4Cell(b, i)),
      })).filter((x) => x.cell.status === 'blank');
      if (cells.length) out.push({ table: 't4', name: `表四“${T4_BLOCK_NAMES[b]}”`, cells });
    }
  }
  return out;
}

/** How many cells a table has in all (for "the whole table is blank"). */
function cellCount(report: Report, id: TableId): number {
  if (id === 't4') return report.tables.t4?.t4?.cells ? T4_CELL_COUNT : 0;
  return (report.tables[id]?.rows ?? []).reduce(
    (n, r) => n + (r ? Math.min(r.cells.length, r.spec.cells) : 0),
    0,
  );
}

export default {
  id: 'cell-blank',
  title: '单元格为空',
  category: 'tables',
  severity: 'warning',
  description:
    '没有发生的事项应填0。空白或“/”“-”“无”等占位符不等于0，读者无法判断是没有发生还是漏填。每行报告一次（整张表都空白时作为错误报告一次）；把空白填0要由填报人确认，可在编辑器中对整张表选择“将空白单元格填0”，但不会自动修复。',
  docs: {
    examples: [{ right: '行政强制\t0', wrong: '行政强制\t/' }],
    fix: '不自动修复：没有发生的事项请填0。编辑器中可对整张表选择“将空白单元格填0”。',
  },
  check({ report }) {
    const out: RuleFinding[] = [];
    const groups = blankGroups(report);
    for (const id of ['t2', 't3', 't4'] as const) {
      const mine = groups.filter((g) => g.table === id);
      if (!mine.length) continue;
      const cells = mine.flatMap((g) => g.cells.map((x) => x.cell));
      // Filling blanks with 0 is the drafter's decision: offered per table, never applied by fix-all.
      const fill: Fix = {
        title: `将${TABLE_NAMES[id]}空白单元格填0`,
        edits: cells.map((c) => ({ ...c.range, newText: '0' })),
      };
      const parts = cells.map((c) => c.range);
      if (cells.length === cellCount(report, id) && cells.length > 3) {
        // An unfilled table cannot be published: an error, not a warning.
        out.push({
          severity: 'error',
          message: `${TABLE_NAMES[id]}全部${cells.length}个单元格都是空白，表格尚未填写（没有发生的事项应填0）`,
          range: { start: cells[0].range.start, end: cells[cells.length - 1].range.end },
          suggestions: [fill],
          parts,
        });
        continue;
      }
      for (const g of mine) {
        const first = g.cells[0],
          last = g.cells[g.cells.length - 1];
        const shown = (x: { cell: Cell; column: string }) =>
          x.column + (x.cell.raw && !/^空$/.test(x.cell.raw) ? `“${x.cell.raw}”` : '');
        const message =
          g.cells.length === 1
            ? `${first.cellName}${first.cell.raw && first.cell.raw !== '空' ? `为“${first.cell.raw}”` : '为空白'}，没有填数（没有发生应填0）`
            : `${g.name}有${g.cells.length}个空白单元格（${g.cells.map(shown).join('、')}），没有发生应填0`;
        out.push({
          message,
          range: { start: first.cell.range.start, end: last.cell.range.end },
          suggestions: [fill],
          parts: g.cells.map((x) => x.cell.range),
        });
      }
    }
    return out;
  },
} satisfies Rule;
