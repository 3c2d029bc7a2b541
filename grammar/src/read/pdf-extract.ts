// The PDF reader's work on one file, shared by the Node worker thread (pdf-worker.ts) and the web
// page's Web Worker: pdf.js reads the pages (text items and ruling lines), read-pdf-grid.ts lays
// them out. The worker around it keeps the limits: the inflated-bytes budget (checked before
// pdf.js sees the file, by the `checkInflatedSize` it passes in) and the time limit (it is stopped).
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

export class Refusal extends Error {
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

/**
 * Whether inflated bytes begin as a content stream does, with operators and operands in ASCII: font
 * programs (TrueType, OpenType, CFF), the other large streams a page loads, begin in binary.
 */
export function looksLikeContent(b: Uint8Array): boolean {
  for (let i = 0; i < Math.min(16, b.length); i++)
    if (b[i] > 126 || (b[i] < 32 && b[i] !== 9 && b[i] !== 10 && b[i] !== 13 && b[i] !== 12)) return false;
  return true;
}

// pdf.js builds every glyph's outline as a path when fonts cannot be handed to the page (Node has
// no FontFace), at great cost and of no use here: a stand-in FontFace and font set accept them.
export class StandInFontFace {
  readonly loaded: Promise<unknown>;
  constructor(readonly family: string) {
    this.loaded = Promise.resolve(this);
  }
}
(globalThis as { FontFace?: unknown }).FontFace ??= StandInFontFace;
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

/** Bytes of content streams inflated since the page being read began (the worker's inflater adds to it). */
export const inflation = { onPage: 0 };

/**
 * The PDF's text and each line's place. `checkInflatedSize` inflates the file's streams against
 * the budget first and throws Refusal('too-large') past it.
 */
export async function extractPdf(
  req: Omit<PdfRequest, 'id'>,
  checkInflatedSize: (bytes: Uint8Array, budget: number) => Promise<number>,
): Promise<{ text: string; wheres: string[] }> {
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
      inflation.onPage = 0;
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
      if (inflation.onPage <= RULED_PAGE_MAX && looksTabular(items)) {
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

// ------------------------------------------------------------------ the file's zlib streams

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

/** ASCIIHexDecode: pairs of hex digits up to `>`, white space ignored. */
function fromHex(data: Uint8Array): Uint8Array {
  const end = data.indexOf(0x3e);
  const text = latin1(data.subarray(0, end < 0 ? data.length : end)).replace(/[^0-9a-fA-F]/g, '');
  const even = text.length % 2 ? `${text}0` : text;
  const out = new Uint8Array(even.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(even.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** ASCII85Decode: groups of five up to `~>`, `z` for four zero bytes. */
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

/** The /Filter names of the dictionary just before a `stream` keyword. */
function filtersBefore(buf: Uint8Array, k: number): string[] {
  const head = latin1(buf.subarray(Math.max(0, k - 2048), k));
  const dict = head.slice(head.lastIndexOf('obj') + 1);
  const m = /\/Filter\s*(\[[^\]]*\]|\/[A-Za-z0-9]+)/.exec(dict);
  return m ? [...m[1].matchAll(/\/([A-Za-z0-9]+)/g)].map((x) => x[1]) : [];
}

/**
 * Every zlib stream of a PDF file as it lies in the file (behind an ASCIIHex or ASCII85 wrapper
 * too, unwrapped), for the workers to inflate once against the budget before pdf.js sees the
 * file. Streams that are not zlib (encrypted, other filters, damaged) are left to pdf.js.
 */
export function* zlibStreams(bytes: Uint8Array): Generator<Uint8Array> {
  let pos = 0;
  for (;;) {
    const k = indexOf(bytes, 'stream', pos);
    if (k < 0) return;
    pos = k + 6;
    if (k >= 3 && bytes[k - 3] === 0x65 && bytes[k - 2] === 0x6e && bytes[k - 1] === 0x64) continue; // endstream
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
    yield data;
  }
}
