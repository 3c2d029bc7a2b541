// The page's PDF reader, in place of grammar/src/read/pdf.ts (the build swaps it in): pdf.js runs in
// a Web Worker started from a Blob URL (so the page works from file://), stopped at the time limit
// or when it refuses the file; the inflated-bytes and character budgets are kept inside the worker
// as in Node. A worker the browser stops (out of memory) is refused as too complex.
import type { PdfReply, PdfRequest } from '../grammar/src/read/pdf-extract.js';

import {
  PDF_DEFAULTS,
  PDF_REASONS,
  PdfError,
  type PdfLimits,
  TOO_COMPLEX,
} from '../grammar/src/read/pdf-limits.js';

export { PDF_DEFAULTS, PdfError, type PdfLimits, TOO_COMPLEX };

/** The worker's bundled source, put in by the build (web/build.mjs). */
declare const PDF_WORKER_SOURCE: string;

let url: string | undefined;
let idle: Worker | null = null;
let nextId = 0;

function takeWorker(): Worker {
  if (idle) {
    const w = idle;
    idle = null;
    return w;
  }
  url ??= URL.createObjectURL(new Blob([PDF_WORKER_SOURCE], { type: 'text/javascript' }));
  return new Worker(url);
}

export function readPdf(bytes: Uint8Array, limits: PdfLimits): Promise<{ text: string; wheres: string[] }> {
  const worker = takeWorker();
  const id = ++nextId;
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (keep: boolean) => {
      settled = true;
      clearTimeout(timer);
      worker.onmessage = null;
      worker.onerror = null;
      if (keep && !idle) idle = worker;
      else worker.terminate();
    };
    const fail = (reason: string) => {
      if (settled) return;
      finish(false);
      reject(new PdfError(reason));
    };
    const timer = setTimeout(
      () => fail(`读取超时（超过 ${Math.round(limits.timeoutMs / 1000)} 秒）`),
      limits.timeoutMs,
    );
    worker.onmessage = (event: MessageEvent<PdfReply>) => {
      const reply = event.data;
      if (reply.id !== id || settled) return;
      finish(reply.ok || !reply.stop);
      if (reply.ok) resolve({ text: reply.text, wheres: reply.wheres });
      else reject(new PdfError(PDF_REASONS[reply.reason]));
    };
    worker.onerror = (event) => {
      event.preventDefault();
      fail(TOO_COMPLEX);
    };
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
