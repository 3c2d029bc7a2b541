// The proofreading family (文字) apart from the template's findings: in the editor's diagnostics and in
// the review's count of findings per rule.
import { describe, expect, it } from 'vitest';
import { toHtml } from '../../cli/review/html.js';
import { findingsByRule, type ReviewRow, rowOf } from '../../cli/review/summary.js';
import { check, RULES, toJSON } from '../../grammar/src/index.js';
import { toDiagnostic } from '../../server/src/convert.js';
import { report } from '../fixtures/build.js';

const text = report('pipe')
  .replace('\n1 | 0 | 0 | 0 | 1 |', '\n1 | 0 | 0 | 0 | 9 |')
  .replace('一是部分栏目', '一是行政复义案件的部分栏目');

describe('the proofreading family in the adapters', () => {
  it('the editor: its diagnostics have the source “nianbao·文字”, the template’s stay “nianbao”', () => {
    const r = check(text, { source: 'text' });
    const diags = r.findings.map((f) => toDiagnostic(r.lines, f));
    expect(diags.map((d) => [d.code, d.source])).toEqual([
      ['t4-total', 'nianbao'],
      ['term-typo', 'nianbao·文字'],
    ]);
  });
  it('the review: findings per rule list the family after the template’s rules, with its category', () => {
    const rows: ReviewRow[] = [1, 2, 3].map((i) =>
      rowOf(
        toJSON(
          `r${i}.txt`,
          check(i === 1 ? text : text.replace('\n1 | 0 | 0 | 0 | 9 |', '\n1 | 0 | 0 | 0 | 1 |'), {
            source: 'text',
          }),
        ),
        null,
      ),
    );
    // Three typos and one wrong total: the family still comes after the template's rule.
    expect(findingsByRule(rows).map((r) => [r.ruleId, r.count, r.category])).toEqual([
      ['t4-total', 1, 'tables'],
      ['term-typo', 3, 'language'],
    ]);
    // The page's chart of findings by rule marks the family apart, after the template's rules.
    const page = toHtml({ rows, pairs: [] });
    const chart = page.slice(page.indexOf('<svg'), page.indexOf('</svg>'));
    expect(chart.indexOf('文字·')).toBeGreaterThan(chart.indexOf('>表四'));
    expect(chart).toContain(`文字·${RULES.find((r) => r.id === 'term-typo')!.title}`);
  });
});
