// `nianbao review` on a folder whose reports name their bodies in the places publishing systems
// put titles: reports of one body in neighbouring years paired, two reports of one body and year
// listed as duplicates (which one was compared, and why), reports left unpaired with their reason,
// and with `--units` the bodies expected but missing and the bodies not on the list.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { JsonResult } from '../../grammar/src/index.js';
import { nianbaoIn } from '../fixtures/cli.js';
import { yearReport } from '../fixtures/cross-year.js';
import { renderedPage } from '../fixtures/rendered-page.js';
import { cmsPage, type PageLayout, titledDocx } from '../fixtures/titles.js';

const _root = path.resolve(import.meta.dirname, '../..');
const _tsx = import.meta.resolve('tsx');
const nianbao = nianbaoIn;

/** GB18030 bytes of a text (Node decodes GB18030 but has no encoder): the two-byte codes looked up. */
function gb18030(text: string): Uint8Array {
  const dec = new TextDecoder('gb18030');
  const codes = new Map<string, number[]>();
  for (let a = 0x81; a <= 0xfe; a++)
    for (let b = 0x40; b <= 0xfe; b++) if (b !== 0x7f) codes.set(dec.decode(Uint8Array.of(a, b)), [a, b]);
  return Uint8Array.from(
    [...text].flatMap((ch) => (ch.charCodeAt(0) < 0x80 ? [ch.charCodeAt(0)] : codes.get(ch)!)),
  );
}

/** 表四's row of numbers with its third cell blank. */
const blankT4Cell = (text: string) => text.replace(/^((?:\d+\t){2})\d+((?:\t\d+){12})$/m, '$1$2');

const SITE = '栖霞县人民政府';
const page = (
  layout: PageLayout,
  body: string,
  year: number,
  yearWords = `${year}年`,
  edit?: (t: string) => string,
) => cmsPage(layout, { title: '', body, site: SITE, yearWords, year, edit });

let dir: string;
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nianbao-pairing-'));
  const put = (name: string, data: string | Uint8Array) => fs.writeFileSync(path.join(dir, name), data);
  // One body in two years, its title in a layout table's cell and in a title block.
  put('住建局2023.html', page('layout-table', '栖霞县住房和城乡建设局', 2023, '2023年度'));
  put('住建局2024.html', page('title-div', '栖霞县住房和城乡建设局', 2024));
  // Two reports of one body and year: the Word file's tables read whole, the page's with a blank cell.
  put('水利局2024.html', page('wrapped-div', '栖霞县水利局', 2024, '2024年', blankT4Cell));
  put(
    '水利局2024定稿.docx',
    await titledDocx('paragraph', '栖霞县水利局2024年政府信息公开工作年度报告', { title: '', year: 2024 }),
  );
  put('水利局2023.txt', yearReport({ title: '栖霞县水利局2023年政府信息公开工作年度报告', year: 2023 }));
  // A text box title; last year's report as text, titled with a Chinese-numeral year.
  put(
    '民政局2024.docx',
    await titledDocx('textbox', '栖霞县民政局2024年政府信息公开工作年度报告', { title: '', year: 2024 }),
  );
  put(
    '民政局2023.txt',
    yearReport({ title: '栖霞县民政局二〇二三年度政府信息公开工作年度报告', year: 2023 }),
  );
  // Two names of one body, the list's alias joining them.
  put('教体局2023.txt', yearReport({ title: '栖霞县教体局2023年政府信息公开工作年度报告', year: 2023 }));
  put('教体局2024.html', page('centred', '栖霞县教育体育局', 2024));
  // No title at all: only a sentence of the body names the report.
  put('审计.html', page('no-title', '栖霞县审计局', 2024));
  // A body with one year only, and not on the list.
  put('图书馆2024.txt', yearReport({ title: '栖霞县图书馆2024年政府信息公开工作年度报告', year: 2024 }));
  put(
    '名单.csv',
    gb18030(
      '机关名称\t别名\r\n栖霞县住房和城乡建设局\t县住建局\r\n栖霞县水利局\r\n栖霞县民政局\r\n栖霞县教育体育局\t栖霞县教体局\r\n栖霞县审计局\r\n栖霞县财政局\r\n',
    ),
  );
}, 120_000);

const file = (name: string) => path.join(dir, name);

