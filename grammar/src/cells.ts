import type { Cell, Report } from './model.js';
import { cellName } from './template.js';

/** Every cell of the three tables with its name in the template's words. */
export function* allCells(report: Report): Generator<{ cell: Cell; name: string }> {
  for (const id of ['t2', 't3'] as const) {
    for (const row of report.tables[id]?.rows ?? []) {
      if (!row) continue;
      for (let i = 0; i < row.cells.length && i < row.spec.cells; i++) {
        yield { cell: row.cells[i], name: id === 't2' ? cellName('t2', row.spec.offset + i) : cellName('t3', row.spec.index, i) };
      }
    }
  }
  const t4 = report.tables.t4?.t4?.cells;
  if (t4) for (let i = 0; i < 15; i++) yield { cell: t4[i], name: cellName('t4', i) };
}
