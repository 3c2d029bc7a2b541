// Inserting a missing row in the table's own layout (grammar/src/fix/insert-row.ts): the row comes
// back in the place and the separators of its neighbours, and the parser reads it as that row.
import { describe, expect, it } from 'vitest';
import { insertRow } from '../../grammar/src/fix/insert-row.js';
import type { Edit } from '../../grammar/src/model.js';
import { parse } from '../../grammar/src/parse/index.js';
import { T2_ROWS, T3_ROWS } from '../../grammar/src/template.js';
import { type Layout, report } from '../fixtures/build.js';

const T3_LATE_FEE = T3_ROWS.find((s) => s.label.startsWith('2.申请人逾期未按收费通知'))!;
const apply = (text: string, e: Edit) => text.slice(0, e.start) + e.newText + text.slice(e.end);

/** The fixture report without the lines that start with these labels. */
function without(layout: Layout, ...labels: string[]): string {
  return report(layout)
    .split('\n')
    .filter((l) => !labels.some((x) => l.startsWith(x)))
    .join('\n');
}

describe('insertRow', () => {
  it.each([
    ['tab', '\t1\t0\t0\t0\t0\t0\t1\n'],
    ['pipe', ' | 1 | 0 | 0 | 0 | 0 | 0 | 1 |\n'],
    ['spaced', '      1      0      0      0      0      0      1\n'],
  ] as const)('puts a 表三 row back after the row before it, in the %s layout', (layout, cells) => {
    const text = without(layout, T3_LATE_FEE.label);
    const t3 = parse(text).tables.t3!;
    expect(t3.rows[T3_LATE_FEE.index]).toBeUndefined();
    const edit = insertRow(text, t3, T3_LATE_FEE, [1, 0, 0, 0, 0, 0, 1])!;
    expect(edit.newText).toBe(T3_LATE_FEE.label + cells);
    // Right after the row before it (1.申请人无正当理由逾期不补正…), on its own line.
    const before = t3.rows[T3_LATE_FEE.index - 1]!;
    expect(edit).toMatchObject({ start: before.block.end, end: before.block.end });
    const again = parse(apply(text, edit)).tables.t3!;
    expect(again.rows[T3_LATE_FEE.index]?.cells.map((c) => c.value)).toEqual([1, 0, 0, 0, 0, 0, 1]);
    expect(again.order).toEqual(T3_ROWS.map((s) => s.index));
  });
  it('puts a one-cell 表二 row back with zeros, and the table reads whole again', () => {
    const text = without('pipe', '行政处罚');
    const t2 = parse(text).tables.t2!;
    const edit = insertRow(text, t2, T2_ROWS[3])!;
    // Copied from a three-cell neighbour: its extra cells go with their separators.
    expect(edit.newText).toBe('行政处罚 | 0 |\n');
    const again = parse(apply(text, edit)).tables.t2!;
    expect(again.rows[3]?.cells.map((c) => c.value)).toEqual([0]);
    expect(again.rows.every(Boolean)).toBe(true);
  });
  it('has nothing to copy in a table with no rows', () => {
    const text = report('tab');
    const t3 = parse(text).tables.t3!;
    expect(insertRow(text, { ...t3, rows: t3.rows.map(() => undefined) }, T3_LATE_FEE)).toBeNull();
  });
});
