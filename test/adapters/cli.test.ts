// The `nianbao` command as CI pipelines and reviewers use it (contract: ../shared/spec/CLI.md).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_WRITE_ELEMENTS } from '../../grammar/src/fix/write-docx.js';
import { REPORT_EXTENSIONS, readReport } from '../../grammar/src/index.js';
import { T3_ROWS } from '../../grammar/src/template.js';
import { hasCorpus } from '../corpus.js';
import { report, sampleValues } from '../fixtures/build.js';
import { wordReport } from '../fixtures/word.js';
import { editDocument } from '../fixtures/word-controls.js';

const root = path.resolve(import.meta.dirname, '../..');
const seeds = path.resolve(root, '../shared/corpus/seeds');
function nianbao(args: string[], opts: { input?: string | Buffer; cwd?: string } = {}) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'cli/nianbao.ts'), ...args], {
    cwd: opts.cwd ?? root,
    input: opts.input,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'nianbao-'));

describe('nianbao check', () => {
  it.skipIf(!hasCorpus)(
    'json: one object per file in the order given, with tables and 1-based findings',
    () => {
      const r = nianbao([
        'check',
        '--format',
        'json',
        'test/fixtures/example-pipe.txt',
        path.join(seeds, '003_66bd8bba5bd9b9c1.txt'),
      ]);
      expect(r.code).toBe(1);
      const out = JSON.parse(r.out);
      expect(out.map((x: { file: string }) => path.basename(x.file))).toEqual([
        'example-pipe.txt',
        '003_66bd8bba5bd9b9c1.txt',
      ]);
      expect(out[0].year).toBe(2024);
      expect(out[0].sections.map((s: { id: string }) => s.id)).toEqual(['S1', 'S2', 'S3', 'S4', 'S5', 'S6']);
      expect(out[0].tables.t3[16]).toEqual([null, null, null, null, null, null, null]);
      const missing = out[0].findings.find((f: { ruleId: string }) => f.ruleId === 'row-missing');
      expect(missing).toMatchObject({
        severity: 'error',
        message: '表三缺少“2.重复申请”行',
        line: 43,
        column: 1,
      });
      expect(missing.fix.edits[0]).toMatchObject({ line: 43, column: 1, endLine: 43, endColumn: 1 });
      expect(missing.fix.edits[0].newText).toContain('2.重复申请 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |');
      expect(out[1].tables.t2).toEqual([0, 0, 0, 1, 0, 5, 0, 0, 0, 0]);
    },
  );
  it.skipIf(!hasCorpus)(
    'text: file:line:col  级别  message  [ruleId] and a summary; exit 0 without errors',
    () => {
      const r = nianbao(['check', path.join(seeds, '004_2b2a966791f68e4e.txt')]);
      expect(r.code).toBe(0);
      expect(r.out).toMatch(
        /004_2b2a966791f68e4e\.txt:403:1 {2}警告 {2}“\[bookmark: _GoBack\]”：文档转换留下的书签标记 {2}\[placeholder\]/,
      );
      expect(r.out.trim().split('\n').pop()).toContain('2 个警告');
      expect(r.out).not.toContain('\u001b[');
    },
  );
  it('sarif: one run named nianbao, rules with Chinese titles, results with locations', () => {
    const r = nianbao(['check', '--format', 'sarif', 'test/fixtures/example-pipe.txt']);
    const sarif = JSON.parse(r.out);
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs).toHaveLength(1);
    expect(sarif.runs[0].tool.driver.name).toBe('nianbao');
    expect(
      sarif.runs[0].tool.driver.rules.find((x: { id: string }) => x.id === 't4-total').shortDescription.text,
    ).toBe('表四合计不符');
    const res = sarif.runs[0].results.find((x: { ruleId: string }) => x.ruleId === 't4-total');
    expect(res.level).toBe('error');
    expect(res.locations[0].physicalLocation.region.startLine).toBe(54);
  });
  it('reads stdin, in UTF-8 or GB18030', () => {
    const text = report('tab');
    const utf8 = nianbao(['check', '--format', 'json', '-'], { input: text });
    expect(utf8.code).toBe(0);
    const gbBytes = Buffer.from(execIconv(text));
    const r = nianbao(['check', '--format', 'json', '-'], { input: gbBytes });
    expect(JSON.parse(r.out)[0].tables).toEqual(JSON.parse(utf8.out)[0].tables);
  });
  it.each(['json', 'sarif', 'text'])(
    '%s: each file is written as soon as it is checked, not held until the run ends',
    async (format) => {
      // The second input is standard input, left open: the first file's result must already be out.
      const child = spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          path.join(root, 'cli/nianbao.ts'),
          'check',
          '-f',
          format,
          'test/fixtures/example-pipe.txt',
          '-',
        ],
        { cwd: root, env: { ...process.env, NO_COLOR: '1' }, stdio: ['pipe', 'pipe', 'pipe'] },
      );
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d;
      });
      const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
      const seen = 'example-pipe.txt';
      for (let t = 0; t < 300 && !out.includes(seen); t++) await new Promise((r) => setTimeout(r, 100));
      expect(out).toContain(seen);
      expect(child.exitCode).toBeNull();
      child.stdin.end(fs.readFileSync(path.join(root, 'test/fixtures/clean-tab.txt')));
      expect(await closed).toBe(1);
      if (format === 'json') {
        const all = JSON.parse(out);
        expect(all.map((r: { file: string }) => r.file)).toEqual(['test/fixtures/example-pipe.txt', '-']);
        expect(all[1].findings).toEqual([]);
      }
      if (format === 'sarif') {
        const uris = JSON.parse(out).runs[0].results.map(
          (r: { locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }) =>
            r.locations[0].physicalLocation.artifactLocation.uri,
        );
        expect(new Set(uris)).toEqual(new Set(['test/fixtures/example-pipe.txt']));
      }
      if (format === 'text') expect(out.trimEnd().split('\n').at(-1)).toMatch(/^2 个文件：\d+ 个错误/);
    },
    40000,
  );
  it('a directory means every report in it; unreadable input → exit 2, the rest still checked', () => {
    const dir = tmp();
    fs.mkdirSync(path.join(dir, 'sub'));
    fs.writeFileSync(path.join(dir, 'sub', 'a.txt'), report('pipe'));
    fs.writeFileSync(path.join(dir, 'b.md'), report('spaced'));
    fs.writeFileSync(path.join(dir, 'c.doc'), 'not a word file');
    const r = nianbao([
      'check',
      '--format',
      'json',
      dir,
      path.join(dir, 'c.doc'),
      path.join(dir, 'nope.txt'),
    ]);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.out).map((x: { file: string }) => path.basename(x.file))).toEqual(['b.md', 'a.txt']);
    expect(r.err).toContain('nope.txt：文件不存在');
    expect(r.err).toMatch(/c\.doc：文件已损坏或不是有效的 Word 文档/);
  });
  it('.nianbaorc.json is found upward from the checked file', () => {
    const dir = tmp();
    fs.writeFileSync(
      path.join(dir, '.nianbaorc.json'),
      JSON.stringify({ rules: { 'row-missing': 'warning', 't4-total': 'off' } }),
    );
    fs.mkdirSync(path.join(dir, 'reports'));
    fs.copyFileSync(path.join(root, 'test/fixtures/example-pipe.txt'), path.join(dir, 'reports', 'r.txt'));
    const r = nianbao(['check', '--format', 'json', path.join(dir, 'reports', 'r.txt')]);
    expect(r.code).toBe(0);
    expect(
      JSON.parse(r.out)[0].findings.map(
        (f: { ruleId: string; severity: string }) => `${f.ruleId}:${f.severity}`,
      ),
    ).toEqual(['row-missing:warning']);
    fs.writeFileSync(path.join(dir, '.nianbaorc.json'), '{ "rules": { "row-missing": "loud" } }');
    const bad = nianbao(['check', path.join(dir, 'reports', 'r.txt')]);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('.nianbaorc.json');
    expect(bad.err).not.toMatch(/at .*\.ts:\d+/);
  });
  it.skipIf(!hasCorpus)(
    '--max-size refuses a larger file before reading it; PDF and Word files are read',
    () => {
      const pdf = path.resolve(root, '../shared/corpus/real/001_hongzequ_2023.pdf');
      const r = nianbao([
        'check',
        '--max-size',
        '0.1',
        '--format',
        'json',
        pdf,
        'test/fixtures/clean-tab.txt',
      ]);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/001_hongzequ_2023\.pdf：文件过大（0\.28 MB，上限 0\.10 MB）/);
      expect(JSON.parse(r.out)).toHaveLength(1);
      const ok = nianbao(['check', '--format', 'json', pdf]);
      expect(ok.code).toBe(1);
      expect(
        JSON.parse(ok.out)[0].findings.filter(
          (f: { ruleId: string; where?: string }) => f.ruleId === 't4-total' && f.where?.startsWith('第4页'),
        ),
      ).toHaveLength(2);
    },
  );
  it.skipIf(!hasCorpus)(
    '（可自动修复） only where --fix can write the fix: a text file yes, a PDF no',
    () => {
      const txt = nianbao(['check', 'test/fixtures/example-pipe.txt']);
      expect(txt.out.split('\n').slice(0, 2)).toEqual([
        'test/fixtures/example-pipe.txt:43:1  错误  表三缺少“2.重复申请”行  [row-missing] （可自动修复）',
        // One relation per 表四 block: which side is wrong is a guess, so no fix is applied.
        'test/fixtures/example-pipe.txt:54:17  错误  表四“行政复议”总计为2，但结果维持、结果纠正、其他结果、尚未审结之和为1  [t4-total]',
      ]);
      const pdf = path.resolve(root, '../shared/corpus/real/001_hongzequ_2023.pdf');
      const json = JSON.parse(nianbao(['check', '--format', 'json', pdf]).out)[0];
      expect(json.findings.filter((f: { fix?: unknown }) => f.fix).length).toBeGreaterThan(0);
      const r = nianbao(['check', pdf]);
      expect(r.out.match(/\[t4-total\]/g)).toHaveLength(2);
      expect(r.out).not.toContain('可自动修复');
      // Text from stdin: nothing can be written back either.
      const stdin = nianbao(['check', '-'], {
        input: fs.readFileSync(path.join(root, 'test/fixtures/example-pipe.txt')),
      });
      expect(stdin.out).toContain('<标准输入>:43:1  错误  表三缺少“2.重复申请”行  [row-missing]\n');
    },
  );
  it('--help: the options, --max-size, and every extension a directory is searched for', () => {
    const r = nianbao(['--help']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('--max-size MB');
    expect(r.out).toContain(`目录中递归检查扩展名为 ${REPORT_EXTENSIONS.join(' ')} 的文件`);
    for (const ext of ['.docx', '.pdf', '.doc', '.wps', '.html']) expect(REPORT_EXTENSIONS).toContain(ext);
    const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
    expect(readme).toContain('`--max-size MB`');
    expect(readme).toContain(REPORT_EXTENSIONS.map((e) => `\`${e}\``).join('、'));
  });
  it.skipIf(!hasCorpus)(
    'a directory holds Word and PDF reports too; unknown commands list the commands',
    () => {
      const dir = tmp();
      fs.copyFileSync(
        path.resolve(root, '../shared/corpus/real/001_hongzequ_2023.pdf'),
        path.join(dir, 'a.pdf'),
      );
      fs.copyFileSync(path.join(root, 'test/fixtures/example-pipe.txt'), path.join(dir, 'b.txt'));
      fs.writeFileSync(path.join(dir, 'notes.rtf'), 'x');
      const r = nianbao(['check', '--format', 'json', dir]);
      expect(JSON.parse(r.out).map((x: { file: string }) => path.basename(x.file))).toEqual([
        'a.pdf',
        'b.txt',
      ]);
      const u = nianbao(['lint', 'x.txt']);
      expect(u.code).toBe(2);
      expect(u.err).toMatch(
        /^nianbao：未知的命令“lint”；可用命令：check、rules[、a-z]*（详见 nianbao --help）\n$/,
      );
    },
  );
  it('usage errors are Chinese, exit 2, no stack trace', () => {
    const r = nianbao(['check', '--format', 'xml', 'x.txt']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/[\u4e00-\u9fff]/);
    expect(r.err).not.toContain('    at ');
  });
});

