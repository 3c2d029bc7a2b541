// The rule pages (docs/rules/<id>.md) are generated from the rules' metadata, and their examples
// are true: each wrong fragment, planted in a correct report, raises exactly its rule; the right
// one raises nothing.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CROSS_YEAR_RULES,
  check,
  RULE_DOCS_DIR,
  RULES,
  rulePages,
  withCrossYear,
} from '../../grammar/src/index.js';
import type { RuleExample } from '../../grammar/src/rule.js';
import { report, sampleValues } from '../fixtures/build.js';

const root = path.resolve(import.meta.dirname, '../..');

/** This year's correct report, and the same body's correct report of the year before. */
const current = report('tab');
function previousReport(): string {
  const v = sampleValues();
  v.t2[5] = 8; // 现行有效件数 last year: this year's 9 less 2 issued plus 1 repealed
  return report('tab', v, 2023)
    .replace(/本局/g, '我局')
    .replace(
      '一是部分栏目更新不够及时；二是政策解读形式较为单一。下一步将建立更新台账，增加图解和短视频解读。',
      '一是部分栏目更新不够及时。下一步将建立更新台账。',
    );
}
const previous = previousReport();

// The fictional reports are typed text: the proofreading of the author's own characters applies.
const checkText = (text: string) => check(text, { source: 'text' });
const ids = (cur: string, prev: string | null) =>
  (prev === null ? checkText(cur) : withCrossYear(checkText(cur), checkText(prev))).findings.map(
    (f) => f.ruleId,
  );

describe('rule pages', () => {
  it('docs/rules holds exactly the generated pages (npm run docs)', () => {
    const pages = rulePages(RULES, CROSS_YEAR_RULES);
    const dir = path.join(root, RULE_DOCS_DIR);
    expect(fs.readdirSync(dir).sort()).toEqual([...pages.keys()].map((p) => path.basename(p)).sort());
    for (const [file, text] of pages) expect(fs.readFileSync(path.join(root, file), 'utf8'), file).toBe(text);
  });
  it('every rule id has a page', () => {
    for (const r of [...RULES, ...CROSS_YEAR_RULES])
      expect(fs.existsSync(path.join(root, RULE_DOCS_DIR, `${r.id}.md`)), r.id).toBe(true);
  });
});

describe('rule examples', () => {
  it('the correct reports raise nothing, alone or as a pair', () => {
    expect(ids(current, null)).toEqual([]);
    expect(ids(previous, null)).toEqual([]);
    expect(ids(current, previous)).toEqual([]);
  });
  const cases: Array<[string, RuleExample, boolean]> = [
    ...RULES.flatMap((r) => r.docs.examples.map((e) => [r.id, e, false] as [string, RuleExample, boolean])),
    ...CROSS_YEAR_RULES.flatMap((r) =>
      r.docs.examples.map((e) => [r.id, e, true] as [string, RuleExample, boolean]),
    ),
  ];
  it.each(cases)('%s: the wrong example raises exactly this rule, the right one does not', (id, e, pair) => {
    const base = e.report === 'previous' ? previous : current;
    expect(base, 'the right fragment is part of a correct report').toContain(e.right);
    expect(e.wrong).not.toBe(e.right);
    const planted = base.replace(e.right, e.wrong);
    const raised = e.report === 'previous' ? ids(current, planted) : ids(planted, pair ? previous : null);
    expect(raised.length).toBeGreaterThan(0);
    expect(new Set(raised)).toEqual(new Set([id]));
    const right = e.report === 'previous' ? ids(current, base) : ids(base, pair ? previous : null);
    expect(right).not.toContain(id);
  });
  it('every rule has at least one example and says how it is fixed', () => {
    for (const r of [...RULES, ...CROSS_YEAR_RULES]) {
      expect(r.docs.examples.length, r.id).toBeGreaterThan(0);
      expect(r.docs.fix.length, r.id).toBeGreaterThan(5);
    }
  });
});
