// `nianbao review` figures: the built command reviewing a fictional district, wall-clock time from
// start to exit (summaries written), with one worker thread and with one per core.
//
//   node dist/bench/review.js          (node dist/bench/review.js page: the HTML page only)
//
// The run with every output adds the HTML, Excel and CSV summaries and the letters to each unit.
// Targets (on 2 cores): 200 mixed files (txt, md, html, docx, and pdf/doc when Chromium and
// LibreOffice are installed) ≤ 20 s; 1,000 text reports ≤ 5 s. The HTML summary of 10,000
// reports in headless Chromium: loaded (its table shown) ≤ 3 s, sorted by a column ≤ 0.5 s.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { toHtml } from '../cli/review/html.js';
import { district, type Format, writeDistrict } from '../test/fixtures/generator/district.js';
import { reviewModel } from '../test/fixtures/review-model.js';
import { toolAvailable } from '../test/matrix/convert.js';

const CLI = path.join(import.meta.dirname, '../cli/nianbao.js');

interface Run {
  ms: number;
  /** CPU time of the whole process (every thread), from its own NIANBAO_REVIEW_TIMES report. */
  cpuMs: number;
  line: string;
}

function review(dir: string, jobs: number, summaries: boolean): Run {
  const t0 = performance.now();
  const r = spawnSync(
    process.execPath,
    [
      CLI,
      'review',
      '--jobs',
      String(jobs),
      ...(summaries
        ? ['-s', 'out/r.html', '-s', 'out/r.xlsx', '-s', 'out/r.csv', '--feedback', 'out/letters']
        : []),
      'files',
    ],
    {
      cwd: dir,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, NIANBAO_REVIEW_TIMES: '1' },
    },
  );
  const ms = performance.now() - t0;
  if (r.status !== 0 && r.status !== 1) throw new Error(`review 失败（${r.status}）：${r.stderr}`);
  const cpu = [...r.stderr.matchAll(/CPU (\d+) ms/g)].pop();
  return { ms, cpuMs: cpu ? +cpu[1] : Number.NaN, line: r.stdout.trim() };
}

async function setUp(
  name: string,
  parts: Array<{
    bodies: number;
    seed: number;
    formats: Format[];
    years: [number, number];
    places?: string[];
  }>,
) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `nianbao-bench-${name}-`));
  fs.mkdirSync(path.join(dir, 'out'));
  let files = 0;
  for (const [i, p] of parts.entries()) {
    const d = district(p);
    await writeDistrict(path.join(dir, 'files', `part${i + 1}`), d);
    files += d.reports.length;
  }
  return { dir, files };
}

const sec = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

function measure(label: string, dir: string, files: number, targetMs: number): void {
  const cores = Math.min(os.availableParallelism(), 2);
  review(dir, cores, false); // warm the file cache
  const one = review(dir, 1, false);
  const all = review(dir, cores, false);
  const withSummaries = review(dir, cores, true);
  const ok = all.ms <= targetMs ? '达标' : '未达标';
  console.log(
    `${label}：${files} 个文件，${cores} 个线程 ${sec(all.ms)}（目标 ≤ ${targetMs / 1000} s，${ok}；CPU ${sec(all.cpuMs)}），` +
      `1 个线程 ${sec(one.ms)}（CPU ${sec(one.cpuMs)}），${cores} 个线程比 1 个线程快 ${(one.ms / all.ms).toFixed(2)} 倍；` +
      `另写出 HTML、Excel、CSV 汇总和各单位的反馈意见共 ${sec(withSummaries.ms)}`,
  );
  console.log(
    `  ${all.line}；系统负载 ${os
      .loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')}`,
  );
}

/** The HTML summary of a 10,000-report model in headless Chromium: time to show its table, and one sort. */
async function page(): Promise<void> {
  if (!toolAvailable('chromium')) return void console.log('  （未安装 Chromium：不测网页汇总）');
  const rows = 10_000;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nianbao-bench-page-'));
  const file = path.join(dir, 'r.html');
  fs.writeFileSync(file, toHtml(reviewModel(rows)));
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
  try {
    const tab = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    // Until the page has painted after its last change.
    const painted = () =>
      tab.evaluate(() => new Promise((done) => requestAnimationFrame(() => setTimeout(done))));
    const t0 = performance.now();
    await tab.goto(pathToFileURL(file).href);
    await tab.locator('#reports tbody tr').first().waitFor();
    await painted();
    const load = performance.now() - t0;
    const head = tab.locator('#reports thead th', { hasText: /^错误$/ });
    await head.scrollIntoViewIfNeeded();
    const t1 = performance.now();
    await head.click();
    await painted();
    const sort = performance.now() - t1;
    const mb = (fs.statSync(file).size / 1024 / 1024).toFixed(1);
    const ok = (ms: number, target: number) => (ms <= target ? '达标' : '未达标');
    console.log(
      `网页汇总：${rows} 份报告（${mb} MB），Chromium 打开并显示表格 ${sec(load)}（目标 ≤ 3 s，${ok(load, 3000)}），` +
        `按一列排序 ${sec(sort)}（目标 ≤ 0.5 s，${ok(sort, 500)}）`,
    );
  } finally {
    await browser.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  console.log(`review: ${os.availableParallelism()} 个处理器核`);
  if (process.argv[2] === 'page') return page();
  const convert = toolAvailable('chromium') && toolAvailable('soffice');
  const mixed: Format[] = convert
    ? ['txt', 'docx', 'html', 'md', 'pdf', 'docx', 'txt', 'html', 'doc', 'md']
    : ['txt', 'docx', 'html', 'md'];
  if (!convert) console.log('  （未安装 Chromium 或 LibreOffice：混合格式中不含 .pdf 和 .doc）');
  // 108 bodies, every 7th with one year only: 201 files.
  const a = await setUp('mixed', [{ bodies: 108, seed: 11, formats: mixed, years: [2023, 2024] }]);
  measure('混合格式', a.dir, a.files, 20_000);
  // Four cities' bodies (8 places × 18 departments and 15 streets and townships each), two years.
  const cities = [
    ['漱玉区', '鹭汀县', '苇塘区', '岚溪县', '雪松区', '星渚县', '砚池区', '棠梨县'],
    ['蓼湾区', '杉溪县', '芷岸区', '榴川县', '蕙风区', '桐泾县', '萱草区', '茗山县'],
    ['晴岚区', '霜林县', '雾渚区', '霞浦湾区', '虹桥汀县', '云岫区', '雁回县', '鹤鸣区'],
    ['琴台湾区', '棋盘岭县', '书砚区', '画舫县', '松涛区', '竹韵县', '梅影区', '兰畹县'],
  ];
  const b = await setUp(
    'text',
    cities.map((places, i) => ({
      bodies: 135,
      seed: 100 + i,
      formats: ['txt', 'md'] as Format[],
      years: [2023, 2024] as [number, number],
      places,
    })),
  );
  measure('纯文本', b.dir, b.files, 5_000);
  await page();
  fs.rmSync(a.dir, { recursive: true, force: true });
  fs.rmSync(b.dir, { recursive: true, force: true });
}

await main();
