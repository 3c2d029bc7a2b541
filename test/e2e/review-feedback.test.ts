// `nianbao review DIR --feedback OUT` on a fictional district: a Word letter to every body and one
// document with every letter, read back as a unit reads them (LibreOffice prints them to PDF,
// pdftotext reads the text): the body, the years, each finding of the per-file JSON with its place
// and the suggested correction, the cross-year notes, the key figures, and the clean, untitled and
// unreadable reports said as such.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { COMBINED_NAME, SEVERITY_PHRASE, safeFileName } from '../../cli/review/feedback.js';
import { fixTitleOf, locationOf } from '../../cli/review/summary.js';
import { CROSS_YEAR_RULES, type JsonResult } from '../../grammar/src/index.js';
import { nianbaoIn } from '../fixtures/cli.js';
import { CROSS_PLANTS, type District, district, writeDistrict } from '../fixtures/generator/district.js';
import { FIGURE_LABELS } from '../fixtures/generator/unknown-cells.js';
import { libreOffice, toolAvailable } from '../matrix/convert.js';

const CROSS = new Set(CROSS_YEAR_RULES.map((r) => r.id));

/** The key figures off the JSON tables, as the letter's table shows them (null: unknown). */
function figures(r: JsonResult): Array<number | null> {
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
  ].map((v) => v ?? null);
}

/** Text without any white space: pdftotext spaces out justified lines and breaks them anywhere. */
const squeeze = (s: string) => s.replace(/\s+/g, '');
/** A message as a letter writes it: without its closing punctuation. */
const bare = (s: string) => squeeze(s).replace(/[。；;，,]+$/u, '');

interface Printed {
  /** pdftotext -layout: the figures table's rows on their lines. */
  layout: string;
  /** The same text without white space. */
  flat: string;
  pdf: Uint8Array;
}

