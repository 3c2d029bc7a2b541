// The offline page (dist/web/nianbao.html) in headless Chromium, opened from file://: each format
// picked with the file input shows the findings `nianbao check --format json` gives for the same
// file, the corrected .docx it downloads is the one `nianbao check --fix` writes, several files give
// the review summary, a file it cannot read is refused in Chinese — and the page asks the network
// for nothing. Needs the build (npm run build) and Debian's chromium and LibreOffice.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { strFromU8, unzipSync, zipSync } from 'fflate';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonResult } from '../../grammar/src/index.js';
import { htmlReport, report, sampleValues } from '../fixtures/build.js';
import { nianbaoIn } from '../fixtures/cli.js';
import { chromiumPdf } from '../fixtures/printed.js';
import { wordReport } from '../fixtures/word.js';

const root = path.resolve(import.meta.dirname, '../..');
const pageFile = path.join(root, 'dist/web/nianbao.html');

/** A report whose 表三 total of new applications is wrong (an error with an exact fix). */
function wrongTotal() {
  const v = sampleValues();
  v.t3[0][6] = 4;
  return v;
}

function toDoc(docx: Buffer, dir: string): Buffer {
  fs.writeFileSync(path.join(dir, 'word.docx'), docx);
  spawnSync(
    'flock',
    [
      '/tmp/lo-profile-doc.lock',
      'soffice',
      '--headless',
      '-env:UserInstallation=file:///tmp/lo-profile-doc',
      '--convert-to',
      'doc',
      '--outdir',
      dir,
      path.join(dir, 'word.docx'),
    ],
    { timeout: 120000 },
  );
  const out = fs.readFileSync(path.join(dir, 'word.doc'));
  fs.rmSync(path.join(dir, 'word.docx'));
  fs.rmSync(path.join(dir, 'word.doc'));
  return out;
}

interface Shown {
  findings: Array<[string, string, string]>;
  counts: Record<string, number>;
}

