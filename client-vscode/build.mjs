// Bundles the extension and the language server (with the core and its grammar) into dist/.

import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = path.dirname(fileURLToPath(import.meta.url));
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
// The core reads its grammar next to its own module: in the bundle that is dist/, so copy it there
// under the name the core resolves (../report.ohm from grammar/src → dist/../report.ohm).
await build({
  ...common,
  entryPoints: [path.join(here, '../server/src/server.ts')],
  outfile: path.join(here, 'dist/server.js'),
  define: { 'import.meta.url': 'importMetaUrl' },
  banner: { js: "const importMetaUrl = require('url').pathToFileURL(__filename).href;" },
});
copyFileSync(path.join(here, '../grammar/report.ohm'), path.join(here, 'report.ohm'));
