// The proofreading family (文字): typos of the template's terms, punctuation and widths, the signed
// date against the legal deadline, citations of the 条例. Each wrong wording found with its exact fix,
// each right one silent; planted errors in our fictional reports; what the rules raise on real reports.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildVocabulary, misspells, REAL_PHRASES } from '../../grammar/rules/shared/vocabulary.js';
import {
  applyEdits,
  ConfigError,
  check,
  type Finding,
  fixAll,
  loadConfig,
  RULES,
  readReport,
  type Source,
  T2_COLUMNS,
  T3_COLUMNS,
  T4_COLUMNS,
} from '../../grammar/src/index.js';
import { CORPUS, corpusPath, hasCorpus } from '../corpus.js';
import { LAYOUTS, report } from '../fixtures/build.js';
import { PLANTS, proseReport } from '../fixtures/language.js';

const FAMILY = ['term-typo', 'punctuation', 'date-late', 'statute-citation'];
const language = (text: string, source: Source = 'text'): Finding[] =>
  check(text, { source }).findings.filter((f) => FAMILY.includes(f.ruleId));
const of = (text: string, id: string, source: Source = 'text') =>
  language(text, source).filter((f) => f.ruleId === id);
/** The report with `sentence` as the whole of its fee statement (section 六). */
const withSentence = (sentence: string) =>
  report('pipe').replace('本年度未收取信息处理费。', `本年度未收取信息处理费。${sentence}`);

describe('the family', () => {
  it('is four rules of category language, after the template rules, each with a Chinese explanation', () => {
    const family = RULES.filter((r) => r.category === 'language');
    expect(family.map((r) => [r.id, r.severity])).toEqual([
      ['term-typo', 'warning'],
      ['punctuation', 'info'],
      ['date-late', 'warning'],
      ['statute-citation', 'warning'],
    ]);
    expect(RULES.slice(-4)).toEqual(family);
    for (const r of family) expect(r.description.length).toBeGreaterThan(60);
  });
  it('"language": "off" turns it off; other values are refused in Chinese', () => {
    const t = proseReport('pipe').replace('不予公开0件', '不子公开0件');
    expect(of(t, 'term-typo')).toHaveLength(1);
    const config = loadConfig({ language: 'off' });
    expect(check(t, { source: 'text', config }).findings.filter((f) => FAMILY.includes(f.ruleId))).toEqual(
      [],
    );
    expect(
      check(t, { source: 'text', config: loadConfig({ language: 'on' }) }).findings.length,
    ).toBeGreaterThan(0);
    expect(() => loadConfig({ language: 'loud' })).toThrow(ConfigError);
    expect(() => loadConfig({ language: 'loud' })).toThrow('“language”（文字校对）应为 "off" 或 "on"');
  });
  it('says nothing about our clean reports, in every layout and in every source', () => {
    for (const layout of LAYOUTS) {
      expect(language(proseReport(layout)), layout).toEqual([]);
      expect(language(report(layout)), layout).toEqual([]);
    }
    for (const file of ['clean-tab.txt', 'example-pipe.txt'])
      expect(language(readFileSync(`test/fixtures/${file}`, 'utf8')), file).toEqual([]);
  });
});

