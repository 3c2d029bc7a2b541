// A value written wrongly in a cell (a letter for a digit, a Chinese numeral, a word, a unit) is
// that cell, invalid, in every layout: never a missing row or a wrong count of cells, and the
// row's other cells still read. Numbers with thousands separators are numbers.
import { describe, expect, it } from 'vitest';
import { check, readReport } from '../../grammar/src/index.js';
import { cellName } from '../../grammar/src/template.js';
import { htmlReport, type Layout, report, sampleValues, type Values } from '../fixtures/build.js';

/** Values with some cells written as text (the fixture writes each cell with String()). */
function written(cells: Array<[table: 't2' | 't3', at: number[], text: string]>): Values {
  const v = sampleValues() as unknown as { t2: unknown[]; t3: unknown[][]; t4: number[] };
  for (const [table, at, text] of cells) {
    if (table === 't2') v.t2[at[0]] = text;
    else v.t3[at[0]][at[1]] = text;
  }
  return v as unknown as Values;
}

type Form = Exclude<Layout, 'flat'> | 'flat-spaced' | 'html';
const FORMS: Form[] = ['pipe', 'tab', 'cell-pipe', 'cell-tab', 'spaced', 'flat-spaced', 'html'];

/** The report's text as the checker reads it: web text flattened onto one line with spaces between cells. */
function text(form: Form, v: Values): string {
  if (form === 'html') return readReport(new TextEncoder().encode(htmlReport(v)), 'r.html').text;
  if (form === 'flat-spaced') return `${report('tab', v).replace(/[\t\n]+/g, ' ')}\n`;
  return report(form, v);
}

const findings = (t: string) =>
  check(t)
    .findings.filter((f) => f.severity !== 'info')
    .map((f) => [f.ruleId, f.message]);

describe('a value written wrongly is named at its cell', () => {
  const cases: Array<[string, 't2' | 't3', number[], string, string]> = [
    ['O for 0 in 表三', 't3', [2, 2], 'O', '不是数字：其中的字母“O”不是数字'],
    ['1O for 10 in 表三', 't3', [0, 0], '1O', '不是数字：其中的字母“O”不是数字'],
    ['l for 1 in 表二', 't2', [7], 'l', '不是数字：其中的字母“l”不是数字'],
    ['十四 in 表二', 't2', [6], '十四', '不是数字：请用阿拉伯数字填写'],
    ['十四 in 表三', 't3', [12, 0], '十四', '不是数字：请用阿拉伯数字填写'],
    ['若干 in 表三, between numbers', 't3', [2, 3], '若干', '不是数字'],
    ['6件 in 表三', 't3', [1, 0], '6件', '不是数字：请只填数字，不带单位'],
    ['6件 as the last cell of a 表二 row', 't2', [5], '6件', '不是数字：请只填数字，不带单位'],
    ['1.5万元 in 收费金额', 't2', [9], '1.5万元', '不是数字：请只填数字，不带单位'],
  ];
  for (const form of FORMS) {
    it.each(cases)(`${form}: %s`, (_, table, at, raw, why) => {
      const t = text(form, written([[table, at, raw]]));
      const name = table === 't2' ? cellName('t2', at[0]) : cellName('t3', at[0], at[1]);
      expect(findings(t)).toEqual([['cell-invalid', `${name}为“${raw}”，${why}`]]);
      // The other cells of the table still read; the invalid one is unknown, never 0.
      const want = sampleValues();
      const got = check(t).report.tables;
      if (table === 't2') {
        const exp: Array<number | null> = [...want.t2];
        exp[at[0]] = null;
        expect(got.t2!.values).toEqual(exp);
      } else {
        const exp: Array<Array<number | null>> = want.t3.map((r) => [...r]);
        exp[at[0]][at[1]] = null;
        expect(got.t3!.values).toEqual(exp);
      }
    });
  }

  it.each(['pipe', 'cell-tab', 'spaced', 'flat-spaced'] as const)(
    '%s: a unit written apart from its number (3 件) is one cell',
    (form) => {
      const t = text(form, written([['t3', [0, 0], '2 件']]));
      expect(findings(t)).toEqual([
        ['cell-invalid', `${cellName('t3', 0, 0)}为“2 件”，不是数字：请只填数字，不带单位`],
      ]);
    },
  );

  it.each([
    ['2件', '2'],
    ['1O', '10'],
    ['l2', '12'],
    ['十四', '14'],
    ['一百零三', '103'],
    ['若干', null],
    ['二三', null],
  ])('%s: a suggestion offers the number it stands for (%s), never a fix', (raw, num) => {
    const t = text('pipe', written([['t3', [0, 0], raw]]));
    const f = check(t).findings.find((x) => x.ruleId === 'cell-invalid')!;
    expect(f.fix).toBeUndefined();
    expect(f.suggestions?.map((s) => s.edits.map((e) => `${t.slice(e.start, e.end)}→${e.newText}`))).toEqual(
      num === null ? undefined : [[`${raw}→${num}`]],
    );
  });
  it('a suggestion is titled with the number', () => {
    const t = text('pipe', written([['t3', [0, 0], '2件']]));
    const f = check(t).findings.find((x) => x.ruleId === 'cell-invalid')!;
    expect(
      f.suggestions?.map((s) => [s.title, s.edits.map((e) => t.slice(e.start, e.end) + '→' + e.newText)]),
    ).toEqual([['改为“2”', ['2件→2']]]);
  });
});