describe.skipIf(!toolAvailable('soffice'))('nianbao review --feedback', () => {
  let dir: string;
  let d: District;
  let json: JsonResult[];
  let run: ReturnType<typeof nianbaoIn>;
  let letters: Map<string, Printed>;
  let combined: Printed;
  const BROKEN = path.join('2024', '损坏的报告.docx');
  const UNTITLED = path.join('2024', '无标题的报告.txt');
  let blankCell: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nianbao-feedback-'));
    // 21 bodies over two years, in every format a reviewer receives; every 3rd body with a planted
    // error (cross-year ones included), every 7th with this year's report only.
    d = district({ bodies: 21, formats: ['txt', 'docx', 'html', 'pdf', 'md'] });
    await writeDistrict(dir, d);
    fs.writeFileSync(path.join(dir, BROKEN), 'PK\u0003\u0004 这不是一个完整的 Word 文件');
    // A report whose title line is missing (no body), and one whose 表三 （七）总计 总计 is blank.
    const txt = d.reports.filter(
      (g) => g.format === 'txt' && g.year === 2024 && !g.plant && d.pairs.some((p) => p.current === g.file),
    );
    const text = (f: string) => fs.readFileSync(path.join(dir, f), 'utf8');
    fs.writeFileSync(path.join(dir, UNTITLED), text(txt[0].file).split('\n').slice(1).join('\n'));
    blankCell = txt[1].file;
    const edited = text(blankCell).replace(/^(（七）总计(?: \| \d+){6} \| )\d+ \|/m, '$1 |');
    if (edited === text(blankCell)) throw new Error('no 表三 （七）总计 row to blank');
    fs.writeFileSync(path.join(dir, blankCell), edited);
    run = nianbaoIn(['review', '--format', 'json', '--feedback', 'out/反馈', '2023', '2024'], dir);
    if (run.code !== 2 || !run.out) throw new Error(`review failed (${run.code}): ${run.err}`);
    json = JSON.parse(run.out);
    const out = path.join(dir, 'out/反馈');
    const names = fs.readdirSync(out).sort();
    const pdfs = await libreOffice(
      names.map((n) => new Uint8Array(fs.readFileSync(path.join(out, n)))),
      'pdf',
    );
    const printed = (pdf: Uint8Array): Printed => {
      const layout = spawnSync('pdftotext', ['-layout', '-', '-'], { input: pdf, encoding: 'utf8' }).stdout;
      return { layout, flat: squeeze(layout), pdf };
    };
    letters = new Map(names.map((n, i) => [n, printed(pdfs[i])]));
    combined = letters.get(COMBINED_NAME)!;
    letters.delete(COMBINED_NAME);
  }, 600000);

  const bodiesOf = () => [...new Set(d.reports.map((g) => g.body))];
  const letterOf = (body: string) => letters.get(`${safeFileName(body)}.docx`)!;
  const resultsOf = (body: string) =>
    json
      .filter((r) => d.reports.find((g) => g.file === r.file)?.body === body)
      .sort((a, b) => (a.year ?? 0) - (b.year ?? 0));

  it('writes one letter per body and the combined document, and says where', () => {
    expect([...letters.keys()].sort()).toEqual(
      bodiesOf()
        .map((b) => `${b}.docx`)
        .sort(),
    );
    expect(run.err).toContain(`反馈意见已写入 out/反馈：${bodiesOf().length} 个机关各一份`);
  });

  it('each letter names the body, its reports and years, every finding with its place and correction', () => {
    let findings = 0;
    for (const body of bodiesOf()) {
      const { flat } = letterOf(body);
      const results = resultsOf(body);
      expect(flat, body).toContain(`${body}：`);
      const title =
        results.length === 1
          ? `关于《${results[0].title}》的审核反馈意见`
          : `关于${body}${results.map((r) => r.year).join('、')}年度政府信息公开工作年度报告的审核反馈意见`;
      expect(flat).toContain(squeeze(title));
      for (const r of results) {
        expect(flat).toContain(squeeze(`《${r.title}》（${r.year}年度，文件：${path.basename(r.file)}）`));
        for (const f of r.findings) {
          const fix = fixTitleOf(f);
          expect(flat, `${r.file}: ${f.message}`).toContain(
            bare(`${bare(f.message)}（位置：${locationOf(f)}）。${SEVERITY_PHRASE[f.severity]}`) +
              (fix ? `，修改建议：${bare(fix)}。` : '。'),
          );
          if (!CROSS.has(f.ruleId)) findings++;
        }
      }
    }
    expect(findings).toBeGreaterThan(5);
  });

  it('places a finding in the unit’s own file: a table’s row in Word and web pages, a page in a PDF', () => {
    const wheres = json.flatMap((r) => r.findings.flatMap((f) => (f.where ? [f.where] : [])));
    expect(wheres.some((w) => /第\d+个表格/.test(w))).toBe(true);
    expect(wheres.some((w) => /第\d+页/.test(w))).toBe(true);
    for (const w of wheres) expect(combined.flat).toContain(squeeze(`（位置：${w}）`));
  });

  it('groups a report’s problems by the section they are in', () => {
    const t4 = d.reports.find((g) => g.plant === 't4' && g.year === 2024 && g.format !== 'pdf')!;
    const { flat } = letterOf(t4.body);
    const f = json.find((r) => r.file === t4.file)!.findings.find((x) => x.ruleId === 't4-total')!;
    const section = flat.indexOf('“四、政府信息公开行政复议、行政诉讼情况”部分');
    expect(section).toBeGreaterThan(-1);
    expect(flat.indexOf(bare(f.message))).toBeGreaterThan(section);
  });

  it('gives a planted cross-year error under the cross-year notes, with the large changes signed', () => {
    const planted = d.reports.filter((x) => x.plant && CROSS_PLANTS.includes(x.plant));
    expect(planted.map((g) => g.plant)).toContain('carryover');
    for (const g of planted) {
      const { flat } = letterOf(g.body);
      const f = json.find((r) => r.file === g.file)!.findings.find((x) => CROSS.has(x.ruleId))!;
      const notes = flat.indexOf('二、跨年度对照情况');
      expect(notes, g.file).toBeGreaterThan(-1);
      expect(flat.indexOf(`${g.year}年度报告与${g.year - 1}年度报告对照`)).toBeGreaterThan(notes);
      expect(flat.indexOf(bare(f.message))).toBeGreaterThan(notes);
      // This year's own problems part does not call the report clean without a word on the pair.
      expect(flat).not.toMatch(new RegExp(`${g.year}年度报告（文件：[^）]+）经审核，未发现`));
    }
    // Large changes: as the pair's figures say, signed.
    const changed = /表[二三四][^由]{2,8}由(\d{4})年度的(\d+)变为(\d{4})年度的(\d+)（([+−])(\d+)）/;
    const m = [...letters.values()].map((l) => changed.exec(l.flat)).find(Boolean);
    expect(m).toBeTruthy();
    const [, , a, , b, sign, n] = m!;
    expect(`${sign}${n}`).toBe(
      Number(b) > Number(a) ? `+${Number(b) - Number(a)}` : `−${Number(a) - Number(b)}`,
    );
  });

  it('lists the key figures of each year as the JSON has them; an unknown one as — with why, never 0', () => {
    for (const body of bodiesOf()) {
      const { layout } = letterOf(body);
      const results = resultsOf(body);
      const lines = layout.split('\n').map((l) => l.trim().split(/\s{2,}|\s(?=[\d—])/));
      FIGURE_LABELS.forEach((label, i) => {
        const line = lines.find((l) => l[0] === label);
        expect(line, `${body} ${label}`).toBeTruthy();
        const want = results.map((r) => figures(r)[i]);
        const got = line!.slice(1, 1 + want.length);
        expect(
          got.map((v) => (v.startsWith('—') ? null : Number(v))),
          `${body} ${label}`,
        ).toEqual(want);
      });
    }
    const blank = json.find((r) => r.file === blankCell)!;
    expect(figures(blank)[5]).toBeNull();
    const body = d.reports.find((g) => g.file === blankCell)!.body;
    expect(letterOf(body).flat).toContain('—（部分单元格无法读取）');
    // Its pair cannot compare that figure: said, not passed as agreeing.
    expect(letterOf(body).flat).toContain('表三办理结果总计未能对照（2024年部分单元格无法读取）');
  });

  it('a clean body’s letter says no problems were found, asks for nothing and still gives its figures', () => {
    const clean = bodiesOf().find(
      (b) => resultsOf(b).every((r) => !r.findings.length) && resultsOf(b).length === 2,
    )!;
    expect(clean).toBeTruthy();
    const { flat } = letterOf(clean);
    expect(flat.split('经审核，未发现该报告存在需要修改的问题。')).toHaveLength(3);
    expect(flat).not.toContain('须改正');
    expect(flat).toContain('三、主要数据');
    expect(flat).toContain('特此反馈。');
  });

  it('the combined document: every letter, the untitled report under its file name, the unreadable file and why', () => {
    for (const body of bodiesOf()) expect(combined.flat).toContain(`${body}：`);
    expect(combined.flat).toContain('关于报送文件“无标题的报告.txt”的审核反馈意见');
    const untitled = json.find((r) => r.file === UNTITLED)!;
    for (const f of untitled.findings) expect(combined.flat).toContain(bare(f.message));
    expect(combined.flat).toContain('关于报送文件“损坏的报告.docx”的审核反馈意见');
    const why = run.err
      .split('\n')
      .find((l) => l.includes('损坏的报告.docx'))!
      .split('：')
      .pop()!;
    expect(combined.flat).toContain(squeeze(`${BROKEN}”无法读取（${why}）`));
    // Each letter on its pages: as many signature blocks as letters.
    expect(combined.flat.split('（审核单位名称并盖章）')).toHaveLength(bodiesOf().length + 3);
  });

  it('a letter’s first page renders (for the README)', () => {
    // A body with a table error placed in its Word or web file and a correction offered.
    const body = bodiesOf().find((b) =>
      resultsOf(b).some((r) => r.findings.some((f) => f.where && fixTitleOf(f) && !CROSS.has(f.ruleId))),
    )!;
    const pdf = path.join(dir, 'letter.pdf');
    fs.writeFileSync(pdf, letterOf(body).pdf);
    const r = spawnSync('pdftoppm', [
      '-png',
      '-r',
      '60',
      '-f',
      '1',
      '-l',
      '1',
      pdf,
      path.join(dir, 'letter'),
    ]);
    expect(r.status).toBe(0);
    const png = fs.readdirSync(dir).find((f) => /^letter-\d+\.png$/.test(f))!;
    if (process.env.NIANBAO_SAVE_IMAGES)
      fs.copyFileSync(
        path.join(dir, png),
        path.resolve(import.meta.dirname, '../../docs/images/feedback-letter.png'),
      );
    expect(fs.statSync(path.join(dir, png)).size).toBeGreaterThan(10000);
  });
});
