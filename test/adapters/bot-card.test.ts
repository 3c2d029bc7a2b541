// The cards the bot sends, rendered from a check's outcome: what a reviewer reads in Feishu.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  CARD_BYTES,
  correctedNote,
  errorCard,
  escape,
  progressCard,
  resultCard,
  resultText,
  rulesCard,
  UPLOAD_LIMIT_BYTES,
} from '../../bot-feishu/src/card.js';
import { checkReport } from '../../bot-feishu/src/check.js';
import { MAX_WRITE_ELEMENTS } from '../../grammar/src/fix/write-docx.js';
import { CROSS_YEAR_RULES, RULES } from '../../grammar/src/index.js';
import { T3_ROWS } from '../../grammar/src/template.js';
import { hasCorpus } from '../corpus.js';
import { report, sampleValues } from '../fixtures/build.js';
import { wordReport } from '../fixtures/word.js';
import { editDocument } from '../fixtures/word-controls.js';

type Element = {
  tag: string;
  content?: string;
  expanded?: boolean;
  header?: { title: { content: string } };
  elements?: Element[];
  columns?: Array<{ name: string; display_name: string }>;
  rows?: Array<Record<string, string>>;
};
type CardJson = {
  schema: string;
  config: { update_multi: boolean; summary: { content: string } };
  header: {
    template: string;
    title: { content: string };
    subtitle?: { content: string };
    text_tag_list?: Array<{ tag: string; text: { content: string }; color: string }>;
  };
  body: { elements: Element[] };
};
/** Every markdown text of the card, panels included, in order. */
const text = (c: unknown) => {
  const walk = (es: Element[]): string[] =>
    es.flatMap((e) =>
      e.tag === 'collapsible_panel' ? [e.header!.title.content, ...walk(e.elements!)] : [e.content ?? ''],
    );
  return walk((c as CardJson).body.elements)
    .filter(Boolean)
    .join('\n');
};
const panels = (c: unknown) =>
  (c as CardJson).body.elements
    .filter((e) => e.tag === 'collapsible_panel')
    .map((e) => ({
      title: e.header!.title.content,
      expanded: e.expanded,
      text: text({ body: { elements: e.elements } }),
    }));
/** The card's table components as rows of cells, the header first. */
const tables = (c: unknown) =>
  (c as CardJson).body.elements
    .filter((e) => e.tag === 'table')
    .map((t) => [
      t.columns!.map((col) => col.display_name),
      ...t.rows!.map((row) => t.columns!.map((col) => row[col.name])),
    ]);
const tags = (c: unknown) => (c as CardJson).header.text_tag_list?.map((t) => `${t.text.content}:${t.color}`);
const example = readFileSync(new URL('../fixtures/example-pipe.txt', import.meta.url), 'utf8');
const real = (name: string) => fileURLToPath(new URL(`../../../shared/corpus/real/${name}`, import.meta.url));

async function outcome(t: string, fileName = 'r.txt') {
  const o = await checkReport({ text: t, fileName, maxBytes: 1 << 24, timeoutMs: 10000 });
  if (!o.ok) throw new Error(o.message);
  return o;
}

const T3_HEADER = ['项目', '自然人', '商业企业', '科研机构', '社会公益组织', '法律服务机构', '其他', '总计'];
const T4_HEADER = ['项目', '结果维持', '结果纠正', '其他结果', '尚未审结', '总计'];