describe('term-typo', () => {
  it('builds its vocabulary from the template: titles, labels, column headings and the phrases they share', () => {
    const v = buildVocabulary();
    for (const t of [
      ...T2_COLUMNS,
      ...T3_COLUMNS.filter((c) => c.length >= 4),
      ...T4_COLUMNS.filter((c) => c !== '总计'),
      '政府信息公开',
      '政府信息公开申请',
      '依申请公开',
      '不予公开',
      '行政复议',
      '行政诉讼',
      '主动公开政府信息情况',
      '信息处理费',
    ])
      expect(v, t).toContain(t);
    // Pieces of two labels that are not phrases of their own are left out.
    expect(v).not.toContain('属于行政');
    expect(v).not.toContain('存在的主要问题及');
  });
  const WRONG: Array<[string, string, string]> = [
    ['全年不子公开2件。', '不子公开', '不予公开'],
    ['本年度行政法复议案件0件。', '行政法复议', '行政复议'],
    ['表中本年废纸件数为1件。', '本年废纸件数', '本年废止件数'],
    ['未发生行政复义案件。', '行政复义', '行政复议'],
    ['未发生行政诉松案件。', '行政诉松', '行政诉讼'],
    ['本局依申清公开办理2件。', '依申清公开', '依申请公开'],
    ['收到政府信息公开申情3件。', '政府信息公开申情', '政府信息公开申请'],
    ['收到政府信公开申请3件。', '政府信公开申请', '政府信息公开申请'],
    ['全年未收取信息处理废。', '信息处理废', '信息处理费'],
    ['现行有效件数核对后，见行有效件数为9件。', '见行有效件数', '现行有效件数'],
    ['加强政府信息公开平台建没。', '政府信息公开平台建没', '政府信息公开平台建设'],
    ['其中子以公开2件。', '子以公开', '予以公开'],
    ['本机关不常握相关政府信息的1件。', '本机关不常握相关政府信息', '本机关不掌握相关政府信息'],
  ];
  it.each(WRONG)('finds %s with the template’s term as the fix', (sentence, written, term) => {
    const t = withSentence(sentence);
    const found = of(t, 'term-typo');
    expect(found.map((f) => f.message)).toEqual([`“${written}”疑为模板用语“${term}”之误`]);
    const at = t.indexOf(written);
    expect(found[0].range).toEqual({ start: at, end: at + written.length });
    expect(found[0].fix!.edits).toEqual([{ start: at, end: at + written.length, newText: term }]);
    expect(fixAll(t, { source: 'text' })).toBe(withSentence(sentence.replace(written, term)));
  });
  /** Real phrases, many one character from a template term: never a typo. */
  const RIGHT = [
    '对不予受理的申请说明理由。',
    '对依法申请公开的事项给予公开答复。',
    '对涉及商业秘密的信息予以公示或不予以公开。',
    '申请人可依法申请行政复核或提起行政诉讼。',
    '依法化解行政争议，推进政府信息公布和政府数据开放。',
    '推进政府信息开放，主动公开政府的信息。',
    '结转下年继续办理的申请已全部办结。',
    '清理行政规范文件和行政事业收费目录，现行有效文件数为9件。',
    '依申请不公开的信息均说明理由。',
    '办理行政许可证照、行政审批和行政执法公示事项。',
    '在政府信息网公开办事指南。',
    '复议机关维持原行政行为，行政复议机关已审结。',
    '不予处罚决定、不予采纳意见和不予受理通知均依法送达。',
    '本机关掌握相关信息的，依法予以公开。',
    '政务公开、政务服务和政府信息公开工作统筹推进。',
    '对申请人的诉求认真研判，做到件件有回音。',
    '加强政务新媒体管理，规范政府网站内容。',
    '收费标准按国务院办公厅通知执行，不收取费用。',
    '全年举办政府开放日活动2次。',
    '强化行政执法监督，落实行政处罚决定公开。',
    '本年度收费金额为0元，行政事业性收费目录已公开。',
  ];
  it.each(RIGHT)('stays silent on: %s', (sentence) => {
    expect(of(withSentence(sentence), 'term-typo')).toEqual([]);
  });
  it('stays silent on every real phrase it lists, whether or not it is one edit from a term', () => {
    for (const p of REAL_PHRASES) expect(of(withSentence(`${p}。`), 'term-typo'), p).toEqual([]);
  });
  it('accepts only confusable substitutions, inner insertions into short terms and inner deletions', () => {
    expect(misspells('不予公开', '不子公开')).toBe(1);
    expect(misspells('不予公开', '给予公开')).toBe(0);
    expect(misspells('不予处理', '不予受理')).toBe(0);
    expect(misspells('行政复议', '行政法复议')).toBe(1);
    expect(misspells('不予公开', '不予以公开')).toBe(0);
    expect(misspells('政府信息公开', '政府信息网公开')).toBe(0);
    expect(misspells('依申请公开', '依法申请公开')).toBe(0);
    expect(misspells('政府信息公开', '政府信息开')).toBe(0);
    expect(misspells('结转下年度继续办理', '结转下年继续办理')).toBe(0);
    expect(misspells('政府信息公开申请', '政付信息公开申请')).toBe(1);
    expect(misspells('本年处理决定数量', '本年处里决定数凉')).toBe(0);
  });
  it('leaves a heading and a row label to the rules that rewrite them whole', () => {
    const t = report('pipe').replace(
      '四、政府信息公开行政复议、行政诉讼情况',
      '四、政府信息公开行政法复议、行政诉讼情况',
    );
    const found = check(t, { source: 'text' }).findings;
    expect(found.filter((f) => f.ruleId === 'term-typo')).toEqual([]);
    expect(found.filter((f) => f.ruleId === 'section-heading')).toHaveLength(1);
  });
});

