// Language-server figures over stdio with a real JSON-RPC client: time from a one-character
// didChange to the pushed diagnostics (median, p95) for a 10 K-character report — with incremental
// changes and with the whole text on every change (full sync) — and a 1 MB document; server RSS
// with 10 reports open; 1,000 edits sent at once to the 1 MB document: time until the last
// version's diagnostics arrive, how many publications, and the server's peak memory.
// Targets: 10 K p95 ≤ 15 ms in both modes; 1 MB ≤ 250 ms; RSS ≤ 150 MB; the burst answered in a
// few seconds with memory flat.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node.js';

const ROOT = process.cwd();
const server = path.join(ROOT, 'dist/server/src/server.js');
const real = path.join(ROOT, '..', 'shared', 'corpus', 'real');
const texts = fs
  .readdirSync(real)
  .filter((f) => /\.(txt|md)$/.test(f))
  .sort()
  .map((f) => fs.readFileSync(path.join(real, f), 'utf8'));

async function main() {
  const proc = spawn(process.execPath, [server, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const conn = createMessageConnection(
    new StreamMessageReader(proc.stdout!),
    new StreamMessageWriter(proc.stdin!),
  );
  const waiting = new Map<string, (v: number) => void>();
  const published = new Map<string, number>();
  conn.onNotification('textDocument/publishDiagnostics', (p: { uri: string; version?: number }) => {
    published.set(p.uri, (published.get(p.uri) ?? 0) + 1);
    const w = waiting.get(`${p.uri}#${p.version}`);
    if (w) {
      waiting.delete(`${p.uri}#${p.version}`);
      w(performance.now());
    }
  });
  conn.listen();
  await conn.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
  conn.sendNotification('initialized', {});
  const versions = new Map<string, number>();
  const contents = new Map<string, string>();
  const openDoc = (uri: string, text: string) =>
    new Promise<void>((resolve) => {
      versions.set(uri, 1);
      contents.set(uri, text);
      waiting.set(`${uri}#1`, () => resolve());
      conn.sendNotification('textDocument/didOpen', {
        textDocument: { uri, languageId: 'plaintext', version: 1, text },
      });
    });
  /** One keystroke on line `line` (a character typed, then deleted), incrementally or as the whole text. */
  const edit = (uri: string, line: number, full: boolean) => {
    const v = versions.get(uri)! + 1;
    versions.set(uri, v);
    const typing = v % 2 === 0;
    let change: object = {
      range: { start: { line, character: 0 }, end: { line, character: typing ? 0 : 1 } },
      text: typing ? '。' : '',
    };
    if (full) {
      const text = contents.get(uri)!;
      let start = 0;
      for (let i = 0; i < line; i++) start = text.indexOf('\n', start) + 1;
      const next = typing
        ? text.slice(0, start) + '。' + text.slice(start)
        : text.slice(0, start) + text.slice(start + 1);
      contents.set(uri, next);
      change = { text: next };
    }
    conn.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: v },
      contentChanges: [change],
    });
    return v;
  };
  const typeOne = (uri: string, line: number, full = false) =>
    new Promise<number>((resolve) => {
      const t0 = performance.now();
      waiting.set(`${uri}#${versions.get(uri)! + 1}`, (t1) => resolve(t1 - t0));
      edit(uri, line, full);
    });
  const stats = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return { median: s[s.length >> 1], p95: s[Math.floor(s.length * 0.95)] };
  };
  const status = (key: string) =>
    Number(
      fs.readFileSync(`/proc/${proc.pid}/status`, 'utf8').match(new RegExp(`${key}:\\s+(\\d+)`))?.[1] ?? 0,
    ) / 1024;

  let ten = '';
  for (const t of texts) {
    if (ten.length >= 10000) break;
    ten += t + '\n';
  }
  ten = ten.slice(0, Math.max(10000, texts[0].length));
  await openDoc('file:///bench/ten.txt', ten);
  await openDoc('file:///bench/ten-full.txt', ten);
  const tenTimes: number[] = [],
    fullTimes: number[] = [];
  for (let i = 0; i < 20; i++) {
    await typeOne('file:///bench/ten.txt', 40);
    await typeOne('file:///bench/ten-full.txt', 40, true);
  } // warm-up
  for (let i = 0; i < 200; i++) {
    tenTimes.push(await typeOne('file:///bench/ten.txt', 40));
    fullTimes.push(await typeOne('file:///bench/ten-full.txt', 40, true));
  }
  for (let i = 0; i < 10; i++) await openDoc(`file:///bench/r${i}.txt`, texts[i % texts.length]);
  const rssMb = status('VmRSS');
  let big = '';
  while (big.length < 1_000_000) for (const t of texts) big += t + '\n';
  await openDoc('file:///bench/big.txt', big);
  const bigTimes: number[] = [];
  for (let i = 0; i < 20; i++) bigTimes.push(await typeOne('file:///bench/big.txt', 40));

  // 1,000 edits at once to the 1 MB document: only the last version need be checked and published.
  const uri = 'file:///bench/big.txt';
  const before = published.get(uri) ?? 0;
  const rssBefore = status('VmRSS');
  let peak = rssBefore;
  const poll = setInterval(() => {
    peak = Math.max(peak, status('VmRSS'));
  }, 10);
  const t0 = performance.now();
  let last = 0;
  for (let i = 0; i < 1000; i++) last = edit(uri, 40 + (i % 50), false);
  const sentMs = performance.now() - t0;
  const burstMs = await new Promise<number>((resolve) =>
    waiting.set(`${uri}#${last}`, (t1) => resolve(t1 - t0)),
  );
  clearInterval(poll);
  const publications = (published.get(uri) ?? 0) - before;

  const t = stats(tenTimes),
    f = stats(fullTimes),
    b = stats(bigTimes);
  console.log(`\nlanguage server (stdio, real JSON-RPC client):`);
  console.log(
    `  ${ten.length} chars, didChange → diagnostics, incremental: median ${t.median.toFixed(2)} ms, p95 ${t.p95.toFixed(2)} ms   target p95 ≤ 15 ms  ${t.p95 <= 15 ? '✓' : '✗'}`,
  );
  console.log(
    `  ${ten.length} chars, didChange → diagnostics, full text:   median ${f.median.toFixed(2)} ms, p95 ${f.p95.toFixed(2)} ms   target p95 ≤ 15 ms  ${f.p95 <= 15 ? '✓' : '✗'}`,
  );
  console.log(
    `  ${big.length} chars, didChange → diagnostics: median ${b.median.toFixed(1)} ms, p95 ${b.p95.toFixed(1)} ms   target ≤ 250 ms  ${b.p95 <= 250 ? '✓' : '✗'}`,
  );
  console.log(
    `  server RSS with 10 reports open (and the 10 K ones): ${rssMb.toFixed(1)} MB   target ≤ 150 MB  ${rssMb <= 150 ? '✓' : '✗'}`,
  );
  console.log(
    `  1,000 edits at once to the ${big.length}-char document: last version's diagnostics after ${burstMs.toFixed(0)} ms (sending took ${sentMs.toFixed(0)} ms), ${publications} publication(s), RSS ${rssBefore.toFixed(0)} → peak ${peak.toFixed(0)} MB   target ≤ 5 s  ${burstMs <= 5000 ? '✓' : '✗'}`,
  );
  conn.dispose();
  proc.kill();
}
void main();
