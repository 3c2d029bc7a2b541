// The PDF reader's worker thread: pdf.js runs here, where the reader can stop it (time limit) and cap
// its memory (the thread's resourceLimits), so a crafted PDF cannot block or exhaust the process.
// Before pdf.js sees a file, every Flate stream in it is inflated once against a budget: a stream
// bomb (megabytes that inflate to gigabytes) is refused in a fraction of a second. The text pdf.js
// extracts is capped too. One request at a time; the reply is the finished text (read-pdf-grid.ts).
import { parentPort } from 'node:worker_threads';
import { constants, inflateSync } from 'node:zlib';
import { layoutPages, segmentsFromOps, unifyCjk, type PdfItem, type PdfOps, type PdfPage } from './read-pdf-grid.js';

export interface PdfRequest {
  id: number;
  bytes: Uint8Array;
  /** Most bytes all Flate streams of the file may inflate to, together. */
  maxInflatedBytes: number;
  /** Most characters of text read from the whole file. */
  maxChars: number;
}
export type PdfFailure = 'encrypted' | 'invalid' | 'no-text' | 'too-large';
export type PdfReply =
  | { id: number; ok: true; text: string; wheres: string[] }
  | { id: number; ok: false; reason: PdfFailure };

class Refusal extends Error {
  constructor(readonly reason: PdfFailure) { super(reason); }
}

// pdf.js 5 uses ArrayBuffer.prototype.transferToFixedLength (ES2024), which Node 20 lacks.
const proto = ArrayBuffer.prototype as ArrayBuffer & { transferToFixedLength?: (n?: number) => ArrayBuffer };
if (!proto.transferToFixedLength) {
  Object.defineProperty(ArrayBuffer.prototype, 'transferToFixedLength', {
    configurable: true, writable: true,
    value(this: ArrayBuffer, n = this.byteLength) {
      const out = new ArrayBuffer(n);
      new Uint8Array(out).set(new Uint8Array(this, 0, Math.min(n, this.byteLength)));
      return out;
    },
  });
}

const STREAM = Buffer.from('stream');
const ENDSTREAM = Buffer.from('endstream');

/**
 * Inflates every zlib stream of the file (found by its `stream` keyword, as a repairing reader
 * would) within the budget; throws Refusal('too-large') past it. Streams that do not inflate
 * (encrypted, other filters, damaged) are left to pdf.js.
 */
export function checkInflatedSize(bytes: Uint8Array, budget: number): number {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let total = 0;
  let pos = 0;
  for (;;) {
    const k = buf.indexOf(STREAM, pos);
    if (k < 0) break;
    pos = k + STREAM.length;
    if (k >= 3 && buf[k - 3] === 0x65 && buf[k - 2] === 0x6e && buf[k - 1] === 0x64) continue; // endstream
    let start = pos;
    if (buf[start] === 0x0d) start++;
    if (buf[start] === 0x0a) start++;
    if (start === pos) continue;
    const cmf = buf[start], flg = buf[start + 1];
    if ((cmf & 0x0f) !== 8 || ((cmf << 8) | flg) % 31 !== 0) continue;
    let end = buf.indexOf(ENDSTREAM, start);
    if (end < 0) end = buf.length;
    const left = budget - total;
    try {
      total += inflateSync(buf.subarray(start, end), { maxOutputLength: Math.max(1, left), finishFlush: constants.Z_SYNC_FLUSH }).length;
    } catch (e) {
      if ((e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw new Refusal('too-large');
    }
    pos = end;
  }
  return total;
}

type PdfJs = typeof import('unpdf');
let unpdf: Promise<{ api: PdfJs; OPS: PdfOps }> | undefined;
function load() {
  unpdf ??= import('unpdf').then(async (api) => ({ api, OPS: (await api.getResolvedPDFJS()).OPS as unknown as PdfOps }));
  return unpdf;
}

/** A page worth reading for ruling lines: one with a few bare numbers (table cells). */
const NUMERIC = /^\s*\d+(?:\.\d+)?\s*$/;

export async function extractPdf(req: Omit<PdfRequest, 'id'>): Promise<{ text: string; wheres: string[] }> {
  checkInflatedSize(req.bytes, req.maxInflatedBytes);
  const { api, OPS } = await load();
  let pdf: Awaited<ReturnType<PdfJs['getDocumentProxy']>>;
  try {
    pdf = await api.getDocumentProxy(new Uint8Array(req.bytes), { isEvalSupported: false, verbosity: 0, disableFontFace: true, useSystemFonts: false } as never);
  } catch (e) {
    const name = (e as { name?: string })?.name ?? '';
    throw new Refusal(/Password/i.test(name) ? 'encrypted' : 'invalid');
  }
  const pages: PdfPage[] = [];
  let chars = 0, visible = 0;
  try {
    for (let p = 1; p <= pdf.numPages; p++) {
      const page = await pdf.getPage(p);
      const items: PdfItem[] = [];
      let numeric = 0;
      const reader = page.streamTextContent({ includeMarkedContent: false } as never).getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        for (const it of (value as { items: Array<{ str?: string; transform?: number[]; width?: number }> }).items) {
          if (!it.str || !it.transform) continue;
          chars += it.str.length;
          if (chars > req.maxChars) { await reader.cancel(); throw new Refusal('too-large'); }
          if (!it.str.trim()) continue;
          visible += it.str.length;
          const [a, b, c, d, x, y] = it.transform;
          // Text turned a quarter: its run goes up (b > 0) or down the page.
          const turned = Math.abs(b) > Math.abs(a) && Math.abs(c) > Math.abs(d);
          items.push({ str: unifyCjk(it.str), x, y, w: it.width ?? 0, size: Math.hypot(a, b) || 10, ...(turned ? { turn: b > 0 ? 1 : -1 } as const : {}) });
          if (NUMERIC.test(it.str)) numeric++;
        }
      }
      let segments: PdfPage['segments'] = [];
      if (numeric >= 3) {
        const ops = await page.getOperatorList({ annotationMode: 0 } as never);
        segments = segmentsFromOps(ops.fnArray, ops.argsArray, OPS);
      }
      pages.push({ items, segments });
      page.cleanup();
    }
  } finally {
    await pdf.destroy().catch(() => undefined);
  }
  if (visible < 20) throw new Refusal('no-text');
  const { lines, wheres } = layoutPages(pages);
  return { text: lines.join('\n') + '\n', wheres };
}

parentPort?.on('message', (req: PdfRequest) => {
  extractPdf(req).then(
    ({ text, wheres }) => parentPort!.postMessage({ id: req.id, ok: true, text, wheres } satisfies PdfReply),
    (e) => parentPort!.postMessage({ id: req.id, ok: false, reason: e instanceof Refusal ? e.reason : 'invalid' } satisfies PdfReply),
  );
});
