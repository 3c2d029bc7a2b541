// Readers: the bytes of a report file → text in a layout the grammar reads, plus where each line
// came from in the original. No file system here: callers pass bytes and a file name.

import { DocError, readDoc } from './doc.js';
import { DocxError, readDocx } from './docx.js';
import { HtmlError, readHtml } from './html.js';
import { PdfError, readPdf } from './pdf.js';

export interface ReadLimits {
  /** Largest input file. */
  maxBytes: number;
  /** Zip-based files (.docx): largest total uncompressed size and most entries. */
  maxUnzippedBytes: number;
  maxEntries: number;
  /** Time limit for reading one file (ms; PDF). */
  timeoutMs: number;
}
export const DEFAULT_LIMITS: ReadLimits = {
  maxBytes: 20 * 1024 * 1024,
  maxUnzippedBytes: 200 * 1024 * 1024,
  maxEntries: 5000,
  timeoutMs: 60000,
};

export interface ReadResult {
  text: string;
  format: 'text' | 'html' | 'docx' | 'pdf' | 'doc';
  /** The original's own location of a 1-based line of `text`, when known (e.g. 第2个表格 第3行). */
  where(line: number): string | undefined;
}

/** A file that cannot be read; `message` is Chinese and names the file. */
export class ReadError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`${file}：${reason}`);
  }
}

const TEXT = new Set(['.txt', '.md', '.markdown', '.text', '']);
const HTML = new Set(['.html', '.htm', '.xhtml']);
/** Formats whose readers are asynchronous (readReportAsync). */
const ASYNC_FORMATS = new Set(['.pdf', '.doc', '.wps']);

/** Every extension a report file may have (lower case, with the dot): the one list adapters offer. */
export const REPORT_EXTENSIONS: readonly string[] = [
  '.docx',
  '.doc',
  '.wps',
  '.pdf',
  '.html',
  '.htm',
  '.xhtml',
  '.txt',
  '.md',
  '.markdown',
  '.text',
];

/** The lower-case extension of a file name, with the dot ('' when it has none). */
export function extensionOf(fileName: string): string {
  return (/(\.[^./\\]+)$/.exec(fileName)?.[1] ?? '').toLowerCase();
}

/** Whether a file name has an extension a reader takes. */
export function isReportFile(fileName: string): boolean {
  const ext = extensionOf(fileName);
  return ext !== '' && REPORT_EXTENSIONS.includes(ext);
}

export function readReport(
  bytes: Uint8Array,
  fileName: string,
  options: Partial<ReadLimits> = {},
): ReadResult {
  const limits = { ...DEFAULT_LIMITS, ...options };
  const ext = extensionOf(fileName);
  if (bytes.length > limits.maxBytes) throw tooLarge(fileName, bytes.length, limits);
  if (bytes.length === 0) throw new ReadError(fileName, '文件是空的');
  if (TEXT.has(ext)) {
    const text = decodeText(bytes);
    if (text === null) throw new ReadError(fileName, '不是文本文件（可能是其他格式的文件改了扩展名）');
    return { text, format: 'text', where: () => undefined };
  }
  if (HTML.has(ext)) {
    const text = decodeText(bytes);
    if (text === null) throw new ReadError(fileName, '不是有效的网页文件');
    try {
      const { text: article, wheres } = readHtml(text);
      return { text: article, format: 'html', where: (line) => wheres[line - 1] };
    } catch (e) {
      if (e instanceof HtmlError) throw new ReadError(fileName, e.message);
      throw e;
    }
  }
  if (ext === '.docx') {
    try {
      const { text, wheres } = readDocx(bytes, limits);
      return { text, format: 'docx', where: (line) => wheres[line - 1] };
    } catch (e) {
      if (!(e instanceof DocxError)) throw e;
      throw new ReadError(
        fileName,
        e.message === 'zip'
          ? `解压后内容过大或文件过多（上限 ${mb(limits.maxUnzippedBytes)}、${limits.maxEntries} 个），已拒绝`
          : e.message,
      );
    }
  }
  if (ASYNC_FORMATS.has(ext)) throw new ReadError(fileName, `${ext} 文件需用 readReportAsync 读取`);
  throw new ReadError(fileName, `不支持的文件类型 ${ext}`);
}

