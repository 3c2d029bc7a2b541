// The summary page as a reviewer reads it, in headless Chromium (Debian package chromium): a
// district over three years (two deliveries overlapping in one year, so some reports are
// duplicates), Word, PDF, web and text files, a list of units with one that did not report.
// Worst first, the columns a reviewer reads first on screen at 1,400 and 1,000 px, the file one
// click away (a PDF at the page of its first problem), places a Word user finds, rule names in
// Chinese; printed on A4 landscape, every report with its problems and no control or cut column.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toHtml } from '../../cli/review/html.js';
import { ruleTitle } from '../../cli/review/summary.js';
import type { JsonFinding, JsonResult } from '../../grammar/src/index.js';
import { district, writeDistrict } from '../fixtures/generator/district.js';
import { reviewModel } from '../fixtures/review-model.js';

const root = path.resolve(import.meta.dirname, '../..');
const tsx = import.meta.resolve('tsx');
const artifacts = path.join(root, 'test/artifacts');
const squash = (s: string) => s.replace(/\s+/g, '');
const RANK: Record<string, number> = { error: 0, warning: 1, info: 2 };
/** The finding the 主要问题 column names first: errors first, then in line order. */
const firstOf = (fs: JsonFinding[]) =>
  [...fs].sort((a, b) => RANK[a.severity] - RANK[b.severity] || a.line - b.line)[0];

