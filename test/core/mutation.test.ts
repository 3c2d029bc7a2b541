// Mutations of our own fictional reports, in every layout: what a drafter's mistake looks like.
import { describe, expect, it } from 'vitest';
import { applyEdits, check, fixAll } from '../../grammar/src/index.js';
import { SECTIONS, T2_ROWS, T3_ROWS } from '../../grammar/src/template.js';
import { LAYOUTS, report, sampleValues } from '../fixtures/build.js';

const v = sampleValues();

describe.each(LAYOUTS)('%s layout', (layout) => {
  const text = report(layout);
  const base = check(text);

  it('reads back exactly and finds nothing wrong', () => {
    expect(base.report.tables.t2!.values).toEqual(v.t2);
    expect(base.report.tables.t3!.values).toEqual(v.t3);
    expect(base.report.tables.t4!.values).toEqual(v.t4);
    expect(base.findings.filter((f) => f.ruleId !== 'cells-run-together')).toEqual([]);
  });

  const cases: Array<['t2' | 't3', number]> = [
    ['t3', 5],
    ['t3', 4],
    ['t3', 13],
    ['t3', 23],
    ['t3', 24],
    ['t2', 4],
    ['t2', 1],
  ];
  it.each(cases)(
    'deleting %s row %i → row-missing there; 表三 rows come back with the values the totals imply, 表二 rows only as a suggestion',
    (table, index) => {
      const row = base.report.tables[table]!.rows[index]!;
      const broken = text.slice(0, row.block.start) + text.slice(row.block.end);
      const r = check(broken);
      const spec = (table === 't2' ? T2_ROWS : T3_ROWS)[index];
      const missing = r.findings.filter((f) => f.ruleId === 'row-missing');
      expect(missing.map((f) => f.message)).toEqual([
        `${table === 't2' ? '表二' : '表三'}缺少“${spec.label}”行`,
      ]);
      expect(missing[0].range.start).toBe(
        layout === 'flat' ? row.block.end - (row.block.end - row.block.start) : row.block.start,
      );
      // 表二 has no totals: its zeros would be a guess, so they are offered, never applied by fix-all.
      if (table === 't2') expect(missing[0].fix).toBeUndefined();
      const repaired = applyEdits(
        broken,
        (table === 't2' ? missing[0].suggestions![0] : missing[0].fix!).edits,
      );
      const again = check(repaired);
      expect(again.findings.filter((f) => f.ruleId === 'row-missing')).toEqual([]);
      expect(again.report.tables[table]!.values).toEqual(
        table === 't2'
          ? v.t2.map((x, i) => (i >= spec.offset && i < spec.offset + spec.cells ? 0 : x))
          : v.t3,
      );
    },
  );

  it('one wrong cell → exactly one arithmetic finding naming it', () => {
    const cell = base.report.tables.t3!.rows[2]!.cells[0];
    const r = check(text.slice(0, cell.range.start) + '4' + text.slice(cell.range.end));
    if (layout === 'flat') {
      expect(
        r.findings.filter((f) => f.ruleId === 'cells-run-together').map((f) => f.message),
      ).toContainEqual(
        expect.stringContaining('表三“（一）予以公开”行的数字连写为“4100002”，没有一种拆分能满足合计关系'),
      );
      return;
    }
    const arith = r.findings.filter((f) => /^t[34]-/.test(f.ruleId));
    expect(arith).toHaveLength(1);
    expect(arith[0].message).toContain('表三“（一）予以公开”行“自然人”列为4，应为1');
    expect(arith[0].range).toEqual(cell.range);
  });

  it('a wrong total → one finding whose fix puts the sum back', () => {
    const cell = base.report.tables.t3!.rows[23]!.cells[0];
    const broken = text.slice(0, cell.range.start) + '9' + text.slice(cell.range.end);
    const r = check(broken);
    if (layout === 'flat') {
      // Digits run together: a wrong total makes the row unsplittable, and nianbao says so.
      expect(
        r.findings.filter((f) => f.ruleId === 'cells-run-together').map((f) => f.message),
      ).toContainEqual(
        expect.stringContaining('表三“（七）总计”行的数字连写为“9100003”，没有一种拆分能满足合计关系'),
      );
      return;
    }
    const arith = r.findings.filter((f) => /^t[34]-/.test(f.ruleId));
    expect(arith.map((f) => f.ruleId)).toEqual(['t3-outcome-total']);
    expect(arith[0].message).toContain('表三“（七）总计”行“自然人”列为9，但各办理结果之和为2');
    expect(check(applyEdits(broken, arith[0].fix!.edits)).report.tables.t3!.values).toEqual(v.t3);
  });

  it('swapped sections → section-order', () => {
    const [s2, s3] = [base.report.sections[1], base.report.sections[2]];
    const s4 = base.report.sections[3];
    const swapped =
      text.slice(0, s2.range.start) +
      text.slice(s3.range.start, s4.range.start) +
      text.slice(s2.range.start, s3.range.start) +
      text.slice(s4.range.start);
    const r = check(swapped);
    expect(r.findings.filter((f) => f.ruleId === 'section-order').map((f) => f.message)).toEqual([
      `“${SECTIONS[1].standard}”应在“${SECTIONS[2].standard}”之前`,
    ]);
  });

  it('title year changed → year-mismatch', () => {
    const r = check(text.replace('青禾县农业农村局2024年', '青禾县农业农村局2023年'));
    expect(r.findings.filter((f) => f.ruleId === 'year-mismatch').map((f) => f.message)).toEqual([
      '标题年份为2023年，但统计期限为2024年',
    ]);
  });

  it('fix-all repairs what the template pins down and leaves a wrong 表四 total to the drafter', () => {
    const rows = base.report.tables.t3!.rows;
    const del = rows[16]!.block;
    const total = base.report.tables.t4!.t4!.cells![4];
    const edits = [
      { ...del, newText: '' },
      { ...total.range, newText: '7' },
    ];
    const broken = applyEdits(text, edits);
    expect(
      check(broken)
        .findings.filter((f) => f.fix)
        .map((f) => f.ruleId),
    ).toEqual(['row-missing']);
    const fixed = fixAll(broken);
    const r = check(fixed);
    expect(r.findings.filter((f) => f.fix)).toEqual([]);
    expect(r.report.tables.t3!.values).toEqual(v.t3);
    // 表四 has one relation per block: the total is still 7 and still an error, the sum only offered.
    expect(r.report.tables.t4!.values).toEqual(v.t4.map((x, i) => (i === 4 ? 7 : x)));
    const t4 = r.findings.filter((f) => f.ruleId === 't4-total');
    expect(t4.map((f) => [f.severity, f.suggestions?.[0].edits[0].newText])).toEqual([['error', '1']]);
  });
});
