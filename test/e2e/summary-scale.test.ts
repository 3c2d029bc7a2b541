// The review's web page at 10,000 reports (a summary model written directly, no files checked),
// in headless Chromium: the first page of the table, a page further, sorting by a column both
// ways, filtering by status and by rule, a report's findings opened, the pairs a page at a time,
// and a file name that is markup shown as text. The reports come worst first.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toHtml, worstFirst } from '../../cli/review/html.js';
import { type ReviewRow, STATUS_LABEL } from '../../cli/review/summary.js';
import { reviewModel } from '../fixtures/review-model.js';

const HOSTILE = '</script><script>alert(1)</script>.txt';

describe('review summary page at 10,000 reports', () => {
  const review = reviewModel(10_000);
  // In the page's order (worst first); the first of them named with markup.
  const rows = worstFirst(review.rows);
  rows[0].file = HOSTILE;
  let browser: Browser;
  let page: Page;
  const dialogs: string[] = [];
  const shownFiles = () =>
    page
      .locator('#reports tbody tr td:nth-child(5)')
      .evaluateAll((tds) => tds.map((td) => td.firstChild?.textContent ?? ''));
  /** The files of the rows in a stable sort by a key, from the order they were in (null first). */
  const sortedBy = (from: ReviewRow[], key: (r: ReviewRow) => number | null, dir: 1 | -1) =>
    [...from].sort((a, b) => dir * ((key(a) ?? -Infinity) - (key(b) ?? -Infinity)) || 0).map((r) => r.file);

  beforeAll(async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nianbao-scale-'));
    const file = path.join(dir, 'r.html');
    fs.writeFileSync(file, toHtml(review));
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
    });
    page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.goto(pathToFileURL(file).href);
  }, 120000);
  afterAll(async () => {
    await browser?.close();
  });

  it('shows the first 200 reports, with the count, and the next page on request', async () => {
    expect(await shownFiles()).toEqual(rows.slice(0, 200).map((r) => r.file));
    expect(await page.locator('#reports-range').textContent()).toBe('第 1–200 份，共 10,000 份');
    expect(await page.locator('#shown').textContent()).toBe('10000');
    expect(await page.locator('#reports-prev').isDisabled()).toBe(true);
    await page.click('#reports-next');
    expect(await shownFiles()).toEqual(rows.slice(200, 400).map((r) => r.file));
    expect(await page.locator('#reports-range').textContent()).toBe('第 201–400 份，共 10,000 份');
    await page.click('#reports-prev');
    expect(await shownFiles()).toEqual(rows.slice(0, 200).map((r) => r.file));
  });

  it('a file name that is markup is shown as text, and runs nothing', async () => {
    expect(await page.locator('#reports tbody tr').first().locator('td').nth(4).textContent()).toBe(HOSTILE);
    expect(dialogs).toEqual([]);
  });

  it('a row shows its status, counts and figures, "—" with the reason for an unknown one', async () => {
    const i = rows.findIndex((r, k) => k < 200 && r.unknown?.handled);
    const r = rows[i];
    const cells = page.locator('#reports tbody tr').nth(i).locator('td');
    const text = await cells.allTextContents();
    expect([text[1], text[2], ...text.slice(5, 9)]).toEqual([
      String(r.year),
      STATUS_LABEL[r.status],
      String(r.counts.error),
      String(r.counts.warning),
      String(r.counts.info),
      r.format,
    ]);
    expect(text[14]).toBe('—');
    expect(await cells.nth(14).getAttribute('title')).toBe(r.unknown!.handled);
    expect(text[9]).toBe(String(r.figures.made));
  });

  it('sorts all 10,000 by a column, both ways', async () => {
    const errors = page.locator('#reports thead th', { hasText: /^错误$/ });
    await errors.click();
    const up = sortedBy(rows, (r) => r.counts.error, 1);
    expect(await shownFiles()).toEqual(up.slice(0, 200));
    await errors.click();
    const down = sortedBy(rows, (r) => r.counts.error, -1);
    expect(await shownFiles()).toEqual(down.slice(0, 200));
    await page.click('#reports-next');
    expect(await shownFiles()).toEqual(down.slice(200, 400));
    // By a figure: the unknown ones (and the unreadable files) first, the rest by number.
    const byFile = new Map(rows.map((r) => [r.file, r]));
    await page.locator('#reports thead th', { hasText: /^表三办理结果总计$/ }).click();
    const handled = sortedBy(
      down.map((f) => byFile.get(f)!),
      (r) => r.figures.handled,
      1,
    );
    expect(await shownFiles()).toEqual(handled.slice(0, 200));
    expect(await page.locator('#reports tbody td:nth-child(15)').first().textContent()).toBe('—');
  });

  it('filters by status and by rule, on the sorted rows', async () => {
    await page.selectOption('#f-status', 'errors');
    const withErrors = rows.filter((r) => r.status === 'errors');
    expect(await page.locator('#shown').textContent()).toBe(String(withErrors.length));
    expect(await page.locator('#reports-range').textContent()).toBe(
      `第 1–200 份，共 ${withErrors.length.toLocaleString('en-US')} 份`,
    );
    expect(new Set(await page.locator('#reports tbody td:nth-child(3)').allTextContents())).toEqual(
      new Set(['有错误']),
    );
    await page.selectOption('#f-status', '');
    await page.selectOption('#f-rule', 'row-missing');
    const missing = rows.filter((r) => r.findings.some((f) => f.ruleId === 'row-missing'));
    expect(await page.locator('#shown').textContent()).toBe(String(missing.length));
    const shown = await shownFiles();
    expect(shown).toHaveLength(200);
    const byFile = new Map(rows.map((r) => [r.file, r]));
    for (const f of shown) expect(byFile.get(f)!.findings.some((x) => x.ruleId === 'row-missing')).toBe(true);
    // A report's full findings, added when opened.
    const row = page.locator('#reports tbody tr').first();
    await row.locator('details summary').click();
    const r = byFile.get(shown[0])!;
    expect(await row.locator('details li').count()).toBe(r.findings.length);
    expect(await row.locator('details li').first().textContent()).toContain(r.findings[0].message);
    await page.selectOption('#f-rule', '');
    expect(await page.locator('#shown').textContent()).toBe('10000');
  });

  it('shows the cross-year pairs 100 at a time', async () => {
    expect(await page.locator('.pair').count()).toBe(100);
    expect(await page.locator('#pairs-range').textContent()).toBe(
      `第 1–100 对，共 ${review.pairs.length.toLocaleString('en-US')} 对`,
    );
    await page.click('#pairs-next');
    expect(await page.locator('#pairs-range').textContent()).toMatch(/^第 101–200 对，/);
    expect(await page.locator('.pair').count()).toBe(100);
  });
});
