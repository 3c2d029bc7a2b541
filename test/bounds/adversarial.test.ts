// Hostile input at the command line: pathological lines check in well under a second; one bad file
// never stops the others; input is bounded while it is read; stdout errors and odd file names are
// handled quietly and in Chinese.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeIoError } from '../../cli/config.js';
import { check, decodeText } from '../../grammar/src/index.js';
import { report } from '../fixtures/build.js';

const root = path.resolve(import.meta.dirname, '../..');
const cli = path.join(root, 'cli/nianbao.ts');
const faults = path.join(root, 'test/fixtures/faults.ts');
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'nianbao-adv-'));
const env = (extra: Record<string, string> = {}) => ({ ...process.env, NO_COLOR: '1', ...extra });

function nianbao(args: string[], opts: { input?: string | Buffer; env?: Record<string, string> } = {}) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--import', faults, cli, ...args], {
    cwd: root,
    input: opts.input,
    encoding: 'utf8',
    env: env(opts.env),
    timeout: 60000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** Chinese only, apart from file names, rule ids and sizes: no English words, no stack. */
function chineseOnly(stderr: string, names: string[]) {
  let s = stderr;
  for (const n of names) s = s.split(n).join('');
  expect(s).not.toContain('    at ');
  expect(s.replace(/nianbao|MB/g, '')).not.toMatch(/[A-Za-z]{3,}/);
}

// ------------------------------------------------------------------ pathological lines

const BASE = report('pipe').split('\n');
const row = (p: (l: string) => boolean) => BASE.findIndex(p);
const PLACES = {
  t2: row((l) => l.includes('规章') && l.includes('|')),
  t3: row((l) => l.startsWith('2.其他法律行政法规禁止公开')),
  t4: row((l) => /^\d/.test(l) && l.split('|').length > 14),
  prose: row((l) => l.startsWith('一、')) + 1,
};
const UNITS = [...'年月日件条项号页'];

type Shape =
  | { kind: 'digits'; n: number; unit: string; times: number }
  | { kind: 'cells'; n: number; sep: string; cell: string }
  | { kind: 'label'; n: number; sep: string }
  | { kind: 'enum'; n: number; mark: string };

function line(place: keyof typeof PLACES, shape: Shape): string {
  const label = BASE[PLACES[place]].split('|')[0].trim();
  switch (shape.kind) {
    case 'digits':
      return `${label} | ${('1'.repeat(shape.n) + shape.unit).repeat(shape.times)} | 0 |`;
    case 'cells':
      return label + (shape.sep + shape.cell).repeat(shape.n);
    case 'label':
      return (label + shape.sep).repeat(shape.n);
    case 'enum':
      return shape.mark.repeat(shape.n);
  }
}

function place(where: keyof typeof PLACES, text: string): string {
  const lines = [...BASE];
  lines[PLACES[where]] = text;
  return lines.join('\n');
}

const digits = fc.record({
  kind: fc.constant('digits' as const),
  n: fc.integer({ min: 1000, max: 20000 }),
  unit: fc.constantFrom(...UNITS),
  times: fc.integer({ min: 1, max: 20 }),
});
const filledCells = fc.record({
  kind: fc.constant('cells' as const),
  n: fc.integer({ min: 1000, max: 100000 }),
  sep: fc.constantFrom('\t', ' | ', '|', '｜', '  '),
  cell: fc.constantFrom('1', '0', '12', '一'),
});
const emptyCells = fc.record({
  kind: fc.constant('cells' as const),
  n: fc.integer({ min: 50000, max: 200000 }),
  sep: fc.constantFrom('\t', '|', '| ', '｜'),
  cell: fc.constant(''),
});
const labels = fc.record({
  kind: fc.constant('label' as const),
  n: fc.integer({ min: 1000, max: 40000 }),
  sep: fc.constantFrom(' ', ' | ', '\t', ''),
});
const enums = fc.record({
  kind: fc.constant('enum' as const),
  n: fc.integer({ min: 1000, max: 50000 }),
  mark: fc.constantFrom('1、', '（一）', '1.', '(1)'),
});
const headingMarks = fc.record({
  kind: fc.constant('enum' as const),
  n: fc.integer({ min: 40000, max: 100000 }),
  mark: fc.constant('一、'),
});
const where = fc.constantFrom(...(Object.keys(PLACES) as Array<keyof typeof PLACES>));

