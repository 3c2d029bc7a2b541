// `check` and `review` with a baseline of accepted findings (.nianbao-baseline.json): the accepted
// findings are left out of the output and the exit status and counted apart; they stay accepted when
// lines move and come back when their values change; --update-baseline writes them.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { baselineKeyOf, check, formatBaseline } from '../../grammar/src/index.js';
import { report, sampleValues } from '../fixtures/build.js';

const root = path.resolve(import.meta.dirname, '../..');
function nianbao(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [path.join(root, 'dist/cli/nianbao.js'), ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'nianbao-baseline-'));

/** A report with two planted errors: 表三's first total (4, its row sums to 3) and 表四's first total. */
function planted(t4Total = 2, year = 2024): string {
  const v = sampleValues();
  v.t3[0][6] = 4;
  v.t4[4] = t4Total;
  return report('pipe', v, year);
}
/** The same report with a paragraph added near the top: every line below moves down by two. */
const moved = (text: string) =>
  text.replace('一、总体情况\n', '一、总体情况\n本局今年新增一段说明。\n另起一段补充说明。\n');

/** A baseline file accepting the findings of `text` with these rule ids (as the quick fix writes them). */
function acceptIn(file: string, text: string, rules: string[]): void {
  const r = check(text);
  const entries = r.findings.filter((f) => rules.includes(f.ruleId)).map((f) => baselineKeyOf(r.report, f));
  expect(entries.length).toBe(rules.length);
  fs.writeFileSync(file, formatBaseline({ version: 1, entries }));
}
const rulesIn = (out: string) => [...out.matchAll(/\[([a-z0-9-]+)\]/g)].map((m) => m[1]);

describe('nianbao check with accepted findings', () => {
  it('leaves out exactly the accepted finding, found upward from the file, and counts it apart', () => {
    const dir = tmp();
    fs.mkdirSync(path.join(dir, '2024'));
    const file = path.join(dir, '2024', 'a.txt');
    fs.writeFileSync(file, planted());
    const before = nianbao(['check', file], os.tmpdir());
    expect(rulesIn(before.out)).toEqual(['t3-row-total', 't4-total']);
    expect(before.code).toBe(1);

    acceptIn(path.join(dir, '.nianbao-baseline.json'), planted(), ['t4-total']);
    const after = nianbao(['check', file], os.tmpdir());
    expect(rulesIn(after.out)).toEqual(['t3-row-total']);
    expect(after.code).toBe(1);
    expect(after.err).toContain('另有 1 个已核实的问题未列出');
    const json = JSON.parse(nianbao(['check', '-f', 'json', file], os.tmpdir()).out);
    expect(json[0].findings.map((f: { ruleId: string }) => f.ruleId)).toEqual(['t3-row-total']);
    expect(json[0].accepted).toBe(1);

    // Lines moved by an added paragraph: still accepted.
    fs.writeFileSync(file, moved(planted()));
    const shifted = nianbao(['check', file], os.tmpdir());
    expect(rulesIn(shifted.out)).toEqual(['t3-row-total']);
    expect(shifted.out).toMatch(/a\.txt:29:\d+ {2}错误/);

    // The accepted total changed: reported again.
    fs.writeFileSync(file, moved(planted(3)));
    const changed = nianbao(['check', file], os.tmpdir());
    expect(rulesIn(changed.out)).toEqual(['t3-row-total', 't4-total']);
    expect(changed.out).toContain('总计为3');
    expect(changed.err).not.toContain('已核实');
  });

  it('--update-baseline writes the errors, after which check exits 0; --baseline FILE is honoured', () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, 'a.txt'), planted());
    const update = nianbao(['check', 'a.txt', '--update-baseline'], dir);
    expect(update.code).toBe(0);
    expect(update.err).toContain('已将 2 个问题作为已核实问题记入 .nianbao-baseline.json');
    const written = JSON.parse(fs.readFileSync(path.join(dir, '.nianbao-baseline.json'), 'utf8'));
    expect(written.version).toBe(1);
    expect(written.entries.map((e: { rule: string; place: string }) => [e.rule, e.place])).toEqual([
      ['t3-row-total', '表三“一、本年新收政府信息公开申请数量”行“总计”列'],
      ['t4-total', '表四“行政复议”总计'],
    ]);
    const again = nianbao(['check', 'a.txt'], dir);
    expect(again.code).toBe(0);
    expect(again.out).toContain('1 个文件：未发现问题');
    expect(again.err).toContain('另有 2 个已核实的问题未列出');

    // Elsewhere, the file is not found upward; --baseline names it.
    const other = tmp();
    fs.copyFileSync(path.join(dir, 'a.txt'), path.join(other, 'a.txt'));
    expect(nianbao(['check', 'a.txt'], other).code).toBe(1);
    expect(
      nianbao(['check', 'a.txt', '--baseline', path.join(dir, '.nianbao-baseline.json')], other).code,
    ).toBe(0);
  });

  it('a baseline file that is not valid is said in Chinese, and the file is not checked', () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, 'a.txt'), planted());
    fs.writeFileSync(path.join(dir, '.nianbao-baseline.json'), '{"version": 1, "entries": [');
    const r = nianbao(['check', 'a.txt'], dir);
    expect(r.code).toBe(2);
    expect(r.err).toContain('已核实问题清单不是有效的 JSON');
    const given = nianbao(['check', 'a.txt', '--baseline', 'nope.json'], dir);
    expect(given.code).toBe(2);
    expect(given.err).toContain('nope.json：无法读取已核实问题清单（文件不存在）');
  });
});

