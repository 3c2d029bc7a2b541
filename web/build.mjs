// Builds the offline page: one HTML file (dist/web/nianbao.html) with the core, the page's code and
// the PDF worker inlined, so it opens from disk and makes no request. The core is bundled from the
// same source as the CLI; the Node-only edges are swapped for the browser's own here: the PDF
// reader (worker thread → Web Worker), and Buffer and node:stream for the .doc reader.
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.join(here, '..');
const out = path.join(root, 'dist/web/nianbao.html');
const require = createRequire(import.meta.url);

/** Node-only modules of the core's edge and what the page uses instead. */
const edges = {
  name: 'browser-edges',
  setup(b) {
    // grammar/src/read/pdf.ts (the worker thread) → web/pdf.ts (a Web Worker).
    b.onResolve({ filter: /^\.\/pdf\.js$/ }, (args) =>
      args.importer.endsWith(path.join('grammar', 'src', 'read', 'index.ts'))
        ? { path: path.join(here, 'pdf.ts') }
        : undefined,
    );
    b.onResolve({ filter: /^(node:)?stream$/ }, () => ({ path: path.join(here, 'stream.ts') }));
    b.onResolve({ filter: /^(node:)?buffer$/ }, () => ({ path: require.resolve('buffer/') }));
    // The configuration file lookup (grammar/src/config.ts) is never called in the page.
    b.onResolve({ filter: /^node:path$/ }, () => ({ path: path.join(here, 'no-path.ts') }));
  },
};

const common = {
  bundle: true,
  write: false,
  platform: 'browser',
  format: 'iife',
  target: 'es2022',
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
  plugins: [edges],
  define: { 'process.env.NODE_ENV': '"production"' },
};

/**
 * The PDF worker (pdf.js, most of the page) changes rarely: its bundle is kept next to the page with
 * the times of its inputs, and made again only when one of them changed.
 */
async function workerSource() {
  const cacheFile = path.join(path.dirname(out), 'pdf-worker.cache.json');
  const stamp = (f) => {
    try {
      return statSync(path.join(root, f)).mtimeMs;
    } catch {
      return -1;
    }
  };
  try {
    const cache = JSON.parse(readFileSync(cacheFile, 'utf8'));
    if (Object.entries(cache.inputs).every(([f, t]) => stamp(f) === t)) return cache.code;
  } catch {
    // none yet, or unreadable: build it
  }
  const r = await build({
    ...common,
    metafile: true,
    absWorkingDir: root,
    entryPoints: [path.join(here, 'pdf-worker.ts')],
  });
  const inputs = Object.fromEntries(Object.keys(r.metafile.inputs).map((f) => [f, stamp(f)]));
  const code = r.outputFiles[0].text;
  mkdirSync(path.dirname(cacheFile), { recursive: true });
  writeFileSync(cacheFile, JSON.stringify({ inputs, code }));
  return code;
}
const main = await build({
  ...common,
  entryPoints: [path.join(here, 'main.ts')],
  inject: [path.join(here, 'buffer-global.ts')],
  define: { ...common.define, PDF_WORKER_SOURCE: JSON.stringify(await workerSource()) },
});
// A closing script tag inside the code would end the inline script early.
const js = main.outputFiles[0].text.replace(/<\/script/gi, '<\\/script');
const html = readFileSync(path.join(here, 'page.html'), 'utf8').replace('/*MAIN*/', () => js);
mkdirSync(path.dirname(out), { recursive: true });
writeFileSync(out, html);
if (process.argv.includes('--size')) console.log(`${out}: ${(statSync(out).size / 1024).toFixed(0)} KB`);
