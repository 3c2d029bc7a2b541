// The cells cross-year rules compare: only plain numbers of tables read with confidence.
import type { Cell, Report, Row } from '../model.js';

/** A data row of table 2 or 3 whose cells are all there; null when the table is absent or unreadable. */
export function readableRow(report: Report, table: 't2' | 't3', index: number): Row | null {
  const t = report.tables[table];
  if (!t || t.unreadable) return null;
  const row = t.rows[index];
  return row && row.cells.length === row.spec.cells ? row : null;
}

/** A cell holding a valid number (never a blank, a placeholder or an unreadable value). */
export function numberCell(row: Row | null, i: number): (Cell & { value: number }) | null {
  const c = row?.cells[i];
  return c && c.status === 'ok' && c.value != null && Number.isFinite(c.value)
    ? (c as Cell & { value: number })
    : null;
}

export const fmt = (n: number) => String(Math.round(n * 100) / 100);