describe('punctuation', () => {
  const WRONG: Array<[string, string]> = [
    ['(一)加强培训。', '（一）加强培训。'],
    ['全年办理3件,均按时答复。', '全年办理3件，均按时答复。'],
    ['全年办理3件, 均按时答复。', '全年办理3件，均按时答复。'],
    ['存在问题:栏目更新慢。', '存在问题：栏目更新慢。'],
    ['一是更新慢;二是形式单一。', '一是更新慢；二是形式单一。'],
    ['是否需要收费?', '是否需要收费？'],
    ['开设"政策解读"专栏。', '开设“政策解读”专栏。'],
    ['申请(含补正后)均已办结。', '申请（含补正后）均已办结。'],
    ['申请（含补正后)均已办结。', '申请（含补正后）均已办结。'],
    ['全年培训两次。。', '全年培训两次。'],
    ['全年培训两次，。', '全年培训两次。'],
    ['惠农补贴、、农机购置。', '惠农补贴、农机购置。'],
    ['共办理２０２４年度申请。', '共办理2024年度申请。'],
    ['发布ＰＤＦ版本。', '发布PDF版本。'],
  ];
  it.each(WRONG)('fixes %s', (wrong, right) => {
    const t = withSentence(wrong);
    const found = of(t, 'punctuation');
    expect(found).toHaveLength(1);
    expect(found[0].severity).toBe('info');
    expect(applyEdits(t, found[0].fix!.edits)).toBe(withSentence(right));
  });
  const RIGHT = [
    '全年收费1,234元，办理时间为10:30至17:00。',
    '网址为http://www.qinghe.example.gov.cn/zwgk/index.html?id=1,2&a=b，欢迎访问。',
    '支持Word, Excel和PDF格式，联系电话:0000-1234567。',
    '详见[政府信息公开专栏](http://www.qinghe.example.gov.cn/zwgk)。',
    '按照第(1)项、第(2)项办理。',
    '（一）主动公开；（二）依申请公开：均按时办理！',
    '全文共有5.5万字……解读“一图读懂”——图解。',
  ];
  it.each(RIGHT)('stays silent on: %s', (sentence) => {
    expect(of(withSentence(sentence), 'punctuation')).toEqual([]);
  });
  it('stays silent on tables: pipes and TABs are not punctuation', () => {
    for (const layout of LAYOUTS) expect(of(report(layout), 'punctuation'), layout).toEqual([]);
  });
  it('reads only the author’s own characters: text, Markdown and Word; not PDF, web pages or .doc', () => {
    const t = withSentence('(一)全年办理3件,均按时答复。');
    for (const s of ['text', 'markdown', 'docx'] as const) expect(of(t, 'punctuation', s), s).toHaveLength(2);
    for (const s of ['pdf', 'html', 'doc'] as const) expect(of(t, 'punctuation', s), s).toEqual([]);
    expect(check(t).findings.filter((f) => f.ruleId === 'punctuation')).toEqual([]);
  });
  it('says once, with one fix, that a text has hardly a full-width mark', () => {
    const narrowed = proseReport('tab')
      .replace(/，/g, ',')
      .replace(/；/g, ';')
      .replace(/（([一二三四五])）/g, '($1)');
    const found = of(narrowed, 'punctuation');
    expect(found).toHaveLength(1);
    expect(found[0].message).toMatch(/^全文的中文标点几乎都是半角（\d+处半角，\d+处全角）/);
    expect(found[0].parts!.length).toBeGreaterThan(10);
    const fixed = applyEdits(narrowed, found[0].fix!.edits);
    expect(of(fixed, 'punctuation')).toEqual([]);
  });
});

