// Bundles the extension and the language server (with the core and its grammar) into dist/, and
// writes the rule ids into the manifest's nianbao.rules setting (from RULES, so it is never stale).

import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = path.dirname(fileURLToPath(import.meta.url));

// Each rule a property of nianbao.rules: its four levels, its Chinese title and default level.
const rules = JSON.parse(
  execFileSync(
    process.execPath,
    [
      '--import',
      'tsx',
      '--input-type=module',
      '-e',
      "const { RULES } = await import('./grammar/rules/index.ts'); process.stdout.write(JSON.stringify(RULES.map((r) => ({ id: r.id, title: r.title, severity: r.severity }))));",
    ],
    { cwd: path.join(here, '..'), encoding: 'utf8' },
  ),
);
const LEVEL = { off: '关闭', info: '提示', warning: '警告', error: '错误' };
const manifestFile = path.join(here, 'package.json');
const manifestText = readFileSync(manifestFile, 'utf8');
const manifest = JSON.parse(manifestText);
manifest.contributes.configuration.properties['nianbao.rules'].properties = Object.fromEntries(
  rules.map((r) => [
    r.id,
    {
      type: 'string',
      enum: Object.keys(LEVEL),
      enumDescriptions: Object.values(LEVEL),
      description: `${r.title}（默认：${LEVEL[r.severity]}）`,
    },
  ]),
);
const updated = `${JSON.stringify(manifest, null, 2)}\n`;
if (updated !== manifestText) writeFileSync(manifestFile, updated);

mkdirSync(path.join(here, 'dist'), { recursive: true });
const common = {
  bundle: true,
  platform: 'node',
  target: 'node18',
  format: 'cjs',
  sourcemap: false,
  logLevel: 'warning',
};
await build({
  ...common,
  entryPoints: [path.join(here, 'src/extension.ts')],
  outfile: path.join(here, 'dist/extension.js'),
  external: ['vscode'],
});
// The grammar is a module (grammar/report.ohm-bundle.js, imported as #report.ohm), bundled like the rest.
await build({
  ...common,
  entryPoints: [path.join(here, '../server/src/server.ts')],
  outfile: path.join(here, 'dist/server.js'),
  define: { 'import.meta.url': 'importMetaUrl' },
  banner: { js: "const importMetaUrl = require('url').pathToFileURL(__filename).href;" },
});