describe('review of a folder: who each report is, pairs, duplicates, unpaired, the list', () => {
  it('text: the pairs, the duplicates, 应报未报 and the bodies not on the list', () => {
    const r = nianbao(
      ['review', dir, '--units', file('名单.csv'), '-s', file('out.html'), '-s', file('out.xlsx')],
      dir,
    );
    expect(r.err).toBe('');
    // The summary line, then the summaries written and the reports with the most problems.
    expect(r.out.split('\n')[0]).toMatch(
      /；跨年度对照 4 对；同一机关同一年度重复 1 组；应报未报 2 个（栖霞县审计局、栖霞县财政局）；不在名单 1 个（栖霞县图书馆）；1 份未识别标题$/,
    );
  }, 120_000);

  it('html: which of the duplicates was compared and why; why the others were not paired', async () => {
    const html = await renderedPage(file('out.html'));
    const rows = (id: string) => {
      const from = html.indexOf(`<h3 id="${id}">`);
      const table = html.slice(from, html.indexOf('</table>', from));
      return [...table.matchAll(/<tr><td>(.*?)<\/td><\/tr>/g)].map((m) =>
        m[1].split(/<\/td><td>/).map((c) => c.replace(/<br>/g, ' ')),
      );
    };
    expect(rows('duplicates')).toEqual([
      [
        '栖霞县水利局',
        '2024年',
        file('水利局2024定稿.docx'),
        file('水利局2024.html'),
        // 表二 10, 表三 25 × 7, 表四 15 cells; one of 表四's blank on the page.
        '表格读出的数字最多（200 个，另一份 199 个）',
      ],
    ]);
    expect(rows('unpaired')).toEqual([
      [file('图书馆2024.txt'), '栖霞县图书馆', '2024年', '没有该机关相邻年度（2023年或2025年）的报告'],
      [file('审计.html'), '未识别标题', '2024年', '未识别标题，无法确定发布机关'],
      [
        file('水利局2024.html'),
        '栖霞县水利局',
        '2024年',
        `与“${file('水利局2024定稿.docx')}”是同一机关同一年度的报告，跨年度对照使用了后者`,
      ],
    ]);
    expect(html).toContain('<p>应报未报 2 个：栖霞县审计局、栖霞县财政局</p>');
    expect(html).toContain('<p>不在名单 1 个：栖霞县图书馆</p>');
    // The pairs, by the list's names.
    const pairs = [...html.matchAll(/<summary>(.*?)：(\d{4})年 → (\d{4})年/g)].map((m) => m[1]).sort();
    expect(pairs).toEqual(['栖霞县住房和城乡建设局', '栖霞县教育体育局', '栖霞县民政局', '栖霞县水利局']);
    // The report without a title: 未识别标题 in the body column, never a guess.
    expect(html).toMatch(/<tr data-i="\d+"><td class="body">未识别标题<\/td>(?:(?!<\/tr>).)*审计\.html<\/a>/);
  });

  it('xlsx: the same notes on their own sheet', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file('out.xlsx'));
    const rows: unknown[][] = [];
    wb.getWorksheet('对照说明')!.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
    expect(rows.map((r) => r.slice(0, 2))).toEqual([
      ['类别', '机关'],
      ['应报未报', '栖霞县审计局'],
      ['应报未报', '栖霞县财政局'],
      ['不在名单', '栖霞县图书馆'],
      ['重复（用于对照）', '栖霞县水利局'],
      ['重复（未用于对照）', '栖霞县水利局'],
      ['未能对照', '栖霞县图书馆'],
      ['未能对照', '未识别标题'],
      ['未能对照', '栖霞县水利局'],
    ]);
  });

  it('json: the report without a title has title null and one title-missing finding', () => {
    const r = nianbao(['review', file('审计.html'), file('住建局2024.html'), '-f', 'json'], dir);
    const results = JSON.parse(r.out) as JsonResult[];
    expect(results.map((x) => [x.title, x.year, x.findings.map((f) => f.ruleId)])).toEqual([
      [null, 2024, ['title-missing']],
      ['栖霞县住房和城乡建设局2024年政府信息公开工作年度报告', 2024, []],
    ]);
  }, 60_000);

  it('a list that cannot be used: a Chinese message and exit status 2', () => {
    fs.writeFileSync(file('empty.csv'), '\ufeff机关名称\r\n');
    fs.writeFileSync(file('bin.csv'), Uint8Array.of(0x50, 0x4b, 3, 4, 0, 0, 0));
    for (const [list, message] of [
      ['missing.csv', `nianbao：无法读取名单文件“${file('missing.csv')}”（`],
      ['empty.csv', `nianbao：名单文件“${file('empty.csv')}”中没有机关名称`],
      ['bin.csv', `nianbao：名单文件“${file('bin.csv')}”不是文本文件`],
    ]) {
      const r = nianbao(['review', file('图书馆2024.txt'), '--units', file(list)], dir);
      expect(r.code).toBe(2);
      expect(r.err.startsWith(message)).toBe(true);
      expect(r.out).toBe('');
    }
  }, 60_000);
});
