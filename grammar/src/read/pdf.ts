// PDF: pdf.js reads the file in a worker thread (pdf-worker.ts), which is stopped when it runs past
// the time limit, past its heap limit or grows the process past the memory limit; the page layout,
// tables rebuilt as grids of cells, is read-pdf-grid.ts. One worker is kept warm between files.
import type { Worker } from 'node:worker_threads';
import { PDF_DEFAULTS, PDF_REASONS, PdfError, type PdfLimits, TOO_COMPLEX } from './pdf-limits.js';
import type { PdfReply, PdfRequest } from './pdf-worker.js';
import { spawnModuleWorker } from './spawn-worker.js';

export { PDF_DEFAULTS, PdfError, type PdfLimits, TOO_COMPLEX };

/** Stops an idle worker after this long (ms). */
const IDLE_MS = 120_000;

interface Idle {
  worker: Worker;
  heapMb: number;
  timer: NodeJS.Timeout;
}
let idle: Idle | null = null;
let nextId = 0;

/** The worker entry next to this module: compiled .js, or the .ts source run through tsx (tests). */
function spawnWorker(heapMb: number): Worker {
  const resourceLimits = { maxOldGenerationSizeMb: heapMb, maxYoungGenerationSizeMb: 32, stackSizeMb: 4 };
  const worker = spawnModuleWorker(new URL('./pdf-worker.js', import.meta.url), {
    resourceLimits,
    stdout: true,
    stderr: true,
  });
  // pdf.js may warn on the console: never into the report output.
  worker.stdout.resume();
  worker.stderr.resume();
  // A worker that fails after its reply (or while idle) is simply not reused.
  worker.on('error', () => undefined);
  worker.on('exit', () => {
    if (idle?.worker === worker) {
      clearTimeout(idle.timer);
      idle = null;
    }
  });
  return worker;
}

function takeWorker(heapMb: number): Worker {
  if (idle && idle.heapMb === heapMb) {
    const w = idle.worker;
    clearTimeout(idle.timer);
    idle = null;
    return w;
  }
  return spawnWorker(heapMb);
}

function release(worker: Worker, heapMb: number): void {
  if (idle) {
    void worker.terminate();
    return;
  }
  worker.unref();
  const timer = setTimeout(() => {
    if (idle?.worker === worker) idle = null;
    void worker.terminate();
  }, IDLE_MS);
  timer.unref();
  idle = { worker, heapMb, timer };
}

/** The PDF's text, tables as TAB-separated rows, and each line's page (and table row). */
export function readPdf(bytes: Uint8Array, limits: PdfLimits): Promise<{ text: string; wheres: string[] }> {
  const heapMb = limits.maxHeapMb ?? PDF_DEFAULTS.maxHeapMb;
  const growth = (limits.maxGrowthMb ?? PDF_DEFAULTS.maxGrowthMb) * 1024 * 1024;
  const worker = takeWorker(heapMb);
  worker.ref();
  const id = ++nextId;
  return new Promise((resolve, reject) => {
    const base = process.memoryUsage.rss();
    let settled = false;
    const finish = (keep: boolean) => {
      settled = true;
      clearTimeout(timer);
      clearInterval(watch);
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
      if (keep) release(worker, heapMb);
      else void worker.terminate();
    };
    const fail = (reason: string) => {
      if (!settled) {
        finish(false);
        reject(new PdfError(reason));
      }
    };
    const timer = setTimeout(
      () => fail(`读取超时（超过 ${Math.round(limits.timeoutMs / 1000)} 秒）`),
      limits.timeoutMs,
    );
    // Buffers pdf.js inflates live outside the worker's heap: watch the process as a whole.
    const watch = setInterval(() => {
      if (process.memoryUsage.rss() - base > growth) fail(TOO_COMPLEX);
    }, 20);
    const onMessage = (reply: PdfReply) => {
      if (reply.id !== id || settled) return;
      finish(reply.ok || !reply.stop);
      if (reply.ok) resolve({ text: reply.text, wheres: reply.wheres });
      else reject(new PdfError(PDF_REASONS[reply.reason]));
    };
    const onError = (e: Error) => {
      if ((e as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY') return fail(TOO_COMPLEX);
      if (!settled) {
        finish(false);
        reject(e);
      }
    };
    const onExit = () => fail(TOO_COMPLEX);
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    const copy = new Uint8Array(bytes);
    const req: PdfRequest = {
      id,
      bytes: copy,
      maxInflatedBytes: limits.maxInflatedBytes,
      maxChars: limits.maxChars ?? PDF_DEFAULTS.maxChars,
    };
    worker.postMessage(req, [copy.buffer]);
  });
}
