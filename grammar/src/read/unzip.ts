// Zip archives (.docx) read from the central directory, each entry inflated as a stream whose real
// output is counted: the sizes the headers state are never trusted, so an archive whose headers lie
// cannot inflate beyond the limit.
import { Inflate } from 'fflate';

export interface ZipEntry {
  name: string;
  /** 0 stored, 8 deflated. */
  method: number;
  /** Where the entry's data starts in the archive and how many bytes it takes there. */
  dataStart: number;
  compressedSize: number;
  /** The size the archive states the entry inflates to (never trusted as a bound: inflating counts). */
  statedSize: number;
}

/** `reason`: the archive is not a zip we can read, or holds more than the limits allow. */
export class ZipError extends Error {
  constructor(readonly reason: 'invalid' | 'too-big') {
    super(reason);
  }
}

/** What may still be inflated, shared by every entry read from one archive. */
export interface InflateBudget {
  bytesLeft: number;
}

const u16 = (b: Uint8Array, i: number) => b[i] | (b[i + 1] << 8);
const u32 = (b: Uint8Array, i: number) =>
  (b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24)) >>> 0;
const u64 = (b: Uint8Array, i: number) => u32(b, i) + u32(b, i + 4) * 0x100000000;

/** The archive's entries from its central directory; more than `maxEntries` is `too-big`. */
export function zipEntries(bytes: Uint8Array, maxEntries: number): ZipEntry[] {
  const invalid = () => new ZipError('invalid');
  // End of central directory record: the last one in the final 64 KB + 22 bytes.
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 0xffff); i--) {
    if (u32(bytes, i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw invalid();
  let count = u16(bytes, eocd + 10);
  let offset = u32(bytes, eocd + 16);
  // Offsets count from the start of the archive, which is not the start of the file when data sits in
  // front of it (a self-extracting archive, a zip appended to another file): the central directory
  // ends where the end record starts, so the difference is the length of that prefix (as unzip does).
  let prefix = eocd - u32(bytes, eocd + 12) - offset;
  if (count === 0xffff || offset === 0xffffffff) {
    // ZIP64: the locator just before the record points at the ZIP64 end record.
    const loc = eocd - 20;
    if (loc < 0 || u32(bytes, loc) !== 0x07064b50) throw invalid();
    let end64 = u64(bytes, loc + 8);
    if (u32(bytes, end64) !== 0x06064b50 && loc >= 56 && u32(bytes, loc - 56) === 0x06064b50)
      end64 = loc - 56;
    if (end64 + 56 > bytes.length || u32(bytes, end64) !== 0x06064b50) throw invalid();
    count = u64(bytes, end64 + 32);
    offset = u64(bytes, end64 + 48);
    prefix = end64 - u64(bytes, end64 + 40) - offset;
  }
  // A writer that put a wrong size in the end record: trust the offsets where they point at the directory.
  if (prefix < 0 || (u32(bytes, offset + prefix) !== 0x02014b50 && u32(bytes, offset) === 0x02014b50))
    prefix = 0;
  if (count > maxEntries) throw new ZipError('too-big');
  const entries: ZipEntry[] = [];
  let p = offset + prefix;
  for (let n = 0; n < count; n++) {
    if (p + 46 > bytes.length || u32(bytes, p) !== 0x02014b50) throw invalid();
    const flags = u16(bytes, p + 8);
    const method = u16(bytes, p + 10);
    let compressedSize = u32(bytes, p + 20);
    const size32 = u32(bytes, p + 24);
    let statedSize = size32;
    const nameLen = u16(bytes, p + 28),
      extraLen = u16(bytes, p + 30),
      commentLen = u16(bytes, p + 32);
    let local = u32(bytes, p + 42);
    const nameEnd = p + 46 + nameLen;
    if (nameEnd + extraLen > bytes.length) throw invalid();
    let name = entryName(bytes.subarray(p + 46, nameEnd), flags);
    // ZIP64 extra field: the 64-bit values of the fields saturated above, in this order.
    for (let e = nameEnd; e + 4 <= nameEnd + extraLen; ) {
      const id = u16(bytes, e),
        len = u16(bytes, e + 2);
      if (id === 0x7075 && len >= 5 && e + 4 + len <= nameEnd + extraLen) {
        // Info-ZIP Unicode Path: the UTF-8 name, written next to a legacy-encoded one.
        const unicode = UTF8.decode(bytes.subarray(e + 9, e + 4 + len));
        if (unicode) name = unicode;
      }
      if (id === 1) {
        let f = e + 4;
        if (size32 === 0xffffffff) {
          statedSize = u64(bytes, f);
          f += 8;
        }
        if (compressedSize === 0xffffffff) {
          compressedSize = u64(bytes, f);
          f += 8;
        }
        if (local === 0xffffffff) local = u64(bytes, f);
      }
      e += 4 + len;
    }
    if (flags & 1) throw invalid(); // encrypted entries
    local += prefix;
    if (local + 30 > bytes.length || u32(bytes, local) !== 0x04034b50) throw invalid();
    const dataStart = local + 30 + u16(bytes, local + 26) + u16(bytes, local + 28);
    if (dataStart + compressedSize > bytes.length) throw invalid();
    entries.push({ name, method, dataStart, compressedSize, statedSize });
    p = nameEnd + extraLen + commentLen;
  }
  return entries;
}

const UTF8 = new TextDecoder('utf-8');
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });
const GB18030 = new TextDecoder('gb18030');