/**
 * Every generated report under 1 MB checks in well under a second (a slow first run is timed once
 * more, so a busy machine does not fail the test; a quadratic path fails both runs).
 */
function bounded(
  shapes: fc.Arbitrary<Shape>,
  runs: number,
  places = where,
  examples: Array<[keyof typeof PLACES, Shape]> = [],
) {
  const time = (text: string) => {
    const t0 = performance.now();
    check(text);
    return performance.now() - t0;
  };
  fc.assert(
    fc.property(places, shapes, (w, shape) => {
      const text = place(w, line(w, shape));
      fc.pre(Buffer.byteLength(text) < 1024 * 1024);
      let ms = time(text);
      if (ms >= 1000) ms = Math.min(ms, time(text));
      if (ms >= 1000) throw new Error(`${w} ${JSON.stringify(shape)}: ${ms.toFixed(0)} ms`);
    }),
    { numRuns: runs, endOnFailure: true, examples },
  );
}

describe('pathological lines check in well under a second', () => {
  it(
    'long digit runs before every unit character (年月日件条项号页), on table rows and in prose',
    () => bounded(digits, 40),
    120000,
  );
  it(
    'long runs of filled cells (TAB, pipes, full-width pipes, spaces)',
    () => bounded(filledCells, 40),
    120000,
  );
  it(
    'a row label repeated tens of thousands of times; 1、 and other list marks repeated',
    () => bounded(fc.oneof(labels, enums), 40),
    120000,
  );
  const tableRows = fc.constantFrom<keyof typeof PLACES>('t2', 't3');
  it(
    'long runs of empty cells on table rows',
    () => bounded(emptyCells, 10, tableRows, [['t3', { kind: 'cells', n: 200000, sep: '\t', cell: '' }]]),
    120000,
  );
  it(
    '一、 repeated on table rows',
    () => bounded(headingMarks, 10, tableRows, [['t2', { kind: 'enum', n: 50000, mark: '一、' }]]),
    120000,
  );
});

// ------------------------------------------------------------------ one bad file never stops the others

describe('one bad file never stops the others', () => {
  it("a crash while checking one file is that file's Chinese refusal; the files around it are checked and printed", () => {
    const dir = tmp();
    const good = path.join(dir, 'a.txt'),
      boom = path.join(dir, 'b.txt'),
      html1 = path.join(dir, 'c.html'),
      html2 = path.join(dir, 'd.html'),
      last = path.join(dir, 'e.txt');
    fs.writeFileSync(good, report('pipe'));
    fs.writeFileSync(boom, report('pipe') + '\n触发故障\n');
    fs.writeFileSync(html1, '<table><tr><td>'.repeat(20000) + '一' + '</td></tr></table>'.repeat(20000));
    fs.writeFileSync(html2, '<div>'.repeat(2000) + '<p>&#1114112;</p>');
    fs.writeFileSync(last, report('tab'));
    const r = nianbao(['check', '--format', 'json', good, boom, html1, html2, last], {
      env: { NIANBAO_FAULT_THROW: '触发故障' },
    });
    expect(r.code).toBe(2);
    expect(JSON.parse(r.out).map((x: { file: string }) => path.basename(x.file))).toEqual([
      'a.txt',
      'c.html',
      'd.html',
      'e.txt',
    ]);
    expect(r.err).toBe(`nianbao：${boom}：程序内部错误，未能完成检查（其余文件照常检查）\n`);
    chineseOnly(r.err, [boom]);
  });
});

// ------------------------------------------------------------------ input limits

