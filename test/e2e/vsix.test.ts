// The VS Code extension package: built with esbuild, packaged with vsce, and its bundled server
// answers a real JSON-RPC client from inside the package layout.
import { execSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node.js';
import { report } from '../fixtures/build.js';

const root = path.resolve(import.meta.dirname, '../..');
const vsix = path.join(root, 'client-vscode/nianbao.vsix');
const unpacked = fs.mkdtempSync(path.join(os.tmpdir(), 'nianbao-vsix-'));

beforeAll(() => {
  execSync('npm run vsix', { cwd: root, stdio: 'pipe' });
  execSync(`unzip -q -o ${vsix} -d ${unpacked}`);
}, 120000);

describe('nianbao.vsix', () => {
  it('holds the manifest with Chinese titles, the bundled extension, server and grammar', () => {
    const ext = path.join(unpacked, 'extension');
    const manifest = JSON.parse(fs.readFileSync(path.join(ext, 'package.json'), 'utf8'));
    expect(manifest.main).toBe('./dist/extension.js');
    expect(manifest.contributes.commands.map((c: { command: string }) => c.command)).toEqual([
      'nianbao.check',
      'nianbao.fixAll',
      'nianbao.insertTable',
      'nianbao.restart',
    ]);
    expect(
      JSON.parse(fs.readFileSync(path.join(ext, 'package.nls.zh-cn.json'), 'utf8'))['command.insertTable'],
    ).toBe('插入空白表格');
    for (const f of ['dist/extension.js', 'dist/server.js'])
      expect(fs.existsSync(path.join(ext, f))).toBe(true);
  });
  it('its bundled server pushes the findings of a report, and leaves other text files alone', async () => {
    const proc = spawn(process.execPath, [path.join(unpacked, 'extension/dist/server.js'), '--stdio']);
    const conn = createMessageConnection(
      new StreamMessageReader(proc.stdout),
      new StreamMessageWriter(proc.stdin),
    );
    const pushed = new Map<string, Array<{ code: string }>>();
    conn.onNotification(
      'textDocument/publishDiagnostics',
      (p: { uri: string; diagnostics: Array<{ code: string }> }) => pushed.set(p.uri, p.diagnostics),
    );
    conn.listen();
    await conn.sendRequest('initialize', { processId: null, rootUri: null, capabilities: {} });
    conn.sendNotification('initialized', {});
    const text = report('pipe').replace('本年度未收取信息处理费。', '无。');
    conn.sendNotification('textDocument/didOpen', {
      textDocument: { uri: 'file:///tmp/r.txt', languageId: 'plaintext', version: 1, text },
    });
    conn.sendNotification('textDocument/didOpen', {
      textDocument: {
        uri: 'file:///tmp/notes.txt',
        languageId: 'plaintext',
        version: 1,
        text: '会议纪要\n一、参会人员\n二、结转下年度继续办理 3 件\n',
      },
    });
    await expect
      .poll(() => pushed.get('file:///tmp/r.txt')?.map((d) => d.code))
      .toEqual(['fee-statement-missing']);
    await expect.poll(() => pushed.get('file:///tmp/notes.txt')).toEqual([]);
    const blank: string = await conn.sendRequest('nianbao/blankTable', {
      uri: 'file:///tmp/r.txt',
      table: 't4',
    });
    expect(blank.split('\n')[2]).toBe('0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |');
    conn.dispose();
    proc.kill();
  });
});