describe('result card', () => {
  it('schema 2.0, red, count tags, errors in an open panel with location and fix, 表三/表四 in table components', async () => {
    const o = await outcome(example, '年报.txt');
    const view = resultCard('年报.txt', o);
    const card = view.card as CardJson;
    expect(card.schema).toBe('2.0');
    expect(card.config.update_multi).toBe(true);
    expect(card.header.template).toBe('red');
    expect(card.header.title.content).toBe('年报校对：年报.txt');
    expect(tags(card)).toEqual(['2 个错误:red']);
    expect(card.config.summary.content).toBe('共发现 2 个错误。');
    expect(view).toMatchObject({ shown: 2, total: 2 });
    expect(card.body.elements.map((e) => e.tag)).toEqual([
      'markdown',
      'markdown',
      'table',
      'markdown',
      'table',
      'collapsible_panel',
    ]);
    expect(card.body.elements[0].content).toBe(
      '**共发现 2 个错误。**\n可自动修复的问题已修正，修正后的文本随后以文件发送。',
    );
    expect(tables(card)).toEqual([
      [
        T3_HEADER,
        ['一、本年新收政府信息公开申请数量', '2', '1', '0', '0', '0', '0', '3'],
        ['二、上年结转政府信息公开申请数量', '1', '0', '0', '0', '0', '0', '1'],
        ['（七）总计', '2', '1', '0', '0', '0', '0', '3'],
        ['四、结转下年度继续办理', '1', '0', '0', '0', '0', '0', '1'],
      ],
      [
        T4_HEADER,
        ['行政复议', '1', '0', '0', '0', '2'],
        ['未经复议直接起诉', '0', '0', '0', '0', '0'],
        ['复议后起诉', '0', '0', '0', '0', '0'],
      ],
    ]);
    expect(panels(card)).toEqual([
      {
        title: '**错误（2）**',
        expanded: true,
        text: [
          '**表格数据**',
          '- **错误** 表三缺少“2.重复申请”行',
          '　位置：三、收到和处理政府信息公开申请情况 › 表三 · 第43行',
          '　建议：插入“2.重复申请”行（可自动修复）',
          '- **错误** 表四“行政复议”总计为2，但结果维持、结果纠正、其他结果、尚未审结之和为1',
          '　位置：四、政府信息公开行政复议、行政诉讼情况 › 表四“行政复议”总计 · 第54行',
        ].join('\n'),
      },
    ]);
    expect(JSON.stringify(card)).not.toContain('0 个');
  });

  it('with NIANBAO_RULES_URL, each panel ends with a link to the page of each rule it shows', async () => {
    const o = await outcome(
      report('tab').replace('2.重复申请', '2.重复申清').replace('（七）总计', '（七）合计'),
    );
    expect(JSON.stringify(resultCard('r.txt', o).card)).not.toContain('规则说明');
    process.env.NIANBAO_RULES_URL = 'https://intranet.example/nianbao/rules/';
    try {
      const card = resultCard('r.txt', o).card as CardJson;
      const [warnings] = panels(card);
      expect(warnings.text.split('\n').at(-1)).toBe(
        '规则说明：[行标签不规范](https://intranet.example/nianbao/rules/row-label.md)',
      );
    } finally {
      delete process.env.NIANBAO_RULES_URL;
    }
  });

  it('green with a plain sentence for a clean report; the title and year as subtitle', async () => {
    const o = await outcome(report('tab'));
    const card = resultCard('r.txt', o).card as CardJson;
    expect(card.header.template).toBe('green');
    expect(card.header.subtitle!.content).toBe('青禾县农业农村局2024年政府信息公开工作年度报告 · 2024 年度');
    expect(tags(card)).toEqual(['符合模板:green']);
    expect(card.body.elements[0].content).toBe('**未发现问题：章节、表格和合计关系都符合模板。**');
    expect(panels(card)).toEqual([]);
  });

  it('warnings only: “未发现错误，有 2 个警告”, a closed panel, and the row labels as the report writes them', async () => {
    const o = await outcome(
      report('tab').replace('2.重复申请', '2.重复申清').replace('（七）总计', '（七）合计'),
    );
    const card = resultCard('r.txt', o).card as CardJson;
    expect(card.header.template).toBe('orange');
    expect(tags(card)).toEqual(['2 个警告:orange']);
    expect(card.config.summary.content).toBe('未发现错误，有 2 个警告。');
    expect(JSON.stringify(card)).not.toMatch(/0 个错误/);
    const [warnings] = panels(card);
    expect(panels(card)).toHaveLength(1);
    expect(warnings.title).toBe('**警告（2）**');
    expect(warnings.expanded).toBe(false);
    expect(warnings.text).toContain(
      '　位置：三、收到和处理政府信息公开申请情况 › 表三“2.重复申请”行（报告中写作“2.重复申清”）',
    );
    expect(tables(card)[0][3]).toEqual([
      '（七）总计（报告中写作“（七）合计”）',
      '2',
      '1',
      '0',
      '0',
      '0',
      '0',
      '3',
    ]);
  });

  it('blank cells grouped by row go in their own closed panel; errors stay open above them', async () => {
    const t = report('tab')
      .replace(/^(\d\.[^\t\n]+)\t0\t0/gm, '$1\t空\t空')
      .replace(/\n1\t0\t0\t0\t1\t/, '\n1\t0\t0\t0\t9\t');
    const o = await outcome(t);
    const card = resultCard('r.txt', o).card as CardJson;
    const blanks = o.result.findings.filter((f) => f.ruleId === 'cell-blank');
    expect(blanks.length).toBeGreaterThan(3);
    expect(panels(card).map((p) => [p.title, p.expanded])).toEqual([
      ['**错误（1）**', true],
      ['**空白单元格（' + blanks.length + '）**', false],
    ]);
    expect(panels(card)[0].text).toMatch(/表四“行政复议”总计为9/);
  });

  it('proofreading findings (文字) get their own closed panel after the template’s, and their own section in the text', async () => {
    const t = report('tab')
      .replace('\n1\t0\t0\t0\t1\t', '\n1\t0\t0\t0\t9\t')
      .replace('本年度未收取信息处理费。', '本年度未收取信息处理废,未发生行政复义案件。');
    const o = await outcome(t);
    const card = resultCard('r.txt', o).card as CardJson;
    expect(panels(card).map((p) => [p.title, p.expanded])).toEqual([
      ['**错误（1）**', true],
      // The misspelt fee statement is no fee statement for the template's rule.
      ['**警告（1）**', false],
      ['**文字（3）**', false],
    ]);
    const words = panels(card)[2].text;
    expect(words).toContain('“信息处理废”疑为模板用语“信息处理费”之误');
    expect(words).toContain('“行政复义”疑为模板用语“行政复议”之误');
    expect(words).toContain('中文之间用了半角逗号“,”，应为全角“，”');
    expect(panels(card)[1].text).not.toContain('疑为模板用语');
    const plain = resultText('r.txt', o);
    expect(plain.indexOf('【文字】')).toBeGreaterThan(plain.indexOf('【表格数据】'));
    // The corrected file has the template's terms and the full-width comma.
    expect(new TextDecoder().decode(o.corrected!.bytes)).toContain(
      '本年度未收取信息处理费，未发生行政复议案件。',
    );
  });

  it('a Word file: its typo and half-width comma (文字) are corrected in the .docx itself', async () => {
    const bytes = editDocument(await wordReport(), null, [
      ['本年度未收取信息处理费。', '本年度未收取信息处理废,未发生行政复议案件。'],
    ]);
    const o = await checkReport({ bytes, fileName: '年报.docx', maxBytes: 1 << 26, timeoutMs: 30000 });
    if (!o.ok) throw new Error(o.message);
    expect(o.result.findings.map((f) => f.ruleId)).toEqual(
      expect.arrayContaining(['term-typo', 'punctuation']),
    );
    expect(o.corrected).toMatchObject({ kind: 'file', fileName: '年报（已修正）.docx' });
    const again = await checkReport({
      bytes: o.corrected!.bytes,
      fileName: '年报.docx',
      maxBytes: 1 << 26,
      timeoutMs: 30000,
    });
    if (!again.ok) throw new Error(again.message);
    expect(again.result.findings.filter((f) => ['term-typo', 'punctuation'].includes(f.ruleId))).toEqual([]);
  });

  it.skipIf(!hasCorpus)(
    'a PDF: no fix is marked （可自动修复） — nothing can be written into the PDF; the corrected text is said to come as .txt',
    async () => {
      const o = await checkReport({
        bytes: readFileSync(real('001_hongzequ_2023.pdf')),
        fileName: 'r.pdf',
        maxBytes: 1 << 24,
        timeoutMs: 30000,
      });
      if (!o.ok) throw new Error(o.message);
      expect(o.writable).toBe(false);
      expect(o.result.findings.some((f) => f.fix)).toBe(true);
      const t = text(resultCard('r.pdf', o).card);
      expect(t).toContain('　建议：');
      expect(t).not.toContain('可自动修复）');
      expect(o.corrected).toMatchObject({ kind: 'text', fileName: 'r（已修正文本）.txt' });
      expect(t).toContain(
        'PDF 文件不能直接修改，修复无法写回原文件；可自动修复的问题已在提取的文本中修正，修正后的文本随后以 .txt 文件发送。',
      );
    },
  );

  it('a Word file too large to write fixes into: fixDocx’s reason on the card, the corrected text instead, no （可自动修复）', async () => {
    const empty = '<w:p><w:pPr><w:jc w:val="left"/></w:pPr></w:p>'.repeat(MAX_WRITE_ELEMENTS / 3 + 1);
    const bytes = editDocument(
      await wordReport(sampleValues(), { omitT3: [T3_ROWS.findIndex((x) => x.label === '2.重复申请')] }),
      null,
      [['<w:sectPr', `${empty}<w:sectPr`]],
    );
    const o = await checkReport({ bytes, fileName: '年报.docx', maxBytes: 1 << 26, timeoutMs: 30000 });
    if (!o.ok) throw new Error(o.message);
    expect(o.writable).toBe(false);
    expect(o.corrected).toMatchObject({ kind: 'text', fileName: '年报（已修正文本）.txt' });
    expect(new TextDecoder().decode(o.corrected!.bytes)).toContain('2.重复申请');
    const t = text(resultCard('年报.docx', o).card);
    expect(t.split('\n')[1]).toMatch(
      /^Word 文档内容过多（\d+ 个元素，上限 200000），无法写入修复；可自动修复的问题已在提取的文本中修正，修正后的文本随后以 \.txt 文件发送。$/,
    );
    expect(t).toMatch(/^　建议：插入“2\.重复申请”行$/m);
  });

  it('a corrected file over the upload limit is not promised: the card says it is not sent', async () => {
    const o = await outcome(example, '年报.txt');
    const size = o.corrected!.bytes.length;
    expect(correctedNote(o.corrected!, size - 1)).toBe(
      `修正后的文件有 ${(size / 1024 / 1024).toFixed(1)} MB，超过飞书文件上传上限 0.0 MB，未发送；请按下列建议手工修改。`,
    );
    expect(text(resultCard('年报.txt', o, { uploadLimit: size - 1 }).card)).toContain(
      '未发送；请按下列建议手工修改',
    );
    expect(UPLOAD_LIMIT_BYTES).toBe(30 * 1024 * 1024);
  });

  it('markup quoted from the report is neutralised', async () => {
    const o = await outcome(report('tab').replace('全年组织业务培训两次。', '[bookmark: _GoBack]'));
    const t = text(resultCard('r.txt', o).card);
    expect(t).toContain('&#91;bookmark: &#95;GoBack&#93;');
    expect(t).not.toContain('[bookmark');
    expect(escape('**a**')).toBe('&#42;&#42;a&#42;&#42;');
  });

  it('a result too big for one card is cut to fit, and says how many are left out', async () => {
    // Two floods of different rules (each listed up to the per-rule bound of 100, then one finding
    // counting the rest): 200 leftover bookmarks and a 表三 row repeated 150 times.
    const flooded = report('tab')
      .replace('全年组织业务培训两次。', `[bookmark: _Toc${'1234567890'.repeat(3)}]`.repeat(200))
      .replace(/^（三）不予公开\t(1\.属于国家秘密\t[^\n]*\n)/m, (row, dup) => row + dup.repeat(150));
    const o = await outcome(flooded);
    expect(o.result.findings.length).toBeGreaterThan(200);
    const view = resultCard('r.txt', o, { limit: 1000 });
    expect(view.shown).toBeLessThan(view.total);
    expect(Buffer.byteLength(JSON.stringify(view.card))).toBeLessThanOrEqual(CARD_BYTES);
    expect(text(view.card)).toContain(`另有 ${view.total - view.shown} 个问题未在卡片中列出`);
    // The full text lists every finding.
    expect(resultText('r.txt', o).match(/^　规则：/gm)).toHaveLength(view.total);
  });

  it('a cut card shows the errors first, however many warnings come before them in the text', async () => {
    // Blank cells in many 表三 rows (warnings) above a wrong 表四 total (an error).
    const t = report('tab')
      .replace(/^(\d\.[^\t\n]+)\t0\t0/gm, '$1\t空\t空')
      .replace(/\n1\t0\t0\t0\t1\t/, '\n1\t0\t0\t0\t9\t');
    const o = await outcome(t);
    const view = resultCard('r.txt', o, { limit: 3 });
    const lines = text(view.card)
      .split('\n')
      .filter((l) => l.startsWith('- '));
    expect(o.result.findings.filter((f) => f.severity === 'warning').length).toBeGreaterThan(3);
    expect(lines[0]).toMatch(/^- \*\*错误\*\* 表四“行政复议”总计为9/);
  });

  it('progress, error and rules cards', () => {
    expect(text(progressCard('a.pdf'))).toContain('正在检查');
    const err = errorCard('a.pdf', 'PDF 已加密') as CardJson;
    expect(err.header.template).toBe('red');
    expect(text(err)).toBe('PDF 已加密');
    const rules = text(rulesCard());
    for (const r of [...RULES, ...CROSS_YEAR_RULES]) expect(rules).toContain(`（${r.id}，默认`);
    expect(rules).toContain('（carryover-mismatch，默认错误）');
  });
});

describe('batch card size', () => {
  it('three entries with 20,000-character names: the card stays under the limit, each name cut keeping its end', async () => {
    const { batchCard, batchText } = await import('../../bot-feishu/src/batch-card.js');
    const { unreadableRow } = await import('../../cli/review/summary.js');
    const { CARD_BYTES } = await import('../../bot-feishu/src/card.js');
    const names = ['甲', '乙', '丙'].map((c) => `${c.repeat(20000)}年报${c}.txt`);
    const review = {
      rows: names.map((n) => unreadableRow(n, `${n}：不是文本文件（可能是其他格式的文件改了扩展名）`)),
      pairs: [],
    };
    const card = batchCard(`${'压'.repeat(20000)}.zip`, review);
    const json = JSON.stringify(card);
    expect(Buffer.byteLength(json)).toBeLessThanOrEqual(CARD_BYTES);
    for (const n of names) expect(json).toContain(`…${n.slice(-20)}**`);
    expect(json).toContain('3 份报告');
    expect(batchText('x.zip', review).length).toBeLessThan(2000);
  });
});
