// The package as a user installs it: `npm pack`, then `npm install -g` of the tarball into a clean
// prefix. Only runtime dependencies come along, and both commands work from there.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CROSS_YEAR_RULES, RULES } from '../../grammar/src/index.js';

const root = path.resolve(import.meta.dirname, '../..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  version: string;
  devDependencies: Record<string, string>;
};
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'nianbao-pack-'));
const prefix = path.join(tmp, 'prefix');
const installed = path.join(prefix, 'lib', 'node_modules', 'nianbao');
let files: string[] = [];

function run(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  const r = spawnSync(cmd, args, {
    cwd: opts.cwd ?? tmp,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ...opts.env },
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** Bytes under a folder. */
function size(dir: string): number {
  let n = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) n += size(p);
    else if (e.isFile()) n += fs.statSync(p).size;
  }
  return n;
}

beforeAll(() => {
  // dist/ is built by `npm ci` (prepare) or `npm run build`; packing does not rebuild it here, so
  // that other tests reading dist/ meanwhile are undisturbed.
  const packed = run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', tmp], { cwd: root });
  expect(packed.code, packed.err).toBe(0);
  files = (JSON.parse(packed.out) as Array<{ files: Array<{ path: string }> }>)[0].files.map((f) => f.path);
  // The local cache first (the machine may be offline); the registry for what it lacks.
  const got = run('npm', [
    'install',
    '-g',
    path.join(tmp, `nianbao-${pkg.version}.tgz`),
    '--prefix',
    prefix,
    '--prefer-offline',
    '--no-audit',
    '--no-fund',
  ]);
  expect(got.code, got.err).toBe(0);
}, 300_000);

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('npm pack → npm install -g', () => {
  it('the tarball holds the built commands, the grammar bundle and every rule page, and no sources or tests', () => {
    expect(files).toContain('dist/cli/nianbao.js');
    expect(files).toContain('dist/bot-feishu/src/main.js');
    expect(files).toContain('dist/server/src/server.js');
    expect(files).toContain('grammar/report.ohm-bundle.js');
    for (const r of [...RULES, ...CROSS_YEAR_RULES]) expect(files).toContain(`docs/rules/${r.id}.md`);
    expect(files.filter((f) => /^(test|bench|client-vscode)\//.test(f) || /(?<!\.d)\.ts$/.test(f))).toEqual(
      [],
    );
  });

  it('installs no development dependency, in well under 200 MB', () => {
    const present = (name: string) => fs.existsSync(path.join(installed, 'node_modules', name));
    for (const dev of [
      'typescript',
      'vitest',
      '@biomejs/biome',
      'esbuild',
      'tsx',
      'playwright-core',
      '@vscode/vsce',
    ])
      expect(present(dev), dev).toBe(false);
    expect(Object.keys(pkg.devDependencies)).toContain('vitest');
    const mb = size(prefix) / 1024 / 1024;
    expect(mb).toBeLessThan(200);
  });

  it('nianbao checks a report and names the rule pages installed with it', () => {
    const bin = path.join(prefix, 'bin', 'nianbao');
    const r = run(bin, ['check', path.join(root, 'test/fixtures/clean-tab.txt')]);
    expect([r.code, r.out, r.err]).toEqual([0, '1 个文件：未发现问题\n', '']);
    const bad = path.join(tmp, 'bad.txt');
    fs.writeFileSync(
      bad,
      fs
        .readFileSync(path.join(root, 'test/fixtures/clean-tab.txt'), 'utf8')
        .replace('收到政府信息公开申请3件', '收到政府信息公开申请XX件'),
    );
    const json = JSON.parse(run(bin, ['check', '-f', 'json', bad]).out);
    expect(json[0].findings.map((f: { ruleId: string }) => f.ruleId)).toEqual(['placeholder']);
    const rules = JSON.parse(run(bin, ['rules', '-f', 'json']).out) as Array<{ id: string; doc: string }>;
    expect(rules[0].doc).toBe(path.join(installed, 'docs', 'rules', `${rules[0].id}.md`));
    expect(fs.existsSync(rules[0].doc)).toBe(true);
    expect(run(bin, ['--version']).out).toBe(`${pkg.version}\n`);
  });

  it('nianbao-feishu starts and, without its settings, says which are missing', () => {
    const r = run(path.join(prefix, 'bin', 'nianbao-feishu'), [], {
      env: { FEISHU_APP_ID: '', FEISHU_APP_SECRET: '' },
    });
    expect(r.code).toBe(2);
    expect(r.err).toContain('缺少环境变量 FEISHU_APP_ID');
  });

  it('nianbao-web names the offline page installed with it', () => {
    const r = run(path.join(prefix, 'bin', 'nianbao-web'), []);
    expect(r.code).toBe(0);
    const page = r.out.trim();
    expect(page.startsWith(prefix)).toBe(true);
    expect(page.endsWith('nianbao.html')).toBe(true);
    expect(fs.readFileSync(page, 'utf8')).toContain('文件只在本机处理');
  });
});