describe('date-late', () => {
  const signed = (date: string, body = '青禾县农业农村局') =>
    withSentence('').replace('本年度未收取信息处理费。', `本年度未收取信息处理费。\n${body}\n${date}`);
  it('accepts a department’s report dated by 31 January, a government’s by 31 March', () => {
    expect(of(signed('2025年1月31日'), 'date-late')).toEqual([]);
    expect(of(signed('二〇二五年一月十五日'), 'date-late')).toEqual([]);
    const government = (d: string) =>
      signed(d, '青禾县人民政府').replace('青禾县农业农村局2024年', '青禾县人民政府2024年');
    expect(of(government('2025年3月31日'), 'date-late')).toEqual([]);
    expect(of(government('2025年4月1日'), 'date-late').map((f) => f.message)).toEqual([
      '成文日期2025年4月1日晚于法定期限：2024年度报告应在2025年3月31日前公布（《政府信息公开条例》第四十九条，县级以上地方人民政府的政府信息公开工作主管部门）',
    ]);
  });
  it('finds a date after the deadline, in digits or Chinese numerals', () => {
    const t = signed('二〇二五年二月三日');
    const [f] = of(t, 'date-late');
    expect(f.message).toBe(
      '成文日期2025年2月3日晚于法定期限：2024年度报告应在2025年1月31日前公布（《政府信息公开条例》第四十九条，县级以上人民政府部门）',
    );
    expect(t.slice(f.range.start, f.range.end)).toBe('二〇二五年二月三日');
  });
  it('finds a date before the reported year ended (last year’s signature kept)', () => {
    expect(of(signed('2024年1月20日'), 'date-late').map((f) => f.message)).toEqual([
      '成文日期2024年1月20日早于2024年度结束，报告不可能在统计期限结束前完成；请核对是否沿用了上一年的落款',
    ]);
    expect(of(signed('2024年12月31日'), 'date-late')).toEqual([]);
  });
  it('finds a publication date the report states', () => {
    const t = withSentence('本报告于2025年2月10日在本局网站公布。');
    expect(of(t, 'date-late').map((f) => f.message)).toEqual([
      '所述公布日期2025年2月10日晚于法定期限：2024年度报告应在2025年1月31日前公布（《政府信息公开条例》第四十九条，县级以上人民政府部门）',
    ]);
  });
  it('stays silent on dates in sentences and on reports without a date', () => {
    expect(of(withSentence('整改工作将于2025年6月30日完成。'), 'date-late')).toEqual([]);
    expect(of(withSentence('2025年2月起实行新的办理流程。'), 'date-late')).toEqual([]);
    expect(of(report('pipe'), 'date-late')).toEqual([]);
  });
});

describe('statute-citation', () => {
  it('corrects a 表二 group heading by the rows under it', () => {
    const t = report('tab').replace('第二十条第（六）项', '第二十条第（七）项');
    const [f] = of(t, 'statute-citation');
    expect(f.message).toBe(
      '表二分组标题“第二十条第（七）项”与模板不符：“行政处罚、行政强制”一组应为“第二十条第（六）项”',
    );
    expect(applyEdits(t, f.fix!.edits)).toBe(report('tab'));
  });
  it('accepts half-width brackets in a heading (punctuation’s to fix) and other items cited in prose', () => {
    expect(of(report('pipe').replace('第二十条第（一）项', '第二十条第(一)项'), 'statute-citation')).toEqual(
      [],
    );
    const prose = report('pipe').replace(
      '二、主动公开政府信息情况\n',
      '二、主动公开政府信息情况\n依照第二十条第（七）项公开机构信息。\n',
    );
    expect(of(prose, 'statute-citation')).toEqual([]);
  });
  it('replaces the 2007 条例’s article numbers of the annual report', () => {
    const t = report('pipe').replace('条例》第五十条编制', '条例》第三十二条编制');
    const [f] = of(t, 'statute-citation');
    expect(f.message).toBe(
      '“第三十二条”是2007年版《政府信息公开条例》的条号（年度报告的内容）；2019年修订后为“第五十条”',
    );
    expect(applyEdits(t, f.fix!.edits)).toBe(report('pipe'));
    const t31 = report('pipe').replace('条例》第五十条编制', '条例》第三十一条编制');
    expect(of(t31, 'statute-citation').map((f) => f.fix!.edits[0].newText)).toEqual(['第四十九条']);
  });
  it('stays silent on the 2019 条例’s own articles 31 and 32 about applications', () => {
    const t = withSentence('根据《中华人民共和国政府信息公开条例》第三十二条，书面征求第三方意见。');
    expect(of(t, 'statute-citation')).toEqual([]);
  });
});