describe('nianbao review with accepted findings', () => {
  it('leaves out the accepted findings of each report, cross-year ones included, and counts them', () => {
    const dir = tmp();
    // Last year's report carries 1 forward; this year's says 2 were carried over: a cross-year error.
    const v = sampleValues();
    v.t3[1] = [2, 0, 0, 0, 0, 0, 2];
    v.t3[0] = [1, 1, 0, 0, 0, 0, 2];
    fs.writeFileSync(path.join(dir, '2023.txt'), report('pipe', sampleValues(), 2023));
    const current = report('pipe', v, 2024).replace('本年度未收取信息处理费。', '本年度未收取信息处理费。\n');
    fs.writeFileSync(path.join(dir, '2024.txt'), current);
    const before = nianbao(['review', '.', '-f', 'json'], dir);
    const ids = (out: string) =>
      JSON.parse(out).flatMap((r: { findings: Array<{ ruleId: string }> }) =>
        r.findings.map((f) => f.ruleId),
      );
    expect(ids(before.out)).toContain('carryover-mismatch');
    expect(before.code).toBe(1);

    const update = nianbao(['review', '.', '--update-baseline'], dir);
    expect(update.code).toBe(0);
    expect(update.err).toMatch(/已将 \d+ 个问题作为已核实问题记入 \.nianbao-baseline\.json/);
    const rules = JSON.parse(fs.readFileSync(path.join(dir, '.nianbao-baseline.json'), 'utf8')).entries.map(
      (e: { rule: string }) => e.rule,
    );
    expect(rules).toContain('carryover-mismatch');

    const after = nianbao(['review', '.', '-s', 'r.csv', '-s', 'r.html'], dir);
    expect(after.code).toBe(0);
    expect(after.out).toContain(`另有 ${rules.length} 个已核实的问题未列出`);
    // The summary counts them apart, per report: its last column.
    const csv = fs
      .readFileSync(path.join(dir, 'r.csv'), 'utf8')
      .replace(/^\ufeff/, '')
      .trim()
      .split('\r\n');
    expect(csv[0].split(',').at(-1)).toBe('已核实');
    const accepted = csv.slice(1).reduce((n, l) => n + Number(l.split(',').at(-1)), 0);
    expect(accepted).toBe(rules.length);
    expect(fs.readFileSync(path.join(dir, 'r.html'), 'utf8')).toMatch(/另有 \d+ 个已核实的问题未列出/);
    // A paragraph added above: still accepted.
    fs.writeFileSync(path.join(dir, '2024.txt'), moved(current));
    expect(nianbao(['review', '.'], dir).code).toBe(0);
    // The carried-over figure changed again (3): the cross-year finding comes back.
    const w = sampleValues();
    w.t3[1] = [3, 0, 0, 0, 0, 0, 3];
    w.t3[0] = [0, 1, 0, 0, 0, 0, 1];
    fs.writeFileSync(path.join(dir, '2024.txt'), moved(report('pipe', w, 2024)));
    const changed = nianbao(['review', '.', '-f', 'json'], dir);
    expect(ids(changed.out)).toContain('carryover-mismatch');
    expect(changed.code).toBe(1);
  });
});
