// `nianbao review` on a district where some key cells could not be read ("若干" in 表二, a blank
// 表三 总计): the page, the workbook and the CSV show "—" with the reason for exactly those
// figures, the year totals leave them out and say how many reports they cover, and the
// cross-year pair says the figure could not be compared (never 衔接一致, never a large change).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { DomUtils, parseDocument } from 'htmlparser2';
import { beforeAll, describe, expect, it } from 'vitest';
import type { JsonResult } from '../../grammar/src/index.js';
import type { GeneratedReport } from '../fixtures/generator/district.js';
import { FIGURE_LABELS, type UnknownDistrict, unknownDistrict } from '../fixtures/generator/unknown-cells.js';
import { renderedPage } from '../fixtures/rendered-page.js';

const root = path.resolve(import.meta.dirname, '../..');
const tsx = import.meta.resolve('tsx');
const REASON = '部分单元格无法读取';

type Node = ReturnType<typeof parseDocument>;
const text = (n: Parameters<typeof DomUtils.textContent>[0]) => DomUtils.textContent(n);
const byTag = (tag: string, n: Node | ReturnType<typeof DomUtils.getElementById>) =>
  DomUtils.getElementsByTagName(tag, n!, true);

describe('nianbao review: figures nobody could read', () => {
  let dir: string;
  let u: UnknownDistrict;
  let json: JsonResult[];
  let doc: Node;
  /** The sum over a year's reports whose figure is known, and what it covers when not all. */
  const knownSum = (year: number, i: number) => {
    const reports = u.d.reports.filter((g) => g.year === year);
    const known = reports.map((g) => u.figures(g)[i]).filter((v): v is number => v !== null);
    const left = reports.filter((g) => u.figures(g)[i] === null);
    const cells = left.filter((g) => u.why(g) === REASON).length;
    const cover = left.length
      ? [
          `${reports.length}份中的${known.length}份`,
          cells ? `${cells}份有无法读取的单元格` : '',
          left.length - cells ? `${left.length - cells}份未读到或无法读取该表` : '',
        ]
          .filter(Boolean)
          .join('；')
      : null;
    return { sum: known.reduce((a, b) => a + b, 0), known: known.length, all: reports.length, cover };
  };
  /** The unknown figures of a report with why, as the last column lists them. */
  const unknownNote = (g: GeneratedReport) => {
    const labels = FIGURE_LABELS.filter((_, i) => u.figures(g)[i] === null);
    return labels.length ? `${labels.join('、')}：${u.why(g)}` : '';
  };
  const shown = (v: number | null) => (v === null ? '—' : String(v));

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nianbao-unknown-'));
    u = await unknownDistrict();
    for (const [file, bytes] of u.files) {
      fs.mkdirSync(path.join(dir, path.dirname(file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), bytes);
    }
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
        ...['-s', 'out/r.html', '-s', 'out/r.xlsx', '-s', 'out/r.csv'],
        '2023',
        '2024',
      ],
      { cwd: dir, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
    );
    if (!r.stdout) throw new Error(`review failed (${r.status}): ${r.stderr}`);
    json = JSON.parse(r.stdout);
    doc = parseDocument(await renderedPage(path.join(dir, 'out/r.html')));
  }, 120000);

  it('the edited cells are read as unknown, and no cross-year rule compares them', () => {
    const of = (g: GeneratedReport) => json.find((r) => r.file === g.file)!;
    const t2 = u.invalid.report.values.t2;
    expect(of(u.invalid).tables.t2!.slice(3, 6)).toEqual([t2[3], t2[4], null]);
    expect(of(u.blank).tables.t3![23][6]).toBeNull();
    expect(of(u.invalid).findings.map((f) => f.ruleId)).toEqual(['cell-invalid']);
    expect(of(u.blank).findings.map((f) => f.ruleId)).toEqual(['cell-blank']);
    expect(of(u.noT4).tables.t4).toEqual(Array(15).fill(null));
  });

  it('the CSV: "—" for exactly the unknown figures, the reason beside them, numbers elsewhere', () => {
    const lines = fs.readFileSync(path.join(dir, 'out/r.csv'), 'utf8').slice(1).trim().split('\r\n');
    const head = lines[0].split(',');
    expect(head.slice(8, 18)).toEqual(FIGURE_LABELS);
    expect(head.slice(-2)).toEqual(['无法读取的数字', '已核实']);
    for (const g of u.d.reports) {
      // No cell of these reports holds a comma or a quote.
      const row = lines.find((l) => l.startsWith(`${g.file},`))!.split(',');
      expect(row.slice(8, 18), g.file).toEqual(u.figures(g).map(shown));
      expect(row.at(-2), g.file).toBe(unknownNote(g));
      expect(row.at(-1), g.file).toBe('0');
    }
  });

  it('the workbook: "—" with a note saying why; year totals that leave them out and say how many reports they cover; the pair cannot compare', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(path.join(dir, 'out/r.xlsx'));
    const sheet = wb.getWorksheet('报告')!;
    const rowOf = (ws: ExcelJS.Worksheet, col: number, value: string) => {
      let found: ExcelJS.Row | undefined;
      ws.eachRow((r) => {
        if (r.getCell(col).text === value) found = r;
      });
      return found!;
    };
    const noteOf = (c: ExcelJS.Cell) =>
      typeof c.note === 'string' ? c.note : (c.note?.texts?.map((t) => t.text).join('') ?? null);
    for (const g of u.d.reports) {
      const row = rowOf(sheet, 1, g.file);
      const want = u.figures(g);
      FIGURE_LABELS.forEach((_, i) => {
        const cell = row.getCell(9 + i);
        expect(cell.value, `${g.file} ${FIGURE_LABELS[i]}`).toEqual(want[i] ?? '—');
        expect(noteOf(cell)).toBe(want[i] === null ? u.why(g) : null);
      });
    }

    const totals = wb.getWorksheet('关键数字合计')!;
    const values = totals
      .getSheetValues()
      .slice(2)
      .map((r) => (r as unknown[]).slice(1));
    expect(values).toHaveLength(2 * FIGURE_LABELS.length);
    for (const year of [2023, 2024])
      FIGURE_LABELS.forEach((label, i) => {
        const { sum, known, all, cover } = knownSum(year, i);
        const note = cover ? `合计（${cover}）` : undefined;
        expect(values.find((v) => v[0] === `${year}年` && v[1] === label)).toEqual([
          `${year}年`,
          label,
          sum,
          known,
          all,
          ...(note ? [note] : []),
        ]);
      });

    const pairs = wb.getWorksheet('跨年度对照')!;
    const pair = rowOf(pairs, 5, u.invalid.file);
    const head = (pairs.getRow(1).values as unknown[]).slice(1);
    const col = (name: string) => head.indexOf(name) + 1;
    const last = u.d.reports.find((g) => g.body === u.invalid.body && g.year === 2023)!;
    expect(pair.getCell(col('表二现行有效（上年）')).value).toBe(u.figures(last)[2]);
    expect(pair.getCell(col('表二现行有效（本年）')).value).toBe('—');
    expect(noteOf(pair.getCell(col('表二现行有效（本年）')))).toBe(`2024年${REASON}`);
    expect(pair.getCell(col('表二现行有效变化')).value).toBe('—');
    expect(noteOf(pair.getCell(col('表二现行有效变化')))).toBe(`无法对照（2024年${REASON}）`);
    expect(typeof pair.getCell(col('表三本年新收变化')).value).toBe('number');
    expect(pair.getCell(col('跨年度问题')).value ?? '').toBe('');
  });

  it('the page: "—" with the reason as its title, totals with their coverage, pairs that say what they could not compare', () => {
    const reports = DomUtils.getElementById('reports', doc)!;
    const heads = byTag('th', reports).map(text);
    const first = heads.indexOf(FIGURE_LABELS[0]);
    expect(heads.slice(first, first + 10)).toEqual(FIGURE_LABELS);
    for (const g of u.d.reports) {
      const tr = byTag('tr', reports).find((r) => {
        const file = byTag('td', r)[4];
        return file && text(file.children[0]) === g.file;
      })!;
      const tds = byTag('td', tr).slice(first, first + 10);
      expect(tds.map(text), g.file).toEqual(u.figures(g).map(shown));
      expect(
        tds.map((td) => td.attribs.title ?? null),
        g.file,
      ).toEqual(u.figures(g).map((v) => (v === null ? u.why(g) : null)));
    }

    const totals = DomUtils.getElementById('totals', doc)!;
    for (const year of [2023, 2024]) {
      const tr = byTag('tr', totals).find((r) => text(r).startsWith(`${year}年`))!;
      const tds = byTag('td', tr);
      FIGURE_LABELS.forEach((label, i) => {
        const { sum, cover } = knownSum(year, i);
        expect(text(tds[2 + i]), `${year} ${label}`).toBe(cover ? `${sum}（${cover}）` : String(sum));
        expect(tds[2 + i].attribs.title ?? null).toBe(cover ? `合计（${cover}）` : null);
      });
    }

    const pairs = DomUtils.getElementsByTagName('details', doc).filter((e) => e.attribs.class === 'pair');
    expect(pairs).toHaveLength(u.d.pairs.length);
    const pairOf = (g: GeneratedReport) => pairs.find((p) => text(p).includes(`→ ${g.file}`))!;
    for (const [g, label, i, unknown] of [
      [u.invalid, '表二现行有效', 2, ['表二现行有效']],
      [u.blank, '表三办理结果总计', 5, ['表三办理结果总计']],
    ] as const) {
      const p = pairOf(g);
      const summary = text(byTag('summary', p)[0]);
      expect(summary).toMatch(new RegExp(`（${unknown.length} 项无法对照）$`));
      expect(text(p)).not.toContain('衔接一致');
      expect(text(p)).toContain(
        `未能对照的数字：${unknown.map((l) => `${l}（2024年${REASON}）`).join('；')}。`,
      );
      const row = byTag('tr', p).find((r) => text(byTag('td', r)[0] ?? r) === label)!;
      const last = u.d.reports.find((x) => x.body === g.body && x.year === 2023)!;
      expect(byTag('td', row).map(text)).toEqual([label, String(u.figures(last)[i]), '—', '无法对照']);
      expect(byTag('td', row).some((td) => /jump/.test(td.attribs.class ?? ''))).toBe(false);
    }
    // Last year's 表四 lost: this year's finding is listed, and the figures it could not compare.
    const lost = pairOf(u.d.reports.find((g) => g.body === u.noT4.body && g.year === 2024)!);
    expect(text(byTag('summary', lost)[0])).toMatch(/（1 个跨年度问题，3 项无法对照）$/);
    expect(text(lost)).toContain(
      `未能对照的数字：${FIGURE_LABELS.slice(7)
        .map((l) => `${l}（2023年${u.why(u.noT4)}）`)
        .join('；')}。`,
    );
    // A pair whose figures are all known and carry on still says so.
    const control = pairOf(u.d.reports.filter((g) => g.year === 2024)[3]);
    expect(text(control)).toContain('两年的报告衔接一致，未发现跨年度问题。');
    expect(text(control)).not.toContain('无法对照');
  });
});
