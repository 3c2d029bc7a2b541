// The options users of ESLint and textlint look for: --quiet, --max-warnings, -o, --fix-dry-run,
// and --fix keeping the original Word file.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CROSS_YEAR_RULES, RULES } from '../../grammar/src/index.js';
import { report, sampleValues } from '../fixtures/build.js';
import { nianbaoIn as nianbao } from '../fixtures/cli.js';
import { wordReport } from '../fixtures/word.js';

const root = path.resolve(import.meta.dirname, '../..');
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'nianbao-lint-'));

/** A report with one warning (a placeholder) and one fixable error (a wrong 表三 total). */
function faulty(dir: string): string {
  const v = sampleValues();
  v.t3[24][6] = 9;
  const text = report('tab', v).replace('本局', '本局XX件');
  fs.writeFileSync(path.join(dir, 'r.txt'), text);
  return text;
}

describe('check --quiet and --max-warnings', () => {
  it('--quiet shows errors only, in text and json, and keeps the exit status', () => {
    const dir = tmp();
    faulty(dir);
    const all = nianbao(['check', 'r.txt'], dir);
    expect(all.out).toMatch(/警告 {2}“XX件”/);
    const q = nianbao(['check', '-q', 'r.txt'], dir);
    expect(q.code).toBe(1);
    expect(q.out).not.toMatch(/警告/);
    expect(q.out).toMatch(/错误 {2}表三/);
    const json = JSON.parse(nianbao(['check', '--quiet', '-f', 'json', 'r.txt'], dir).out);
    expect(json[0].findings.map((f: { severity: string }) => f.severity)).toEqual(['error']);
  });
  it('--max-warnings N: exit 1 only when there are more warnings than N', () => {
    const dir = tmp();
    const v = sampleValues();
    fs.writeFileSync(path.join(dir, 'w.txt'), report('tab', v).replace('本局', '本局XX件'));
    expect(nianbao(['check', 'w.txt'], dir).code).toBe(0);
    expect(nianbao(['check', '--max-warnings', '1', 'w.txt'], dir).code).toBe(0);
    const over = nianbao(['check', '--max-warnings', '0', 'w.txt'], dir);
    expect(over.code).toBe(1);
    expect(over.err).toBe('nianbao：发现 1 个警告，多于 --max-warnings 允许的 0 个\n');
    const bad = nianbao(['check', '--max-warnings', 'x', 'w.txt'], dir);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--max-warnings“x”无效/);
  });
});

describe('check -o FILE', () => {
  it('writes the results to the file and nothing to stdout', () => {
    const dir = tmp();
    faulty(dir);
    const r = nianbao(['check', '-f', 'json', '-o', 'out.json', 'r.txt'], dir);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'out.json'), 'utf8'))[0].file).toBe('r.txt');
  });
  it('refuses a path it cannot write, or an input, before reading any report', () => {
    const dir = tmp();
    faulty(dir);
    const noDir = nianbao(['check', '-o', 'nowhere/out.txt', 'r.txt'], dir);
    expect([noDir.code, noDir.out, noDir.err]).toEqual([
      2,
      '',
      'nianbao：-o/--output 的文件“nowhere/out.txt”所在的目录不存在\n',
    ]);
    const before = fs.readFileSync(path.join(dir, 'r.txt'));
    const self = nianbao(['check', '--output', 'r.txt', 'r.txt'], dir);
    expect(self.code).toBe(2);
    expect(self.err).toMatch(/就是要检查的文件/);
    expect(fs.readFileSync(path.join(dir, 'r.txt')).equals(before)).toBe(true);
    expect(nianbao(['check', '-o', '.', 'r.txt'], dir).err).toMatch(/是一个目录/);
  });
});

