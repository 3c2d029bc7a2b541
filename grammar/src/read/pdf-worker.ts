// The PDF reader's worker thread: pdf.js runs here, where the reader can stop it (time limit) and cap
// its memory (the thread's resourceLimits), so a crafted PDF cannot block or exhaust the process.
// Before pdf.js sees a file, every Flate stream in it is inflated once against a budget: a stream
// bomb (megabytes that inflate to gigabytes) is refused in a fraction of a second. The text pdf.js
// extracts is capped too. One request at a time; the reply is the finished text (read-pdf-grid.ts).
import { parentPort } from 'node:worker_threads';
import { constants, createInflate, gunzipSync, inflateRawSync, inflateSync } from 'node:zlib';
import {
  extractPdf,
  inflation,
  looksLikeContent,
  type PdfReply,
  type PdfRequest,
  Refusal,
  zlibStreams,
} from './pdf-extract.js';

export type { PdfFailure, PdfReply, PdfRequest } from './pdf-extract.js';

/** The request being read: what pdf.js may still inflate, and whether it was refused already. */
let current: { id: number; left: number; refused: boolean } | null = null;

/**
 * pdf.js inflates each Flate stream through DecompressionStream; Node's runs every stream through
 * web streams and the thread pool, which costs more than the inflating for the thousand small
 * streams of a Chromium PDF. This one inflates in one synchronous call, counted against the
 * request's budget. Past it the request is refused at once (the reader then stops this thread:
 * pdf.js would go on with its own decoder, a filter chain the first check could not see through).
 * Formats it does not know fail, and pdf.js uses its own decoder.
 */
class CountingDecompressionStream {
  readonly readable: ReadableStream<Uint8Array>;
  readonly writable: WritableStream<Uint8Array>;
  constructor(format: string) {
    const inflate =
      format === 'deflate'
        ? inflateSync
        : format === 'deflate-raw'
          ? inflateRawSync
          : format === 'gzip'
            ? gunzipSync
            : null;
    if (!inflate) throw new TypeError(`Unsupported compression format: '${format}'`);
    const chunks: Uint8Array[] = [];
    const t = new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk) {
        chunks.push(chunk);
      },
      flush(controller) {
        const req = current;
        const limit = Math.max(1, req ? req.left : 64 * 1024 * 1024);
        let out: Buffer;
        try {
          out = inflate(Buffer.concat(chunks), { maxOutputLength: limit });
        } catch (e) {
          if (req && (e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' && !req.refused) {
            req.refused = true;
            parentPort?.postMessage({
              id: req.id,
              ok: false,
              reason: 'too-large',
              stop: true,
            } satisfies PdfReply);
          }
          throw e;
        }
        if (req) req.left -= out.length;
        if (looksLikeContent(out)) inflation.onPage += out.length;
        controller.enqueue(out);
      },
    });
    this.readable = t.readable;
    this.writable = t.writable;
  }
}
(globalThis as { DecompressionStream?: unknown }).DecompressionStream = CountingDecompressionStream;

/** Streams up to this size are inflated in one piece; larger ones are counted as they inflate. */
const SMALL = 8 * 1024 * 1024;

/** How many bytes a zlib stream inflates to, counted in chunks and given up past `limit`. */
function inflatedLength(data: Buffer, limit: number): Promise<number> {
  return new Promise((resolve) => {
    const z = createInflate({ finishFlush: constants.Z_SYNC_FLUSH });
    let n = 0;
    z.on('data', (chunk: Buffer) => {
      n += chunk.length;
      if (n > limit) {
        z.destroy();
        resolve(n);
      }
    });
    z.on('end', () => resolve(n));
    z.on('error', () => resolve(n));
    z.end(data);
  });
}

/**
 * Inflates every zlib stream of the file (found by its `stream` keyword, as a repairing reader
 * would; behind an ASCIIHex or ASCII85 wrapper too) within the budget, holding no more than a few
 * megabytes at a time; throws Refusal('too-large') past it. Streams that do not inflate
 * (encrypted, other filters, damaged) are left to pdf.js. Returns the total.
 */
export async function checkInflatedSize(bytes: Uint8Array, budget: number): Promise<number> {
  let total = 0;
  for (const stream of zlibStreams(bytes)) {
    const data = Buffer.from(stream.buffer, stream.byteOffset, stream.byteLength);
    const left = budget - total;
    try {
      total += inflateSync(data, {
        maxOutputLength: Math.max(1, Math.min(left, SMALL)),
        finishFlush: constants.Z_SYNC_FLUSH,
      }).length;
    } catch (e) {
      if ((e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') total += await inflatedLength(data, left);
    }
    if (total > budget) throw new Refusal('too-large');
  }
  return total;
}

// pdf.js can throw from its own callbacks after a document is destroyed mid-page (a stream closed
// twice): that concerns no request any more.
if (parentPort) process.on('uncaughtException', () => undefined);

parentPort?.on('message', (req: PdfRequest) => {
  current = { id: req.id, left: req.maxInflatedBytes, refused: false };
  extractPdf(req, checkInflatedSize)
    .finally(() => {
      current = null;
    })
    .then(
      ({ text, wheres }) =>
        parentPort!.postMessage({ id: req.id, ok: true, text, wheres } satisfies PdfReply),
      (e) =>
        parentPort!.postMessage({
          id: req.id,
          ok: false,
          reason: e instanceof Refusal ? e.reason : 'invalid',
        } satisfies PdfReply),
    );
});
