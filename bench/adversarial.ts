// "adversarial inputs": each crafted input an attacker could send — grammar worst cases, PDF and
// Word bombs, hostile HTML, endless or blocking input — built here and run through the built
// command line (`node dist/cli/nianbao.js check`) in a child process of its own. Prints, per case,
// the input size, wall time, peak memory (max RSS), exit status and what the CLI said. A child
// still running after 90 s is stopped and shown as "timeout". Target (issue: bounded on every
// input): every case under 60 s and 1 GB, exit 0/1 (checked) or 2 (a Chinese refusal), no crash.
//
//   node dist/bench/adversarial.js [name-filter]
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { strToU8, Zip, ZipDeflate, zipSync } from 'fflate';
import { report } from '../test/fixtures/build.js';
import { cjk, pdfWith } from '../test/fixtures/pdf-bombs.js';

const ROOT = process.cwd();
const CLI = path.join(ROOT, 'dist/cli/nianbao.js');
const TIMEOUT_S = 90;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nianbao-adversarial-'));

interface Case {
  name: string;
  /**
   * Writes the input; returns the CLI arguments after the command (`check --format json` unless
   * `command` says otherwise), and how stdin is fed.
   */
  build(): { args: string[]; bytes: number; stdin?: 'endless'; command?: string[] };
}

const file = (name: string, data: string | Uint8Array) => {
  const p = path.join(dir, name);
  fs.writeFileSync(p, data);
  return { args: [p], bytes: fs.statSync(p).size };
};

// ------------------------------------------------------------------ grammar (plain text)

const BASE = report('pipe').split('\n');
const rowIndex = (p: (l: string) => boolean) => BASE.findIndex(p);
const T2 = rowIndex((l) => l.includes('规章') && l.includes('|'));
const T3 = rowIndex((l) => l.startsWith('2.其他法律行政法规禁止公开'));
const withLine = (i: number, line: string) => {
  const lines = [...BASE];
  lines[i] = line;
  return lines.join('\n');
};
const label = (i: number) => BASE[i].split('|')[0].trim();

const grammar: Case[] = [
  {
    name: 'prose 本年共收到申请 + 10,000 digits + 件',
    build: () => file('prose-digits.txt', BASE.join('\n') + `\n本年共收到申请${'1'.repeat(10000)}件。\n`),
  },
  {
    name: '表三 row: 10,000 digits + 年',
    build: () =>
      file('t3-digits.txt', withLine(T3, `${label(T3)} | ${'1'.repeat(10000)}年 | 0 | 0 | 0 | 0 | 0 | 0 |`)),
  },
  {
    name: '表三 row: 100,000 TAB cells',
    build: () => file('t3-tabs.txt', withLine(T3, label(T3) + '\t1'.repeat(100000))),
  },
  {
    name: '表三 row: 100,000 pipe cells',
    build: () => file('t3-pipes.txt', withLine(T3, label(T3) + ' | 1'.repeat(100000))),
  },
  {
    name: '表三 row: 100,000 empty cells',
    build: () => file('t3-empty.txt', withLine(T3, label(T3) + '|'.repeat(100000))),
  },
  {
    name: 'row label repeated 40,000 times',
    build: () => file('label.txt', withLine(T3, `${label(T3)} `.repeat(40000))),
  },
  { name: '1、 × 50,000', build: () => file('enum.txt', withLine(T2, '1、'.repeat(50000))) },
  {
    name: '表二 row: 一、 × 50,000',
    build: () => file('heading-run.txt', withLine(T2, '一、'.repeat(50000))),
  },
];

// ------------------------------------------------------------------ PDF

