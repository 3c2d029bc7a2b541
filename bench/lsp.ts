// Language-server figures over stdio with a real JSON-RPC client: time from a one-character
// didChange to the pushed diagnostics (median, p95) for a 10 K-character report and a 1 MB
// document, and server RSS with 10 reports open. Targets: 10 K p95 ≤ 15 ms; 1 MB ≤ 250 ms; RSS ≤ 150 MB.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node.js';

const ROOT = process.cwd();
const server = path.join(ROOT, 'dist/server/src/server.js');
const real = path.join(ROOT, '..', 'shared', 'corpus', 'real');
const texts = fs.readdirSync(real).filter((f) => /\.(txt|md)$/.test(f)).sort().map((f) => fs.readFileSync(path.join(real, f), 'utf8'));

async function main() {
  const proc = spawn(process.execPath, [server, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const conn = createMessageConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
  const waiting = new Map<string, (v: number) => void>();
  conn.onNotification('textDocument/publishDiagnostics', (p: { uri: string; version?: number }) => {
    const w = waiting.get(`${p.uri}#${p.version}`);
    if (w) { waiting.delete(`${p.uri}#${p.version}`); w(performance.now()); }
  });
  conn.listen();
  await conn.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
  conn.sendNotification('initialized', {});
  const versions = new Map<string, number>();
  const openDoc = (uri: string, text: string) => new Promise<void>((resolve) => {
    versions.set(uri, 1);
    waiting.set(`${uri}#1`, () => resolve());
    conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'plaintext', version: 1, text } });
  });
  const typeOne = (uri: string, line: number) => new Promise<number>((resolve) => {
    const v = versions.get(uri)! + 1;
    versions.set(uri, v);
    const t0 = performance.now();
    waiting.set(`${uri}#${v}`, (t1) => resolve(t1 - t0));
    const ch = v % 2 ? '' : '。';
    conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: v }, contentChanges: [{ range: { start: { line, character: 0 }, end: { line, character: v % 2 ? 1 : 0 } }, text: ch }] });
  });
  const stats = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return { median: s[s.length >> 1], p95: s[Math.floor(s.length * 0.95)] }; };

  let ten = '';
  for (const t of texts) { if (ten.length >= 10000) break; ten += t + '\n'; }
  ten = ten.slice(0, Math.max(10000, texts[0].length));
  await openDoc('file:///bench/ten.txt', ten);
  const tenTimes: number[] = [];
  for (let i = 0; i < 200; i++) tenTimes.push(await typeOne('file:///bench/ten.txt', 40));
  for (let i = 0; i < 10; i++) await openDoc(`file:///bench/r${i}.txt`, texts[i % texts.length]);
  const rss = fs.readFileSync(`/proc/${proc.pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)?.[1];
  let big = '';
  while (big.length < 1_000_000) for (const t of texts) big += t + '\n';
  await openDoc('file:///bench/big.txt', big);
  const bigTimes: number[] = [];
  for (let i = 0; i < 20; i++) bigTimes.push(await typeOne('file:///bench/big.txt', 40));

  const t = stats(tenTimes), b = stats(bigTimes);
  const rssMb = Number(rss) / 1024;
  console.log(`\nlanguage server (stdio, real JSON-RPC client):`);
  console.log(`  ${ten.length} chars, didChange → diagnostics: median ${t.median.toFixed(2)} ms, p95 ${t.p95.toFixed(2)} ms   target p95 ≤ 15 ms  ${t.p95 <= 15 ? '✓' : '✗'}`);
  console.log(`  ${big.length} chars, didChange → diagnostics: median ${b.median.toFixed(1)} ms, p95 ${b.p95.toFixed(1)} ms   target ≤ 250 ms  ${b.p95 <= 250 ? '✓' : '✗'}`);
  console.log(`  server RSS with 10 reports open (and the 10 K one): ${rssMb.toFixed(1)} MB   target ≤ 150 MB  ${rssMb <= 150 ? '✓' : '✗'}`);
  conn.dispose();
  proc.kill();
}
void main();
