// A .zip of reports (a district's folder, zipped and sent in one go): the report files in it, nested
// folders included, with a cap on how many files a batch may hold. A batch lists them and inflates
// each when its turn comes, within the size limit of one file; each report's own reader runs then.
import { DEFAULT_LIMITS, isReportFile, ReadError, type ReadLimits } from './index.js';
import { type InflateBudget, readEntry, ZipError, zipEntries } from './unzip.js';

export interface ArchiveLimits extends ReadLimits {
  /** The most report files one archive may hold. */
  maxReports: number;
}

/** A batch is bounded tighter than one .docx: a district has dozens to a few hundred reports. */
export const ARCHIVE_LIMITS: ArchiveLimits = { ...DEFAULT_LIMITS, maxEntries: 2000, maxReports: 500 };

export interface ArchiveFile {
  /** The path inside the archive, folders included (e.g. 教育局/2024年报告.docx). */
  name: string;
  bytes: Uint8Array;
}

export interface ArchiveContents {
  files: ArchiveFile[];
  /** Entries that are not reports (other extensions, nested archives, system files), by path. */
  skipped: string[];
}

/** Folders and files that zip tools add and nobody means to send (macOS resource forks, Thumbs.db). */
const SYSTEM_ENTRY = /(^|\/)(__MACOSX\/|\._|\.DS_Store$|Thumbs\.db$|desktop\.ini$)/i;

/** A report file of an archive, by its path and its place in the archive's directory. */
export interface ArchiveEntry {
  name: string;
  index: number;
}

export interface ArchiveListing {
  entries: ArchiveEntry[];
  /** Entries that are not reports (other extensions, nested archives, system files), by path. */
  skipped: string[];
  /** The skipped entries with their place in the directory (to read one, such as a baseline file). */
  others: ArchiveEntry[];
}

const tooMany = (limits: ArchiveLimits) =>
  `压缩包中的文件过多（上限 ${limits.maxEntries} 个、其中报告 ${limits.maxReports} 份），请分批发送`;
const INVALID = '不是有效的 zip 压缩包（或文件已加密）';
const tooBig = (limits: ArchiveLimits) => `解压后内容过大（上限 ${mb(limits.maxUnzippedBytes)}），已拒绝`;

/** The archive's directory, or the ReadError that says why it cannot be read. */
function directory(bytes: Uint8Array, fileName: string, limits: ArchiveLimits) {
  if (bytes.length > limits.maxBytes) {
    throw new ReadError(fileName, `压缩包过大（上限 ${mb(limits.maxBytes)}）`);
  }
  try {
    return zipEntries(bytes, limits.maxEntries);
  } catch (e) {
    if (e instanceof ZipError)
      throw new ReadError(fileName, e.reason === 'too-big' ? tooMany(limits) : INVALID);
    throw e;
  }
}

/**
 * The report files of a zip archive, without inflating any: each is read when its turn comes
 * (readArchiveEntry), so a batch never holds more than the files being checked. Throws ReadError
 * (Chinese, naming the archive) when the archive is not a zip or holds more entries or reports
 * than the limits.
 */
export function listArchive(
  bytes: Uint8Array,
  fileName: string,
  options: Partial<ArchiveLimits> = {},
): ArchiveListing {
  const limits = { ...ARCHIVE_LIMITS, ...options };
  const entries: ArchiveEntry[] = [];
  const skipped: string[] = [];
  const others: ArchiveEntry[] = [];
  let stated = 0;
  directory(bytes, fileName, limits).forEach((entry, index) => {
    const name = entry.name.replace(/\\/g, '/');
    if (name.endsWith('/')) return; // a folder
    if (SYSTEM_ENTRY.test(name)) return;
    if (!isReportFile(name)) {
      others.push({ name, index });
      return void skipped.push(name);
    }
    if (entries.length >= limits.maxReports) throw new ReadError(fileName, tooMany(limits));
    // What the archive says its reports inflate to: past the budget it is refused whole. An archive
    // that understates is caught file by file, as each is inflated within one file's limit.
    stated += entry.statedSize;
    if (stated > limits.maxUnzippedBytes) throw new ReadError(fileName, tooBig(limits));
    entries.push({ name, index });
  });
  return { entries, skipped, others };
}

/**
 * One report file of an archive (by its index in the directory), inflated within the size limit of
 * one file; `shownAs` is the name its refusal gives (the entry's own). Throws ReadError.
 */
export function readArchiveEntry(
  bytes: Uint8Array,
  index: number,
  shownAs: string,
  options: Partial<ArchiveLimits> = {},
): Uint8Array {
  const limits = { ...ARCHIVE_LIMITS, ...options };
  const entry = directory(bytes, shownAs, limits)[index];
  if (!entry) throw new ReadError(shownAs, '压缩包中找不到这个文件');
  try {
    return readEntry(bytes, entry, { bytesLeft: limits.maxBytes });
  } catch (e) {
    if (e instanceof ZipError)
      throw new ReadError(
        shownAs,
        e.reason === 'too-big'
          ? `解压后超过单个文件的大小上限（${mb(limits.maxBytes)}）`
          : '在压缩包中已损坏，无法解压',
      );
    throw e;
  }
}

/**
 * The report files of a zip archive, all inflated, within one budget. Throws ReadError (Chinese,
 * naming the archive) when the archive is not a zip, holds more entries or reports than the
 * limits, or inflates past the budget.
 */
export function readArchive(
  bytes: Uint8Array,
  fileName: string,
  options: Partial<ArchiveLimits> = {},
): ArchiveContents {
  const limits = { ...ARCHIVE_LIMITS, ...options };
  const { entries, skipped } = listArchive(bytes, fileName, limits);
  const all = directory(bytes, fileName, limits);
  const budget: InflateBudget = { bytesLeft: limits.maxUnzippedBytes };
  const files: ArchiveFile[] = [];
  for (const { name, index } of entries) {
    try {
      files.push({ name, bytes: readEntry(bytes, all[index], budget) });
    } catch (e) {
      if (e instanceof ZipError)
        throw new ReadError(fileName, e.reason === 'too-big' ? tooBig(limits) : INVALID);
      throw e;
    }
  }
  return { files, skipped };
}

const mb = (n: number) => `${Math.round(n / 1024 / 1024)} MB`;