describe('check --fix-dry-run', () => {
  it('a text file: a unified diff of what --fix would change, the file left as it is', () => {
    const dir = tmp();
    const text = faulty(dir);
    const r = nianbao(['check', '--fix-dry-run', 'r.txt'], dir);
    expect(r.code).toBe(1);
    expect(fs.readFileSync(path.join(dir, 'r.txt'), 'utf8')).toBe(text);
    const diff = r.out.slice(r.out.indexOf('--- r.txt'));
    expect(diff).toMatch(/^--- r\.txt\t修改前\n\+\+\+ r\.txt\t修改后\n@@ -\d+,9 \+\d+,9 @@\n/);
    expect(diff).toContain(
      '\n-四、结转下年度继续办理\t1\t0\t0\t0\t0\t0\t9\n+四、结转下年度继续办理\t1\t0\t0\t0\t0\t0\t1\n',
    );
    // Applying the diff gives what --fix writes.
    const fixed = nianbao(['check', '--fix', 'r.txt'], dir);
    expect(fixed.code).toBe(0);
    const after = fs.readFileSync(path.join(dir, 'r.txt'), 'utf8');
    expect(after.split('\n').filter((l, i) => l !== text.split('\n')[i])).toEqual([
      '四、结转下年度继续办理\t1\t0\t0\t0\t0\t0\t1',
    ]);
  });
  it('a .docx: the list of changes (place, old → new); json carries it as fixDryRun', async () => {
    const dir = tmp();
    const v = sampleValues();
    v.t3[24][6] = 9;
    const bytes = await wordReport(v);
    fs.writeFileSync(path.join(dir, '年报.docx'), bytes);
    const r = nianbao(['check', '--fix-dry-run', '年报.docx'], dir);
    expect(r.out).toContain(
      '年报.docx：--fix 会作如下 1 处修改（未写入）\n  第2个表格 第27行：“9” → “1”（将表三“四、结转下年度继续办理”行“总计”列改为1）\n',
    );
    expect(fs.readFileSync(path.join(dir, '年报.docx')).equals(bytes)).toBe(true);
    const json = JSON.parse(nianbao(['check', '--fix-dry-run', '-f', 'json', '年报.docx'], dir).out);
    expect(json[0].fixDryRun.changes).toEqual([
      {
        where: '第2个表格 第27行',
        old: '9',
        new: '1',
        title: '将表三“四、结转下年度继续办理”行“总计”列改为1',
      },
    ]);
    expect(nianbao(['check', '--fix', '--fix-dry-run', '年报.docx'], dir).code).toBe(2);
  });
});

describe('check --fix on a .docx', () => {
  it('keeps the original as 年报（修改前）.docx and names each change on stderr', async () => {
    const dir = tmp();
    const v = sampleValues();
    v.t3[24][6] = 9;
    const bytes = await wordReport(v);
    fs.writeFileSync(path.join(dir, '年报.docx'), bytes);
    const r = nianbao(['check', '--fix', '年报.docx'], dir);
    expect(r.code).toBe(0);
    expect(r.err).toBe(
      'nianbao：已修复 年报.docx（1 处），修改前的文件另存为 年报（修改前）.docx\n' +
        'nianbao：年报.docx 第2个表格 第27行：“9” → “1”（将表三“四、结转下年度继续办理”行“总计”列改为1）\n',
    );
    expect(fs.readFileSync(path.join(dir, '年报（修改前）.docx')).equals(bytes)).toBe(true);
    // A second original is never written over the first.
    fs.writeFileSync(path.join(dir, '年报.docx'), bytes);
    expect(nianbao(['check', '--fix', '年报.docx'], dir).err).toMatch(/另存为 年报（修改前2）\.docx/);
  });
  it('--no-backup writes no copy', async () => {
    const dir = tmp();
    const v = sampleValues();
    v.t3[24][6] = 9;
    fs.writeFileSync(path.join(dir, '年报.docx'), await wordReport(v));
    const r = nianbao(['check', '--fix', '--no-backup', '年报.docx'], dir);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/^nianbao：已修复 年报\.docx（1 处）\n/);
    expect(fs.readdirSync(dir)).toEqual(['年报.docx']);
  });
});

describe('nianbao rules', () => {
  it('names each rule page, and every page named exists', () => {
    const dir = tmp();
    const text = nianbao(['rules'], dir).out.trim().split('\n').slice(0, -1);
    const json = JSON.parse(nianbao(['rules', '-f', 'json'], dir).out) as Array<{ id: string; doc: string }>;
    expect(json).toHaveLength(RULES.length + CROSS_YEAR_RULES.length);
    for (const [i, r] of json.entries()) {
      expect(r.doc).toBe(path.join(root, 'docs/rules', `${r.id}.md`));
      expect(fs.readFileSync(r.doc, 'utf8')).toContain(`# ${r.id}：`);
      expect(text[i].endsWith(`  ${r.doc}`)).toBe(true);
    }
  });
});
