// PDF figures: a report read (pdf.js in its worker, tables rebuilt as grids) and checked, the first
// file (worker start) and the following ones (warm worker); PDF bombs refused, with time and the
// process's peak memory. `npm run bench` runs it after the core benchmark.
//
//   node dist/bench/pdf.js [file.pdf …]      default: the real PDFs of ../shared/corpus/real
//
// Target: a PDF report read + checked ≤ 300 ms after the first.
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { deflateSync } from 'node:zlib';
import { check, ReadError, readReportAsync } from '../grammar/src/index.js';
import { bombStream, pdfWith } from '../test/fixtures/pdf-bombs.js';

const TARGET_MS = 300;
const ROOT = process.cwd();

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

async function readAndCheck(bytes: Uint8Array, name: string): Promise<number> {
  const t0 = performance.now();
  const r = await readReportAsync(bytes, name);
  check(r.text);
  return performance.now() - t0;
}

async function main(): Promise<void> {
  let files = process.argv.slice(2);
  if (!files.length) {
    const dir = path.join(ROOT, '..', 'shared', 'corpus', 'real');
    try {
      files = fs
        .readdirSync(dir)
        .filter((f) => f.endsWith('.pdf'))
        .sort()
        .map((f) => path.join(dir, f));
    } catch {
      files = [];
    }
  }
  console.log('');
  console.log('PDF: read (worker, grid tables) + check()');
  if (!files.length) console.log('  未找到 PDF 文件');
  const warm: number[] = [];
  let first = true;
  for (const f of files) {
    const bytes = fs.readFileSync(f);
    const runs: number[] = [];
    for (let i = 0; i < 8; i++) runs.push(await readAndCheck(bytes, path.basename(f)));
    const [cold, ...rest] = runs;
    const m = median(rest);
    warm.push(m);
    console.log(
      `  ${path.basename(f).padEnd(36)} ${first ? `first ${cold.toFixed(0)} ms, ` : ''}then median ${m.toFixed(0)} ms, best ${Math.min(...rest).toFixed(0)} ms (${rest.map((t) => t.toFixed(0)).join(', ')})`,
    );
    first = false;
  }
  if (warm.length)
    console.log(
      `  after the first: median ${median(warm).toFixed(0)} ms, slowest ${Math.max(...warm).toFixed(0)} ms   target ≤ ${TARGET_MS} ms  ${Math.max(...warm) <= TARGET_MS ? '✓' : '✗'}`,
    );

  console.log('');
  console.log('PDF bombs (refused; time and peak resident memory of this process)');
  const MB = 1024 * 1024;
  const zero = bombStream(Buffer.alloc(MB), 4096);
  const text = bombStream(
    Buffer.from(
      'BT /F1 12 Tf 50 700 Td (Annual report 0123456789) Tj ET\n'.repeat(20000).slice(0, MB),
      'latin1',
    ),
    1000,
  );
  const bombs: Array<[string, Buffer]> = [
    ['4 GiB of zero bytes (Flate)', pdfWith(zero)],
    ['1 GB of text operators (Flate)', pdfWith(text)],
    [
      '4 GiB of zero bytes (hex + Flate)',
      pdfWith(Buffer.from(zero.toString('hex') + '>', 'latin1'), '[/ASCIIHexDecode /FlateDecode]'),
    ],
    ['4 GiB of zero bytes (Flate twice)', pdfWith(deflateSync(zero), '[/FlateDecode /FlateDecode]')],
    ['1 GB of text operators (Flate twice)', pdfWith(deflateSync(text), '[/FlateDecode /FlateDecode]')],
    // RunLength: each byte pair 0x81 0x00 is 128 zero bytes; no inflate check sees it.
    [
      '1 GiB of zero bytes (RunLength)',
      pdfWith(Buffer.alloc(16 * MB, Buffer.from([0x81, 0x00])), '/RunLengthDecode'),
    ],
  ];
  for (const [name, bytes] of bombs) {
    const t0 = performance.now();
    let outcome = '读出（未拒绝！）';
    try {
      await readReportAsync(bytes, 'bomb.pdf');
    } catch (e) {
      outcome = e instanceof ReadError ? e.reason : String(e);
    }
    const ms = performance.now() - t0;
    console.log(
      `  ${name.padEnd(38)} ${(bytes.length / MB).toFixed(1).padStart(5)} MB  ${ms.toFixed(0).padStart(6)} ms  peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB  ${outcome}`,
    );
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
