// The page's PDF worker (a Web Worker): the same reading as the Node worker thread
// (grammar/src/read/pdf-extract.ts) and the same budget — every Flate stream of the file is
// inflated once, counted in small pieces, before pdf.js sees it, and what pdf.js inflates itself
// (DecompressionStream) is counted against what is left. fflate does the inflating here.
import { Inflate, Unzlib } from 'fflate';
import {
  extractPdf,
  inflation,
  looksLikeContent,
  type PdfReply,
  type PdfRequest,
  Refusal,
  StandInFontFace,
  zlibStreams,
} from '../grammar/src/read/pdf-extract.js';

const scope = globalThis as unknown as {
  postMessage(reply: PdfReply): void;
  onmessage: ((event: MessageEvent<PdfRequest>) => void) | null;
  FontFace?: unknown;
  DecompressionStream?: unknown;
};
// Fonts are of no use for reading text: pdf.js is handed stand-ins, as in Node.
scope.FontFace = StandInFontFace;

let current: { id: number; left: number; refused: boolean } | null = null;

class OverBudget extends Error {}

/** Inflates `data` (zlib, or raw deflate) in small pieces; throws OverBudget past `limit` bytes. */
function inflateCounted(
  data: Uint8Array,
  raw: boolean,
  limit: number,
  keep: boolean,
): { chunks: Uint8Array[]; n: number } {
  const out: Uint8Array[] = [];
  let n = 0;
  const onData = (chunk: Uint8Array) => {
    n += chunk.length;
    if (n > limit) throw new OverBudget();
    if (keep) out.push(chunk);
  };
  const z = raw ? new Inflate(onData) : new Unzlib(onData);
  const PIECE = 16 * 1024;
  try {
    for (let i = 0; i < data.length; i += PIECE) z.push(data.subarray(i, i + PIECE), false);
    z.push(new Uint8Array(0), true);
  } catch (e) {
    if (e instanceof OverBudget) throw e;
    // A damaged or truncated stream: what inflated before the damage counts.
  }
  return { chunks: out, n };
}

const concat = (chunks: Uint8Array[]) => {
  const all = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.length;
  }
  return all;
};

/** pdf.js inflates through DecompressionStream: this one counts against the request's budget. */
class CountingDecompressionStream {
  readonly readable: ReadableStream<Uint8Array>;
  readonly writable: WritableStream<Uint8Array>;
  constructor(format: string) {
    if (format !== 'deflate' && format !== 'deflate-raw')
      throw new TypeError(`Unsupported compression format: '${format}'`);
    const chunks: Uint8Array[] = [];
    const t = new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk) {
        chunks.push(chunk);
      },
      flush(controller) {
        const req = current;
        const limit = Math.max(1, req ? req.left : 64 * 1024 * 1024);
        let out: Uint8Array;
        try {
          out = concat(inflateCounted(concat(chunks), format === 'deflate-raw', limit, true).chunks);
        } catch (e) {
          if (req && e instanceof OverBudget && !req.refused) {
            req.refused = true;
            scope.postMessage({ id: req.id, ok: false, reason: 'too-large', stop: true });
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
scope.DecompressionStream = CountingDecompressionStream;

/** Every zlib stream of the file inflated against the budget, as the Node worker does. */
async function checkInflatedSize(bytes: Uint8Array, budget: number): Promise<number> {
  let total = 0;
  for (const data of zlibStreams(bytes)) {
    try {
      total += inflateCounted(data.subarray(2), true, budget - total, false).n;
    } catch {
      throw new Refusal('too-large');
    }
    if (total > budget) throw new Refusal('too-large');
  }
  return total;
}

scope.onmessage = (event) => {
  const req = event.data;
  current = { id: req.id, left: req.maxInflatedBytes, refused: false };
  extractPdf(req, checkInflatedSize)
    .finally(() => {
      current = null;
    })
    .then(
      ({ text, wheres }) => scope.postMessage({ id: req.id, ok: true, text, wheres }),
      (e) =>
        scope.postMessage({ id: req.id, ok: false, reason: e instanceof Refusal ? e.reason : 'invalid' }),
    );
};
