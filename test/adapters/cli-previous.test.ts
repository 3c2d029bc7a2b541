// `nianbao check FILE --previous LAST_YEAR_FILE`: the cross-year findings among the file's own, in
// every output format; `nianbao rules` lists the cross-year rules.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CROSS_YEAR_RULES, RULES } from '../../grammar/src/index.js';
import { nianbaoIn } from '../fixtures/cli.js';
import { yearReport } from '../fixtures/cross-year.js';

const nianbao = nianbaoIn;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nianbao-previous-'));
fs.writeFileSync(
  path.join(dir, '2023.txt'),
  yearReport({ title: '临川市松溪区教育局2023年度政府信息公开工作年度报告', year: 2023 }),
);
const THIS = yearReport({
  title: '松溪区教育局2024年政府信息公开工作年度报告',
  year: 2024,
  facts: { docs: [2, 1, 11], carriedIn: [3, 0, 0, 0, 0, 0] },
});
fs.writeFileSync(path.join(dir, '2024.txt'), THIS);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const lineOf = (start: string) => THIS.split('\n').findIndex((l) => l.startsWith(start)) + 1;
const colOf = (start: string, n: number) => {
  const line = THIS.split('\n')[lineOf(start) - 1];
  let i = 0;
  for (let k = 0; k < n; k++) i = line.indexOf(' | ', i) + 3;
  return i + 1;
};

describe('nianbao check --previous', () => {
  it('text: the cross-year findings at their lines, and nothing else; exit 1 for the error', () => {
    expect(nianbao(['check', '2024.txt'], dir)).toEqual({ code: 0, out: '1 个文件：未发现问题\n', err: '' });
    const r = nianbao(['check', '2024.txt', '--previous', '2023.txt'], dir);
    expect(r.err).toBe('');
    expect(r.code).toBe(1);
    expect(r.out).toBe(
      [
        `2024.txt:${lineOf('行政规范性文件')}:${colOf('行政规范性文件', 3)}  警告  表二“行政规范性文件”现行有效件数为11，但上年报告的现行有效件数9加本年制发2件、减本年废止1件应为10（如有修订、到期失效等情况，请核实）  [stock-mismatch]`,
        `2024.txt:${lineOf('二、上年结转')}:${colOf('二、上年结转', 1)}  错误  表三“上年结转”“自然人”为3，但上年报告“结转下年度”为1  [carryover-mismatch]`,
        '1 个文件：1 个错误，1 个警告',
        '',
      ].join('\n'),
    );
  });

  it('json and sarif carry the same findings; .nianbaorc.json severities apply', () => {
    const json = JSON.parse(nianbao(['check', '-f', 'json', '2024.txt', '--previous', '2023.txt'], dir).out);
    expect(json[0].findings.map((f: { ruleId: string; line: number }) => [f.ruleId, f.line])).toEqual([
      ['stock-mismatch', lineOf('行政规范性文件')],
      ['carryover-mismatch', lineOf('二、上年结转')],
    ]);
    const sarif = JSON.parse(
      nianbao(['check', '-f', 'sarif', '2024.txt', '--previous', '2023.txt'], dir).out,
    );
    const run = sarif.runs[0];
    const rules = run.tool.driver.rules.map((r: { id: string }) => r.id);
    expect(
      run.results.map((r: { ruleId: string; level: string; ruleIndex: number }) => [
        r.ruleId,
        r.level,
        rules[r.ruleIndex],
      ]),
    ).toEqual([
      ['stock-mismatch', 'warning', 'stock-mismatch'],
      ['carryover-mismatch', 'error', 'carryover-mismatch'],
    ]);
    const cfg = path.join(dir, 'cfg.json');
    fs.writeFileSync(
      cfg,
      JSON.stringify({ rules: { 'carryover-mismatch': 'warning', 'stock-mismatch': 'off' } }),
    );
    const r = nianbao(['check', '-c', cfg, '2024.txt', '--previous', '2023.txt'], dir);
    expect([r.code, r.out.split('\n').slice(-2)[0]]).toEqual([0, '1 个文件：1 个警告']);
    expect(r.out).toContain('[carryover-mismatch]');
  });

  it('a previous report of another year is not compared (said on stderr); an unreadable one is a usage error', () => {
    const r = nianbao(['check', '2023.txt', '--previous', '2024.txt'], dir);
    expect(r).toEqual({
      code: 0,
      out: '1 个文件：未发现问题\n',
      err: 'nianbao：2023.txt：报告年度为2023年，--previous 指定的报告为2024年，不是上一年度，未与之比对\n',
    });
    // Another body's name (a renamed bureau, or the wrong file): compared as asked, and said.
    fs.writeFileSync(
      path.join(dir, 'other.txt'),
      yearReport({ title: '松溪区文化和旅游局2023年政府信息公开工作年度报告', year: 2023 }),
    );
    const other = nianbao(['check', '2024.txt', '--previous', 'other.txt'], dir);
    expect(other.err).toBe(
      'nianbao：2024.txt：与上年报告的单位名称不同（松溪区教育局、松溪区文化和旅游局），仍按 --previous 比对\n',
    );
    expect(other.out).toContain('[carryover-mismatch]');
    // A file that is not a report (no table read): said, not compared, never a silent 未发现问题.
    fs.writeFileSync(path.join(dir, 'notes.txt'), '会议纪要\n一、参会人员\n二、议定事项\n');
    const notReport = nianbao(['check', '2023.txt', '--previous', 'notes.txt'], dir);
    expect(notReport.err).toBe(
      'nianbao：2023.txt：--previous 指定的文件中没有读出表二、表三、表四，不像是年度报告，未与之比对\n',
    );
    const missing = nianbao(['check', '2024.txt', '--previous', 'nope.txt'], dir);
    expect(missing.code).toBe(2);
    expect(missing.err).toBe(
      'nianbao：nope.txt：无法读取文件（文件不存在）\nnianbao：上年报告（--previous）无法读取，未做检查\n',
    );
  });

  it('nianbao rules lists the cross-year rules after the others', () => {
    const r = nianbao(['rules'], dir);
    expect(r.out.split('\n').slice(-5)).toEqual([
      expect.stringMatching(
        /^carryover-mismatch +错误 {2}上年结转与上年报告不符 +\S+carryover-mismatch\.md$/,
      ),
      expect.stringMatching(
        /^stock-mismatch +警告 {2}现行有效件数与上年报告不衔接 {2}\S+stock-mismatch\.md$/,
      ),
      expect.stringMatching(/^prose-copied +提示 {2}正文照搬上年报告 +\S+prose-copied\.md$/),
      `共 ${RULES.length + CROSS_YEAR_RULES.length} 条规则；每条规则的说明（检查什么、为什么、示例、如何修复）见所列文件`,
      '',
    ]);
  });
});
