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

const latin1 = (b: Uint8Array) => {
  let s = '';
  for (let i = 0; i < b.length; i += 8192) s += String.fromCharCode(...b.subarray(i, i + 8192));
  return s;
};

function indexOf(buf: Uint8Array, word: string, from: number): number {
  const first = word.charCodeAt(0);
  for (let i = buf.indexOf(first, from); i >= 0; i = buf.indexOf(first, i + 1)) {
    let j = 1;
    while (j < word.length && buf[i + j] === word.charCodeAt(j)) j++;
    if (j === word.length) return i;
  }
  return -1;
}

function fromHex(data: Uint8Array): Uint8Array {
  const end = data.indexOf(0x3e);
  const text = latin1(data.subarray(0, end < 0 ? data.length : end)).replace(/[^0-9a-fA-F]/g, '');
  const even = text.length % 2 ? `${text}0` : text;
  const out = new Uint8Array(even.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(even.slice(2 * i, 2 * i + 2), 16);
  return out;
}

function fromAscii85(data: Uint8Array): Uint8Array {
  const end = indexOf(data, '~>', 0);
  const text = latin1(data.subarray(0, end < 0 ? data.length : end)).replace(/\s+/g, '');
  const out: number[] = [];
  let group: number[] = [];
  const flush = (n: number) => {
    let v = 0;
    for (let i = 0; i < 5; i++) v = v * 85 + (group[i] ?? 84);
    for (let i = 0; i < n - 1; i++) out.push((v >>> (24 - 8 * i)) & 0xff);
    group = [];
  };
  for (const ch of text) {
    if (ch === 'z' && group.length === 0) {
      out.push(0, 0, 0, 0);
      continue;
    }
    const c = ch.charCodeAt(0) - 33;
    if (c < 0 || c > 84) continue;
    group.push(c);
    if (group.length === 5) flush(5);
  }
  if (group.length > 1) flush(group.length);
  return Uint8Array.from(out);
}

function filtersBefore(buf: Uint8Array, k: number): string[] {
  const head = latin1(buf.subarray(Math.max(0, k - 2048), k));
  const dict = head.slice(head.lastIndexOf('obj') + 1);
  const m = /\/Filter\s*(\[[^\]]*\]|\/[A-Za-z0-9]+)/.exec(dict);
  return m ? [...m[1].matchAll(/\/([A-Za-z0-9]+)/g)].map((x) => x[1]) : [];
}

/** Every zlib stream of the file inflated against the budget, as the Node worker does. */
async function checkInflatedSize(bytes: Uint8Array, budget: number): Promise<number> {
  let total = 0;
  let pos = 0;
  for (;;) {
    const k = indexOf(bytes, 'stream', pos);
    if (k < 0) break;
    pos = k + 6;
    if (k >= 3 && bytes[k - 3] === 0x65 && bytes[k - 2] === 0x6e && bytes[k - 1] === 0x64) continue;
    let start = pos;
    if (bytes[start] === 0x0d) start++;
    if (bytes[start] === 0x0a) start++;
    if (start === pos) continue;
    let end = indexOf(bytes, 'endstream', start);
    if (end < 0) end = bytes.length;
    let data = bytes.subarray(start, end);
    pos = end;
    const filters = filtersBefore(bytes, k);
    if (filters[1] === 'FlateDecode' || filters[1] === 'Fl') {
      if (filters[0] === 'ASCIIHexDecode' || filters[0] === 'AHx') data = fromHex(data);
      else if (filters[0] === 'ASCII85Decode' || filters[0] === 'A85') data = fromAscii85(data);
    }
    const cmf = data[0],
      flg = data[1];
    if ((cmf & 0x0f) !== 8 || ((cmf << 8) | flg) % 31 !== 0) continue;
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
