// Last year's report of the same body, found in the document's workspace folder, so that the
// cross-year findings (carryover-mismatch, stock-mismatch, prose-copied) appear while editing.
//
// The folder is scanned lazily, in the background, at most every few seconds and only when a
// document asks; each file is read once per modification time, in a worker thread (scan.ts), and
// only its body and year are kept,
// with the few reports actually compared held in full. Bounded: at most MAX_FILES report files per
// folder are read, those likeliest to be last year's report of an open document first (named with
// last year, or next to the document); files over the read limit skipped. A folder with more is
// said to be searched only in part, once, when a document's report of last year is not found.

import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type CheckResult,
  type Config,
  DEFAULT_LIMITS,
  isReportFile,
  issuingBody,
  type Report,
  sameBody,
  withCrossYear,
} from '../../grammar/src/index.js';
import { type Parsed, ScanReader } from './scan.js';

/** Report files read per workspace folder. */
export const MAX_FILES = 500;
/** Report files listed per workspace folder (by name only), to choose those read. */
const MAX_LISTED = 20 * MAX_FILES;
/** A folder is listed again at most this often (ms). */
export const RESCAN_MS = 5000;
/** What a scan parses of each file to learn its body and year. */
const HEAD_CHARS = 8000;
/** Reports kept in full (those compared with an open document). */
const KEEP_REPORTS = 8;

interface Entry {
  mtimeMs: number;
  size: number;
  body: string | null;
  year: number | null;
}
interface Folder {
  entries: Map<string, Entry>;
  scannedAt: number;
  scanning: boolean;
  /** The open documents' folders and years, which choose the files read first. */
  wants: Map<string, { dir: string; year: number }>;
  /** The wants the last finished scan chose by. */
  scannedWants: Set<string>;
  /** More report files than were read: the last scan stopped at the bound. */
  bounded: boolean;
  /** The bound has been said. */
  told: boolean;
}

export class PreviousReports {
  /** Workspace folders as file-system paths, deepest first. */
  private folders: string[] = [];
  private state = new Map<string, Folder>();
  private reports = new Map<string, { mtimeMs: number; size: number; report: Parsed }>();
  private loading = new Set<string>();
  /** Files chosen as some document's report of last year. */
  private compared = new Set<string>();
  /** Scans and loads under way. */
  private running = new Set<Promise<void>>();
  /** Called when a scan or a load changed what documents are compared with. */
  onChange: () => void = () => {};
  /** Called once per folder when a document's report of last year is not found in a folder searched in part. */
  onBound: (message: string) => void = () => {};

  constructor(
    private readonly limits = { maxFiles: MAX_FILES, maxBytes: DEFAULT_LIMITS.maxBytes },
    /** Files are read and parsed in a worker thread, never on the thread that answers the editor. */
    private readonly reader = new ScanReader(),
  ) {}

  /** Stops the reading worker. */
  close(): Promise<void> {
    return this.reader.close();
  }

  /** The workspace folders (URIs) from initialize: workspaceFolders, else rootUri. */
  setFolders(uris: Array<string | null | undefined>): void {
    this.folders = uris
      .filter((u): u is string => typeof u === 'string' && u.startsWith('file:'))
      .map((u) => path.resolve(fileURLToPath(u)))
      .sort((a, b) => b.length - a.length);
  }

  /** This year's check with the findings against last year's report, when one is known. */
  withPrevious(uri: string, current: CheckResult, config?: Config): CheckResult {
    const previous = this.previousFor(uri, current.report);
    return previous
      ? withCrossYear(current, { report: previous, findings: [], lines: previous.lines }, { config })
      : current;
  }

  /** Last year's report of the same body in the document's workspace folder, if already read. */
  previousFor(uri: string, report: Report): Parsed | null {
    if (!uri.startsWith('file:')) return null;
    const file = path.resolve(fileURLToPath(uri));
    const folder = this.folders.find((f) => file.startsWith(f + path.sep));
    if (!folder) return null;
    const body = issuingBody(report);
    if (!body || report.year == null) {
      this.folder(folder);
      return null;
    }
    const want = { dir: path.dirname(file), year: report.year };
    const wantKey = `${want.year}:${want.dir}`;
    const state = this.folder(folder, wantKey, want);
    const candidates = [...state.entries].filter(
      ([p, e]) => p !== file && e.year === report.year! - 1 && e.body !== null && sameBody(e.body, body),
    );
    if (
      !candidates.length &&
      state.bounded &&
      !state.told &&
      !state.scanning &&
      state.scannedWants.has(wantKey)
    ) {
      state.told = true;
      this.onBound(
        `工作区“${path.basename(folder)}”中的报告文件超过 ${this.limits.maxFiles} 个，未全部查找上年报告（已先查找名称含上一年份或与本文件相邻的文件）`,
      );
    }
    if (candidates.length !== 1) return null;
    const [p, e] = candidates[0];
    this.compared.add(p);
    const kept = this.reports.get(p);
    if (kept && kept.mtimeMs === e.mtimeMs && kept.size === e.size) {
      // Most recently used last.
      this.reports.delete(p);
      this.reports.set(p, kept);
      return kept.report;
    }
    this.track(this.load(p, e));
    return null;
  }

  /** Resolves once no scan or load is under way (for tests and benchmarks). */
  async idle(): Promise<void> {
    while (this.running.size) await Promise.all([...this.running]);
  }

  private track(work: Promise<void>): void {
    this.running.add(work);
    void work.finally(() => this.running.delete(work));
  }

