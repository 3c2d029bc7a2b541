// The review workbook as an office keeps it: read back with exceljs (page setup, colours, links to
// the files, signed cross-year changes, every table cell and their sums per year with the
// unknown-cell rule, each body's years, the ranking) and printed by LibreOffice Calc.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { signedChange } from '../../cli/review/history.js';
import { isJump } from '../../cli/review/summary.js';
import { SIGNED_FORMAT, STATUS_FILL } from '../../cli/review/xlsx.js';
import type { JsonResult } from '../../grammar/src/index.js';
import { nianbaoIn } from '../fixtures/cli.js';
import { type District, district, writeDistrict } from '../fixtures/generator/district.js';
import { unknownDistrict } from '../fixtures/generator/unknown-cells.js';

const cellsOf = (r: JsonResult): Array<number | null> => {
  const { t2, t3, t4 } = r.tables;
  return [
    ...(t2 ?? Array(10).fill(null)),
    ...(t3 ? t3.flat() : Array(175).fill(null)),
    ...(t4 ?? Array(15).fill(null)),
  ];
};
const text = (c: ExcelJS.Cell) => c.text;
const noteOf = (c: ExcelJS.Cell) =>
  typeof c.note === 'string' ? c.note : (c.note?.texts?.map((t) => t.text).join('') ?? null);
const header = (ws: ExcelJS.Worksheet) => (ws.getRow(1).values as unknown[]).slice(1).map(String);
function rowsOf(ws: ExcelJS.Worksheet): ExcelJS.Row[] {
  const out: ExcelJS.Row[] = [];
  ws.eachRow((r, n) => {
    if (n > 1) out.push(r);
  });
  return out;
}

