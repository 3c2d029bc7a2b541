// A .zip of reports (a district's folder, zipped and sent in one go): the report files in it, nested
// folders included, read within the same inflate budget as a .docx and with a cap on how many files a
// batch may hold. Each report's own reader runs later, file by file; here only the bytes come out.
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

/**
 * The report files of a zip archive. Throws ReadError (Chinese, naming the archive) when the archive
 * is not a zip, holds more entries or reports than the limits, or inflates past the budget.
 */
export function readArchive(
  bytes: Uint8Array,
  fileName: string,
  options: Partial<ArchiveLimits> = {},
): ArchiveContents {
  const limits = { ...ARCHIVE_LIMITS, ...options };
  if (bytes.length > limits.maxBytes) {
    throw new ReadError(fileName, `压缩包过大（上限 ${mb(limits.maxBytes)}）`);
  }
  const tooMany = `压缩包中的文件过多（上限 ${limits.maxEntries} 个、其中报告 ${limits.maxReports} 份），请分批发送`;
  const tooBig = `解压后内容过大（上限 ${mb(limits.maxUnzippedBytes)}），已拒绝`;
  const invalid = '不是有效的 zip 压缩包（或文件已加密）';
  const failure = (e: unknown) => {
    if (e instanceof ZipError) return new ReadError(fileName, e.reason === 'too-big' ? tooBig : invalid);
    return e;
  };
  let entries: ReturnType<typeof zipEntries>;
  try {
    entries = zipEntries(bytes, limits.maxEntries);
  } catch (e) {
    if (e instanceof ZipError && e.reason === 'too-big') throw new ReadError(fileName, tooMany);
    throw failure(e);
  }
  const budget: InflateBudget = { bytesLeft: limits.maxUnzippedBytes };
  const files: ArchiveFile[] = [];
  const skipped: string[] = [];
  for (const entry of entries) {
    const name = entry.name.replace(/\\/g, '/');
    if (name.endsWith('/')) continue; // a folder
    if (SYSTEM_ENTRY.test(name)) continue;
    if (!isReportFile(name)) {
      skipped.push(name);
      continue;
    }
    if (files.length >= limits.maxReports) throw new ReadError(fileName, tooMany);
    try {
      files.push({ name, bytes: readEntry(bytes, entry, budget) });
    } catch (e) {
      throw failure(e);
    }
  }
  return { files, skipped };
}

const mb = (n: number) => `${Math.round(n / 1024 / 1024)} MB`;