/**
 * An entry's name: UTF-8 when the archive says so (flag bit 11). Without the flag, the name is in the
 * writer's legacy code page: Windows zip tools on Chinese systems write GBK, so a name that is not
 * valid UTF-8 is read as GB18030 (a superset of GBK); names valid as UTF-8 are kept as UTF-8, as
 * several tools write UTF-8 without setting the flag.
 */
function entryName(raw: Uint8Array, flags: number): string {
  if (flags & 0x800) return UTF8.decode(raw);
  try {
    return STRICT_UTF8.decode(raw);
  } catch {
    return GB18030.decode(raw);
  }
}

/** Input slice per push: a push inflates to at most about 1,000 times its size. */
const SLICE = 8 * 1024;

/**
 * Inflates one entry, handing the output on chunk by chunk. Stops with `too-big` as soon as the
 * budget is spent, with `invalid` on data that does not inflate.
 */
export function inflateEntry(
  bytes: Uint8Array,
  entry: ZipEntry,
  budget: InflateBudget,
  onChunk: (chunk: Uint8Array) => void,
): void {
  const data = bytes.subarray(entry.dataStart, entry.dataStart + entry.compressedSize);
  const take = (chunk: Uint8Array) => {
    budget.bytesLeft -= chunk.length;
    if (budget.bytesLeft < 0) throw new ZipError('too-big');
    if (chunk.length) onChunk(chunk);
  };
  if (entry.method === 0) {
    for (let i = 0; i < data.length; i += 1 << 20) take(data.subarray(i, i + (1 << 20)));
    return;
  }
  if (entry.method !== 8) throw new ZipError('invalid');
  // The stream must end within the entry's data: fflate throws on a final push that leaves it open.
  // What the consumer or the budget throws passes through; what fflate throws means bad data.
  let thrown: { error: unknown } | undefined;
  const inflate = new Inflate((chunk) => {
    try {
      take(chunk);
    } catch (error) {
      thrown = { error };
      throw error;
    }
  });
  try {
    let i = 0;
    do {
      inflate.push(data.subarray(i, i + SLICE), i + SLICE >= data.length);
      i += SLICE;
    } while (i < data.length);
  } catch (_e) {
    if (thrown) throw thrown.error;
    throw new ZipError('invalid');
  }
}

/** One entry's bytes (within the budget). */
export function readEntry(bytes: Uint8Array, entry: ZipEntry, budget: InflateBudget): Uint8Array {
  const chunks: Uint8Array[] = [];
  let length = 0;
  inflateEntry(bytes, entry, budget, (c) => {
    chunks.push(c);
    length += c.length;
  });
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(length);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