describe('the review workbook of a district of 33 reports', () => {
  let dir: string;
  let d: District;
  let json: JsonResult[];
  let wb: ExcelJS.Workbook;
  const xlsx = () => path.join(dir, 'out', '汇总 #1.xlsx');

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nianbao-workbook-'));
    // 18 bodies, every 6th with this year's report only: 33 reports, 15 pairs.
    d = district({ bodies: 18, singleEvery: 6 });
    await writeDistrict(dir, d);
    fs.mkdirSync(path.join(dir, 'out'));
    const run = nianbaoIn(['review', '--format', 'json', '-s', 'out/汇总 #1.xlsx', '2023', '2024'], dir);
    if (!run.out) throw new Error(`review failed (${run.code}): ${run.err}`);
    json = JSON.parse(run.out);
    wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(xlsx());
  }, 300000);

  it('has 33 reports, and every sheet is set up for A4 landscape with its header row on each page', () => {
    expect(json).toHaveLength(33);
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
    for (const ws of wb.worksheets) {
      const p = ws.pageSetup;
      expect(p, ws.name).toMatchObject({ paperSize: 9, orientation: 'landscape', printTitlesRow: '1:1' });
      expect(p.margins, ws.name).toMatchObject({ left: 0.4, right: 0.4, top: 0.6, bottom: 0.6 });
      // The full tables are too wide for one page: printed across pages with body and year repeated.
      if (ws.name === '表二表三表四') expect(p).toMatchObject({ scale: 60, printTitlesColumn: 'A:B' });
      else expect(p, ws.name).toMatchObject({ fitToPage: true, fitToWidth: 1, fitToHeight: 0 });
      expect(ws.autoFilter, ws.name).toBeTruthy();
      const h = ws.getCell('A1');
      expect(h.font?.bold, ws.name).toBe(true);
      expect(h.alignment?.wrapText, ws.name).toBe(true);
      expect((h.fill as ExcelJS.FillPattern).fgColor?.argb, ws.name).toBe('FFDDEBF7');
    }
  });

  it('报告: each status in its colour, each file a link relative to the workbook that reaches the file', () => {
    const ws = wb.getWorksheet('报告')!;
    const rows = rowsOf(ws);
    expect(rows.map((r) => r.getCell(1).text).sort()).toEqual(json.map((r) => r.file).sort());
    const colours = new Set<string>();
    for (const r of rows) {
      const result = json.find((x) => x.file === r.getCell(1).text)!;
      const status = result.findings.some((f) => f.severity === 'error')
        ? 'errors'
        : result.findings.some((f) => f.severity === 'warning')
          ? 'warnings'
          : 'clean';
      const fill = r.getCell(5).fill as ExcelJS.FillPattern;
      expect(fill.fgColor?.argb, result.file).toBe(STATUS_FILL[status]);
      colours.add(status);
      const link = (r.getCell(1).value as ExcelJS.CellHyperlinkValue).hyperlink;
      // From out/ to the year's folder; the space and # of the workbook's name do not matter.
      expect(link).toBe(`../${result.file}`);
      expect(fs.existsSync(path.resolve(path.dirname(xlsx()), decodeURI(link)))).toBe(true);
    }
    expect([...colours].sort()).toEqual(['clean', 'errors', 'warnings']);
  });

  it('表二表三表四: every cell of each report’s tables as read; 表格合计: their sums per year', () => {
    const ws = wb.getWorksheet('表二表三表四')!;
    const head = header(ws);
    expect(head).toHaveLength(3 + 10 + 175 + 15);
    expect(head.slice(0, 4)).toEqual(['机关', '年度', '文件', '表二·规章·本年制发']);
    expect(head).toContain('表三·本年新收·自然人');
    expect(head).toContain('表三·办理结果总计·总计');
    expect(head.at(-1)).toBe('表四·复议后起诉·总计');
    for (const r of rowsOf(ws)) {
      const result = json.find((x) => x.file === r.getCell(3).text)!;
      expect((r.values as unknown[]).slice(4), result.file).toEqual(cellsOf(result));
    }
    const sums = wb.getWorksheet('表格合计')!;
    expect(header(sums)).toEqual(['表', '行', '列', '2023年（15份）', '2024年（18份）']);
    const rows = rowsOf(sums);
    expect(rows).toHaveLength(200);
    expect(rows.map((r) => [r.getCell(1).text, r.getCell(2).text, r.getCell(3).text])[10]).toEqual([
      '表三',
      '本年新收',
      '自然人',
    ]);
    [2023, 2024].forEach((year, y) => {
      const of = json.filter((r) => r.year === year).map(cellsOf);
      rows.forEach((r, i) => {
        const want = Math.round(of.reduce((a, c) => a + c[i]!, 0) * 10000) / 10000;
        expect(r.getCell(4 + y).value, `${year} ${head[3 + i]}`).toBe(want);
      });
    });
  });

  it('跨年度对照 and 历年情况: signed changes, the large ones marked', () => {
    const ws = wb.getWorksheet('跨年度对照')!;
    const head = header(ws);
    const rows = rowsOf(ws);
    expect(rows).toHaveLength(d.pairs.length);
    let jumps = 0;
    for (const r of rows) {
      for (const label of ['表三本年新收', '表二现行有效', '表三办理结果总计']) {
        const prev = r.getCell(head.indexOf(`${label}（上年）`) + 1).value as number;
        const cur = r.getCell(head.indexOf(`${label}（本年）`) + 1).value as number;
        const change = r.getCell(head.indexOf(`${label}变化`) + 1);
        expect(change.value).toBe(cur - prev);
        expect(change.numFmt).toBe(SIGNED_FORMAT);
        const jump = isJump(prev, cur);
        expect(change.font?.bold ?? false).toBe(jump);
        expect(noteOf(change)).toBe(jump ? '变化较大（增减至少50%且至少10），请核实' : null);
        if (jump) {
          jumps++;
          expect(r.getCell(head.indexOf('变化较大的数字') + 1).text).toContain(
            `${label}（${signedChange(prev, cur)}）`,
          );
        }
      }
      expect(text(r.getCell(head.indexOf('变化较大的数字') + 1))).not.toMatch(/变化较大$/);
    }
    expect(jumps).toBeGreaterThan(0);

    const history = wb.getWorksheet('历年情况')!;
    const hh = header(history);
    const col = hh.indexOf('表三本年新收较上年') + 1;
    for (const p of d.pairs) {
      const cur = json.find((r) => r.file === p.current)!;
      const prev = json.find((r) => r.file === p.previous)!;
      const row = rowsOf(history).find((r) => r.getCell(3).text === p.current)!;
      expect(row.getCell(col).value).toBe(cur.tables.t3![0][6]! - prev.tables.t3![0][6]!);
      const first = rowsOf(history).find((r) => r.getCell(3).text === p.previous)!;
      expect(first.getCell(col).value).toBeNull();
    }
    const crossPlanted = d.reports.filter((g) => g.plant === 'carryover');
    for (const g of crossPlanted) {
      const row = rowsOf(history).find((r) => r.getCell(3).text === g.file)!;
      expect(row.getCell(hh.indexOf('跨年度问题') + 1).text).toContain('上年报告“结转下年度”');
    }
  });

  it('排名: the units worst first, with the columns the reviewer sorts by', () => {
    const ws = wb.getWorksheet('排名')!;
    expect(header(ws)).toEqual([
      '名次',
      '单位',
      '报告数',
      '年度',
      '错误',
      '警告',
      '提示',
      '无法读取',
      '完整度',
    ]);
    const rows = rowsOf(ws);
    expect(rows).toHaveLength(18);
    const errors = rows.map((r) => r.getCell(5).value as number);
    expect(errors).toEqual([...errors].sort((a, b) => b - a));
    expect(rows[0].getCell(9).numFmt).toBe('0%');
    expect(rows.every((r) => r.getCell(9).value === 1)).toBe(true);
  });

  it('printed by LibreOffice Calc: the 报告 sheet on one or two pages, the header row on every page', () => {
    const pdfDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nianbao-print-'));
    const src = path.join(pdfDir, 'r.xlsx');
    fs.copyFileSync(xlsx(), src);
    const run = spawnSync('soffice', ['--headless', '--convert-to', 'pdf', '--outdir', pdfDir, src], {
      encoding: 'utf8',
      timeout: 120000,
      env: { ...process.env, HOME: pdfDir },
    });
    expect(run.status, run.stderr).toBe(0);
    const pdf = path.join(pdfDir, 'r.pdf');
    const pages = Number(/Pages:\s+(\d+)/.exec(spawnSync('pdfinfo', [pdf], { encoding: 'utf8' }).stdout)![1]);
    const page = (n: number) =>
      spawnSync('pdftotext', ['-f', String(n), '-l', String(n), pdf, '-'], { encoding: 'utf8' }).stdout;
    // The page header names the sheet: pages per sheet.
    const texts = Array.from({ length: pages }, (_, i) => page(i + 1));
    const sheetOf = (t: string) => t.trim().split('\n')[0].trim();
    const bySheet = new Map<string, string[]>();
    for (const t of texts) bySheet.set(sheetOf(t), [...(bySheet.get(sheetOf(t)) ?? []), t]);
    expect([...bySheet.keys()]).toEqual(wb.worksheets.map((s) => s.name));
    // Unset, the 报告 sheet printed its columns across 7 pages, headers on the first only; fit to
    // the page's width, its 33 rows take one page (two allow for other fonts' metrics).
    const reports = bySheet.get('报告')!;
    expect(reports.length).toBeLessThanOrEqual(2);
    for (const t of reports) for (const h of ['文件', '机关', '状态', '主要问题']) expect(t).toContain(h);
    const all = reports.join('\n');
    for (const r of json) expect(all).toContain(r.file);
    // Each page of the wide tables repeats the header row and the body and year columns.
    const tables = bySheet.get('表二表三表四')!;
    expect(tables.length).toBeGreaterThan(1);
    for (const t of tables)
      for (const h of ['机关', '年度', json[0].file.split('/')[1].slice(0, 3)]) expect(t).toContain(h);
    // Every page shows its page number; nothing prints as pages of empty rows.
    texts.forEach((t, i) => expect(t).toContain(`第 ${i + 1} 页，共 ${pages} 页`));
    expect(pages).toBeLessThanOrEqual(30);
    // The signed changes print as the reviewer reads them.
    expect(bySheet.get('跨年度对照')!.join('\n')).toMatch(/[+−]\d+/);
  }, 180000);
});

