// The language server and accepted findings: the quick fix "标记为已核实" writes the finding into the
// workspace folder's .nianbao-baseline.json and the diagnostic goes; it stays gone when lines move
// and comes back when the value it was about changes.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  createMessageConnection,
  type MessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-jsonrpc/node.js';
import { report, sampleValues } from '../fixtures/build.js';

const root = path.resolve(import.meta.dirname, '../..');
vi.setConfig({ expect: { poll: { timeout: 10000 } } });

type Diag = { code?: string; message: string; range: { start: { line: number; character: number } } };
let proc: ChildProcess | undefined;
let conn: MessageConnection | undefined;
let dir: string | undefined;
afterEach(() => {
  conn?.dispose();
  proc?.kill();
  if (dir) rmSync(dir, { recursive: true, force: true });
  conn = proc = dir = undefined;
});

/** A report with two planted errors: 表三's first total (4, its row sums to 3) and 表四's first total (2 for 1). */
function planted(t4Total = 2): string {
  const v = sampleValues();
  v.t3[0][6] = 4;
  v.t4[4] = t4Total;
  return report('pipe', v);
}

async function start(folder: string) {
  proc = spawn(process.execPath, [path.join(root, 'dist/server/src/server.js'), '--stdio'], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const c = createMessageConnection(
    new StreamMessageReader(proc.stdout!),
    new StreamMessageWriter(proc.stdin!),
  );
  conn = c;
  const pushed = new Map<string, Diag[]>();
  c.onNotification('textDocument/publishDiagnostics', (p: { uri: string; diagnostics: Diag[] }) =>
    pushed.set(p.uri, p.diagnostics),
  );
  c.listen();
  const folderUri = pathToFileURL(folder).href;
  await c.sendRequest('initialize', {
    processId: process.pid,
    rootUri: folderUri,
    workspaceFolders: [{ uri: folderUri, name: 'reports' }],
    capabilities: { workspace: { executeCommand: {} } },
  });
  c.sendNotification('initialized', {});
  return { c, pushed };
}

describe('language server: accepted findings', () => {
  it('"标记为已核实" silences exactly that finding, through moved lines, until its value changes', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'nianbao-lsp-baseline-'));
    const sub = path.join(dir, '2024');
    const file = path.join(sub, 'a.txt');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(sub);
    const text = planted();
    writeFileSync(file, text);
    const uri = pathToFileURL(file).href;
    const { c, pushed } = await start(dir);
    c.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'plaintext', version: 1, text },
    });
    const codes = () => pushed.get(uri)?.map((d) => d.code);
    await expect.poll(codes).toEqual(['t3-row-total', 't4-total']);

    const t4 = pushed.get(uri)!.find((d) => d.code === 't4-total')!;
    const actions = (await c.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: t4.range.start, end: t4.range.start },
      context: { diagnostics: [t4] },
    })) as Array<{ title: string; command?: { command: string; arguments: unknown[] } }>;
    const accept = actions.find((a) => a.title === '标记为已核实')!;
    expect(accept.command).toBeDefined();
    await c.sendRequest('workspace/executeCommand', {
      command: accept.command!.command,
      arguments: accept.command!.arguments,
    });
    await expect.poll(codes).toEqual(['t3-row-total']);
    // Written in the workspace folder (no baseline file existed), readable, naming the place.
    const baselineFile = path.join(dir, '.nianbao-baseline.json');
    expect(existsSync(baselineFile)).toBe(true);
    const written = JSON.parse(readFileSync(baselineFile, 'utf8'));
    expect(written.entries).toMatchObject([{ rule: 't4-total', place: '表四“行政复议”总计', value: '2' }]);

    // A paragraph added above: the lines move, the finding stays accepted.
    c.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [
        {
          range: { start: { line: 3, character: 0 }, end: { line: 3, character: 0 } },
          text: '本局今年新增一段说明。\n另起一段补充说明。\n',
        },
      ],
    });
    await expect.poll(() => pushed.get(uri)?.[0]?.range.start.line).toBe(28);
    expect(codes()).toEqual(['t3-row-total']);

    // The accepted total changed (2 → 3): reported again.
    const line =
      planted()
        .split('\n')
        .findIndex((l) => l.startsWith('1 | 0 | 0 | 0 | 2 |')) + 2;
    c.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 3 },
      contentChanges: [
        {
          range: { start: { line, character: 16 }, end: { line, character: 17 } },
          text: '3',
        },
      ],
    });
    await expect.poll(codes).toEqual(['t3-row-total', 't4-total']);
    expect(pushed.get(uri)!.find((d) => d.code === 't4-total')!.message).toContain('总计为3');
  });
});
