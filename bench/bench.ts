// Performance figures for the checking core: `npm run bench` (builds, then runs this with --expose-gc).
//
//   node --expose-gc dist/bench/bench.js             corpus table + 1 MB document (warm and cold)
//   node --expose-gc dist/bench/bench.js --cold-1mb  (internal) one first-run check of the 1 MB document
//
// Targets: check() ≤ 20× (aim 10×) a raw split-and-scan pass over the same text; a 1 MB document in
// ≤ 200 ms; heap growth ≤ 150 MB.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { check } from '../grammar/src/index.js';

const ROOT = process.cwd();
const CORPUS_DIRS: Array<[string, string[]]> = [
  [path.join(ROOT, '..', 'shared', 'corpus', 'seeds'), ['.txt']],
  [path.join(ROOT, '..', 'shared', 'corpus', 'real'), ['.txt', '.md']],
];
const TARGET_RATIO = 20,
  AIM_RATIO = 10,
  TARGET_1MB_MS = 200,
  TARGET_HEAP_MB = 150;
const gc = (globalThis as { gc?: () => void }).gc;

function corpus(): Array<{ name: string; text: string }> {
  const out: Array<{ name: string; text: string }> = [];
  for (const [dir, exts] of CORPUS_DIRS) {
    let names: string[];
    try {
      names = fs.readdirSync(dir).sort();
    } catch {
      continue;
    }
    for (const n of names) {
      if (!exts.includes(path.extname(n).toLowerCase())) continue;
      let text = fs.readFileSync(path.join(dir, n), 'utf8');
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      out.push({ name: `${path.basename(dir)}/${n}`, text });
    }
  }
  return out;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

let sink = 0; // keeps results alive so nothing is optimised away

function time(fn: () => void, runs: number, warmup: number): number {
  for (let i = 0; i < warmup; i++) fn();
  const ts: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    ts.push(performance.now() - t0);
  }
  return median(ts);
}

function raw(text: string): void {
  const lines = text.split(/\r?\n/);
  let n = 0;
  const re = /\d+(?:\.\d+)?/g;
  while (re.exec(text)) n++;
  sink += lines.length + n;
}

function runCheck(text: string): void {
  sink += check(text).findings.length;
}

function bigDocument(texts: string[]): string {
  const parts: string[] = [];
  let len = 0;
  while (len < 1_000_000) {
    for (const t of texts) {
      parts.push(t);
      len += t.length + 2;
      if (len >= 1_000_000) break;
    }
  }
  return parts.join('\n\n');
}

const mark = (ok: boolean) => (ok ? '✓' : '✗');
const mb = (bytes: number) => bytes / (1024 * 1024);

function pad(s: string, n: number, right = false): string {
  // East-Asian-width-naive padding is enough here: names are ASCII.
  return right ? s.padStart(n) : s.padEnd(n);
}

function coldOneMb(): void {
  const doc = bigDocument(corpus().map((c) => c.text));
  const t0 = performance.now();
  const r = check(doc);
  const ms = performance.now() - t0;
  process.stdout.write(JSON.stringify({ chars: doc.length, ms, findings: r.findings.length }) + '\n');
}

function main(): void {
  if (process.argv.includes('--cold-1mb')) return coldOneMb();
  const files = corpus();
  if (!files.length) {
    console.error('bench：未找到语料（../shared/corpus/seeds/*.txt、../shared/corpus/real/*.txt|*.md）');
    process.exitCode = 2;
    return;
  }
  console.log(
    `nianbao bench — node ${process.version}${gc ? '' : '（未使用 --expose-gc，堆内存数字不够准确）'}`,
  );
  console.log('');
  const header = [
    pad('file', 40),
    pad('chars', 8, true),
    pad('check ms', 10, true),
    pad('raw ms', 9, true),
    pad('ratio', 8, true),
  ].join('  ');
  console.log(header);
  console.log('-'.repeat(header.length));
  const ratios: number[] = [];
  for (const { name, text } of files) {
    const c = time(() => runCheck(text), 50, 10);
    const r = time(() => raw(text), 200, 50);
    const ratio = c / Math.max(r, 1e-6);
    ratios.push(ratio);
    console.log(
      [
        pad(name, 40),
        pad(String(text.length), 8, true),
        pad(c.toFixed(3), 10, true),
        pad(r.toFixed(4), 9, true),
        pad(ratio.toFixed(1) + '×', 8, true),
      ].join('  '),
    );
  }
  const mr = median(ratios);
  console.log('');
  console.log(
    `median ratio check/raw: ${mr.toFixed(1)}×   target ≤ ${TARGET_RATIO}× (aim ${AIM_RATIO}×)  ${mark(mr <= TARGET_RATIO)}`,
  );

  // ~1 MB document
  const doc = bigDocument(files.map((f) => f.text));
  gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  let heapPeak = heapBefore;
  const ts: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    const result = check(doc);
    ts.push(performance.now() - t0);
    heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
    sink += result.findings.length;
  }
  const warm = median(ts);
  gc?.();
  const heapAfter = process.memoryUsage().heapUsed;
  const growth = mb(heapPeak - heapBefore);
  const rssMb = process.resourceUsage().maxRSS / 1024; // maxRSS is in kilobytes
  console.log('');
  console.log(`1 MB document (${doc.length} chars, ${files.length} corpus texts repeated):`);
  console.log(
    `  check() median of 5:   ${warm.toFixed(1)} ms   target ≤ ${TARGET_1MB_MS} ms  ${mark(warm <= TARGET_1MB_MS)}   (runs: ${ts.map((t) => t.toFixed(0)).join(', ')} ms)`,
  );
  console.log(
    `  heap used while checking: +${growth.toFixed(1)} MB over ${mb(heapBefore).toFixed(1)} MB (after gc: ${mb(heapAfter).toFixed(1)} MB)   target ≤ ${TARGET_HEAP_MB} MB  ${mark(growth <= TARGET_HEAP_MB)}`,
  );
  console.log(`  process peak RSS:      ${rssMb.toFixed(1)} MB`);

  // Cold: a fresh process, first call (no JIT warm-up, empty caches).
  const self = fileURLToPath(import.meta.url);
  const child = spawnSync(process.execPath, [...process.execArgv, self, '--cold-1mb'], {
    encoding: 'utf8',
    cwd: ROOT,
  });
  try {
    const cold = JSON.parse(child.stdout.trim().split('\n').pop() ?? '') as { ms: number };
    console.log(
      `  cold (first run, fresh process): ${cold.ms.toFixed(1)} ms   target ≤ ${TARGET_1MB_MS} ms  ${mark(cold.ms <= TARGET_1MB_MS)}`,
    );
  } catch {
    console.log(
      `  cold (first run, fresh process): 未能测量（${(child.stderr || child.error?.message || '').trim().slice(0, 200)}）`,
    );
  }
  if (sink === -1) console.log('');
}

main();