describe('sums over reports with unknown cells', () => {
  it('a year’s sum with an unreadable part is "—", with a note saying how many reports it covers and why', async () => {
    const u = await unknownDistrict();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nianbao-workbook-unknown-'));
    for (const [file, bytes] of u.files) {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), bytes);
    }
    const run = nianbaoIn(['review', '-s', 'r.xlsx', '2023', '2024'], dir);
    expect(run.err).toBe('');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(path.join(dir, 'r.xlsx'));
    const sums = wb.getWorksheet('表格合计')!;
    expect(header(sums)).toEqual(['表', '行', '列', '2023年（4份）', '2024年（4份）']);
    const find = (t: string, r: string, c: string) =>
      rowsOf(sums).find(
        (x) => x.getCell(1).text === t && x.getCell(2).text === r && x.getCell(3).text === c,
      )!;

    // 2024: one report's 行政规范性文件 现行有效 reads 若干.
    const inForce = find('表二', '行政规范性文件', '现行有效').getCell(5);
    expect(inForce.value).toBe('—');
    const known = u.d.reports.filter((g) => g.year === 2024 && g !== u.invalid);
    const partial = known.reduce((a, g) => a + g.report.values.t2[5]!, 0);
    expect(noteOf(inForce)).toBe(
      `合计不可用：4份报告中只有3份读出该单元格；1份该单元格空白、无效或无法读取（${u.invalid.file}）；已读出的3份之和为${partial}，不是全部报告的合计`,
    );
    // 2024: a blank 总计 of （七）总计.
    expect(noteOf(find('表三', '办理结果总计', '总计').getCell(5))).toContain(
      `1份该单元格空白、无效或无法读取（${u.blank.file}）`,
    );
    // 2023: a report without 表四: every 表四 sum of that year.
    for (const x of rowsOf(sums).filter((r) => r.getCell(1).text === '表四')) {
      expect(x.getCell(4).value).toBe('—');
      expect(noteOf(x.getCell(4))).toContain(`1份未读到或无法读取表四（${u.noT4.file}）`);
      expect(typeof x.getCell(5).value).toBe('number');
    }
    // Elsewhere a sum is a number with no note.
    const fresh = find('表三', '本年新收', '总计');
    expect(fresh.getCell(4).value).toBe(
      u.d.reports.filter((g) => g.year === 2023).reduce((a, g) => a + g.report.values.t3[0][6]!, 0),
    );
    expect(noteOf(fresh.getCell(4))).toBeNull();
    // The report's own cell: "—" with why.
    const tables = wb.getWorksheet('表二表三表四')!;
    const row = rowsOf(tables).find((r) => r.getCell(3).text === u.invalid.file)!;
    const c = row.getCell(header(tables).indexOf('表二·行政规范性文件·现行有效') + 1);
    expect(c.value).toBe('—');
    expect(noteOf(c)).toBe('该单元格空白、无效或无法读取');
  }, 120000);
});
