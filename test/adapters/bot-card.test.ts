// The cards the bot sends, rendered from a check's outcome: what a reviewer reads in Feishu.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  CARD_BYTES,
  errorCard,
  escape,
  progressCard,
  resultCard,
  resultText,
  rulesCard,
} from '../../bot-feishu/src/card.js';
import { checkReport } from '../../bot-feishu/src/check.js';
import { RULES } from '../../grammar/src/index.js';
import { report } from '../fixtures/build.js';

type CardJson = {
  schema: string;
  config: { update_multi: boolean; summary: { content: string } };
  header: { template: string; title: { content: string }; subtitle?: { content: string } };
  body: { elements: Array<{ tag: string; content?: string }> };
};
const text = (c: unknown) => (c as CardJson).body.elements.map((e) => e.content ?? '').join('\n');
const example = readFileSync(new URL('../fixtures/example-pipe.txt', import.meta.url), 'utf8');

async function outcome(t: string, fileName = 'r.txt') {
  const o = await checkReport({ text: t, fileName, maxBytes: 1 << 24, timeoutMs: 10000 });
  if (!o.ok) throw new Error(o.message);
  return o;
}

describe('result card', () => {
  it('schema 2.0, red, findings grouped with location and suggested fix, key figures of 表三/表四', async () => {
    const o = await outcome(example, '年报.txt');
    const view = resultCard('年报.txt', o.result, o.found, { corrected: o.corrected });
    const card = view.card as CardJson;
    expect(card.schema).toBe('2.0');
    expect(card.config.update_multi).toBe(true);
    expect(card.header.template).toBe('red');
    expect(card.header.title.content).toBe('年报校对：年报.txt');
    expect(card.config.summary.content).toBe('共发现 2 个错误、0 个警告。');
    expect(view).toMatchObject({ shown: 2, total: 2 });
    expect(text(card).split('\n')).toEqual([
      '**共发现 2 个错误、0 个警告。**',
      '可自动修复的问题已修正，修正后的文本随后以文件发送。',
      '表三（总计列）：本年新收 3，上年结转 1，办理结果总计 3，结转下年度继续办理 1',
      '表四（总计）：行政复议 2，未经复议直接起诉 0，复议后起诉 0',
      '',
      '**表格数据**（2）',
      '- **错误** 表三缺少“2.重复申请”行',
      '　位置：三、收到和处理政府信息公开申请情况 › 表三 · 第43行',
      '　建议：插入“2.重复申请”行',
      '- **错误** 表四“行政复议”总计为2，但结果维持、结果纠正、其他结果、尚未审结之和为1',
      '　位置：四、政府信息公开行政复议、行政诉讼情况 › 表四“行政复议”总计 · 第54行',
      '　建议：将表四“行政复议”总计改为1',
    ]);
  });

  it('green with a plain sentence for a clean report; the title and year as subtitle', async () => {
    const o = await outcome(report('tab'));
    const card = resultCard('r.txt', o.result, o.found).card as CardJson;
    expect(card.header.template).toBe('green');
    expect(card.header.subtitle!.content).toBe('青禾县农业农村局2024年政府信息公开工作年度报告 · 2024 年度');
    expect(text(card)).toContain('未发现问题');
  });

  it('markup quoted from the report is neutralised', async () => {
    const o = await outcome(report('tab').replace('全年组织业务培训两次。', '[bookmark: _GoBack]'));
    const t = text(resultCard('r.txt', o.result, o.found).card);
    expect(t).toContain('&#91;bookmark: &#95;GoBack&#93;');
    expect(t).not.toContain('[bookmark');
    expect(escape('**a**')).toBe('&#42;&#42;a&#42;&#42;');
  });

  it('a result too big for one card is cut to fit, and says how many are left out', async () => {
    const o = await outcome(
      report('tab').replace(
        '全年组织业务培训两次。',
        `[bookmark: _Toc${'1234567890'.repeat(3)}]`.repeat(200),
      ),
    );
    expect(o.result.findings.length).toBeGreaterThan(150);
    const view = resultCard('r.txt', o.result, o.found, { limit: 1000 });
    expect(view.shown).toBeLessThan(view.total);
    expect(Buffer.byteLength(JSON.stringify(view.card))).toBeLessThanOrEqual(CARD_BYTES);
    expect(text(view.card)).toContain(`另有 ${view.total - view.shown} 个问题未在卡片中列出`);
    // The full text lists every finding.
    expect(resultText('r.txt', o.result, o.found).match(/^　规则：/gm)).toHaveLength(view.total);
  });

  it('a cut card shows the errors first, however many warnings come before them in the text', async () => {
    // Blank cells in many 表三 rows (warnings) above a wrong 表四 total (an error).
    const t = report('tab')
      .replace(/^(\d\.[^\t\n]+)\t0\t0/gm, '$1\t空\t空')
      .replace('行政复议\t行政诉讼', '行政复议\t行政诉讼')
      .replace(/\n1\t0\t0\t0\t1\t/, '\n1\t0\t0\t0\t9\t');
    const o = await outcome(t);
    const view = resultCard('r.txt', o.result, o.found, { limit: 3 });
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
    for (const r of RULES) expect(rules).toContain(`（${r.id}，默认`);
  });
});