describe('the offline page', () => {
  let dir: string;
  let browser: Browser;
  let page: Page;
  const requests: string[] = [];
  const files: Record<string, Buffer> = {};

  beforeAll(async () => {
    if (!fs.existsSync(pageFile)) throw new Error('dist/web/nianbao.html is missing: run npm run build');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nianbao-web-'));
    const v = wrongTotal();
    files['qinghe.txt'] = Buffer.from(report('tab', v));
    const md = sampleValues();
    md.t4[4] = 3; // 行政复议 total
    files['qinghe.md'] = Buffer.from(report('pipe', md));
    files['qinghe.html'] = Buffer.from(htmlReport(v));
    files['qinghe.docx'] = await wordReport(sampleValues(), { omitT3: [5] });
    files['qinghe.pdf'] = chromiumPdf(htmlReport(v));
    files['qinghe.doc'] = toDoc(await wordReport(v), dir);
    for (const [name, bytes] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), bytes);
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
    });
    const context = await browser.newContext({
      viewport: { width: 1366, height: 768 },
      acceptDownloads: true,
    });
    context.on('request', (q) => requests.push(q.url()));
    page = await context.newPage();
    page.on('request', (q) => requests.push(q.url()));
    await page.goto(pathToFileURL(pageFile).href);
    await page.waitForSelector('body[data-state="ready"]');
  }, 300000);
  afterAll(async () => {
    await browser?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  async function pick(names: string[]): Promise<void> {
    await page.evaluate(() => {
      document.body.dataset.state = 'busy';
    });
    await page.setInputFiles(
      '#files',
      names.map((n) => path.join(dir, n)),
    );
    await page.waitForSelector('body[data-state="done"]', { timeout: 120000 });
  }

  const shown = (name: string): Promise<Shown> =>
    page.evaluate((file) => {
      const card = [...document.querySelectorAll<HTMLElement>('section.file')].find(
        (s) => s.dataset.file === file,
      );
      if (!card) throw new Error(`no card for ${file}`);
      const counts: Record<string, number> = {};
      for (const c of card.querySelectorAll<HTMLElement>('[data-count]'))
        counts[c.dataset.count!] = Number(c.textContent!.replace(/\D+/g, ''));
      const findings = [...card.querySelectorAll<HTMLElement>('li.finding')].map(
        (li) =>
          [
            li.dataset.rule!,
            li.querySelector('.msg')!.textContent!,
            li.querySelector('.where')!.textContent!,
          ] as [string, string, string],
      );
      return { findings, counts };
    }, name);

  function cliJson(name: string): JsonResult {
    const r = nianbaoIn(['check', '--format', 'json', name], dir);
    return (JSON.parse(r.out) as JsonResult[])[0];
  }

  const expected = (json: JsonResult): Shown => {
    const counts = { error: 0, warning: 0, info: 0 } as Record<string, number>;
    for (const f of json.findings) counts[f.severity]++;
    return {
      counts,
      findings: json.findings.map(
        (f) => [f.ruleId, f.message, f.where ?? `第${f.line}行`] as [string, string, string],
      ),
    };
  };
  const sorted = (s: Shown) => ({ counts: s.counts, findings: [...s.findings].sort() });

  for (const name of ['qinghe.txt', 'qinghe.md', 'qinghe.html', 'qinghe.docx', 'qinghe.pdf', 'qinghe.doc'])
    it(`${name}: the findings shown are those of nianbao check --format json`, async () => {
      await pick([name]);
      const json = cliJson(name);
      expect(json.findings.length, 'the fixture has findings').toBeGreaterThan(0);
      const got = await shown(name);
      expect(sorted(got)).toEqual(sorted(expected(json)));
      // Errors first.
      const ranks = got.findings.map(([id]) => json.findings.find((f) => f.ruleId === id)!.severity);
      expect(ranks.indexOf('error')).toBe(ranks.includes('error') ? 0 : -1);
      // The table cells the errors point into are marked.
      if (json.findings.some((f) => f.severity === 'error' && /^t3-/.test(f.ruleId)))
        expect(await page.locator('table.t3 td.bad').count()).toBeGreaterThan(0);
    }, 180000);

  it('the corrected .docx downloaded is the one nianbao check --fix writes', async () => {
    await pick(['qinghe.docx']);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('button.download-docx')]);
    expect(download.suggestedFilename()).toBe('qinghe（已修正）.docx');
    const fromPage = fs.readFileSync(await download.path());
    const fixDir = fs.mkdtempSync(path.join(dir, 'fix-'));
    fs.writeFileSync(path.join(fixDir, 'qinghe.docx'), files['qinghe.docx']);
    nianbaoIn(['check', '--fix', 'qinghe.docx'], fixDir);
    const fromCli = fs.readFileSync(path.join(fixDir, 'qinghe.docx'));
    expect(fromCli.equals(files['qinghe.docx']), 'the CLI changed the file').toBe(false);
    const xml = (b: Buffer) => strFromU8(unzipSync(new Uint8Array(b))['word/document.xml']);
    expect(xml(fromPage)).toBe(xml(fromCli));
    // And the corrected file checks clean of what was fixed.
    fs.writeFileSync(path.join(fixDir, 'page.docx'), fromPage);
    expect(cliJson(path.join(fixDir, 'page.docx')).findings.filter((f) => f.fix)).toEqual([]);
  }, 180000);

  it('a .zip of reports gives the review summary, the cross-year pair and a Chinese refusal', async () => {
    const v23 = sampleValues();
    v23.t3[24] = [2, 0, 0, 0, 0, 0, 2]; // carried forward 2, but 2024 says 1 was carried in
    const entries: Record<string, Uint8Array> = {
      '2023/qinghe.txt': new TextEncoder().encode(report('tab', v23, 2023)),
      '2024/qinghe.txt': new TextEncoder().encode(report('tab', sampleValues(), 2024)),
      '2024/broken.pdf': new TextEncoder().encode('not a pdf at all'),
    };
    const zip = zipSync(entries);
    for (const [name, bytes] of Object.entries(entries)) {
      fs.mkdirSync(path.join(dir, 'district', path.dirname(name)), { recursive: true });
      fs.writeFileSync(path.join(dir, 'district', name), bytes);
    }
    fs.writeFileSync(path.join(dir, 'district.zip'), zip);
    await pick(['district.zip']);
    const rows = await page.locator('table.summary tr[data-file]').count();
    expect(rows).toBe(3);
    expect(await page.locator('table.pairs tr').count()).toBe(2);
    const refusal = await page.locator('section.file.unreadable .refusal').textContent();
    expect(refusal).toBe('无法读取：不是有效的 PDF 文件');
    // The 2024 report's cross-year finding, as nianbao review gives it.
    const r = nianbaoIn(['review', '--format', 'json', 'district'], dir);
    const review = JSON.parse(r.out) as JsonResult[];
    const cur = review.find((x) => x.file.endsWith('2024/qinghe.txt'))!;
    expect(cur.findings.map((f) => f.ruleId)).toContain('carryover-mismatch');
    const got = await shown('district.zip/2024/qinghe.txt');
    expect(sorted(got).findings).toEqual(sorted(expected(cur)).findings);
  }, 180000);

  it('reads at 1,000 px and on a 1,366 × 768 laptop: nothing runs off the side', async () => {
    await pick(['qinghe.docx']);
    await page.click('details.read-tables summary');
    for (const width of [1000, 1366]) {
      await page.setViewportSize({ width, height: 768 });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, `${width} px`).toBeLessThanOrEqual(0);
    }
    if (process.env.NIANBAO_SCREENSHOTS)
      await page.screenshot({ path: path.join(root, 'docs/images/web-page.png') });
  }, 180000);

  it('a file of another type is refused in Chinese', async () => {
    fs.writeFileSync(path.join(dir, 'notes.xlsx'), 'x');
    await pick(['notes.xlsx']);
    expect(await page.locator('.refusal').textContent()).toContain('不支持的文件类型 .xlsx');
  });

  it('the page asked the network for nothing', async () => {
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.filter((u) => !/^(file|blob|data):/.test(u))).toEqual([]);
  });
});
