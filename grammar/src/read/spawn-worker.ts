// Starts a worker thread from a module next to the caller: the compiled .js when it is there (the
// build, the bundled extension), else the .ts source run through tsx (tests run the sources).
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/** `js` is the compiled entry's URL (`new URL('./x-worker.js', import.meta.url)`). */
export function spawnModuleWorker(js: URL, options: WorkerOptions = {}): Worker {
  if (existsSync(fileURLToPath(js))) return new Worker(js, options);
  const ts = js.href.replace(/\.js$/, '.ts');
  // tsx's ESM entry, as its package exports name it (the CommonJS one cannot register from a worker).
  const pkg = createRequire(js).resolve('tsx/package.json');
  const entry = (
    JSON.parse(readFileSync(pkg, 'utf8')) as { exports: Record<string, { import: { default: string } }> }
  ).exports['./esm/api'].import.default;
  const tsx = pathToFileURL(path.join(path.dirname(pkg), entry)).href;
  const boot = `import(${JSON.stringify(tsx)}).then((m) => { (m.register ?? m.default.register)(); return import(${JSON.stringify(ts)}); });`;
  return new Worker(boot, { ...options, eval: true });
}
