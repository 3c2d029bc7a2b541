// Cross-year checking: pairing the reports of several bodies over the years, and each cross-year
// rule on this year's report against the same body's report of last year.
import { describe, expect, it } from 'vitest';
import {
  type CheckResult,
  CROSS_YEAR_RULES,
  check,
  crossYearFindings,
  issuingBody,
  loadConfig,
  pairReports,
  RULES,
  sameBody,
  withCrossYear,
} from '../../grammar/src/index.js';
import { prose, type ReportSpec, yearReport } from '../fixtures/cross-year.js';

const checked = (spec: ReportSpec) => check(yearReport(spec));
const title = (body: string, year: number, nian = '年') => `${body}${year}${nian}政府信息公开工作年度报告`;

/** 1-based line of the first line containing `needle`, and the column of it. */
function at(r: CheckResult, needle: string, from = 0): { line: number; column: number } {
  const i = r.report.text.indexOf(needle, from);
  if (i < 0) throw new Error(`not in the text: ${needle}`);
  return r.lines.position(i);
}
/** Column of the n-th cell (1-based) on the line starting with `label` in a pipe-layout table. */
function cellAt(r: CheckResult, label: string, n: number): { line: number; column: number } {
  const text = r.report.text;
  const start = text.indexOf(`\n${label}`) + 1;
  let i = start;
  for (let k = 0; k < n; k++) i = text.indexOf(' | ', i) + 3;
  return r.lines.position(i);
}
const summary = (r: CheckResult, fs = r.findings) =>
  fs.map((f) => ({
    ruleId: f.ruleId,
    severity: f.severity,
    message: f.message,
    ...r.lines.position(f.range.start),
  }));

// A body's two reports whose tables carry on exactly, and whose prose differs.
const LAST = { title: title('临川市松溪区教育局', 2023, '年度'), year: 2023 };
const THIS = {
  title: title('松溪区教育局', 2024),
  year: 2024,
  facts: { docs: [2, 1, 10] as [number, number, number] },
};

