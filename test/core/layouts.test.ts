// Layouts that conversions make of our own fictional report: wrapped labels in space-aligned text
// (as pdftotext -layout prints a PDF) and flattened web text with partial spacing.
import { describe, expect, it } from 'vitest';
import { check } from '../../grammar/src/index.js';
import { report, sampleValues } from '../fixtures/build.js';

const v = sampleValues();
const spaced = report('spaced');
const row3 = '（二）部分公开（区分处理的，只计这一情形，不计其他情形）      0';

describe('space-aligned text with wrapped labels', () => {
  const cases: Array<[string, string]> = [
    // Numbers on the first line of the row, the rest of the label on the next.
    [
      'top-aligned',
      spaced
        .replace(row3, '（二）部分公开（区分处理的，只计      0')
        .replace(/(（二）部分公开[^\n]*\n)/, '$1这一情形，不计其他情形）\n'),
    ],
    // Over three lines, numbers on the first.
    [
      'top-aligned, three lines',
      spaced
        .replace(row3, '（二）部分公开（区分      0')
        .replace(/(（二）部分公开[^\n]*\n)/, '$1处理的，只计这一\n情形，不计其他情形）\n'),
    ],
    // Numbers on the middle line.
    [
      'middle-aligned',
      spaced
        .replace(row3, '（二）部分公开（区分\n处理的，只计这一      0')
        .replace(/(处理的，只计这一[^\n]*\n)/, '$1情形，不计其他情形）\n'),
    ],
    [
      'a short label wrapped',
      spaced
        .replace('2.没有现成信息需要另行制作      1', '2.没有现成信息需      1')
        .replace(/(2\.没有现成信息需[^\n]*\n)/, '$1要另行制作\n'),
    ],
  ];
  it.each(cases)('%s: every cell read, nothing reported', (_, text) => {
    const r = check(text);
    expect(r.report.tables.t3!.values).toEqual(v.t3);
    expect(r.findings).toEqual([]);
  });
});

describe('flattened web text with partial spacing', () => {
  const flat = report('flat');
  it('a run that starts with 0 is a 0 cell; the row total decides the rest', () => {
    const t = flat
      .replace('（一）予以公开 1100002', '（一）予以公开 1 1 0 0 002')
      .replace('一、本年新收政府信息公开申请数量 2100003', '一、本年新收政府信息公开申请数量 21 0 0 0 0 3');
    const r = check(t);
    expect(r.report.tables.t3!.values).toEqual(v.t3);
    expect(r.findings.filter((f) => f.severity !== 'info')).toEqual([]);
  });
  it('seven cells with the last two run together', () => {
    const t = flat.replace('3.补正后申请内容仍不明确 0000000', '3.补正后申请内容仍不明确 0 0 0 0 0 00');
    const r = check(t);
    expect(r.report.tables.t3!.values).toEqual(v.t3);
    expect(r.findings.filter((f) => f.ruleId === 'cell-count')).toEqual([]);
  });
});

describe('labels no wording test recognises', () => {
  it.each(['pipe', 'tab', 'spaced'] as const)(
    '%s: a garbled label lands on its row by its place among the others (row-label, not row-missing)',
    (layout) => {
      const t = report(layout).replace('4.保护第三方合法权益', '4.保扩第三放合洗杈益');
      const r = check(t);
      expect(r.findings.map((f) => [f.ruleId, f.message])).toEqual([
        ['row-label', '表三行标签“4.保扩第三放合洗杈益”与模板不符，应为“4.保护第三方合法权益”'],
      ]);
      expect(r.report.tables.t3!.values).toEqual(v.t3);
    },
  );
  it("text that is no row (too far from the absent row's label) is not taken for it", () => {
    const t = report('pipe').replace('4.保护第三方合法权益', '备注：以下各项均按件计');
    expect(check(t).findings.map((f) => f.ruleId)).toEqual(['row-missing']);
  });
});

describe('a table read again from the cache', () => {
  it('keeps every offset right when the text before it changed (an editor re-checking an edited document)', () => {
    const text = report('pipe')
      .replace('2.重复申请 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |\n', '')
      .replace('（一）予以公开 | 1 |', '（一）予以公开 | 空 |');
    const first = check(text);
    const prefix = '（编辑时在前面加了一段）\n';
    const again = check(prefix + text);
    expect(again.findings.map((f) => f.message)).toEqual(first.findings.map((f) => f.message));
    expect(again.findings.map((f) => [f.range.start, f.range.end])).toEqual(
      first.findings.map((f) => [f.range.start + prefix.length, f.range.end + prefix.length]),
    );
    const rows = (r: typeof first) =>
      r.report.tables.t3!.rows.map(
        (row) => row && [row.labelRange.start, row.block.start, ...row.cells.map((c) => c.range.start)],
      );
    expect(rows(again)).toEqual(rows(first).map((r) => r?.map((x) => x + prefix.length)));
  });
});
