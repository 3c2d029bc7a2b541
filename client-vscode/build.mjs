// Bundles the extension and the language server (with the core and its grammar) into dist/.

import { mkdirSync } from 'node:fs';
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
// The grammar is a module (grammar/report.ohm-bundle.js, imported as #report.ohm), bundled like the rest.
await build({
  ...common,
  entryPoints: [path.join(here, '../server/src/server.ts')],
  outfile: path.join(here, 'dist/server.js'),
  define: { 'import.meta.url': 'importMetaUrl' },
  banner: { js: "const importMetaUrl = require('url').pathToFileURL(__filename).href;" },
});
