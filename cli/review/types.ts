// What the review command's worker threads are asked and answer (structured-clone safe).
import type { Config, JsonFinding, JsonResult } from '../../grammar/src/index.js';

/** Read and check one file. */
export interface FileTask {
  kind: 'file';
  /** The path as shown to the user (as found under the folders given). */
  name: string;
  /** The file's bytes (a file sent to the bot), or the zip archive holding it (`entry`); without them `name` is read from disk. */
  bytes?: Uint8Array;
  /** `bytes` is a zip archive (shared between the threads, not copied per file) and the file is its entry at this index. */
  entry?: number;
  /** false: the thread does not keep the checked report for the cross-year pass (a long-lived thread). */
  hold?: boolean;
  year?: number;
  config?: Config;
  maxBytes: number;
}

export type FileOutcome =
  | {
      ok: true;
      result: JsonResult;
      /** The checked text, sent back for the cross-year pass when the report names its body and year; else ''. */
      text: string;
      /** The issuing body the report names, and its year. */
      body: string | null;
      year: number | null;
      ms: number;
    }
  | { ok: false; message: string; ms: number };

/** Pair the reports of one cluster (same body, neighbouring years) and compare each pair. */
export interface PairTask {
  kind: 'pairs';
  /**
   * `body`: the body the report is filed under (the reviewer's list's name), when known; `read`:
   * the report's year and tables as its check found them (what pairing reads), when known.
   */
  items: Array<{
    id: string;
    text: string;
    year?: number;
    config?: Config;
    body?: string;
    read?: { year: number | null; tables: JsonResult['tables'] };
  }>;
}

export interface PairOutcome {
  pairs: Array<{ current: string; previous: string; findings: JsonFinding[] }>;
}

export type Task = FileTask | PairTask;