function execIconv(text: string): Uint8Array {
  const r = spawnSync('iconv', ['-f', 'UTF-8', '-t', 'GB18030'], { input: text });
  if (r.status !== 0) throw new Error('iconv unavailable');
  return r.stdout;
}

describe('nianbao check --fix', () => {
  it('a text report is repaired in place where the template pins it down; the wrong 表四 total stays an error', () => {
    const dir = tmp();
    const file = path.join(dir, 'r.txt');
    const before = fs.readFileSync(path.join(root, 'test/fixtures/example-pipe.txt'), 'utf8');
    fs.copyFileSync(path.join(root, 'test/fixtures/example-pipe.txt'), file);
    const r = nianbao(['check', '--fix', file]);
    expect(r.err).toBe(`nianbao：已修复 ${file}\n`);
    expect(r.code).toBe(1);
    expect(r.out).toBe(
      `${file}:55:17  错误  表四“行政复议”总计为2，但结果维持、结果纠正、其他结果、尚未审结之和为1  [t4-total]\n1 个文件：1 个错误\n`,
    );
    const after = fs.readFileSync(file, 'utf8');
    expect(after).toBe(
      before.replace(
        '3.要求提供公开出版物',
        '2.重复申请 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |\n3.要求提供公开出版物',
      ),
    );
  });
  const REVIEW_CORRECTED = 1; // t4[1]: 行政复议 · 结果纠正
  const planted = () => {
    // The report says no 行政复议 happened (总计 0); one component was typed as 2.
    const v = sampleValues();
    v.t4 = [0, 0, 0, 0, 0, 2, 1, 0, 3, 6, 0, 0, 0, 0, 0];
    const wrong = structuredClone(v);
    wrong.t4[REVIEW_CORRECTED] = 2;
    return { v, wrong };
  };
  it.each([
    ['component', REVIEW_CORRECTED, 2],
    ['total', 9, 7],
  ])('a wrong 表四 %s in a .txt: --fix leaves 表四 as written and exits 1', (_, cell, value) => {
    const { v } = planted();
    const wrong = structuredClone(v);
    wrong.t4[cell] = value;
    const file = path.join(tmp(), 'r.txt');
    fs.writeFileSync(file, report('pipe', wrong));
    const r = nianbao(['check', '--fix', '--format', 'json', file]);
    expect(r.code).toBe(1);
    const [json] = JSON.parse(r.out);
    expect(json.tables.t4).toEqual(wrong.t4);
    expect(json.findings.map((f: { ruleId: string; fix?: unknown }) => [f.ruleId, Boolean(f.fix)])).toEqual([
      ['t4-total', false],
    ]);
    expect(fs.readFileSync(file, 'utf8')).toBe(report('pipe', wrong));
  });
  it('a wrong 表四 component in a .docx: --fix writes nothing, exits 1, the file reads back as written', async () => {
    const { wrong } = planted();
    const file = path.join(tmp(), '年报.docx');
    const bytes = await wordReport(wrong);
    fs.writeFileSync(file, bytes);
    const r = nianbao(['check', '--fix', file]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(
      /^\S+年报\.docx:第3个表格 第2行 {2}错误 {2}表四“行政复议”总计为0，但结果维持、结果纠正、其他结果、尚未审结之和为2 {2}\[t4-total\]\n1 个文件：1 个错误\n$/,
    );
    expect(fs.readFileSync(file).equals(bytes)).toBe(true);
  });
  it.each([
    ['a .txt', 'r.txt'],
    ['a .docx', '年报.docx'],
  ])('single wrong 表三 cells and totals in %s: --fix restores their true values', async (_, name) => {
    const v = sampleValues();
    const wrong = structuredClone(v);
    wrong.t3[2][1] = 7; // （一）予以公开 · 商业企业: its row total and its column's total both disagree
    wrong.t3[24][6] = 9; // 结转下年度 · 总计: its row total and the 总计 column's balance both disagree
    const file = path.join(tmp(), name);
    fs.writeFileSync(file, name.endsWith('.txt') ? report('pipe', wrong) : await wordReport(wrong));
    const r = nianbao(['check', '--fix', '--format', 'json', file]);
    expect(r.code).toBe(0);
    const back = nianbao(['check', '--format', 'json', file]);
    expect(JSON.parse(back.out)[0].tables.t3).toEqual(v.t3);
  });
  it('a Word report is repaired in the .docx itself: the missing row becomes a table row', async () => {
    const dir = tmp();
    const file = path.join(dir, '年报.docx');
    fs.writeFileSync(
      file,
      await wordReport(sampleValues(), { omitT3: [T3_ROWS.findIndex((x) => x.label === '2.重复申请')] }),
    );
    expect(nianbao(['check', file]).code).toBe(1);
    const r = nianbao(['check', '--fix', file]);
    expect(r.err).toBe(
      `nianbao：已修复 ${file}（1 处），修改前的文件另存为 ${path.join(dir, '年报（修改前）.docx')}\n` +
        `nianbao：${file} 第2个表格 第19行：插入“2.重复申请 0 0 0 0 0 0 0”（插入“2.重复申请”行）\n`,
    );
    expect(r.code).toBe(0);
    const back = readReport(fs.readFileSync(file), file);
    expect(back.text).toContain('2.重复申请\t0\t0\t0\t0\t0\t0\t0\n');
    expect(back.where(back.text.split('\n').findIndex((l) => l.startsWith('2.重复申请')) + 1)).toMatch(
      /^第2个表格/,
    );
  });
  it.skipIf(!hasCorpus)('a PDF cannot be written back: the reason is said, the file is left as it is', () => {
    const dir = tmp();
    const pdf = path.join(dir, 'r.pdf');
    fs.copyFileSync(path.resolve(root, '../shared/corpus/real/001_hongzequ_2023.pdf'), pdf);
    const before = fs.readFileSync(pdf);
    const r = nianbao(['check', '--fix', pdf]);
    expect(r.err).toBe(`nianbao：${pdf}：PDF 文件不能直接修改，修复无法写回原文件\n`);
    expect(r.code).toBe(1);
    expect(fs.readFileSync(pdf).equals(before)).toBe(true);
  });
  it('a Word file too large to write fixes into: fixDocx’s reason on stderr, the file unchanged', async () => {
    const dir = tmp();
    const file = path.join(dir, '年报.docx');
    const empty = '<w:p><w:pPr><w:jc w:val="left"/></w:pPr></w:p>'.repeat(MAX_WRITE_ELEMENTS / 3 + 1);
    const bytes = editDocument(
      await wordReport(sampleValues(), { omitT3: [T3_ROWS.findIndex((x) => x.label === '2.重复申请')] }),
      null,
      [['<w:sectPr', `${empty}<w:sectPr`]],
    );
    fs.writeFileSync(file, bytes);
    const r = nianbao(['check', '--fix', file]);
    expect(r.err.split(/（\d+ 个元素/)).toEqual([
      `nianbao：${file}：Word 文档内容过多`,
      '，上限 200000），无法写入修复\n',
    ]);
    expect(r.code).toBe(1);
    expect(fs.readFileSync(file).equals(Buffer.from(bytes))).toBe(true);
    // A Word file can take fixes in general: the mark stays, and stderr says why this one did not.
    expect(r.out).toMatch(
      /年报\.docx:第2个表格 第\d+行 {2}错误 {2}表三缺少“2\.重复申请”行 {2}\[row-missing\] （可自动修复）/,
    );
  });
  it.skipIf(!hasCorpus)(
    'never makes a report with blanks or bad values pass: blanks stay blank, a bad value is not replaced by an inserted row',
    () => {
      const dir = tmp();
      // The unfilled Word template: nothing is certain to fix, the blank tables stay errors.
      const blank = path.join(dir, 'template.docx');
      fs.copyFileSync(path.join(root, '../shared/corpus/real/template_blank.docx'), blank);
      const before = fs.readFileSync(blank);
      const r = nianbao(['check', '--fix', '--format', 'json', blank]);
      expect(r.code).toBe(1);
      expect(fs.readFileSync(blank).equals(before)).toBe(true);
      const found = JSON.parse(r.out)[0].findings.filter(
        (f: { ruleId: string }) => f.ruleId === 'cell-blank',
      );
      expect(found.map((f: { severity: string }) => f.severity)).toEqual(['error', 'error', 'error']);
      expect(
        found.every((f: { fix?: unknown; suggestions?: unknown[] }) => !f.fix && f.suggestions!.length === 1),
      ).toBe(true);
      // A 表二 row with a value that is not a number: reported on that row, left as it is.
      const text = path.join(dir, 'r.txt');
      const bad = report('pipe')
        .replace('行政许可 | 14 |', '行政许可 | 十四 |')
        .replace('行政处罚 | 6 |', '行政处罚 |  |');
      fs.writeFileSync(text, bad);
      const t = nianbao(['check', '--fix', text]);
      expect(t.code).toBe(1);
      expect(fs.readFileSync(text, 'utf8')).toBe(bad);
      expect(t.out).toContain('表二“行政许可”为“十四”，不是数字：请用阿拉伯数字填写  [cell-invalid]');
      expect(t.out).toContain('表二“行政处罚”为空白，没有填数（没有发生应填0）  [cell-blank]');
      expect(t.out).not.toContain('row-missing');
    },
  );
});