/** The refusal of a file over the size limit (callers that know the size before reading use it too). */
export function tooLarge(
  fileName: string,
  size: number,
  limits: Pick<ReadLimits, 'maxBytes'> = DEFAULT_LIMITS,
): ReadError {
  return new ReadError(fileName, `文件过大（${mb(size)}，上限 ${mb(limits.maxBytes)}）`);
}

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(n < 1024 * 1024 ? 2 : 1)} MB`;

/**
 * Text in UTF-8 (with or without BOM), UTF-16 (BOM; without one, NUL-patterned ASCII or text that
 * decodes as mostly Chinese), else GB18030.
 * Returns null for bytes that are not text in any of these.
 */
/**
 * Strict UTF-8, forgiving one character cut off at the very end (a file truncated by a download or
 * a copy): the bytes before it decode strictly and the lost character is shown as U+FFFD.
 */
function strictUtf8(bytes: Uint8Array): string | null {
  const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  try {
    return utf8.decode(bytes);
  } catch {
    // The start of the last character: the last byte that is not a continuation byte (10xxxxxx).
    let start = bytes.length - 1;
    while (start > 0 && start > bytes.length - 4 && (bytes[start] & 0xc0) === 0x80) start--;
    const lead = bytes[start];
    const need = lead >= 0xf0 && lead <= 0xf4 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc2 ? 2 : 0;
    if (!need || bytes.length - start >= need) return null;
    try {
      return `${utf8.decode(bytes.subarray(0, start))}\ufffd`;
    } catch {
      return null;
    }
  }
}

export function decodeText(bytes: Uint8Array): string | null {
  let text: string;
  if (bytes[0] === 0xff && bytes[1] === 0xfe) text = new TextDecoder('utf-16le').decode(bytes.subarray(2));
  else if (bytes[0] === 0xfe && bytes[1] === 0xff)
    text = new TextDecoder('utf-16be').decode(bytes.subarray(2));
  else {
    const utf16 = utf16WithoutBom(bytes);
    if (utf16) text = new TextDecoder(utf16).decode(bytes);
    else {
      const utf8 = strictUtf8(bytes);
      if (utf8 !== null) text = utf8;
      else {
        const chinese = utf16Chinese(bytes);
        if (chinese !== null) text = chinese;
        else
          try {
            text = new TextDecoder('gb18030', { fatal: true }).decode(bytes);
          } catch {
            return null;
          }
      }
    }
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  // Control characters other than TAB, line ends and form feeds mean binary data.
  let controls = 0;
  const n = Math.min(text.length, 65536);
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 12) controls++;
  }
  return controls > n / 100 ? null : text;
}

/**
 * UTF-16 without BOM and with little ASCII (so few NULs): the byte order under which the text
 * decodes without error and is almost all Chinese characters, CJK punctuation, full-width forms,
 * ASCII and line ends — UTF-16 read in the wrong order, or GB18030 read as UTF-16, gives Hangul,
 * Yi, private-use or unpaired surrogates instead.
 */
function utf16Chinese(b: Uint8Array): string | null {
  if (b.length < 4 || b.length % 2) return null;
  for (const encoding of ['utf-16le', 'utf-16be']) {
    const sample = b.subarray(0, Math.min(b.length, 8192));
    let s: string;
    try {
      s = new TextDecoder(encoding, { fatal: true }).decode(
        sample.length < b.length && isHighSurrogateEnd(sample, encoding)
          ? sample.subarray(0, sample.length - 2)
          : sample,
      );
    } catch {
      continue;
    }
    let han = 0,
      plausible = 0;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if ((c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf)) {
        han++;
        plausible++;
      } else if (
        (c >= 0x20 && c < 0x7f) ||
        c === 9 ||
        c === 10 ||
        c === 13 ||
        (c >= 0x3000 && c <= 0x303f) ||
        (c >= 0xff00 && c <= 0xffef) ||
        (c >= 0x2000 && c <= 0x206f) ||
        c === 0xb7 ||
        c === 0xd7
      )
        plausible++;
    }
    if (han < s.length * 0.3 || plausible < s.length * 0.97) continue;
    try {
      return new TextDecoder(encoding, { fatal: true }).decode(b);
    } catch {
      return null;
    }
  }
  return null;
}

const isHighSurrogateEnd = (b: Uint8Array, encoding: string) => {
  const hi = encoding === 'utf-16le' ? b[b.length - 1] : b[b.length - 2];
  return hi >= 0xd8 && hi <= 0xdb;
};

function utf16WithoutBom(b: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  if (b.length < 4 || b.length % 2) return null;
  let evenNul = 0,
    oddNul = 0;
  const n = Math.min(b.length, 4096);
  for (let i = 0; i < n; i += 2) {
    if (b[i] === 0) evenNul++;
    if (b[i + 1] === 0) oddNul++;
  }
  // ASCII (digits, line ends, tabs) in UTF-16 leaves NULs in one byte parity only.
  if (oddNul > n / 40 && oddNul > 8 * evenNul) return 'utf-16le';
  if (evenNul > n / 40 && evenNul > 8 * oddNul) return 'utf-16be';
  return null;
}

/** readReport for every format, PDF and .doc included (their readers are asynchronous), with the time limit. */
export async function readReportAsync(
  bytes: Uint8Array,
  fileName: string,
  options: Partial<ReadLimits> = {},
): Promise<ReadResult> {
  const limits = { ...DEFAULT_LIMITS, ...options };
  const ext = extensionOf(fileName);
  if (!ASYNC_FORMATS.has(ext)) return readReport(bytes, fileName, limits);
  if (bytes.length > limits.maxBytes) return readReport(bytes, fileName, limits); // throws 文件过大
  if (bytes.length === 0) throw new ReadError(fileName, '文件是空的');
  if (ext === '.pdf') {
    // The PDF reader keeps its own time and memory limits (its worker is stopped on them).
    try {
      const { text, wheres } = await readPdf(bytes, {
        timeoutMs: limits.timeoutMs,
        maxInflatedBytes: limits.maxUnzippedBytes,
      });
      return { text, format: 'pdf', where: (line) => wheres[line - 1] };
    } catch (e) {
      throw new ReadError(fileName, e instanceof PdfError ? e.message : '不是有效的 PDF 文件');
    }
  }
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new ReadError(fileName, `读取超时（超过 ${Math.round(limits.timeoutMs / 1000)} 秒）`)),
      limits.timeoutMs,
    );
  });
  try {
    const { text, wheres } = await Promise.race([readDoc(bytes), timeout]);
    return { text, format: 'doc', where: (line) => wheres[line - 1] };
  } catch (e) {
    if (e instanceof DocError) throw new ReadError(fileName, e.message);
    if (e instanceof ReadError) throw e;
    throw new ReadError(fileName, '文件已损坏或不是有效的 Word 文档');
  } finally {
    clearTimeout(timer);
  }
}
