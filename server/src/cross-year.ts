// Last year's report of the same body, found in the document's workspace folder, so that the
// cross-year findings (carryover-mismatch, stock-mismatch, prose-copied) appear while editing.
//
// The folder is scanned lazily, in the background, at most every few seconds and only when a
// document asks; each file is read once per modification time, in a worker thread (scan.ts), and
// only its body and year are kept,
// with the few reports actually compared held in full. Bounded: at most MAX_FILES report files per
// folder, files over the read limit skipped.

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

/** Report files looked at per workspace folder. */
export const MAX_FILES = 500;
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
    const state = this.folder(folder);
    const body = issuingBody(report);
    if (!body || report.year == null) return null;
    const candidates = [...state.entries].filter(
      ([p, e]) => p !== file && e.year === report.year! - 1 && e.body !== null && sameBody(e.body, body),
    );
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

  /** The folder's state, with a background scan started when its listing is stale. */
  private folder(folder: string): Folder {
    let s = this.state.get(folder);
    if (!s) {
      s = { entries: new Map(), scannedAt: 0, scanning: false };
      this.state.set(folder, s);
    }
    if (!s.scanning && Date.now() - s.scannedAt > RESCAN_MS) this.track(this.scan(folder, s));
    return s;
  }

  private async scan(folder: string, s: Folder): Promise<void> {
    s.scanning = true;
    let changed = false;
    try {
      const files = await listReports(folder, this.limits.maxFiles);
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
    }
    if (changed) this.onChange();
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

/** Report files under a folder, breadth first, skipping dot folders and node_modules; at most `max`. */
async function listReports(root: string, max: number): Promise<string[]> {
  const out: string[] = [];
  const queue = [root];
  let dirs = 0;
  while (queue.length && out.length < max && dirs < 10 * max) {
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
  return out;
}
