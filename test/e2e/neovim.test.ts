// A third-party client: headless Neovim 0.7 (Debian package neovim), which only supports pushed
// diagnostics, shows the findings and applies the quick fix through apply_workspace_edit.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { check } from '../../grammar/src/index.js';
import { report } from '../fixtures/build.js';

const root = path.resolve(import.meta.dirname, '../..');
const server = path.join(root, 'dist/server/src/server.js');

describe('Neovim', () => {
  it('shows the diagnostics of a report and repairs a deleted row with the quick fix', () => {
    expect(fs.existsSync(server), 'the server is built by `npm ci` (prepare) or `npm run build`').toBe(true);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nianbao-nvim-'));
    const text = report('pipe');
    const row = check(text).report.tables.t3!.rows[7]!;
    const file = path.join(dir, 'report.txt');
    fs.writeFileSync(file, text.slice(0, row.block.start) + text.slice(row.block.end));
    const out = path.join(dir, 'out.txt');
    const r = spawnSync(
      'nvim',
      ['--headless', '-u', 'NONE', '-c', `luafile ${path.join(root, 'test/neovim/quickfix.lua')}`],
      {
        env: { ...process.env, NB_FILE: file, NB_SERVER: server, NB_OUT: out },
        encoding: 'utf8',
        timeout: 60000,
      },
    );
    expect(r.status, r.stderr).toBe(0);
    const lines = fs.readFileSync(out, 'utf8').trim().split('\n');
    const line = text.slice(0, row.block.start).split('\n').length;
    expect(lines).toContain(`${line}:row-missing:表三缺少“4.保护第三方合法权益”行`);
    expect(lines).toContain('applied:插入“4.保护第三方合法权益”行');
    expect(fs.readFileSync(file, 'utf8')).toBe(text);
  }, 90000);
});
