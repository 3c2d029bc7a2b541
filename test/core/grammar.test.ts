// The grammar of a report line (grammar/report.ohm) and the parser's use of it.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');

describe('the compiled grammar', () => {
  it('is the bundle `npm run grammar` makes from report.ohm now (regenerate it after editing the grammar)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nianbao-ohm-'));
    fs.copyFileSync(path.join(root, 'grammar/report.ohm'), path.join(dir, 'report.ohm'));
    execFileSync(
      process.execPath,
      [
        path.join(root, 'node_modules/@ohm-js/cli/index.js'),
        'generateBundles',
        '--withTypes',
        '--esm',
        path.join(dir, 'report.ohm'),
      ],
      { stdio: 'pipe' },
    );
    for (const f of ['report.ohm-bundle.js', 'report.ohm-bundle.d.ts'])
      expect(fs.readFileSync(path.join(dir, f), 'utf8'), f).toBe(
        fs.readFileSync(path.join(root, 'grammar', f), 'utf8'),
      );
    fs.rmSync(dir, { recursive: true });
  });
});
