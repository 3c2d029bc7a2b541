// Properties: check() never throws, and fixing everything leaves nothing fixable.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyEdits, check, fixAll } from '../../grammar/src/index.js';
import { LAYOUTS, report } from '../fixtures/build.js';

const fragments = [
  '一、总体情况',
  '三、收到和处理政府信息公开申请情况',
  '四、',
  '（三）不予公开',
  '1.属于国家秘密',
  '| 0 |',
  '\t0\t',
  '0000000',
  '（七）总计',
  '-3-',
  '[bookmark: _GoBack]',
  '\n',
  '\r\n',
  '\uD800',
  '\uDFFF',
  '2024年1月1日至2024年12月31日',
  '行政规范性文件8855698',
  ' ',
];

describe('check() never throws', () => {
  it('on arbitrary strings, including lone surrogates and binary-looking text', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary', maxLength: 2000 }),
          fc.string({ unit: 'grapheme', maxLength: 500 }),
          fc.array(fc.constantFrom(...fragments), { maxLength: 200 }).map((a) => a.join('')),
        ),
        (s) => {
          const r = check(s);
          expect(Array.isArray(r.findings)).toBe(true);
          for (const f of r.findings)
            expect(f.range.start <= f.range.end && f.range.end <= s.length).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
  it('on a huge input', () => {
    const huge = 'x'.repeat(300_000) + '\n' + report('pipe').repeat(5) + '\u0000\uFFFD'.repeat(50_000);
    expect(check(huge).report.sections.length).toBeGreaterThan(0);
  });
  it('on mangled reports', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...LAYOUTS),
        fc.array(fc.tuple(fc.nat(), fc.nat(40), fc.constantFrom('', '9', 'x', '|', '\n', '-', '一、'))),
        (layout, cuts) => {
          let text = report(layout);
          for (const [at, len, ins] of cuts) {
            const p = at % (text.length + 1);
            text = text.slice(0, p) + ins + text.slice(p + len);
          }
          check(text);
        },
      ),
      { numRuns: 200 },
    );
  });
});

it('a flattened page with a duplicated run-together row (found by this property)', () => {
  let text = report('flat');
  const p = 1678816872 % (text.length + 1);
  text = text.slice(0, p) + text.slice(p + 12);
  expect(() => check(text)).not.toThrow();
});

describe('fix-all', () => {
  it('leaves none of the fixable findings after re-checking', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...LAYOUTS.filter((l) => l !== 'flat')),
        fc.array(fc.tuple(fc.nat(24), fc.boolean(), fc.nat(9)), { minLength: 1, maxLength: 4 }),
        (layout, muts) => {
          const text = report(layout);
          const base = check(text).report;
          const edits = [];
          const used = new Set<number>();
          for (const [r, del, v] of muts) {
            const row = base.tables.t3!.rows[r]!;
            if (used.has(r)) continue;
            used.add(r);
            edits.push(del ? { ...row.block, newText: '' } : { ...row.cells[6].range, newText: String(v) });
          }
          const broken = applyEdits(text, edits);
          const before = check(broken).findings.filter((f) => f.fix);
          const after = check(fixAll(broken)).findings;
          for (const f of before) {
            expect(after.filter((g) => g.ruleId === f.ruleId && g.message === f.message && g.fix)).toEqual(
              [],
            );
          }
          // A missing row the totals cannot decide stays reported (its zero-filled insertion is only offered).
          expect(after.filter((g) => g.ruleId === 'row-missing' && g.fix)).toEqual([]);
        },
      ),
      { numRuns: 120 },
    );
  });
});
