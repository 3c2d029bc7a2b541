// The summary page carries its reports as JSON inside a <script>: no file name, finding or body
// can end that element, open a comment or break the JSON.
import { DomUtils, parseDocument } from 'htmlparser2';
import { describe, expect, it } from 'vitest';
import { toHtml } from '../../cli/review/html.js';
import { reviewModel } from '../fixtures/review-model.js';

const NAMES = [
  '</script><script>alert(1)</script>.txt',
  '</SCRIPT >甲.txt',
  '<!--<script>乙.txt',
  '丙\u2028丁\u2029.txt',
  '&lt;戊&amp;.txt',
];

describe('summary page data', () => {
  it('file names, bodies and findings that are markup stay inside the page data, unchanged', () => {
    const review = reviewModel(NAMES.length * 2);
    NAMES.forEach((name, i) => {
      const row = review.rows[i];
      row.file = name;
      row.body = name;
      row.findings = [{ ...review.rows[0].findings[0], ruleId: 'row-missing', message: name, where: name }];
    });
    const html = toHtml(review);
    const doc = parseDocument(html);
    const scripts = DomUtils.getElementsByTagName('script', doc);
    expect(scripts.map((s) => s.attribs.type ?? 'code')).toEqual(['application/json', 'code']);
    const data = JSON.parse(DomUtils.textContent(scripts[0]));
    for (const name of NAMES) {
      const row = data.rows.find((r: { file: string }) => r.file === name);
      expect(row.body).toBe(name);
      expect(row.findings[0].message).toBe(name);
      expect(row.findings[0].where).toBe(name);
    }
    const start = html.indexOf('id="page-data">') + 'id="page-data">'.length;
    expect(html.slice(start, html.indexOf('</script>', start))).not.toMatch(/[<>&\u2028\u2029]/);
  });
});