const BASE_ADLER = 65521;
function adler32(data: Uint8Array, start = 1): number {
  let a = start & 0xffff,
    b = start >>> 16;
  for (let i = 0; i < data.length; i += 4096) {
    const end = Math.min(data.length, i + 4096);
    for (let j = i; j < end; j++) {
      a += data[j];
      b += a;
    }
    a %= BASE_ADLER;
    b %= BASE_ADLER;
  }
  return ((b << 16) | a) >>> 0;
}
/** adler32 of A‖B from adler32(A), adler32(B) and B's length (zlib's adler32_combine). */
function adlerCombine(a1: number, a2: number, len2: number): number {
  const rem = len2 % BASE_ADLER;
  let sum1 = a1 & 0xffff;
  let sum2 = (rem * sum1) % BASE_ADLER;
  sum1 += (a2 & 0xffff) + BASE_ADLER - 1;
  sum2 += ((a1 >>> 16) & 0xffff) + ((a2 >>> 16) & 0xffff) + BASE_ADLER - rem;
  if (sum1 >= BASE_ADLER) sum1 -= BASE_ADLER;
  if (sum1 >= BASE_ADLER) sum1 -= BASE_ADLER;
  if (sum2 >= BASE_ADLER * 2) sum2 -= BASE_ADLER * 2;
  if (sum2 >= BASE_ADLER) sum2 -= BASE_ADLER;
  return ((sum2 << 16) | sum1) >>> 0;
}

/**
 * A zlib stream of head ‖ body×times ‖ tail without compressing it all: body compressed once as a
 * full-flush block (independent of what precedes it) and that block repeated.
 */
function zlibRepeated(head: Uint8Array, body: Uint8Array, times: number, tail: Uint8Array): Buffer {
  const flush = { finishFlush: zlib.constants.Z_FULL_FLUSH, level: 9 };
  const h = zlib.deflateRawSync(head, flush);
  const b = zlib.deflateRawSync(body, flush);
  const t = zlib.deflateRawSync(tail); // final block
  let adler = adler32(head);
  const bodyAdler = adler32(body);
  for (let i = 0; i < times; i++) adler = adlerCombine(adler, bodyAdler, body.length);
  adler = adlerCombine(adler, adler32(tail), tail.length);
  const sum = Buffer.alloc(4);
  sum.writeUInt32BE(adler);
  const parts: Buffer[] = [Buffer.from([0x78, 0xda]), h];
  for (let i = 0; i < times; i++) parts.push(b);
  parts.push(t, sum);
  return Buffer.concat(parts);
}

const MB = 1 << 20;
const pdf: Case[] = [
  {
    name: 'PDF: content stream inflating to 4 GiB of zeros',
    build: () =>
      file(
        'zeros.pdf',
        pdfWith(
          zlibRepeated(
            Buffer.from('BT /F1 12 Tf 72 720 Td (x) Tj ET\n'),
            Buffer.alloc(MB),
            4096,
            Buffer.from('\n'),
          ),
        ),
      ),
  },
  {
    name: 'PDF: content stream of 1 GiB of text',
    build: () => {
      const line = '(Annual report 2024, table 3: 12345) Tj 0 -1 Td\n';
      const body = Buffer.from(line.repeat(Math.floor(MB / Buffer.byteLength(line))), 'latin1');
      return file(
        'text.pdf',
        pdfWith(
          zlibRepeated(
            Buffer.from('BT /F1 12 Tf 72 720 Td\n'),
            body,
            Math.round((1024 * MB) / body.length),
            Buffer.from('ET\n'),
          ),
        ),
      );
    },
  },
  {
    name: 'PDF: valid page with a 40 MB content stream',
    build: () => {
      const lines = ['某某县人民政府办公室2024年政府信息公开工作年度报告', '一、总体情况', '信息内容'];
      const head = lines.map((t, i) => `BT /F2 12 Tf 50 ${780 - i * 20} Td ${cjk(t)} Tj ET\n`).join('');
      const stroke = '0 0 m 1 1 l S\n';
      const body = Buffer.from(stroke.repeat(Math.floor(MB / stroke.length)), 'latin1');
      return file(
        'ruled.pdf',
        pdfWith(zlibRepeated(Buffer.from(head, 'latin1'), body, 40, Buffer.from('\n'))),
      );
    },
  },
];