describe('planted errors in fictional reports', () => {
  it('finds at least 95% of them with the exact fix, across layouts', () => {
    expect(PLANTS.length).toBeGreaterThanOrEqual(40);
    const missed: string[] = [];
    let planted = 0;
    for (const layout of ['pipe', 'tab', 'cell-tab', 'flat'] as const)
      for (const p of PLANTS) {
        if (p.tables && layout === 'flat') continue;
        const clean = proseReport(layout);
        const at = clean.indexOf(p.from);
        expect(at, `${layout}: ${p.from}`).toBeGreaterThanOrEqual(0);
        expect(clean.indexOf(p.from, at + 1), `${layout}: ${p.from} once`).toBe(-1);
        const t = clean.replace(p.from, p.to);
        planted++;
        const f = of(t, p.rule).find((x) => x.range.start < at + p.to.length && x.range.end > at);
        if (!f || (p.fixed && (!f.fix || applyEdits(t, f.fix.edits) !== clean)))
          missed.push(`${layout} ${p.rule} ${p.to}`);
      }
    expect(missed.length / planted, missed.join('\n')).toBeLessThanOrEqual(0.05);
  });
});

/**
 * Where each real report's text comes from (corpus README): a text converted from a PDF or a web page
 * is checked as that source; the seeds are text files as given.
 */
const ORIGIN: Record<string, Source> = {
  'real/001_hongzequ_2023.txt': 'pdf',
  'real/002_hongzequ_2024.txt': 'pdf',
  'real/003_huaianshi_2024.txt': 'pdf',
  'real/005_pingtan_2022.txt': 'html',
  'real/009_shuyangxian_2025.md': 'pdf',
  'real/014_pingtan_jingfaju_2022.txt': 'html',
  'real/018_pingtan_gonganju_2022.txt': 'html',
};

describe.skipIf(!hasCorpus)('real reports', () => {
  it('raise only what a careful reader would also mark', () => {
    const listed: string[] = [];
    const byRule = new Map<string, number>();
    for (const dir of ['seeds', 'real'])
      for (const name of readdirSync(`${CORPUS}/${dir}`)) {
        const file = `${dir}/${name}`;
        if (name.endsWith('.pdf')) continue; // its text is the .txt beside it
        const read = readReport(readFileSync(corpusPath(file)), name);
        const source = ORIGIN[file] ?? read.format;
        const found = language(read.text, source);
        for (const f of found) {
          byRule.set(f.ruleId, (byRule.get(f.ruleId) ?? 0) + 1);
          listed.push(`${file} (${source}) ${f.ruleId}: ${f.message}`);
        }
      }
    console.log(`文字校对在真实报告上的结果：\n${listed.join('\n')}`);
    // Typos, dates and citations: none in these reports (the one typo, 行政法复议 in 005's heading,
    // is section-heading's). Punctuation: only the seed text files, whose marks are half-width as given.
    expect(byRule.get('term-typo') ?? 0).toBe(0);
    expect(byRule.get('date-late') ?? 0).toBe(0);
    expect(byRule.get('statute-citation') ?? 0).toBe(0);
    expect(listed.every((l) => l.startsWith('seeds/') || !l.includes('punctuation'))).toBe(true);
    expect(listed.filter((l) => l.includes('全文的中文标点几乎都是半角'))).toHaveLength(2);
  });
});
