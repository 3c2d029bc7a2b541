// The card the bot sends: the findings of `nianbao check`, as a reviewer reads them in Feishu.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { check, toJSON } from '../grammar/src/index.js';
import { resultCard } from '../bot-feishu/src/card.js';
import { report } from './fixtures/build.js';

describe('resultCard', () => {
  it('lists every finding with its level and line, red when there are errors', () => {
    const text = readFileSync(new URL('fixtures/example-pipe.txt', import.meta.url), 'utf8');
    const json = toJSON('example-pipe.txt', check(text));
    const card = resultCard('年报.txt', json) as { header: { template: string; title: { content: string } }; elements: Array<{ text?: { content: string } }> };
    expect(card.header.template).toBe('red');
    expect(card.header.title.content).toBe('年报校对：年报.txt');
    expect(card.elements[0].text!.content).toContain('共发现 2 个错误、0 个警告。');
    expect(card.elements[2].text!.content.split('\n')).toEqual([
      '**错误** 第43行：表三缺少“2.重复申请”行 〔可自动修复〕',
      '**错误** 第54行：表四“行政复议”总计为2，但结果维持、结果纠正、其他结果、尚未审结之和为1 〔可自动修复〕',
    ]);
  });
  it('green with a plain sentence for a clean report; quoted markup is escaped', () => {
    const clean = resultCard('r.txt', toJSON('r.txt', check(report('tab')))) as { header: { template: string }; elements: Array<{ text?: { content: string } }> };
    expect(clean.header.template).toBe('green');
    expect(clean.elements).toHaveLength(1);
    expect(clean.elements[0].text!.content).toContain('未发现问题');
    const marked = resultCard('r.txt', toJSON('r.txt', check(report('tab').replace('全年组织业务培训两次。', '[bookmark: _GoBack]'))));
    expect(JSON.stringify(marked)).toContain('\\\\[bookmark: \\\\_GoBack\\\\]');
  });
});