describe('the summary page as a reviewer reads it', () => {
  let dir: string;
  let json: JsonResult[];
  let browser: Browser;
  let page: Page;
  const pageFile = () => path.join(dir, 'out', '审阅 汇总', '汇总.html');
  const missing = '云溪区档案馆';

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nianbao-page-'));
    const formats = ['docx', 'pdf', 'txt', 'html', 'docx', 'pdf', 'md'] as const;
    const early = district({ bodies: 10, seed: 3, years: [2022, 2023], formats: [...formats] });
    const late = district({ bodies: 10, seed: 5, years: [2023, 2024], formats: [...formats].reverse() });
    await writeDistrict(path.join(dir, '第一批'), early);
    await writeDistrict(path.join(dir, '第二批 #2'), late);
    const bodies = [...new Set([...early.reports, ...late.reports].map((g) => g.body))];
    fs.writeFileSync(path.join(dir, '名单.csv'), `${[...bodies, missing].join('\n')}\n`);
    fs.mkdirSync(path.dirname(pageFile()), { recursive: true });
    const r = spawnSync(
      process.execPath,
      [
        '--import',
        tsx,
        path.join(root, 'cli/nianbao.ts'),
        'review',
        '--format',
        'json',
        '--units',
        '名单.csv',
        '-s',
        path.relative(dir, pageFile()),
        '第一批',
        '第二批 #2',
      ],
      { cwd: dir, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
    );
    if (!r.stdout) throw new Error(`review failed (${r.status}): ${r.stderr}`);
    json = JSON.parse(r.stdout);
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
    });
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(pathToFileURL(pageFile()).href);
  }, 600000);
  afterAll(async () => {
    await browser?.close();
  });

  const rowsShown = () =>
    page.locator('#reports tbody tr').evaluateAll((trs) =>
      trs.map((tr) => {
        const td = (tr as HTMLTableRowElement).cells;
        const a = td[4].querySelector('a');
        return {
          body: td[0].textContent ?? '',
          status: td[2].textContent ?? '',
          first: td[3].firstChild?.textContent ?? '',
          file: a?.textContent ?? td[4].textContent ?? '',
          href: a?.getAttribute('href') ?? null,
          errors: Number(td[5].textContent),
          warnings: Number(td[6].textContent),
        };
      }),
    );

  it('lists the reports worst first: errors, then unreadable, warnings, the clean ones last', async () => {
    const shown = await rowsShown();
    expect(shown).toHaveLength(json.length);
    const order = ['有错误', '无法读取', '有警告', '未检查', '无问题'];
    const ranks = shown.map((r) => order.indexOf(r.status));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    expect(shown[0].status).toBe('有错误');
    expect(shown[0].errors).toBe(
      Math.max(...json.map((r) => r.findings.filter((f) => f.severity === 'error').length)),
    );
    const heads = await page.locator('#reports thead th').allTextContents();
    expect(heads.slice(0, 4)).toEqual(['机关', '年度', '状态', '主要问题']);
  });

  it('links each file relative to the page, a PDF at the page of its first problem', async () => {
    const shown = await rowsShown();
    const base = pathToFileURL(pageFile()).href;
    let pdfPages = 0;
    for (const row of shown) {
      expect(row.href, row.file).not.toBeNull();
      expect(row.href).not.toMatch(/^(file:|\/)/);
      const url = new URL(row.href!, base);
      expect(fileURLToPath(url.href.replace(/#.*$/, ''))).toBe(path.join(dir, row.file));
      const r = json.find((x) => x.file === row.file)!;
      const first = firstOf(r.findings);
      const pdfPage = row.file.endsWith('.pdf') && /^第(\d+)页/.exec(first?.where ?? '')?.[1];
      expect(url.hash, row.file).toBe(pdfPage ? `#page=${pdfPage}` : '');
      if (pdfPage) pdfPages++;
    }
    expect(pdfPages).toBeGreaterThan(0);
  });

  it('gives a Word report’s problems at places a Word user finds, rule names in Chinese with the id on hover', async () => {
    const docx = json.find(
      (r) => r.file.endsWith('.docx') && r.findings.some((f) => f.where?.includes('表格')),
    )!;
    expect(docx).toBeDefined();
    const row = page.locator('#reports tbody tr', { hasText: docx.file });
    await row.locator('details summary').click();
    const items = row.locator('details li');
    expect(await items.count()).toBe(docx.findings.length);
    for (const [i, f] of docx.findings.entries()) {
      const text = await items.nth(i).textContent();
      expect(text).toContain(f.where ? `${f.where}：${f.message}` : f.message);
      expect(text).not.toMatch(new RegExp(`第${f.line}行：`));
      const rule = items.nth(i).locator('.rule');
      expect(await rule.textContent()).toBe(ruleTitle(f.ruleId));
      expect(await rule.getAttribute('title')).toBe(f.ruleId);
    }
    expect(ruleTitle(docx.findings[0].ruleId)).not.toBe(docx.findings[0].ruleId);
  });

  it('at 1,400 and 1,000 px the 主要问题 column is on screen, and 机关 stays when scrolled sideways', async () => {
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: path.join(root, 'docs/images/summary-page.png') });
    for (const width of [1400, 1000]) {
      await page.setViewportSize({ width, height: 900 });
      await page.evaluate(() => window.scrollTo(0, 0));
      const head = (await page.locator('#reports thead th', { hasText: /^主要问题$/ }).boundingBox())!;
      expect(head.x + head.width, `${width} px`).toBeLessThanOrEqual(width);
      await page.screenshot({ path: path.join(artifacts, `summary-page-${width}.png`) });
    }
    // The table is wider than 1,000 px: scrolled right and down, the body names and the header stay.
    const table = (await page.locator('#reports').boundingBox())!;
    expect(table.width).toBeGreaterThan(1000);
    await page.evaluate(() => {
      const t = document.getElementById('reports')!;
      window.scrollTo(600, t.getBoundingClientRect().top + window.scrollY + 300);
    });
    expect(await page.evaluate(() => window.scrollX)).toBeGreaterThan(300);
    const body = (await page.locator('#reports tbody tr').nth(8).locator('td').first().boundingBox())!;
    expect(body.x).toBeGreaterThanOrEqual(0);
    expect(body.x).toBeLessThan(20);
    const th = (await page.locator('#reports thead th').first().boundingBox())!;
    expect(th.y).toBeGreaterThanOrEqual(-1);
    expect(th.y).toBeLessThan(5);
    await page.screenshot({ path: path.join(artifacts, 'summary-page-scrolled.png') });
    await page.setViewportSize({ width: 1400, height: 900 });
    await page.evaluate(() => window.scrollTo(0, 0));
  });

  it('shows each body over the years, the units ranked and sortable, duplicates and 应报未报 in their own section', async () => {
    const bodies = await page.locator('#history details.history').count();
    const threeYears = await page.locator('#history details.history', { hasText: '2022–2024年' }).count();
    expect(bodies).toBeGreaterThan(0);
    expect(threeYears).toBeGreaterThan(0);
    // A body over three years: a column per year and the signed change after each compared year.
    const block = page.locator('#history details.history', { hasText: '2022–2024年' }).first();
    if (!(await block.getAttribute('open'))) await block.locator('summary').click();
    const heads = await block.locator('thead th').allTextContents();
    expect(heads[1]).toBe('2022年');
    expect(heads).toContain('2024年');
    const title = (await block.locator('summary').textContent())!;
    const name = title.slice(0, title.indexOf('：'));
    const years = heads.slice(1).filter((h) => h !== '变化');
    // Of the body's reports (by the body's name on the page), the year's figure; each year's column
    // holds it, each 变化 column the signed difference from the year before.
    const fresh = (
      await block.locator('tr', { hasText: '表三本年新收' }).locator('td').allTextContents()
    ).slice(1);
    const values = years.map((y) => {
      const of = json.filter((r) => r.year === Number.parseInt(y, 10) && r.title?.includes(name));
      const known = new Set(of.map((r) => r.tables.t3?.[0][6] ?? null));
      return { known, shown: fresh[heads.slice(1).indexOf(y)] };
    });
    for (const v of values) expect([...v.known].map(String)).toContain(v.shown);
    heads.slice(1).forEach((h, i) => {
      if (h !== '变化') return;
      const cols = heads.slice(1);
      let before = i - 2;
      while (cols[before] === '变化') before--;
      const d = Number(fresh[i - 1]) - Number(fresh[before]);
      expect(fresh[i]).toBe(d > 0 ? `+${d}` : d < 0 ? `−${-d}` : '0');
    });
    expect(heads.filter((h) => h === '变化').length).toBeGreaterThan(0);

    // The ranking: worst first; a click on 完整度 sorts by it.
    const ranks = page.locator('#ranking tbody tr');
    expect(await ranks.count()).toBeGreaterThan(5);
    const errors = (await page.locator('#ranking tbody td:nth-child(5)').allTextContents()).map(Number);
    expect(errors).toEqual([...errors].sort((a, b) => b - a));
    expect(errors.reduce((a, b) => a + b, 0)).toBe(
      json
        .filter((r) => r.title !== null)
        .reduce((n, r) => n + r.findings.filter((f) => f.severity === 'error').length, 0),
    );
    await page.locator('#ranking thead th', { hasText: '完整度' }).click();
    const shares = (await page.locator('#ranking tbody td:nth-child(9)').allTextContents()).map((s) =>
      Number.parseFloat(s),
    );
    expect(shares).toEqual([...shares].sort((a, b) => a - b));
    expect(shares.every((s) => s >= 0 && s <= 100)).toBe(true);

    // The notes, a section of their own.
    const notes = page.locator('#notes');
    expect(await notes.textContent()).toBe('重复、未能对照与应报未报');
    expect(await page.locator('#units ~ p', { hasText: '应报未报' }).first().textContent()).toContain(
      missing,
    );
    expect(await page.locator('#duplicates').count()).toBe(1);
  });

  it('prints on A4 landscape every report with its problems, no controls, no column cut', async () => {
    const pdf = path.join(dir, 'printed.pdf');
    await page.pdf({ path: pdf, preferCSSPageSize: true, printBackground: true });
    fs.copyFileSync(pdf, path.join(artifacts, 'summary-page-printed.pdf'));
    const info = spawnSync('pdfinfo', [pdf], { encoding: 'utf8' }).stdout;
    expect(info).toMatch(/Page size:\s+841\.\d+ x 59[45]\.\d+ pts \(A4\)/);
    const text = spawnSync('pdftotext', ['-raw', pdf, '-'], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    }).stdout;
    const pages = text.split('\f').map(squash);
    const all = pages.join('');
    for (const r of json) {
      expect(all, r.file).toContain(squash(r.file));
      for (const f of r.findings) expect(all, `${r.file}: ${f.message}`).toContain(squash(f.message));
    }
    for (const control of [
      '上一页',
      '下一页',
      '点击表头排序',
      '状态全部',
      '规则全部',
      `显示${json.length}/${json.length}份`,
    ])
      expect(all).not.toContain(control);
    // The reports table's pages: from its heading to the next section; each has the last column's header.
    const from = pages.findIndex((p) => p.includes('各报告'));
    const to = pages.findIndex((p) => p.startsWith('各规则问题数') || p.includes('各规则问题数'));
    expect(to - from).toBeGreaterThan(1);
    for (let i = from; i < to; i++) {
      expect(pages[i], `page ${i + 1}`).toContain('机关');
      expect(pages[i], `page ${i + 1}`).toContain('表四复议后起诉总计');
    }
    // Back on screen, the reports' lists are closed again.
    expect(await page.locator('#reports details[open]').count()).toBe(0);
  });
});