/** Runs the CLI, feeding stdin from `feed` until the child closes it; peak RSS from /proc. */
function run(
  args: string[],
  feed?: (stdin: NodeJS.WritableStream) => void,
): Promise<{ code: number | null; out: string; err: string; ms: number; peakMb: number }> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, ['--import', 'tsx', cli, ...args], {
      cwd: root,
      env: env(),
      stdio: [feed ? 'pipe' : 'ignore', 'pipe', 'pipe'],
    });
    let out = '',
      err = '',
      peak = 0;
    child.stdout!.on('data', (d) => {
      out += d;
    });
    child.stderr!.on('data', (d) => {
      err += d;
    });
    const poll = setInterval(() => {
      try {
        peak = Math.max(
          peak,
          Number(/VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0),
        );
      } catch {
        /* gone */
      }
    }, 20);
    const killer = setTimeout(() => child.kill('SIGKILL'), 60000);
    if (feed) {
      child.stdin!.on('error', () => {});
      feed(child.stdin!);
    }
    child.on('close', (code) => {
      clearInterval(poll);
      clearTimeout(killer);
      resolve({ code, out, err, ms: performance.now() - t0, peakMb: peak / 1024 });
    });
  });
}

describe('input is bounded while it is read', () => {
  it('endless standard input stops at the limit with 内容过大, in bounded memory', async () => {
    const chunk = Buffer.alloc(1 << 20, '一二三四五六七八九十\n');
    const r = await run(['check', '--max-size', '5', '-'], (stdin) => {
      const pump = () => {
        while (stdin.write(chunk)) {
          /* keep writing */
        }
      };
      stdin.on('drain', pump);
      pump();
    });
    expect(r.code).toBe(2);
    expect(r.err).toContain('标准输入：内容过大（超过上限 5.0 MB），已停止读取');
    expect(r.peakMb).toBeLessThan(400);
  }, 90000);
  it('a symlink to /dev/zero, a FIFO with no writer and a symlink loop are refused; the next file is checked', async () => {
    const dir = tmp();
    fs.symlinkSync('/dev/zero', path.join(dir, 'zero.txt'));
    spawnSync('mkfifo', [path.join(dir, 'pipe.txt')]);
    fs.symlinkSync(path.join(dir, 'loop2.txt'), path.join(dir, 'loop1.txt'));
    fs.symlinkSync(path.join(dir, 'loop1.txt'), path.join(dir, 'loop2.txt'));
    const r = await run([
      'check',
      '--format',
      'json',
      ...['zero.txt', 'pipe.txt', 'loop1.txt'].map((f) => path.join(dir, f)),
      'test/fixtures/clean-tab.txt',
    ]);
    expect(r.ms).toBeLessThan(20000);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.out).map((x: { file: string }) => x.file)).toEqual(['test/fixtures/clean-tab.txt']);
    expect(r.err).toContain(`${path.join(dir, 'zero.txt')}：不是普通文件（设备文件），未读取`);
    expect(r.err).toContain(`${path.join(dir, 'pipe.txt')}：不是普通文件（命名管道），未读取`);
    expect(r.err).toContain(`${path.join(dir, 'loop1.txt')}：符号链接循环`);
    chineseOnly(
      r.err,
      ['zero.txt', 'pipe.txt', 'loop1.txt'].map((f) => path.join(dir, f)),
    );
  }, 60000);
});

// ------------------------------------------------------------------ small ones

