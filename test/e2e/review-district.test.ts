// A reviewer's January as a whole: a fictional district of 60 bodies over three years, in every
// format a unit sends (PDFs printed by Chromium, .doc saved by LibreOffice), with errors planted
// within a report and across years, reports sent twice, and a unit on the reviewer's list that sent
// nothing. One `nianbao review` run with every output; what each says is compared with the
// per-file JSON of the same run.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { JsonResult } from '../../grammar/src/index.js';
import { type District, district, writeDistrict } from '../fixtures/generator/district.js';

const root = path.resolve(import.meta.dirname, '../..');
const tsx = import.meta.resolve('tsx');
const YEARS = ['2022', '2023', '2024'];
const MISSING = '青禾市档案馆';

function nianbao(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, ['--import', tsx, path.join(root, 'cli/nianbao.ts'), ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
    maxBuffer: 256 * 1024 * 1024,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('a district of 60 bodies over three years, reviewed with every output', () => {
  let dir: string;
  let d: District;
  let json: JsonResult[];
  let text: ReturnType<typeof nianbao>;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nianbao-district-'));
    d = district({
      bodies: 60,
      earlier: 2022,
      duplicateEvery: 9,
      formats: ['txt', 'docx', 'html', 'md', 'pdf', 'docx', 'doc', 'txt'],
    });
    await writeDistrict(dir, d);
    const bodies = [...new Set(d.reports.map((g) => g.body))];
    fs.writeFileSync(path.join(dir, '名单.csv'), `单位名称\n${[...bodies, MISSING].join('\n')}\n`);
    fs.mkdirSync(path.join(dir, 'out'));
    const run = nianbao(['review', '--format', 'json', '--units', '名单.csv', ...YEARS], dir);
    if (run.code === null || run.code > 1 || !run.out)
      throw new Error(`review failed (${run.code}): ${run.err}`);
    json = JSON.parse(run.out);
    text = nianbao(
      [
        'review',
        '--units',
        '名单.csv',
        '-s',
        'out/汇总.html',
        '-s',
        'out/汇总.xlsx',
        '-s',
        'out/汇总.csv',
        '--feedback',
        'out/反馈意见',
        ...YEARS,
      ],
      dir,
    );
  }, 600000);

  it('is the district the issue asks for: three years, mixed formats, planted errors, duplicates', () => {
    expect(new Set(d.reports.map((g) => g.body)).size).toBe(60);
    expect(new Set(d.reports.map((g) => g.year))).toEqual(new Set([2022, 2023, 2024]));
    expect(new Set(d.reports.map((g) => g.format))).toEqual(
      new Set(['txt', 'docx', 'html', 'md', 'pdf', 'doc']),
    );
    expect(d.reports.filter((g) => g.file.includes('（重发）')).length).toBeGreaterThanOrEqual(5);
    expect(d.reports.filter((g) => g.expected.length).length).toBeGreaterThanOrEqual(20);
  });

  it('finds every planted error, within a report and across years, on the right file, and nothing else', () => {
    const byFile = new Map(json.map((r) => [r.file, r]));
    expect(json).toHaveLength(d.reports.length);
    for (const g of d.reports) {
      const r = byFile.get(g.file);
      expect(r, g.file).toBeDefined();
      expect([...new Set(r!.findings.map((f) => f.ruleId))].sort(), g.file).toEqual([...g.expected].sort());
    }
  });

  it('pairs each body’s neighbouring years, both steps of a three-year chain', () => {
    // The summary line counts the pairs; each generated pair is one of them.
    const pairs = Number(/跨年度对照 (\d+) 对/.exec(text.out)?.[1]);
    expect(pairs).toBe(d.pairs.length);
    expect(d.pairs.some((p) => p.previous.startsWith('2022/'))).toBe(true);
  });

  it('says which reports were sent twice and which unit on the list sent nothing', () => {
    const line = text.out.split('\n')[0];
    const dupes = d.reports.filter((g) => g.file.includes('（重发）')).length;
    expect(line).toContain(`同一机关同一年度重复 ${dupes} 组`);
    expect(line).toContain(`应报未报 1 个（${MISSING}）`);
  });

  it('writes every summary and names it; the three worst reports are the JSON’s worst', () => {
    for (const s of ['汇总.html', '汇总.xlsx', '汇总.csv']) {
      expect(fs.statSync(path.join(dir, 'out', s)).size).toBeGreaterThan(1000);
      expect(text.out).toContain(`已写出汇总：out/${s}`);
    }
    const errors = (r: JsonResult) => r.findings.filter((f) => f.severity === 'error').length;
    const most = Math.max(...json.map(errors));
    const worst = text.out.split('问题最多的报告：\n')[1].split('\n').slice(0, 3);
    expect(worst[0]).toContain(`：${most} 个错误`);
  });

  it('writes a letter to each of the 60 units and one with them all', () => {
    expect(text.err).toContain('反馈意见已写入 out/反馈意见：60 个机关各一份');
    const letters = fs.readdirSync(path.join(dir, 'out/反馈意见')).filter((f) => f.endsWith('.docx'));
    expect(letters).toContain('全部反馈意见.docx');
    expect(letters).toHaveLength(61);
  });

  it('the CSV has a row per report with the JSON’s counts', () => {
    const csv = fs
      .readFileSync(path.join(dir, 'out/汇总.csv'), 'utf8')
      .replace(/^\ufeff/, '')
      .trim()
      .split('\r\n');
    expect(csv).toHaveLength(json.length + 1);
    const header = csv[0].split(',');
    const at = (name: string) => header.indexOf(name);
    for (const line of csv.slice(1)) {
      const cells = line.split(',');
      const r = json.find((x) => x.file === cells[0].replace(/^"|"$/g, ''))!;
      expect(r, cells[0]).toBeDefined();
      expect(Number(cells[at('错误')])).toBe(r.findings.filter((f) => f.severity === 'error').length);
    }
  });
});
