// The PDF reader's worker thread: pdf.js runs here, where the reader can stop it (time limit) and cap
// its memory (the thread's resourceLimits), so a crafted PDF cannot block or exhaust the process.
// Before pdf.js sees a file, every Flate stream in it is inflated once against a budget: a stream
// bomb (megabytes that inflate to gigabytes) is refused in a fraction of a second. The text pdf.js
// extracts is capped too. One request at a time; the reply is the finished text (read-pdf-grid.ts).
import { parentPort } from 'node:worker_threads';
import { constants, createInflate, gunzipSync, inflateRawSync, inflateSync } from 'node:zlib';
import {
  garbled,
  layoutPages,
  type PdfItem,
  type PdfOps,
  type PdfPage,
  READABLE,
  segmentsFromOps,
  unifyCjk,
} from './pdf-grid.js';

export interface PdfRequest {
  id: number;
  bytes: Uint8Array;
  /** Most bytes all Flate streams of the file may inflate to, together. */
  maxInflatedBytes: number;
  /** Most characters of text read from the whole file. */
  maxChars: number;
}
export type PdfFailure = 'encrypted' | 'invalid' | 'no-text' | 'unmapped' | 'too-large';
export type PdfReply =
  | { id: number; ok: true; text: string; wheres: string[] }
  /** `stop`: pdf.js is still at work on the refused file; the thread is to be stopped, not reused. */
  | { id: number; ok: false; reason: PdfFailure; stop?: boolean };

class Refusal extends Error {
  constructor(readonly reason: PdfFailure) {
    super(reason);
  }
}

// pdf.js 5 uses ArrayBuffer.prototype.transferToFixedLength (ES2024), which Node 20 lacks.
const proto = ArrayBuffer.prototype as ArrayBuffer & { transferToFixedLength?: (n?: number) => ArrayBuffer };
if (!proto.transferToFixedLength) {
  Object.defineProperty(ArrayBuffer.prototype, 'transferToFixedLength', {
    configurable: true,
    writable: true,
    value(this: ArrayBuffer, n = this.byteLength) {
      const out = new ArrayBuffer(n);
      new Uint8Array(out).set(new Uint8Array(this, 0, Math.min(n, this.byteLength)));
      return out;
    },
  });
}

/** The request being read: what pdf.js may still inflate, and whether it was refused already. */
let current: { id: number; left: number; refused: boolean } | null = null;
/** Bytes of content streams pdf.js has inflated since the page being read began. */
let inflatedOnPage = 0;

/**
 * Whether inflated bytes begin as a content stream does, with operators and operands in ASCII: font
 * programs (TrueType, OpenType, CFF), the other large streams a page loads, begin in binary.
 */
function looksLikeContent(b: Uint8Array): boolean {
  for (let i = 0; i < Math.min(16, b.length); i++)
    if (b[i] > 126 || (b[i] < 32 && b[i] !== 9 && b[i] !== 10 && b[i] !== 13 && b[i] !== 12)) return false;
  return true;
}

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
        if (looksLikeContent(out)) inflatedOnPage += out.length;
        controller.enqueue(out);
      },
    });
    this.readable = t.readable;
    this.writable = t.writable;
  }
}
(globalThis as { DecompressionStream?: unknown }).DecompressionStream = CountingDecompressionStream;

const STREAM = Buffer.from('stream');
const ENDSTREAM = Buffer.from('endstream');

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

/** ASCIIHexDecode: pairs of hex digits up to `>`, white space ignored. */
function fromHex(data: Buffer): Buffer {
  const end = data.indexOf(0x3e);
  const text = data
    .subarray(0, end < 0 ? data.length : end)
    .toString('latin1')
    .replace(/[^0-9a-fA-F]/g, '');
  return Buffer.from(text.length % 2 ? text + '0' : text, 'hex');
}

/** ASCII85Decode: groups of five up to `~>`, `z` for four zero bytes. */
function fromAscii85(data: Buffer): Buffer {
  const end = data.indexOf('~>');
  const text = data
    .subarray(0, end < 0 ? data.length : end)
    .toString('latin1')
    .replace(/\s+/g, '');
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
  return Buffer.from(out);
}

