// The VS Code extension package: built with esbuild, packaged with vsce, and its bundled server
// answers a real JSON-RPC client from inside the package layout.
import { execSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node.js';
import { CROSS_YEAR_RULES, RULES } from '../../grammar/src/index.js';
import { BlankTableRequest, Commands, FIX_ALL_KIND, REPORT_CONTEXT_KEY } from '../../server/src/protocol.js';
import { report } from '../fixtures/build.js';

const root = path.resolve(import.meta.dirname, '../..');
const vsix = path.join(root, 'client-vscode/nianbao.vsix');
const unpacked = fs.mkdtempSync(path.join(os.tmpdir(), 'nianbao-vsix-'));

beforeAll(() => {
  execSync('npm run vsix', { cwd: root, stdio: 'pipe' });
  execSync(`unzip -q -o ${vsix} -d ${unpacked}`);
}, 120000);

describe('nianbao.vsix', () => {
  it('holds the manifest with Chinese titles, the bundled extension and server', () => {
    const ext = path.join(unpacked, 'extension');
    const manifest = JSON.parse(fs.readFileSync(path.join(ext, 'package.json'), 'utf8'));
    expect(manifest.main).toBe('./dist/extension.js');
    expect(manifest.contributes.commands.map((c: { command: string }) => c.command)).toEqual(
      Object.values(Commands),
    );
    const zh = JSON.parse(fs.readFileSync(path.join(ext, 'package.nls.zh-cn.json'), 'utf8'));
    const en = JSON.parse(fs.readFileSync(path.join(ext, 'package.nls.json'), 'utf8'));
    expect(zh['command.insertTable']).toBe('插入空白表格');
    // Every %key% of the manifest is translated in both languages; the category is localized.
    const keys = [...JSON.stringify(manifest).matchAll(/"%([\w.]+)%"/g)].map((m) => m[1]);
    for (const k of keys) {
      expect(zh[k], k).toBeTruthy();
      expect(en[k], k).toBeTruthy();
    }
    expect(manifest.contributes.commands.map((c: { category: string }) => c.category)).toEqual(
      Array(4).fill('%category%'),
    );
    expect(zh.category).toBe('年报校对');
    for (const f of ['dist/extension.js', 'dist/server.js'])
      expect(fs.existsSync(path.join(ext, f))).toBe(true);
  });

  it('is ready for the Marketplace: icon, licence, changelog, README, no made-up repository, works untrusted', () => {
    const ext = path.join(unpacked, 'extension');
    const manifest = JSON.parse(fs.readFileSync(path.join(ext, 'package.json'), 'utf8'));
    const icon = fs.readFileSync(path.join(ext, manifest.icon));
    expect(icon.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect([icon.readUInt32BE(16), icon.readUInt32BE(20)]).toEqual([128, 128]);
    expect(fs.readFileSync(path.join(ext, 'LICENSE.txt'), 'utf8')).toMatch(/^MIT License/);
    expect(manifest.license).toBe('MIT');
    expect(fs.readFileSync(path.join(ext, 'changelog.md'), 'utf8')).toContain(`## ${manifest.version}`);
    expect(manifest.repository).toBeUndefined();
    expect(manifest.capabilities.untrustedWorkspaces).toEqual({ supported: true });
    // The README shows the Problems panel and the quick fix: the screenshots are in the repository.
    const readme = fs.readFileSync(path.join(ext, 'readme.md'), 'utf8');
    const images = [...readme.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map((m) => m[1]);
    expect(images).toEqual(['images/problems.png', 'images/quickfix.png', 'images/completion.png']);
    for (const i of images) expect(fs.existsSync(path.join(root, 'client-vscode', i)), i).toBe(true);
  });

  it('offers every rule in the nianbao.rules setting, with its Chinese title and the four levels', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(unpacked, 'extension/package.json'), 'utf8'));
    const props = manifest.contributes.configuration.properties;
    expect(Object.keys(props)).toEqual([
      'nianbao.enable',
      'nianbao.run',
      'nianbao.rules',
      'nianbao.trace.server',
      'nianbao.rulesDocsUrl',
    ]);
    // Where the diagnostics' rule links point: the pages shipped in the extension unless set.
    expect(props['nianbao.rulesDocsUrl'].type).toBe('string');
    expect(props['nianbao.run'].enum).toEqual(['onType', 'onSave']);
    expect(props['nianbao.trace.server'].enum).toEqual(['off', 'messages', 'verbose']);
    const rules = props['nianbao.rules'];
    expect(rules.additionalProperties).toBe(false);
    const label = { error: '错误', warning: '警告', info: '提示' };
    expect(rules.properties).toEqual(
      Object.fromEntries(
        [...RULES, ...CROSS_YEAR_RULES].map((r) => [
          r.id,
          {
            type: 'string',
            enum: ['off', 'info', 'warning', 'error'],
            enumDescriptions: ['关闭', '提示', '警告', '错误'],
            description: `${r.title}（默认：${label[r.severity]}）`,
          },
        ]),
      ),
    );
    // .nianbaorc.json gets the same rule ids and levels: completion and validation in the JSON editor.
    expect(manifest.contributes.jsonValidation).toEqual([
      { fileMatch: '.nianbaorc.json', url: './schemas/nianbaorc.schema.json' },
    ]);
    const schema = JSON.parse(
      fs.readFileSync(path.join(unpacked, 'extension/schemas/nianbaorc.schema.json'), 'utf8'),
    );
    expect(schema.properties.rules.properties).toEqual(rules.properties);
    expect(schema.properties.rules.additionalProperties).toBe(false);
    // The package.json in the repository is the one packaged (the build keeps it up to date).
    expect(JSON.parse(fs.readFileSync(path.join(root, 'client-vscode/package.json'), 'utf8'))).toEqual(
      manifest,
    );
  });

  it('shows the commands only where they apply, and names the fix-all kind the server offers', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(unpacked, 'extension/package.json'), 'utf8'));
    const when = Object.fromEntries(
      manifest.contributes.menus.commandPalette.map((m: { command: string; when: string }) => [
        m.command,
        m.when,
      ]),
    );
    expect(when).toEqual({
      [Commands.check]: `(editorLangId == plaintext || editorLangId == markdown) && !${REPORT_CONTEXT_KEY}`,
      [Commands.fixAll]: `${REPORT_CONTEXT_KEY} && !editorReadonly`,
      [Commands.insertTable]: `${REPORT_CONTEXT_KEY} && !editorReadonly`,
      [Commands.restart]: 'editorLangId == plaintext || editorLangId == markdown || editorLangId == nianbao',
    });
    const bundle = fs.readFileSync(path.join(unpacked, 'extension/dist/extension.js'), 'utf8');
    expect(bundle).toContain(FIX_ALL_KIND);
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
    const blank: string = await conn.sendRequest(BlankTableRequest.method, {
      uri: 'file:///tmp/r.txt',
      table: 't4',
    });
    expect(blank.split('\n')[2]).toBe('0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |');
    conn.dispose();
    proc.kill();
  });
});
