// Bundles the extension and the language server (with the core and its grammar) into dist/, and
// writes the rule ids into the manifest's nianbao.rules setting and into the JSON schema of
// .nianbaorc.json (from RULES and CROSS_YEAR_RULES, so neither is ever stale).

import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
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
      "const { RULES } = await import('./grammar/rules/index.ts'); const { CROSS_YEAR_RULES } = await import('./grammar/src/cross-year/rules.ts'); process.stdout.write(JSON.stringify([...RULES, ...CROSS_YEAR_RULES].map((r) => ({ id: r.id, title: r.title, severity: r.severity }))));",
    ],
    { cwd: path.join(here, '..'), encoding: 'utf8' },
  ),
);
const LEVEL = { off: '关闭', info: '提示', warning: '警告', error: '错误' };
const ruleProperties = Object.fromEntries(
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
/**
 * Writes `value` as JSON formatted as Biome does, only when it changed (the files are committed):
 * package.json with every array expanded, other files with short arrays of strings on one line.
 */
const writeJson = (file, value) => {
  let old = '';
  try {
    old = readFileSync(file, 'utf8');
  } catch {
    // new file
  }
  let text = `${JSON.stringify(value, null, 2)}\n`;
  if (path.basename(file) !== 'package.json')
    text = text.replace(
      /\[\n\s+("[^"\n]*"(?:,\n\s+"[^"\n]*")*)\n\s+\]/g,
      (_, items) => `[${items.split(/,\n\s+/).join(', ')}]`,
    );
  if (text !== old) writeFileSync(file, text);
};
const manifestFile = path.join(here, 'package.json');
const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
manifest.contributes.configuration.properties['nianbao.rules'].properties = ruleProperties;
writeJson(manifestFile, manifest);
mkdirSync(path.join(here, 'schemas'), { recursive: true });
writeJson(path.join(here, 'schemas/nianbaorc.schema.json'), {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: '年报校对配置文件 .nianbaorc.json',
  type: 'object',
  properties: {
    language: {
      enum: ['off', 'on'],
      description: '文字校对（模板用语错别字、标点和全半角、成文日期、法条引用）：off 整组关闭',
    },
    rules: {
      type: 'object',
      description: '按规则设置级别：off 关闭、info 提示、warning 警告、error 错误',
      properties: ruleProperties,
      additionalProperties: false,
    },
  },
});

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
// The server, and the worker thread it reads workspace files in (found next to it as scan-worker.js).
for (const [entry, out] of [
  ['../server/src/server.ts', 'dist/server.js'],
  ['../server/src/scan-worker.ts', 'dist/scan-worker.js'],
])
  await build({
    ...common,
    entryPoints: [path.join(here, entry)],
    outfile: path.join(here, out),
    define: { 'import.meta.url': 'importMetaUrl' },
    banner: { js: "const importMetaUrl = require('url').pathToFileURL(__filename).href;" },
  });
// The rule pages, which diagnostics link to (the server finds them beside itself as docs/rules/).
cpSync(path.join(here, '../docs/rules'), path.join(here, 'dist/docs/rules'), { recursive: true });