describe('stdout errors, names, encodings, --fix', () => {
  it('EPIPE (the reader went away): a quiet exit, no stack trace', async () => {
    const r = await new Promise<{ code: number | null; err: string }>((resolve) => {
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', cli, 'check', 'test/fixtures/example-pipe.txt', 'test/fixtures/clean-tab.txt'],
        { cwd: root, env: env(), stdio: ['ignore', 'pipe', 'pipe'] },
      );
      child.stdout!.destroy();
      let err = '';
      child.stderr!.on('data', (d) => {
        err += d;
      });
      child.on('close', (code) => resolve({ code, err }));
    });
    expect(r.err).toBe('');
    expect([0, 1]).toContain(r.code);
  }, 60000);
  it('ENOSPC (stdout is a full disk): a Chinese message, exit 2', () => {
    const full = fs.openSync('/dev/full', 'w');
    const r = spawnSync(
      process.execPath,
      ['--import', 'tsx', cli, 'check', 'test/fixtures/example-pipe.txt'],
      { cwd: root, env: env(), stdio: ['ignore', full, 'pipe'], encoding: 'utf8' },
    );
    fs.closeSync(full);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('nianbao：无法写出检查结果（磁盘空间不足）\n');
  }, 60000);
  it('file names with control characters are escaped in text output and messages', () => {
    const dir = tmp();
    const name = path.join(dir, 'a\u001b[31m红\u0007.txt');
    fs.writeFileSync(name, fs.readFileSync(path.join(root, 'test/fixtures/example-pipe.txt')));
    const r = nianbao(['check', name, path.join(dir, 'no\u001b]0;title\u0007.txt')]);
    expect(r.out).not.toMatch(/[\u0000-\u0008\u000b-\u001f]/);
    expect(r.err).not.toMatch(/[\u0000-\u0008\u000b-\u001f]/);
    expect(r.out).toContain(`${dir}/a\\x1b[31m红\\x07.txt:43:1`);
    expect(r.err).toContain(`${dir}/no\\x1b]0;title\\x07.txt：文件不存在`);
  });
  it('--fix that cannot write says 写入, not 读取', () => {
    const dir = tmp();
    const file = path.join(dir, 'r.txt');
    fs.copyFileSync(path.join(root, 'test/fixtures/example-pipe.txt'), file);
    const r = nianbao(['check', '--fix', file], { env: { NIANBAO_FAULT_EACCES: 'r.txt' } });
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${file}：无法写入修复结果（没有写入权限）`);
    expect(describeIoError({ code: 'EACCES' }, 'write')).toBe('没有写入权限');
    expect(describeIoError({ code: 'ELOOP' })).toBe('符号链接循环');
  });
  it('UTF-16 without BOM is read when the text is mostly Chinese', () => {
    const prose =
      '本机关严格落实政府信息公开工作要求，主动公开政府信息。全年未收到依申请公开，未发生行政复议。\n'.repeat(
        30,
      );
    const le = Buffer.from(prose, 'utf16le');
    const be = Buffer.from(le).swap16();
    expect(decodeText(le)).toBe(prose);
    expect(decodeText(be)).toBe(prose);
    const gb = spawnSync('iconv', ['-f', 'UTF-8', '-t', 'GB18030'], { input: prose }).stdout as Buffer;
    expect(decodeText(gb)).toBe(prose);
  });
});

// ------------------------------------------------------------------ floods of findings

describe('a flood of findings is bounded per rule', () => {
  // A report whose （七）总计 row is replaced by one row label repeated 70,000 times: 140,000
  // row-order findings before bounding, more than a spread into push() survives.
  const flood = (times: number) => {
    const lines = report('tab').split('\n');
    const at = lines.findIndex((l) => l.startsWith('（七）总计'));
    lines[at] = '1.属于国家秘密 0 '.repeat(times);
    return lines.join('\n');
  };

  it('check() lists the first 100 of a rule in full and counts the rest in one finding', () => {
    const { findings } = check(flood(70000));
    const order = findings.filter((f) => f.ruleId === 'row-order');
    expect(order).toHaveLength(101);
    const rest = order.filter((f) => f.message.includes('同类问题还有'));
    expect(rest).toHaveLength(1);
    expect(rest[0].message).toMatch(/^“表格行顺序错误”同类问题还有139900处，未逐一列出（已列出前100处/);
    expect(findings.length).toBeLessThan(120);
  });

  it('the CLI answers for such a file (text, JSON and --previous) instead of a false 嵌套过深 or 内部错误', () => {
    const dir = tmp();
    const file = path.join(dir, 'flood.txt');
    fs.writeFileSync(file, flood(70000));
    const text = nianbao(['check', file]);
    expect(text.code).toBe(1);
    expect(text.err).toBe('');
    expect(text.out).toContain('同类问题还有139900处');
    const json = nianbao(['check', '--format', 'json', file]);
    expect(JSON.parse(json.out)[0].findings.length).toBeLessThan(120);
    const prev = nianbao(['check', '--previous', file, file]);
    expect(prev.out).toContain('同类问题还有139900处');
    expect(prev.err).not.toContain('内部错误');
  });
});