// ------------------------------------------------------------------ Word

const NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"';
const HEAD = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document ${NS}><w:body>`;
const TAIL = '</w:body></w:document>';

/** A .docx whose document.xml is HEAD, `unit` repeated to about `mb` MB, TAIL — compressed as a stream. */
function bigDocx(unit: string, mb: number): Uint8Array {
  const out: Uint8Array[] = [];
  const zip = new Zip((err, data) => {
    if (err) throw err;
    out.push(data);
  });
  const f = new ZipDeflate('word/document.xml', { level: 9 });
  zip.add(f);
  f.push(strToU8(HEAD));
  const chunk = strToU8(unit.repeat(Math.ceil(MB / unit.length)));
  for (let n = 0; n < mb * MB; n += chunk.length) f.push(chunk);
  f.push(strToU8(TAIL), true);
  zip.end();
  return Buffer.concat(out);
}

const word: Case[] = [
  {
    name: 'docx: 15 MB of tiny paragraphs',
    build: () => file('paragraphs.docx', bigDocx('<w:p><w:r><w:t>1</w:t></w:r></w:p>', 15)),
  },
  { name: 'docx: 150 MB of XML', build: () => file('xml150.docx', bigDocx('<w:p/>', 150)) },
  {
    name: 'docx: 50,000 nested w:sdt',
    build: () =>
      file(
        'sdt.docx',
        zipSync({
          'word/document.xml': strToU8(
            HEAD +
              '<w:sdt><w:sdtContent>'.repeat(50000) +
              '<w:p><w:r><w:t>一、总体情况</w:t></w:r></w:p>' +
              '</w:sdtContent></w:sdt>'.repeat(50000) +
              TAIL,
          ),
        }),
      ),
  },
];

// ------------------------------------------------------------------ HTML

let spans = '<table>';
for (let r = 0; r < 200; r++) spans += '<tr>' + '<td rowspan="50" colspan="50">1</td>'.repeat(200) + '</tr>';
const html: Case[] = [
  {
    name: 'HTML: 100,000 unclosed <div>',
    build: () => file('divs.html', '<div>'.repeat(100000) + '<p>一、总体情况</p>'),
  },
  { name: 'HTML: 200×200 table of 50×50-span cells', build: () => file('spans.html', spans + '</table>') },
  {
    name: 'HTML: 2,000 nested <div>',
    build: () => file('nested-2k.html', '<div>'.repeat(2000) + '正文' + '</div>'.repeat(2000)),
  },
  {
    name: 'HTML: 100,000 nested <div>',
    build: () => file('nested-100k.html', '<div>'.repeat(100000) + '正文' + '</div>'.repeat(100000)),
  },
  {
    name: 'HTML: 20,000 nested tables',
    build: () =>
      file('tables.html', '<table><tr><td>'.repeat(20000) + '一' + '</td></tr></table>'.repeat(20000)),
  },
  {
    name: 'HTML: &#1114112; and other invalid references',
    build: () => file('entity.html', '<p>&#1114112;&#xD800;&#0;&#99999999999;</p>'),
  },
];

// ------------------------------------------------------------------ input

const input: Case[] = [
  { name: 'endless standard input', build: () => ({ args: ['-'], bytes: Infinity, stdin: 'endless' }) },
  {
    name: 'symlink to /dev/zero',
    build: () => {
      const p = path.join(dir, 'zero.txt');
      fs.symlinkSync('/dev/zero', p);
      return { args: [p], bytes: Infinity };
    },
  },
  {
    name: 'FIFO with no writer',
    build: () => {
      const p = path.join(dir, 'fifo.txt');
      spawnSync('mkfifo', [p]);
      return { args: [p], bytes: 0 };
    },
  },
];

// ------------------------------------------------------------------ many files at once (review, output)

/** A report whose （七）总计 row is 40,000 repetitions of a row label and a 0 (0.9 MB, ~80,000 raw findings). */
const repeatedRows = () => {
  const lines = report('tab').split('\n');
  const i = lines.findIndex((l) => l.startsWith('（七）总计'));
  lines[i] = '1.属于国家秘密 0 '.repeat(40000);
  return lines.join('\n');
};
/** A folder of `n` such reports; returns its path. */
const folder = (name: string, n: number) => {
  const d = path.join(dir, name);
  fs.mkdirSync(d);
  const text = repeatedRows();
  for (let i = 0; i < n; i++)
    fs.writeFileSync(path.join(d, `r${i}.txt`), text.replace('2024', String(1990 + i)));
  return { d, bytes: n * Buffer.byteLength(text) };
};

const batch: Case[] = [
  {
    name: 'review: 10 × 0.9 MB repeated rows, 3 summaries',
    build: () => {
      const { d, bytes } = folder('rows10', 10);
      const s = path.join(d, '..', 'rows10-summary');
      return {
        args: [d, '-s', `${s}.html`, '-s', `${s}.xlsx`, '-s', `${s}.csv`],
        bytes,
        command: ['review'],
      };
    },
  },
  {
    name: 'review: 30 × 0.9 MB repeated rows, 3 summaries',
    build: () => {
      const { d, bytes } = folder('rows30', 30);
      const s = path.join(d, '..', 'rows30-summary');
      return {
        args: [d, '-s', `${s}.html`, '-s', `${s}.xlsx`, '-s', `${s}.csv`],
        bytes,
        command: ['review'],
      };
    },
  },
  {
    name: 'check --format json: 40 × 0.9 MB repeated rows',
    build: () => {
      const { d, bytes } = folder('rows40j', 40);
      return { args: [d], bytes };
    },
  },
  {
    name: 'check --format sarif: 40 × 0.9 MB repeated rows',
    build: () => {
      const { d, bytes } = folder('rows40s', 40);
      return { args: [d], bytes, command: ['check', '--format', 'sarif'] };
    },
  },
  {
    name: 'check --previous: both 0.9 MB repeated rows',
    build: () => {
      const p = path.join(dir, 'prev.txt');
      fs.writeFileSync(p, repeatedRows().replace('2024', '2023'));
      const c = file('cur.txt', repeatedRows());
      return { args: ['--previous', p, ...c.args], bytes: c.bytes * 2 };
    },
  },
];

// ------------------------------------------------------------------ running

interface Outcome {
  seconds: number;
  peakMb: number;
  code: number | null;
  said: string;
  timedOut: boolean;
}

const hasTime = fs.existsSync('/usr/bin/time');

function vmHwm(pid: number): number {
  try {
    return Number(/VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}
function childrenOf(pid: number): number[] {
  try {
    return fs
      .readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

function run(args: string[], stdin?: 'endless', command = ['check', '--format', 'json']): Promise<Outcome> {
  return new Promise((resolve) => {
    const node = [process.execPath, CLI, ...command, ...args];
    const cmd = hasTime ? ['/usr/bin/time', '-f', 'maxrss_kb=%M', ...node] : node;
    const t0 = performance.now();
    const child = spawn(cmd[0], cmd.slice(1), {
      detached: true,
      stdio: [stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'],
    });
    let out = 0,
      err = '',
      polled = 0,
      timedOut = false;
    child.stdout!.on('data', (d: Buffer) => {
      out += d.length;
    });
    child.stderr!.on('data', (d: Buffer) => {
      if (err.length < 100_000) err += d;
    });
    if (stdin) {
      const chunk = Buffer.alloc(MB, '一二三四五六七八九十\n');
      const s = child.stdin!;
      s.on('error', () => {});
      const pump = () => {
        while (!s.destroyed && s.write(chunk)) {
          /* until the pipe is full */
        }
      };
      s.on('drain', pump);
      pump();
    }
    const poll = setInterval(() => {
      for (const pid of [child.pid!, ...childrenOf(child.pid!)]) polled = Math.max(polled, vmHwm(pid));
    }, 25);
    const killer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        /* gone */
      }
    }, TIMEOUT_S * 1000);
    child.on('close', (code) => {
      clearInterval(poll);
      clearTimeout(killer);
      const seconds = (performance.now() - t0) / 1000;
      const rss = /maxrss_kb=(\d+)/.exec(err);
      const lines = err
        .split('\n')
        .filter((l) => l && !l.startsWith('maxrss_kb=') && !/^Command (exited|terminated)/.test(l));
      const said = lines.length
        ? lines[0]
            .replace(/^nianbao：/, '')
            .replace(dir + path.sep, '')
            .slice(0, 90) + (lines.length > 1 ? ` (+${lines.length - 1} lines)` : '')
        : `${out} bytes of results`;
      resolve({
        seconds,
        peakMb: rss ? Number(rss[1]) / 1024 : polled,
        code: timedOut ? null : code,
        said,
        timedOut,
      });
    });
  });
}

/** Pads to a display width, counting CJK and full-width characters as two columns. */
const padEnd = (s: string, width: number) =>
  s +
  ' '.repeat(
    Math.max(
      0,
      width -
        [...s].reduce(
          (w, ch) =>
            w +
            (/[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(
              ch,
            )
              ? 2
              : 1),
          0,
        ),
    ),
  );

const size = (n: number) =>
  n === Infinity ? '∞' : n >= MB ? `${(n / MB).toFixed(1)} MB` : `${(n / 1024).toFixed(1)} KB`;

async function main() {
  if (!fs.existsSync(CLI)) {
    console.error(`bench：未找到 ${CLI}（先运行 npm run build）`);
    process.exitCode = 2;
    return;
  }
  const filter = process.argv[2];
  const cases = [...grammar, ...pdf, ...word, ...html, ...input, ...batch].filter(
    (c) => !filter || c.name.includes(filter),
  );
  console.log(
    `\nadversarial inputs (built CLI in a child process each; timeout ${TIMEOUT_S} s; peak memory = max RSS${hasTime ? ' from /usr/bin/time' : ', sampled'}):`,
  );
  const header = `  ${'case'.padEnd(48)} ${'input'.padStart(9)} ${'time'.padStart(8)} ${'peak'.padStart(9)}  exit  result`;
  console.log(header);
  console.log('  ' + '-'.repeat(header.length + 20));
  let worstS = 0,
    worstMb = 0,
    over = 0;
  for (const c of cases) {
    let built: ReturnType<Case['build']>;
    try {
      built = c.build();
    } catch (e) {
      console.log(`  ${padEnd(c.name, 48)} could not build: ${(e as Error).message}`);
      continue;
    }
    const o = await run(built.args, built.stdin, built.command);
    worstS = Math.max(worstS, o.seconds);
    worstMb = Math.max(worstMb, o.peakMb);
    const ok =
      !o.timedOut && o.seconds <= 60 && o.peakMb <= 1024 && (o.code === 0 || o.code === 1 || o.code === 2);
    if (!ok) over++;
    console.log(
      `  ${padEnd(c.name, 48)} ${size(built.bytes).padStart(9)} ${(o.timedOut ? 'timeout' : `${o.seconds.toFixed(2)} s`).padStart(8)} ${`${o.peakMb.toFixed(0)} MB`.padStart(9)}  ${String(o.code ?? '-').padStart(4)}  ${o.said}  ${ok ? '✓' : '✗'}`,
    );
    for (const a of built.args)
      if (a !== '-' && a.startsWith(dir)) fs.rmSync(a, { force: true, recursive: true });
  }
  console.log(
    `  worst: ${worstS.toFixed(2)} s, ${worstMb.toFixed(0)} MB; ${over ? `${over} case(s) over 60 s / 1 GB, crashed or timed out  ✗` : 'every case within 60 s and 1 GB  ✓'}`,
  );
  fs.rmSync(dir, { recursive: true, force: true });
}

void main();
