// The page's PDF reader, in place of grammar/src/read/pdf.ts (the build swaps it in): pdf.js runs in
// a Web Worker started from a Blob URL (so the page works from file://), stopped at the time limit
// or when it refuses the file; the inflated-bytes and character budgets are kept inside the worker
// as in Node. A worker the browser stops (out of memory) is refused as too complex.
import type { PdfReply, PdfRequest } from '../grammar/src/read/pdf-extract.js';

export class PdfError extends Error {}

export interface PdfLimits {
  timeoutMs: number;
  maxInflatedBytes: number;
  maxChars?: number;
  maxHeapMb?: number;
  maxGrowthMb?: number;
}

export const PDF_DEFAULTS = { maxChars: 2_000_000, maxHeapMb: 256, maxGrowthMb: 384 };
export const TOO_COMPLEX = 'PDF 内容过大或过于复杂，已停止读取';
const REASONS = {
  encrypted: 'PDF 已加密',
  invalid: '不是有效的 PDF 文件',
  'no-text': 'PDF 没有文字层（可能是扫描件）',
  unmapped:
    'PDF 的文字层无法读取（字体缺少 Unicode 映射，复制出的文字是乱码），请用原文件或重新导出的 PDF 检查',
  'too-large': TOO_COMPLEX,
} as const;

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
      else reject(new PdfError(REASONS[reply.reason]));
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