describe('issuing body and pairing', () => {
  it('names the body from the title without year, 年度 and the report wording; never from a sentence', () => {
    expect(issuingBody(checked(LAST).report)).toBe('临川市松溪区教育局');
    expect(issuingBody(checked(THIS).report)).toBe('松溪区教育局');
    expect(
      issuingBody(checked({ title: '2024年度 西岭街道办事处 政府信息公开工作年度报告', year: 2024 }).report),
    ).toBe('西岭街道办事处');
    expect(issuingBody(checked({ title: '2024年政府信息公开工作年度报告', year: 2024 }).report)).toBeNull();
    expect(
      issuingBody(
        checked({ title: '# 松溪区教育局关于2024年度政府信息公开工作的年度报告', year: 2024 }).report,
      ),
    ).toBe('松溪区教育局');
    expect(
      issuingBody(
        checked({
          title:
            '根据《中华人民共和国政府信息公开条例》要求，现向社会公布松溪区水务局2024年度政府信息公开工作年度报告。',
          year: 2024,
        }).report,
      ),
    ).toBeNull();
  });

  it('one body with or without its city and district in front; never two bureaus or two streets', () => {
    expect(sameBody('临川市松溪区教育局', '松溪区教育局')).toBe(true);
    expect(sameBody('临川市松溪区东湖街道办事处', '东湖街道办事处')).toBe(true);
    expect(sameBody('松溪区东湖街道办事处', '东湖街道')).toBe(true);
    expect(sameBody('广州市越秀区教育局', '越秀区教育局')).toBe(true);
    expect(sameBody('内蒙古自治区呼和浩特市教育局', '呼和浩特市教育局')).toBe(true);
    // A long run of unit characters is decided at once.
    const t0 = performance.now();
    expect(sameBody(`${'区'.repeat(38)}甲局`, '区甲局')).toBe(false);
    expect(sameBody(`${'区'.repeat(5000)}甲市乙局`, '甲市乙局')).toBe(false);
    expect(performance.now() - t0).toBeLessThan(100);
    expect(sameBody('临川市松溪区人民政府', '松溪区政府')).toBe(true);
    expect(sameBody('松溪区人民政府', '松溪区人民政府办公室')).toBe(false);
    expect(sameBody('松溪区教育局', '松溪区卫生健康局')).toBe(false);
    expect(sameBody('松溪区东湖街道办事处', '松溪区西岭街道办事处')).toBe(false);
    expect(sameBody('临川市教育局', '松溪区教育局')).toBe(false);
    expect(sameBody('临川市教育局', '教育局')).toBe(false);
    expect(sameBody('朝阳区教育局', '阳区教育局')).toBe(false);
    expect(sameBody('松溪区市场监督管理局', '市场监督管理局')).toBe(false);
    // Digits are part of a name: two numbered branches are two bodies.
    const named = (n: number) =>
      issuingBody(
        checked({ title: `松溪区第${n}税务分局2024年政府信息公开工作年度报告`, year: 2024 }).report,
      )!;
    expect(named(10)).toBe('松溪区第10税务分局');
    expect(sameBody(named(10), named(19))).toBe(false);
    expect(sameBody(named(10), named(10))).toBe(true);
  });

  it('pairs each report with its body’s report of the year before, and nothing else', () => {
    const reports: Array<[string, string, number]> = [
      ['edu22', '松溪区教育局', 2022],
      ['edu23', '临川市松溪区教育局', 2023],
      ['edu24', '松溪区教育局', 2024],
      ['health23', '松溪区卫生健康局', 2023],
      ['health24', '临川市松溪区卫生健康局', 2024],
      ['east23', '松溪区东湖街道办事处', 2023],
      ['west23', '松溪区西岭街道办事处', 2023],
      ['east24', '临川市松溪区东湖街道办事处', 2024],
      ['west24', '西岭街道办事处', 2024],
      ['farm23', '白沙县农业农村局', 2023],
      ['farm24', '临川市白沙县农业农村局', 2024],
      // Two towns named 青石镇 last year: which one is this year's? No pair.
      ['town23a', '南岗县青石镇人民政府', 2023],
      ['town23b', '北岗县青石镇人民政府', 2023],
      ['town24', '青石镇人民政府', 2024],
      // No report of last year, and one two years back.
      ['culture24', '松溪区文化和旅游局', 2024],
      ['water22', '松溪区水务局', 2022],
      ['water24', '松溪区水务局', 2024],
    ];
    const items = reports.map(([id, body, year], i) => ({
      id,
      report: checked({ title: title(body, year, i % 2 ? '年度' : '年'), year }).report,
    }));
    // The same report of 2023 twice (a PDF and its text): one candidate, the first copy is used.
    items.splice(2, 0, {
      id: 'edu23copy',
      report: checked({ title: title('临川市松溪区教育局', 2023, '年度'), year: 2023 }).report,
    });
    const pairs = pairReports(items);
    expect(pairs.map((p) => `${p.current}←${p.previous}`).sort()).toEqual(
      [
        'east24←east23',
        'edu23←edu22',
        'edu23copy←edu22',
        'edu24←edu23',
        'farm24←farm23',
        'health24←health23',
        'west24←west23',
      ].sort(),
    );
  });

  it('two different reports of this year claiming one report of last year: no pair', () => {
    const last = checked(LAST).report;
    const a = checked(THIS).report;
    const b = checked({
      ...THIS,
      title: title('临川市松溪区教育局', 2024),
      facts: { carriedIn: [2, 0, 0, 0, 0, 0] },
    }).report;
    expect(
      pairReports([
        { id: 'last', report: last },
        { id: 'a', report: a },
        { id: 'b', report: b },
      ]),
    ).toEqual([]);
  });
});

