// narrative-mismatch on "nothing happened" statements about 行政复议/行政诉讼: read by the scope of
// the negation over the noun phrase and compared with 表四's totals (t4[4], t4[9], t4[14]).
//
// HOLD_OUT was written before the rule's reading of these statements and is not copied into any
// list of the rule: each sentence is a wording the rule has to read from its shape.
import { describe, expect, it } from 'vitest';
import { check } from '../../grammar/src/index.js';
import { report, sampleValues, type Values } from '../fixtures/build.js';

/** Sentences saying no review and/or no lawsuit happened, and which of the two they cover. */
const HOLD_OUT: Array<[string, { review: boolean; suit: boolean }]> = [
  [
    '2024年，本单位没有因政府信息公开工作被申请行政复议，也没有被提起行政诉讼。',
    { review: true, suit: true },
  ],
  ['全年未出现涉及政府信息公开的行政复议及行政诉讼。', { review: true, suit: true }],
  ['本机关政府信息公开行政复议、行政诉讼案件数均为零。', { review: true, suit: true }],
  ['因政府信息公开被申请行政复议0件，被提起行政诉讼0件。', { review: true, suit: true }],
  ['本年度我局无政府信息公开方面的行政复议和诉讼案件发生。', { review: true, suit: true }],
  ['政府信息公开工作未引发行政复议或者行政诉讼。', { review: true, suit: true }],
  ['行政复议和行政诉讼情况：本年度均未发生。', { review: true, suit: true }],
  ['本年度不存在因政府信息公开引起的行政争议、复议及诉讼。', { review: true, suit: true }],
  ['全年零复议、零诉讼。', { review: true, suit: true }],
  ['本部门未被申请政府信息公开行政复议，未被提起政府信息公开行政诉讼。', { review: true, suit: true }],
  ['行政复议：无；行政诉讼：无。', { review: true, suit: true }],
  ['本年度暂无因政府信息公开产生的复议、诉讼案件。', { review: true, suit: true }],
  ['本年度未收到行政复议申请。', { review: true, suit: false }],
  ['全年没有发生政府信息公开行政诉讼。', { review: false, suit: true }],
  ['因政府信息公开被起诉的案件为0起。', { review: false, suit: true }],
];

/** Sentences that do not say nothing happened (an outcome, a part, another topic): never compared. */
const NOT_CLAIMS = [
  '未发生行政复议被纠错的情况。',
  '行政诉讼无败诉。',
  '行政复议决定均未被撤销或确认违法。',
  '未经复议直接起诉的案件已全部审结。',
  '本年度行政复议纠错率为零。',
  '行政诉讼案件中，本机关无一败诉。',
  '没有发生复议后起诉被改判的情形。',
  '本机关行政复议工作人员无变动。',
  '本年度未发生因政府信息公开引发的负面舆情。',
  '无正当理由大量反复申请的，本机关不予处理。',
  '全年无新增行政诉讼案件，上年结转的1件尚未审结。',
];

/**
 * The report with a sentence in 四 (before 表四) or at the end of 一、总体情况, and the given 表四
 * totals per block.
 */
function withSentence(sentence: string, t4: [number, number, number], where: 'S4' | 'S1' = 'S4'): string {
  const v: Values = sampleValues();
  v.t4 = t4.flatMap((total) => [total, 0, 0, 0, total]);
  const text = report('tab', v);
  return where === 'S4'
    ? text.replace('四、政府信息公开行政复议、行政诉讼情况\n', (h) => `${h}${sentence}\n`)
    : text.replace('全年组织业务培训两次。', (p) => `${p}${sentence}`);
}

const t4Findings = (text: string) =>
  check(text).findings.filter((f) => f.ruleId === 'narrative-mismatch' && f.message.includes('表四'));

