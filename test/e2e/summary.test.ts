// The review's summaries as a reviewer opens them: the HTML page in a real browser (headless
// Chromium: the table, sorting, the filters, the findings, the cross-year pairs), the workbook in
// LibreOffice Calc; the district's files include PDFs printed by Chromium and .doc files saved
// by LibreOffice (Debian packages chromium, libreoffice-writer-nogui, libreoffice-calc-nogui).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonResult } from '../../grammar/src/index.js';
import { type District, district, writeDistrict } from '../fixtures/generator/district.js';

const root = path.resolve(import.meta.dirname, '../..');
const tsx = import.meta.resolve('tsx');
const artifacts = path.join(root, 'test/artifacts');
/** The files of the rows: the 文件 column's link text (a PDF's page noted after it). */
const fileNames = (rows: Locator) =>
  rows.evaluateAll((trs) =>
    trs.map((tr) => (tr as HTMLTableRowElement).cells[4].firstChild?.textContent ?? ''),
  );

describe('review summaries opened by their readers', () => {
  let dir: string;
  let d: District;
  let json: JsonResult[];
  let browser: Browser;
  let page: Page;
  const requests: string[] = [];

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nianbao-summary-'));
    d = district({
      bodies: 30,
      seed: 7,
      formats: ['txt', 'docx', 'pdf', 'md', 'html', 'doc', 'docx', 'txt', 'html', 'md'],
    });
    await writeDistrict(dir, d);
    fs.mkdirSync(path.join(dir, 'out'));
    const r = spawnSync(
      process.execPath,
      [
        '--import',
        tsx,
        path.join(root, 'cli/nianbao.ts'),
        'review',
        '--format',
        'json',
        '-s',
        'out/report.html',
        '-s',
        'out/report.xlsx',
        '-s',
        'out/report.csv',
        '2023',
        '2024',
      ],
      { cwd: dir, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
    );
    if (!r.stdout) throw new Error(`review failed (${r.status}): ${r.stderr}`);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(1);
    json = JSON.parse(r.stdout);
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
    });
    page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    page.on('request', (q) => requests.push(q.url()));
    await page.goto(pathToFileURL(path.join(dir, 'out/report.html')).href);
  }, 600000);
  afterAll(async () => {
    await browser?.close();
  });

  it('every file of every format is read, and gives exactly its planted findings', () => {
    const formats = new Set(d.reports.map((g) => g.format));
    expect([...formats].sort()).toEqual(['doc', 'docx', 'html', 'md', 'pdf', 'txt']);
    const byFile = new Map(json.map((r) => [r.file, r]));
    for (const g of d.reports)
      expect([...new Set(byFile.get(g.file)!.findings.map((f) => f.ruleId))].sort(), g.file).toEqual(
        g.expected,
      );
  });

  it('the page is self-contained and its table has a row per report', async () => {
    expect(requests.every((u) => u.startsWith('file:'))).toBe(true);
    expect(requests).toHaveLength(1);
    const html = fs.readFileSync(path.join(dir, 'out/report.html'), 'utf8');
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=/);
    expect(await page.locator('#reports tbody tr').count()).toBe(d.reports.length);
    await page.screenshot({ path: path.join(artifacts, 'review-summary.png'), fullPage: false });
    // The totals of the key figures per year, equal to the JSON's sums over the reports where
    // the figure is known (the others left out, and said).
    for (const year of [2023, 2024]) {
      const of = json.filter((r) => r.year === year).map((r) => r.tables.t3?.[0][6] ?? null);
      const known = of.filter((v): v is number => v !== null);
      const fresh = known.reduce((a, b) => a + b, 0);
      const cells = await page
        .locator('#totals tr', { hasText: `${year}年` })
        .locator('td')
        .allTextContents();
      if (known.length === of.length) expect(cells[5]).toBe(String(fresh));
      else expect(cells[5]).toMatch(new RegExp(`^${fresh}（${of.length}份中的${known.length}份；.+）$`));
    }
    // The chart: a bar per rule found.
    const rules = new Set(json.flatMap((r) => r.findings.map((f) => f.ruleId)));
    expect(await page.locator('svg g').count()).toBe(rules.size);
  });

  it('sorts by a column when its header is clicked, both ways', async () => {
    const errors = page.locator('#reports thead th', { hasText: /^错误$/ });
    const column = async () =>
      (await page.locator('#reports tbody tr td:nth-child(6)').allTextContents()).map(Number);
    await errors.click();
    const up = await column();
    expect(up).toEqual([...up].sort((a, b) => a - b));
    await errors.click();
    const down = await column();
    expect(down).toEqual([...up].sort((a, b) => b - a));
    expect(down[0]).toBeGreaterThan(0);
    const files = page.locator('#reports thead th', { hasText: /^文件$/ });
    await files.click();
    const names = await fileNames(page.locator('#reports tbody tr'));
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b, 'zh-CN')));
  });

  it('filters by status and by rule', async () => {
    const visible = () => page.locator('#reports tbody tr:visible');
    await page.selectOption('#f-status', 'errors');
    const withErrors = json.filter((r) => r.findings.some((f) => f.severity === 'error'));
    expect(await visible().count()).toBe(withErrors.length);
    expect(await page.locator('#shown').textContent()).toBe(String(withErrors.length));
    expect(new Set(await visible().locator('td:nth-child(3)').allTextContents())).toEqual(
      new Set(['有错误']),
    );
    await page.selectOption('#f-status', 'clean');
    expect(await visible().count()).toBe(json.filter((r) => !r.findings.length).length);
    await page.selectOption('#f-status', '');
    await page.selectOption('#f-rule', 'carryover-mismatch');
    const carried = json.filter((r) => r.findings.some((f) => f.ruleId === 'carryover-mismatch'));
    expect(carried.length).toBeGreaterThan(0);
    expect(await fileNames(visible())).toEqual(expect.arrayContaining(carried.map((r) => r.file)));
    expect(await visible().count()).toBe(carried.length);
    // A report's full findings, one click away.
    const row = visible().first();
    await row.locator('details summary').click();
    const [file] = await fileNames(row);
    const r = json.find((x) => x.file === file)!;
    expect(await row.locator('details li').count()).toBe(r.findings.length);
    expect(await row.locator('details li').first().textContent()).toContain(r.findings[0].message);
    await page.selectOption('#f-rule', '');
    expect(await visible().count()).toBe(d.reports.length);
  });

  it('shows each cross-year pair with the figures side by side and large jumps marked', async () => {
    expect(await page.locator('.pair').count()).toBe(d.pairs.length);
    const p = d.pairs[0];
    const block = page.locator('.pair', { hasText: p.current });
    expect(await block.textContent()).toContain(p.previous);
    const prev = json.find((r) => r.file === p.previous)!,
      cur = json.find((r) => r.file === p.current)!;
    const row = await block.locator('tr', { hasText: '表三本年新收' }).locator('td').allTextContents();
    const a = prev.tables.t3![0][6]!,
      b = cur.tables.t3![0][6]!;
    expect(row.slice(0, 3)).toEqual(['表三本年新收', String(a), String(b)]);
    const jump = Math.abs(b - a) >= 10 && (a === 0 || Math.abs(b - a) / a >= 0.5);
    expect(await block.locator('tr', { hasText: '表三本年新收' }).locator('td.jump').count()).toBe(
      jump ? 1 : 0,
    );
    await page.locator('.pair').first().scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(artifacts, 'review-pairs.png') });
  });

  it('LibreOffice Calc opens the workbook: the 报告 sheet as CSV holds every report', () => {
    const out = path.join(dir, 'lo');
    const r = spawnSync(
      'soffice',
      [
        '--headless',
        `-env:UserInstallation=${pathToFileURL(path.join(dir, 'lo-profile')).href}`,
        '--convert-to',
        'csv:Text - txt - csv (StarCalc):44,34,76,1',
        '--outdir',
        out,
        path.join(dir, 'out/report.xlsx'),
      ],
      { encoding: 'utf8', timeout: 180000 },
    );
    expect(r.status, `soffice (libreoffice-calc-nogui) failed: ${r.stderr}`).toBe(0);
    const lines = fs
      .readFileSync(path.join(out, 'report.csv'), 'utf8')
      .replace(/^\ufeff/, '')
      .trim()
      .split('\n')
      // Calc quotes its text cells; none of the first columns holds a comma or a quote.
      .map((l) => l.replace(/"/g, ''));
    expect(lines[0]).toMatch(/^文件,机关,年度,格式,状态,错误,警告,提示,表二本年制发/);
    expect(lines).toHaveLength(d.reports.length + 1);
    const ours = fs.readFileSync(path.join(dir, 'out/report.csv'), 'utf8').slice(1).trim().split('\r\n');
    // The same cells as our own CSV (figures, counts, statuses), row by row.
    expect(lines.map((l) => l.split(',').slice(0, 18).join(','))).toEqual(
      ours.map((l) => l.split(',').slice(0, 18).join(',')),
    );
  }, 200000);
});