/** The /Filter names of the dictionary just before a `stream` keyword. */
function filtersBefore(buf: Buffer, k: number): string[] {
  const head = buf.subarray(Math.max(0, k - 2048), k).toString('latin1');
  const dict = head.slice(head.lastIndexOf('obj') + 1);
  const m = /\/Filter\s*(\[[^\]]*\]|\/[A-Za-z0-9]+)/.exec(dict);
  return m ? [...m[1].matchAll(/\/([A-Za-z0-9]+)/g)].map((x) => x[1]) : [];
}

/**
 * Inflates every zlib stream of the file (found by its `stream` keyword, as a repairing reader
 * would; behind an ASCIIHex or ASCII85 wrapper too) within the budget, holding no more than a few
 * megabytes at a time; throws Refusal('too-large') past it. Streams that do not inflate
 * (encrypted, other filters, damaged) are left to pdf.js. Returns the total.
 */
export async function checkInflatedSize(bytes: Uint8Array, budget: number): Promise<number> {
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
    let end = buf.indexOf(ENDSTREAM, start);
    if (end < 0) end = buf.length;
    let data = buf.subarray(start, end);
    pos = end;
    const filters = filtersBefore(buf, k);
    if (filters[1] === 'FlateDecode' || filters[1] === 'Fl') {
      if (filters[0] === 'ASCIIHexDecode' || filters[0] === 'AHx') data = fromHex(data);
      else if (filters[0] === 'ASCII85Decode' || filters[0] === 'A85') data = fromAscii85(data);
    }
    const cmf = data[0],
      flg = data[1];
    if ((cmf & 0x0f) !== 8 || ((cmf << 8) | flg) % 31 !== 0) continue;
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

// pdf.js builds every glyph's outline as a path when fonts cannot be handed to the page (Node has
// no FontFace), at great cost and of no use here: a stand-in FontFace and font set accept them.
(globalThis as { FontFace?: unknown }).FontFace ??= class {
  readonly loaded: Promise<unknown>;
  constructor(readonly family: string) {
    this.loaded = Promise.resolve(this);
  }
};
const FONT_SET = { fonts: { add: () => undefined, delete: () => undefined } };

type PdfJs = typeof import('unpdf');
let unpdf: Promise<{ api: PdfJs; OPS: PdfOps }> | undefined;
function load() {
  unpdf ??= import('unpdf').then(async (api) => ({
    api,
    OPS: (await api.getResolvedPDFJS()).OPS as unknown as PdfOps,
  }));
  return unpdf;
}

/**
 * A page whose content inflates past this is not read for ruling lines: its operator list (an
 * object for every path, a few hundred bytes each) would not fit the worker's heap, and a table
 * keeps only its first MAX_SEGMENTS lines anyway. Its text is laid out as lines.
 */
const RULED_PAGE_MAX = 2 * 1024 * 1024;

/** A bare number, as a table cell holds it. */
const NUMERIC = /^\s*\d+(?:\.\d+)?\s*$/;

/**
 * A page worth reading for ruling lines (its drawing operators cost as much again as its text):
 * the template's table words, or bare numbers standing one under another (a table's column) or
 * five side by side (a table's row).
 */
function looksTabular(items: PdfItem[]): boolean {
  if (
    /信息内容|申请人情况|行政复议|结果维持|本年新收/.test(
      items.map((it) => it.str.replace(/\s+/g, '')).join(''),
    )
  )
    return true;
  const numbers = items.filter((it) => NUMERIC.test(it.str));
  const aligned = (key: (it: PdfItem) => number, n: number) => {
    const count = new Map<number, number>();
    for (const it of numbers) {
      const c = Math.round(key(it) / 3);
      for (const k of [c - 1, c, c + 1]) count.set(k, (count.get(k) ?? 0) + 1);
    }
    return [...count.values()].some((m) => m >= n);
  };
  return aligned((it) => it.x + it.w / 2, 3) || aligned((it) => it.y, 5);
}

export async function extractPdf(req: Omit<PdfRequest, 'id'>): Promise<{ text: string; wheres: string[] }> {
  await checkInflatedSize(req.bytes, req.maxInflatedBytes);
  const { api, OPS } = await load();
  let pdf: Awaited<ReturnType<PdfJs['getDocumentProxy']>>;
  try {
    pdf = await api.getDocumentProxy(new Uint8Array(req.bytes), {
      isEvalSupported: false,
      verbosity: 0,
      useSystemFonts: false,
      disableFontFace: false,
      ownerDocument: FONT_SET,
    } as never);
  } catch (e) {
    const name = (e as { name?: string })?.name ?? '';
    throw new Refusal(/Password/i.test(name) ? 'encrypted' : 'invalid');
  }
  const pages: PdfPage[] = [];
  let chars = 0,
    visible = 0;
  const byFont = new Map<string, { n: number; bad: number }>();
  try {
    for (let p = 1; p <= pdf.numPages; p++) {
      const page = await pdf.getPage(p);
      inflatedOnPage = 0;
      const items: PdfItem[] = [];
      const reader = page.streamTextContent({ includeMarkedContent: false } as never).getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        for (const it of (
          value as { items: Array<{ str?: string; transform?: number[]; width?: number; fontName?: string }> }
        ).items) {
          if (!it.str || !it.transform) continue;
          chars += it.str.length;
          // Stop here; destroying the document below ends pdf.js's work on the page.
          if (chars > req.maxChars) throw new Refusal('too-large');
          if (!it.str.trim()) continue;
          visible += it.str.length;
          const text = it.str.replace(/\s+/g, '');
          const font = byFont.get(it.fontName ?? '') ?? { n: 0, bad: 0 };
          font.n += Array.from(text).length;
          font.bad += Array.from(text.replace(READABLE, '')).length;
          byFont.set(it.fontName ?? '', font);
          const [a, b, c, d, x, y] = it.transform;
          // Text turned a quarter: its run goes up (b > 0) or down the page.
          const turned = Math.abs(b) > Math.abs(a) && Math.abs(c) > Math.abs(d);
          // Neither level nor a quarter turn: text set across the page at an angle.
          const angle = Math.abs(Math.atan2(b, a)) % (Math.PI / 2);
          const slant = Math.min(angle, Math.PI / 2 - angle) > 0.05;
          items.push({
            str: unifyCjk(it.str),
            x,
            y,
            w: it.width ?? 0,
            size: Math.hypot(a, b) || 10,
            ...(turned ? ({ turn: b > 0 ? 1 : -1 } as const) : {}),
            ...(slant ? ({ slant: true } as const) : {}),
          });
        }
      }
      let segments: PdfPage['segments'] = [];
      if (inflatedOnPage <= RULED_PAGE_MAX && looksTabular(items)) {
        const ops = await page.getOperatorList({ annotationMode: 0 } as never);
        segments = segmentsFromOps(ops.fnArray, ops.argsArray, OPS);
      }
      const [, y0, , y1] = page.view;
      pages.push({ items, segments, box: [Math.min(y0, y1), Math.max(y0, y1)] });
      page.cleanup();
    }
  } finally {
    await pdf.destroy().catch(() => undefined);
  }
  if (visible < 20) throw new Refusal('no-text');
  if (garbled(byFont)) throw new Refusal('unmapped');
  let layout: ReturnType<typeof layoutPages>;
  try {
    layout = layoutPages(pages);
  } catch {
    // A page the table step cannot make sense of: its text as lines, as pdftotext -layout gives it.
    layout = layoutPages(pages.map((p) => ({ items: p.items, segments: [] })));
  }
  const { lines, wheres } = layout;
  return { text: lines.join('\n') + '\n', wheres };
}

// pdf.js can throw from its own callbacks after a document is destroyed mid-page (a stream closed
// twice): that concerns no request any more.
if (parentPort) process.on('uncaughtException', () => undefined);

parentPort?.on('message', (req: PdfRequest) => {
  current = { id: req.id, left: req.maxInflatedBytes, refused: false };
  extractPdf(req)
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