describe('cross-year rules', () => {
  const last = checked(LAST);

  it('the rules are listed apart from the one-report rules, with Chinese titles and explanations', () => {
    expect(CROSS_YEAR_RULES.map((r) => [r.id, r.severity])).toEqual([
      ['carryover-mismatch', 'error'],
      ['stock-mismatch', 'warning'],
      ['prose-copied', 'info'],
    ]);
    for (const r of CROSS_YEAR_RULES) {
      expect(r.title).toMatch(/^[\u4e00-\u9fff]+$/);
      expect(r.description.length).toBeGreaterThan(40);
      expect(RULES.some((x) => x.id === r.id)).toBe(false);
    }
  });

  it('reports that carry on from each other give nothing', () => {
    const now = checked(THIS);
    expect(now.findings).toEqual([]);
    expect(last.findings).toEqual([]);
    expect(crossYearFindings(now, last)).toEqual([]);
  });

  it('carryover-mismatch at this year’s 上年结转 cell, per column; the 总计 column only when it is the one that differs', () => {
    const now = checked({ ...THIS, facts: { ...THIS.facts, carriedIn: [3, 0, 0, 0, 0, 0] } });
    expect(now.findings).toEqual([]);
    const found = crossYearFindings(now, last);
    expect(summary(now, found)).toEqual([
      {
        ruleId: 'carryover-mismatch',
        severity: 'error',
        message: '表三“上年结转”“自然人”为3，但上年报告“结转下年度”为1',
        ...cellAt(now, '二、上年结转', 1),
      },
    ]);
    // This year's own arithmetic holds with 3: which year is wrong is unknown, so nothing to apply.
    expect(found[0].fix).toBeUndefined();
    expect(found[0].suggestions).toBeUndefined();
    expect(now.report.text.slice(found[0].range.start, found[0].range.end)).toBe('3');

    // Two columns differ: one finding each.
    const two = checked({ ...THIS, facts: { ...THIS.facts, carriedIn: [1, 2, 0, 0, 0, 4] } });
    expect(summary(two, crossYearFindings(two, last)).map((f) => [f.message, f.line, f.column])).toEqual([
      [
        '表三“上年结转”“商业企业”为2，但上年报告“结转下年度”为0',
        ...Object.values(cellAt(two, '二、上年结转', 2)),
      ],
      [
        '表三“上年结转”“其他”为4，但上年报告“结转下年度”为0',
        ...Object.values(cellAt(two, '二、上年结转', 6)),
      ],
    ]);

    // Only the total differs (this year's row total is wrong too, which check() reports itself).
    const total = checked({
      ...THIS,
      edit: (t) =>
        t.replace(
          '二、上年结转政府信息公开申请数量 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |',
          '二、上年结转政府信息公开申请数量 | 1 | 0 | 0 | 0 | 0 | 0 | 2 |',
        ),
    });
    expect(summary(total, crossYearFindings(total, last)).map((f) => f.message)).toEqual([
      '表三“上年结转”“总计”为2，但上年报告“结转下年度”为1',
    ]);
  });

  it('carryover-mismatch suggests last year’s number when it makes this year’s table balance (never as a fix)', () => {
    const now = checked({
      ...THIS,
      edit: (t) =>
        t.replace(
          '二、上年结转政府信息公开申请数量 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |',
          '二、上年结转政府信息公开申请数量 | 2 | 0 | 0 | 0 | 0 | 0 | 2 |',
        ),
    });
    const [f] = crossYearFindings(now, last);
    expect(f.message).toBe('表三“上年结转”“自然人”为2，但上年报告“结转下年度”为1');
    expect(f.fix).toBeUndefined();
    expect(f.suggestions).toEqual([
      {
        title: '按上年报告将“上年结转”“自然人”改为1',
        edits: [{ start: f.range.start, end: f.range.end, newText: '1' }],
      },
    ]);
    // Merged with check()'s own findings, in position order.
    const merged = withCrossYear(now, last);
    expect(merged.findings.map((x) => x.ruleId)).toEqual([
      ...now.findings.filter((x) => x.range.start < f.range.start).map((x) => x.ruleId),
      'carryover-mismatch',
      ...now.findings.filter((x) => x.range.start >= f.range.start).map((x) => x.ruleId),
    ]);
  });

  it.each(['tab', 'cell-pipe', 'spaced'] as const)(
    'the same findings when this year’s tables are in the %s layout',
    (layout) => {
      const now = checked({ ...THIS, layout, facts: { docs: [2, 1, 11], carriedIn: [3, 0, 0, 0, 0, 0] } });
      expect(now.findings).toEqual([]);
      const found = crossYearFindings(now, last);
      expect(found.map((f) => [f.ruleId, now.report.text.slice(f.range.start, f.range.end)])).toEqual([
        ['stock-mismatch', '11'],
        ['carryover-mismatch', '3'],
      ]);
      expect(found.map((f) => now.lines.position(f.range.start).line)).toEqual([
        now.lines.position(now.report.tables.t2!.rows[1]!.cells[2].range.start).line,
        now.lines.position(now.report.tables.t3!.rows[1]!.cells[0].range.start).line,
      ]);
    },
  );

  it('stock-mismatch at the 现行有效 cell of every 表二 row that has one', () => {
    const now = checked({ ...THIS, facts: { rules: [1, 0, 7], docs: [2, 1, 11] } });
    expect(now.findings).toEqual([]);
    expect(summary(now, crossYearFindings(now, last))).toEqual([
      {
        ruleId: 'stock-mismatch',
        severity: 'warning',
        message:
          '表二“规章”现行有效件数为7，但上年报告的现行有效件数4加本年制发1件、减本年废止0件应为5（如有修订、到期失效等情况，请核实）',
        ...cellAt(now, '规章', 3),
      },
      {
        ruleId: 'stock-mismatch',
        severity: 'warning',
        message:
          '表二“行政规范性文件”现行有效件数为11，但上年报告的现行有效件数9加本年制发2件、减本年废止1件应为10（如有修订、到期失效等情况，请核实）',
        ...cellAt(now, '行政规范性文件', 3),
      },
    ]);
  });

  it('no finding on a blank or invalid cell, in either year', () => {
    const blankNow = checked({
      ...THIS,
      facts: { docs: [2, 1, 11], carriedIn: [3, 0, 0, 0, 0, 0] },
      edit: (t) =>
        t
          .replace('二、上年结转政府信息公开申请数量 | 3 |', '二、上年结转政府信息公开申请数量 |  |')
          .replace('行政规范性文件 | 2 | 1 | 11 |', '行政规范性文件 | 2 | 1 | / |'),
    });
    expect(blankNow.findings.map((f) => f.ruleId)).toEqual(['cell-blank', 'cell-blank']);
    expect(crossYearFindings(blankNow, last)).toEqual([]);

    const badLast = checked({
      ...LAST,
      edit: (t) =>
        t
          .replace('四、结转下年度继续办理 | 1 |', '四、结转下年度继续办理 | 一 |')
          .replace('行政规范性文件 | 2 | 1 | 9 |', '行政规范性文件 | 2 | 1 |  |'),
    });
    expect(badLast.findings.map((f) => f.ruleId)).toContain('cell-invalid');
    const now = checked({ ...THIS, facts: { docs: [2, 1, 11], carriedIn: [3, 0, 0, 0, 0, 0] } });
    expect(crossYearFindings(now, badLast)).toEqual([]);
  });

  it('a 表二 row missing last year: that row is not compared, the other one is', () => {
    const lastYear = checked({ ...LAST, edit: (t) => t.replace('行政规范性文件 | 2 | 1 | 9 |\n', '') });
    expect(lastYear.findings.map((f) => f.ruleId)).toEqual(['row-missing']);
    const now = checked({ ...THIS, facts: { rules: [1, 0, 7], docs: [2, 1, 11] } });
    expect(crossYearFindings(now, lastYear).map((f) => f.message)).toEqual([
      '表二“规章”现行有效件数为7，但上年报告的现行有效件数4加本年制发1件、减本年废止0件应为5（如有修订、到期失效等情况，请核实）',
    ]);
  });

  it('no finding when either year’s 表三 cannot be read with confidence, even where its row is there', () => {
    // A converter that lost most of 表三: only a few rows survive, the ones compared among them.
    const keep = (which: (rows: string[]) => string[]) => (t: string) => {
      const from = t.indexOf('\n', t.indexOf('三、收到和处理政府信息公开申请情况')) + 1;
      const to = t.indexOf('四、政府信息公开行政复议');
      const rows = t.slice(from, to).split('\n').slice(2, -1);
      return `${t.slice(0, from)}${which(rows).join('\n')}\n${t.slice(to)}`;
    };
    const now = checked({ ...THIS, facts: { ...THIS.facts, carriedIn: [3, 0, 0, 0, 0, 0] } });
    const unreadableLast = checked({ ...LAST, edit: keep((rows) => rows.slice(-5)) });
    expect(unreadableLast.report.tables.t3?.unreadable).toBeTruthy();
    expect(unreadableLast.report.tables.t3?.rows[24]?.cells[0].value).toBe(1);
    expect(crossYearFindings(now, unreadableLast)).toEqual([]);
    const unreadableNow = checked({
      ...THIS,
      facts: { ...THIS.facts, carriedIn: [3, 0, 0, 0, 0, 0] },
      edit: keep((rows) => rows.slice(0, 5)),
    });
    expect(unreadableNow.report.tables.t3?.unreadable).toBeTruthy();
    expect(unreadableNow.report.tables.t3?.rows[1]?.cells[0].value).toBe(3);
    expect(crossYearFindings(unreadableNow, last)).toEqual([]);
  });

  it('no finding when the years do not follow each other', () => {
    const now = checked({
      ...THIS,
      title: title('松溪区教育局', 2025),
      year: 2025,
      facts: { carriedIn: [3, 0, 0, 0, 0, 0] },
    });
    expect(crossYearFindings(now, last)).toEqual([]);
  });

  it('prose-copied: one finding per copied passage (sentences merged), info; warning when it names last year as this year', () => {
    const lastProblems =
      '一是部分栏目内容更新不够及时，个别栏目存在信息发布滞后的情况；二是政策解读形式较为单一，图解、视频等形式运用不多。下一步将建立栏目更新台账，丰富解读形式。';
    const lastOverview = [
      '（一）主动公开。2023年，松溪区教育局坚持以公开为常态、不公开为例外，全面推进决策、执行、管理、服务、结果公开，全年主动公开信息数量稳步增长。',
      '（二）依申请公开。本局畅通依申请公开渠道，规范受理、登记、审核、答复等环节，确保依法依规答复。',
      '（三）政府信息管理。本局严格落实信息发布保密审查制度，坚持先审后发，动态调整公开目录。',
      '（四）政府信息公开平台建设。本局持续优化门户网站栏目设置。',
      '（五）监督保障。本局将政务公开纳入年度考核。',
    ];
    const lastYear = checked({ ...LAST, overview: lastOverview, problems: lastProblems });
    expect(lastYear.findings).toEqual([]);
    const overview = [
      lastOverview[0],
      '（二）依申请公开。2024年本局收到申请4件，全部按期答复。',
      lastOverview[2],
      lastOverview[3],
      '（五）监督保障。2024年组织培训5次。',
    ];
    const now = checked({ ...THIS, overview, problems: lastProblems });
    expect(now.findings).toEqual([]);
    const found = crossYearFindings(now, lastYear);
    const text = now.report.text;
    const slice = (f: { range: { start: number; end: number } }) => text.slice(f.range.start, f.range.end);
    expect(summary(now, found)).toEqual([
      {
        ruleId: 'prose-copied',
        severity: 'warning',
        message: '这段文字（51字）与上年报告完全相同，仍把2023年当作本年度（本报告为2024年度报告）',
        ...at(now, '2023年，松溪区教育局'),
      },
      {
        ruleId: 'prose-copied',
        severity: 'info',
        message: '这段文字（44字）与上年报告完全相同，请确认是否照搬了上年的内容',
        ...at(now, '本局严格落实'),
      },
      {
        ruleId: 'prose-copied',
        severity: 'info',
        message: '这段文字（70字）与上年报告完全相同，请确认是否照搬了上年的内容',
        ...at(now, '一是部分栏目'),
      },
    ]);
    expect(slice(found[0])).toBe(lastOverview[0].slice('（一）主动公开。'.length));
    // Two sub-items copied one after the other are one passage, across the sub-item heading.
    expect(slice(found[1])).toBe(
      `${lastOverview[2].slice('（三）政府信息管理。'.length)}\n${lastOverview[3]}`,
    );
    expect(slice(found[2])).toBe(lastProblems);
  });

  it('prose-copied is a note, not a warning, when last year is named as a past date', () => {
    const passage =
      '本局自2023年起实行政府信息公开申请办理台账管理，逐件登记受理时间、答复时间和答复方式，并按季度对办理质量进行抽查。';
    const lastYear = checked({ ...LAST, problems: passage });
    const now = checked({ ...THIS, problems: passage });
    expect(crossYearFindings(now, lastYear).map((f) => [f.severity, f.message])).toEqual([
      ['info', '这段文字（51字）与上年报告完全相同，请确认是否照搬了上年的内容'],
    ]);
    const stale = passage.replace('本局自2023年起', '2023年度本局');
    expect(
      crossYearFindings(checked({ ...THIS, problems: stale }), checked({ ...LAST, problems: stale })).map(
        (f) => f.severity,
      ),
    ).toEqual(['warning']);
  });

  it('prose-copied ignores table rows outside the tables (cells separated by | or TAB)', () => {
    const row =
      '附表说明 | 本年制发件数 | 本年废止件数 | 现行有效件数 | 本年处理决定数量 | 本年收费金额（单位：万元） |';
    const overview = (year: number) => [
      ...prose('松溪区教育局', year).slice(0, 4),
      row,
      row.replace(/ \| /g, '\t'),
    ];
    const lastYear = checked({ ...LAST, overview: overview(2023) });
    const now = checked({ ...THIS, overview: overview(2024) });
    expect(crossYearFindings(now, lastYear)).toEqual([]);
    // The same words as prose are a copied passage.
    const words = row.replace(/ \| /g, '、').replace(/ \|$/, '。');
    const withWords = (r: ReportSpec) => ({
      ...r,
      overview: [...prose('松溪区教育局', r.year).slice(0, 4), words, words],
    });
    expect(
      crossYearFindings(checked(withWords(THIS)), checked(withWords(LAST))).map((f) => f.ruleId),
    ).toEqual(['prose-copied']);
  });

  it('prose-copied ignores short identical sentences and white-space differences', () => {
    const sentence =
      '本局严格落实信息发布保密审查制度，坚持先审后发，动态调整公开目录，确保公开内容准确规范。';
    const lastYear = checked({ ...LAST, problems: `无。${sentence}` });
    const now = checked({ ...THIS, problems: `暂无其他问题。 ${sentence.replace('，坚持', '， 坚持')}` });
    const found = crossYearFindings(now, lastYear);
    expect(found.map((f) => now.report.text.slice(f.range.start, f.range.end))).toEqual([
      sentence.replace('，坚持', '， 坚持'),
    ]);
    const short = checked({ ...THIS, problems: '无。本局严格落实信息发布保密审查制度。' });
    const lastShort = checked({ ...LAST, problems: '无。本局严格落实信息发布保密审查制度。' });
    expect(crossYearFindings(short, lastShort)).toEqual([]);
  });

  it('configured severities apply as to other rules', () => {
    const now = checked({ ...THIS, facts: { docs: [2, 1, 11], carriedIn: [3, 0, 0, 0, 0, 0] } });
    const config = loadConfig({
      rules: { 'carryover-mismatch': 'warning', 'stock-mismatch': 'off', 'prose-copied': 'error' },
    });
    expect(crossYearFindings(now, last, { config }).map((f) => [f.ruleId, f.severity])).toEqual([
      ['carryover-mismatch', 'warning'],
    ]);
  });
});
