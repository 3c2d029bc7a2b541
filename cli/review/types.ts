// What the review command's worker threads are asked and answer (structured-clone safe).
import type { Baseline, BaselineEntry, Config, JsonFinding, JsonResult } from '../../grammar/src/index.js';

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
  /** Accepted findings (已核实): left out of the result, counted in its `accepted`. */
  baseline?: Baseline;
  /** --update-baseline: the errors and warnings found are accepted too, their entries sent back. */
  acceptAll?: boolean;
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
      /** With acceptAll: the entries of the errors and warnings accepted by this run. */
      newlyAccepted?: BaselineEntry[];
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
    /** The report's accepted findings, and whether this run accepts its errors and warnings (as FileTask). */
    baseline?: Baseline;
    acceptAll?: boolean;
  }>;
}

export interface PairOutcome {
  pairs: Array<{
    current: string;
    previous: string;
    /** The cross-year findings on the current report that its baseline does not accept. */
    findings: JsonFinding[];
    /** How many its baseline (or acceptAll) accepted, and the entries acceptAll accepted. */
    accepted?: number;
    newlyAccepted?: BaselineEntry[];
  }>;
}

export type Task = FileTask | PairTask;
