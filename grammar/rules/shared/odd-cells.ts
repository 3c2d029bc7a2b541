import type { Cell, Report } from '../../src/model.js';
import { cellName, T4_CELL_COUNT } from '../../src/template.js';

const memo = new WeakMap<Report, Array<{ cell: Cell; name: string }>>();

/** Cells of the three tables that are not plain numbers, with their names in the template's words. */
export function oddCells(report: Report): Array<{ cell: Cell; name: string }> {
  let r = memo.get(report);
  if (!r) {
    r = [...scan(report)];
    memo.set(report, r);
  }
  return r;
}

function* scan(report: Report): Generator<{ cell: Cell; name: string }> {
  for (const id of ['t2', 't3'] as const) {
    if (report.tables[id]?.unreadable) continue;
    for (const row of report.tables[id]?.rows ?? []) {
      if (!row) continue;
      for (let i = 0; i < row.cells.length && i < row.spec.cells; i++) {
        if (row.cells[i].status !== 'ok')
          yield {
            cell: row.cells[i],
            name: id === 't2' ? cellName('t2', row.spec.offset + i) : cellName('t3', row.spec.index, i),
          };
      }
    }
  }
  const t4 = report.tables.t4?.t4?.cells;
  if (t4)
    for (let i = 0; i < T4_CELL_COUNT; i++)
      if (t4[i].status !== 'ok') yield { cell: t4[i], name: cellName('t4', i) };
}