describe('narrative-mismatch: "nothing happened" for 行政复议/行政诉讼', () => {
  for (const [sentence, covers] of HOLD_OUT) {
    // In 一、总体情况: no table near it. (In 四, a count written before 表四 may be taken for one of
    // its cells; 表四 is then unread and nothing is compared.)
    it(`reads “${sentence}”`, () => {
      // 表四 all zero: nothing to say.
      expect(t4Findings(withSentence(sentence, [0, 0, 0], 'S1'))).toEqual([]);
      // Reviews only: a finding exactly when the sentence covers reviews.
      expect(t4Findings(withSentence(sentence, [2, 0, 0], 'S1')).length).toBe(covers.review ? 1 : 0);
      // Lawsuits only (either block): a finding exactly when it covers lawsuits.
      expect(t4Findings(withSentence(sentence, [0, 1, 0], 'S1')).length).toBe(covers.suit ? 1 : 0);
      expect(t4Findings(withSentence(sentence, [0, 0, 3], 'S1')).length).toBe(covers.suit ? 1 : 0);
    });
  }
  it('statements in 四 before 表四 are read too', () => {
    for (const [sentence, covers] of HOLD_OUT.filter(([x]) => !/\d/.test(x))) {
      expect(t4Findings(withSentence(sentence, [0, 0, 0])), sentence).toEqual([]);
      expect(t4Findings(withSentence(sentence, [2, 0, 0])).length, sentence).toBe(covers.review ? 1 : 0);
      expect(t4Findings(withSentence(sentence, [0, 1, 0])).length, sentence).toBe(covers.suit ? 1 : 0);
    }
  });
  it('未收到行政复议申请 is not read as no application for information (表三)', () => {
    const text = withSentence('本年度未收到行政复议申请。', [0, 0, 0]);
    expect(check(text).findings.filter((f) => f.ruleId === 'narrative-mismatch')).toEqual([]);
  });
  it('the finding quotes the statement and names 表四’s totals', () => {
    const text = withSentence('本年度未发生因政府信息公开引起的行政复议、行政诉讼案件。', [2, 1, 0]);
    const [f] = t4Findings(text);
    expect(f.message).toBe(
      '正文称“本年度未发生因政府信息公开引起的行政复议、行政诉讼案件”，但表四“行政复议”总计为2，行政诉讼（“未经复议直接起诉”与“复议后起诉”）总计为1',
    );
    expect(text.slice(f.range.start, f.range.end)).toBe(
      '本年度未发生因政府信息公开引起的行政复议、行政诉讼案件',
    );
  });
  for (const sentence of NOT_CLAIMS) {
    it(`does not take “${sentence}” for a statement that nothing happened`, () => {
      expect(t4Findings(withSentence(sentence, [2, 1, 1]))).toEqual([]);
      expect(t4Findings(withSentence(sentence, [2, 1, 1], 'S1'))).toEqual([]);
    });
  }
});

describe('narrative-mismatch: "nothing happened" and a wrong 表四 total', () => {
  it('a total its parts contradict: the prose agreeing with one reading is not a second finding (t4-total names the block)', () => {
    const v: Values = sampleValues();
    v.t4 = [0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    const text = report('tab', v).replace(
      '四、政府信息公开行政复议、行政诉讼情况\n',
      (h) => `${h}本年度未发生因政府信息公开工作被申请行政复议、提起行政诉讼的情况。\n`,
    );
    const fs = check(text).findings.filter(
      (f) => f.ruleId === 'narrative-mismatch' || f.ruleId === 't4-total',
    );
    expect(fs.map((f) => f.ruleId)).toEqual(['t4-total']);
    // Both readings above 0 (total 2, parts 1): the prose contradicts the block either way.
    v.t4 = [1, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    const both = report('tab', v).replace(
      '四、政府信息公开行政复议、行政诉讼情况\n',
      (h) => `${h}本年度未发生因政府信息公开工作被申请行政复议、提起行政诉讼的情况。\n`,
    );
    expect(
      check(both)
        .findings.filter((f) => f.ruleId === 'narrative-mismatch' || f.ruleId === 't4-total')
        .map((f) => f.ruleId)
        .sort(),
    ).toEqual(['narrative-mismatch', 't4-total']);
  });
});