  /**
   * The folder's state, with a background scan started when its listing is stale or a document
   * wants last year's report from a folder or of a year not yet looked for.
   */
  private folder(folder: string, key?: string, want?: { dir: string; year: number }): Folder {
    let s = this.state.get(folder);
    if (!s) {
      s = {
        entries: new Map(),
        scannedAt: 0,
        scanning: false,
        wants: new Map(),
        scannedWants: new Set(),
        bounded: false,
        told: false,
      };
      this.state.set(folder, s);
    }
    if (key && want && !s.wants.has(key)) s.wants.set(key, want);
    const fresh = key !== undefined && !s.scannedWants.has(key);
    if (!s.scanning && (fresh || Date.now() - s.scannedAt > RESCAN_MS)) this.track(this.scan(folder, s));
    return s;
  }

  private async scan(folder: string, s: Folder): Promise<void> {
    s.scanning = true;
    let changed = false;
    const wants = [...s.wants];
    // A document wants last year's report from a folder or of a year not yet looked for.
    const newWants = wants.some(([key]) => !s.scannedWants.has(key));
    try {
      const listed = await listReports(folder, Math.max(MAX_LISTED, this.limits.maxFiles + 1));
      const files = likeliestFirst(
        folder,
        listed.files,
        wants.map(([, w]) => w),
      ).slice(0, this.limits.maxFiles);
      s.bounded = !listed.complete || listed.files.length > files.length;
      const seen = new Set(files);
      for (const p of [...s.entries.keys()])
        if (!seen.has(p)) {
          s.entries.delete(p);
          changed = true;
        }
      for (const p of files) {
        const st = await fsp.stat(p).catch(() => null);
        if (!st?.isFile() || st.size === 0 || st.size > this.limits.maxBytes) {
          if (s.entries.delete(p)) changed = true;
          continue;
        }
        const old = s.entries.get(p);
        if (old && old.mtimeMs === st.mtimeMs && old.size === st.size) continue;
        // The title and the year are at the top: a large file is not parsed whole just to name it.
        const report = await this.reader.read(p, this.limits.maxBytes, HEAD_CHARS);
        const body = report ? issuingBody(report) : null,
          year = report?.year ?? null;
        // A report someone compares with changed, or a file now is (or no longer is) some body's
        // report of some year; saving the document being edited changes neither.
        if (!old || old.body !== body || old.year !== year || this.compared.has(p)) changed = true;
        s.entries.set(p, { mtimeMs: st.mtimeMs, size: st.size, body, year });
        if (report && report.text.length < HEAD_CHARS) this.keep(p, st.mtimeMs, st.size, report);
      }
    } finally {
      s.scanning = false;
      s.scannedAt = Date.now();
      for (const [key] of wants) s.scannedWants.add(key);
    }
    // Documents are checked again when what they are compared with changed, or when a new want met
    // the bound (so a document whose report of last year was not found can say so).
    if (changed || (newWants && s.bounded && !s.told)) this.onChange();
    // Wants that came while this scan ran are looked for at once.
    if ([...s.wants.keys()].some((key) => !s.scannedWants.has(key))) this.track(this.scan(folder, s));
  }

  private async load(p: string, e: Entry): Promise<void> {
    if (this.loading.has(p)) return;
    this.loading.add(p);
    try {
      const report = await this.reader.read(p, this.limits.maxBytes);
      if (report) {
        this.keep(p, e.mtimeMs, e.size, report);
        this.onChange();
      }
    } finally {
      this.loading.delete(p);
    }
  }

  private keep(p: string, mtimeMs: number, size: number, report: Parsed): void {
    this.reports.delete(p);
    this.reports.set(p, { mtimeMs, size, report });
    while (this.reports.size > KEEP_REPORTS) this.reports.delete(this.reports.keys().next().value as string);
  }
}

/**
 * The files in the order they are read: first those whose path in the folder names the year before
 * a document's, then those next to a document (in its folder, its parent folder or a folder beside
 * or below it), each group in listing order.
 */
function likeliestFirst(
  root: string,
  files: string[],
  wants: Array<{ dir: string; year: number }>,
): string[] {
  const years = [...new Set(wants.map((w) => String(w.year - 1)))];
  const near = (p: string) => {
    const dir = path.dirname(p);
    return wants.some(
      (w) =>
        dir === w.dir ||
        dir === path.dirname(w.dir) ||
        path.dirname(dir) === path.dirname(w.dir) ||
        path.dirname(dir) === w.dir,
    );
  };
  const rank = (p: string) =>
    (years.some((y) => path.relative(root, p).includes(y)) ? 0 : 2) + (near(p) ? 0 : 1);
  return files
    .map((p, i) => ({ p, i, r: rank(p) }))
    .sort((a, b) => a.r - b.r || a.i - b.i)
    .map((x) => x.p);
}

/**
 * Report files under a folder, breadth first, skipping dot folders and node_modules; at most `max`,
 * from at most `max` folders (`complete`: none left out).
 */
async function listReports(root: string, max: number): Promise<{ files: string[]; complete: boolean }> {
  const out: string[] = [];
  const queue = [root];
  let dirs = 0;
  while (queue.length && out.length < max && dirs < max) {
    const dir = queue.shift()!;
    dirs++;
    const entries = await fsp.readdir(dir, { withFileTypes: true }).catch(() => []);
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (e.name.startsWith('.') || e.name === 'node_modules') continue;
      const p = path.join(dir, e.name);
      if (e.isDirectory()) queue.push(p);
      else if (e.isFile() && isReportFile(e.name)) {
        out.push(p);
        if (out.length >= max) break;
      }
    }
  }
  return { files: out, complete: !queue.length && out.length < max };
}
