// Whose report it is: the title found by meaning wherever a publishing system puts it (a web
// page's title block, a layout table's cell, centred or wrapped lines with a breadcrumb and 来源 /
// 发布时间 around; a Word title paragraph or text box; plain text), the issuing body and year read
// from it, and a body sentence never taken for it (title-missing instead, the year from the body).
import { describe, expect, it } from 'vitest';
import {
  check,
  compatibleFixes,
  DEFAULT_LIMITS,
  fixDocx,
  issuingBody,
  readReport,
  toJSON,
} from '../../grammar/src/index.js';
import { yearReport } from '../fixtures/cross-year.js';
import { cmsPage, type PageLayout, titledDocx } from '../fixtures/titles.js';

const enc = (s: string) => new TextEncoder().encode(s);
const read = (bytes: Uint8Array, name: string) => check(readReport(bytes, name).text);
const who = (r: ReturnType<typeof check>) => ({
  title: r.report.title?.text ?? null,
  body: issuingBody(r.report),
  year: r.report.year,
  rules: r.findings.map((f) => f.ruleId),
});

describe('the title of a web page', () => {
  const page = (layout: PageLayout, body: string, yearWords: string, year = 2024) =>
    read(
      enc(cmsPage(layout, { title: '', body, site: '岚山县人民政府', yearWords, year })),
      `${layout}.html`,
    );

  it.each([
    ['title-div', '岚山县市场监督管理局', '2024年度'],
    ['layout-table', '岚山县自然资源和规划局', '2024年'],
    ['centred', '岚山县退役军人事务局', '2024年度'],
    ['wrapped-div', '岚山县城市管理综合行政执法局', '2024年'],
  ] as Array<[PageLayout, string, string]>)('%s: %s', (layout, body, yearWords) => {
    expect(who(page(layout, body, yearWords))).toEqual({
      title: `${body}${yearWords}政府信息公开工作年度报告`,
      body,
      year: 2024,
      rules: [],
    });
  });

  it('a year in Chinese numerals', () => {
    expect(who(page('title-div', '岚山县林业局', '二〇二三年', 2023))).toEqual({
      title: '岚山县林业局二〇二三年政府信息公开工作年度报告',
      body: '岚山县林业局',
      year: 2023,
      rules: [],
    });
  });

  it('a page whose only year statement is a body sentence: no title, the year from the body', () => {
    const r = page('no-title', '岚山县审计局', '2024年度');
    expect(who(r)).toEqual({ title: null, body: null, year: 2024, rules: ['title-missing'] });
    expect(r.findings[0].severity).toBe('info');
    expect(r.findings[0].message).toBe(
      '未找到写明发布机关和年度的报告标题（如“××局2024年政府信息公开工作年度报告”）；年度按正文确定为2024年，发布机关未能识别',
    );
    expect(toJSON('a.html', r).title).toBeNull();
  });
});

describe('the title of a Word file', () => {
  it.each(['paragraph', 'textbox', 'header'] as const)('a title %s', async (where) => {
    const title = '岚山县医疗保障局2024年政府信息公开工作年度报告';
    const bytes = await titledDocx(where, title, { title: '', year: 2024 });
    expect(who(read(new Uint8Array(bytes), 'a.docx'))).toEqual({
      title,
      body: '岚山县医疗保障局',
      year: 2024,
      rules: [],
    });
  });

  it('a title in the page header is read as the first line; fixes still land in the body', async () => {
    const title = '岚山县交通运输局2024年政府信息公开工作年度报告';
    const bytes = await titledDocx('header', title, {
      title: '',
      year: 2024,
      // 表三's first row with a wrong total (4 is right).
      edit: (t) => t.replace(/^(一、本年新收政府信息公开申请数量(?:\t\d+){6})\t4$/m, '$1\t7'),
    });
    const read = readReport(new Uint8Array(bytes), 'a.docx');
    expect(read.text.split('\n')[0]).toBe(title);
    expect(read.where?.(1)).toBe('页眉');
    const r = check(read.text);
    expect(r.findings.map((f) => [f.ruleId, r.lines.position(f.range.start).line])).toEqual([
      ['t3-row-total', read.text.split('\n').findIndex((l) => l.startsWith('一、本年新收')) + 1],
    ]);
    const fixed = fixDocx(new Uint8Array(bytes), compatibleFixes(r.findings), DEFAULT_LIMITS);
    expect(fixed.applied).toBe(1);
    const again = readReport(fixed.bytes, 'a.docx').text;
    expect(again).toBe(read.text.replace(/^(一、本年新收.*)\t7$/m, '$1\t4'));
  });
});

describe('the title of a text', () => {
  // The report's lines after its own title line.
  const rest = (year: number) => yearReport({ title: 'x', year }).split('\n').slice(1).join('\n');
  const of = (head: string, year = 2024) => who(check(`${head}\n${rest(year)}`));

  it('wrapped over two lines: the body above, the year line below', () => {
    expect(of('岚山县人力资源和社会保障局\n2024年政府信息公开工作年度报告')).toEqual({
      title: '岚山县人力资源和社会保障局2024年政府信息公开工作年度报告',
      body: '岚山县人力资源和社会保障局',
      year: 2024,
      rules: [],
    });
  });

  it('with 正文, 标题：, a breadcrumb and 来源 / 发布时间 lines around it', () => {
    const head = [
      '首页 > 信息公开 > 法定主动公开内容 > 政府信息公开年报',
      '标题：岚山县机构编制委员会办公室2024年度政府信息公开工作年度报告',
      '来源：县委编办　发布时间：2025-01-21 10:02　字号：大 中 小',
      '正文',
    ].join('\n');
    expect(of(head)).toEqual({
      title: '岚山县机构编制委员会办公室2024年度政府信息公开工作年度报告',
      body: '岚山县机构编制委员会办公室',
      year: 2024,
      rules: [],
    });
  });

  it('a sentence naming the report is never its title', () => {
    for (const sentence of [
      '依据《中华人民共和国政府信息公开条例》，现将本局2023年度政府信息公开工作年度报告予以公布',
      '按照上级要求编制2023年政府信息公开工作年度报告。',
      '本报告由岚山县档案馆2023年度政府信息公开工作情况汇总编制而成，现予公布',
    ])
      expect(of(sentence, 2023)).toEqual({ title: null, body: null, year: 2023, rules: ['title-missing'] });
  });
});

describe('title lines and the year', () => {
  it('a sentence naming last year’s report is not a title line: no year-mismatch', () => {
    const text = yearReport({ title: '岚山县档案馆2024年政府信息公开工作年度报告', year: 2024 }).replace(
      '\n',
      '\n现将本馆2023年度政府信息公开工作年度报告的整改情况一并说明\n',
    );
    const r = check(text);
    expect(r.report.title?.text).toBe('岚山县档案馆2024年政府信息公开工作年度报告');
    expect(r.findings.map((f) => f.ruleId)).toEqual([]);
  });

  it('a repeated title of another year is still a year-mismatch', () => {
    const text = yearReport({ title: '岚山县档案馆2024年政府信息公开工作年度报告', year: 2024 }).replace(
      '\n',
      '\n岚山县档案馆2023年政府信息公开工作年度报告\n',
    );
    expect(check(text).findings.map((f) => [f.ruleId, f.message])).toEqual([
      ['year-mismatch', '标题中的年份不一致：2024年和2023年'],
    ]);
  });
});