describe('a printed page of more reports than one screen page shows', () => {
  it('prints all 450 reports and every body, then shows the first 200 again', async () => {
    const review = reviewModel(450);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nianbao-print-'));
    const file = path.join(dir, 'r.html');
    fs.writeFileSync(file, toHtml(review));
    const browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      await page.goto(pathToFileURL(file).href);
      expect(await page.locator('#reports tbody tr').count()).toBe(200);
      // No links to files: the page's own path was not given (a page sent away).
      expect(await page.locator('#reports a').count()).toBe(0);
      const pdf = path.join(dir, 'r.pdf');
      await page.pdf({ path: pdf, preferCSSPageSize: true });
      const text = squash(
        spawnSync('pdftotext', ['-raw', pdf, '-'], { encoding: 'utf8', maxBuffer: 1 << 28 }).stdout,
      );
      for (const r of review.rows) {
        expect(text, r.file).toContain(squash(r.file));
        for (const f of r.findings) expect(text, r.file).toContain(squash(f.message));
      }
      expect(text).toContain(squash('列出全部 450 份报告。'));
      expect(await page.locator('#reports tbody tr').count()).toBe(200);
      expect(await page.locator('#reports-range').textContent()).toBe('第 1–200 份，共 450 份');
    } finally {
      await browser.close();
    }
  }, 120000);
});