describe('labels with digits and letters stay labels', () => {
  it.each(FORMS)('%s: the clean report reads without a finding', (form) => {
    const t = text(form, sampleValues());
    expect(findings(t)).toEqual([]);
    expect(check(t).report.tables.t3!.values).toEqual(sampleValues().t3);
  });
  it.each([
    ['spaced', '行政规范性文件      2      1\n文件说明\n'],
    ['pipe', '行政规范性文件 | 2 | 1 |\n文件说明 |\n'],
  ])(
    '%s: a short word after a row short of a cell, alone on the next line, is no cell of it',
    (form, row) => {
      // A row whose last cell was dropped (a blank cell in text laid out by spaces), then a
      // note or the rest of a wrapped label: the row is short, the word is not its value.
      const t = report(form as Layout).replace(/行政规范性文件[^\n]*\n/, row);
      expect(findings(t).filter(([id]) => id === 'cell-invalid')).toEqual([]);
    },
  );
});

describe('thousands separators', () => {
  const big = (): Values => {
    const v = sampleValues();
    v.t2[6] = 1483;
    v.t2[9] = 4166.21;
    v.t3[0] = [1002, 1, 0, 0, 0, 0, 1003];
    v.t3[2] = [1001, 1, 0, 0, 0, 0, 1002];
    v.t3[23] = [1002, 1, 0, 0, 0, 0, 1003];
    return v;
  };
  const grouped = (sep: string): Values => {
    const v = big() as unknown as { t2: unknown[]; t3: unknown[][] };
    const g = (x: number) => (x >= 1000 ? String(x).replace(/^(\d+)(\d{3})/, `$1${sep}$2`) : String(x));
    v.t2 = (v.t2 as number[]).map(g);
    v.t3 = (v.t3 as number[][]).map((r) => r.map(g));
    return v as unknown as Values;
  };
  for (const form of FORMS)
    it.each([',', '，'])(`${form}: 1%s483 and 4%s166.21 are numbers`, (sep) => {
      const t = text(form, grouped(sep)).replace(/申请1003件/, '申请1003件');
      const r = check(t);
      expect(r.findings.filter((f) => f.severity === 'error').map((f) => f.message)).toEqual([]);
      expect(r.report.tables.t2!.values).toEqual(big().t2);
      expect(r.report.tables.t3!.values).toEqual(big().t3);
    });
  it('a comma between numbers of another shape is no separator: 1,23 is not 123', () => {
    const t = text('pipe', written([['t2', [6], '1,23']]));
    expect(findings(t).map(([id]) => id)).toEqual(['cell-invalid']);
  });
});
