// Accepted findings for the command line: the baseline file found like the configuration (upward
// from each file's folder) or given with --baseline, and --update-baseline's writes.
import fs from 'node:fs';
import path from 'node:path';
import { findConfigFile } from '../grammar/src/config.js';
import {
  addToBaseline,
  BASELINE_FILE_NAME,
  type Baseline,
  type BaselineEntry,
  BaselineError,
  baselineDate,
  emptyBaseline,
  formatBaseline,
  readBaselineFile,
} from '../grammar/src/index.js';
import { describeIoError } from './config.js';

/** A baseline file and what it holds (empty when it does not exist yet). */
export interface BaselineSource {
  file: string;
  baseline: Baseline;
}

/**
 * The baseline of a folder: the --baseline file for every input, else the nearest
 * .nianbao-baseline.json above it (each read once). With `update`, a folder without one gets the
 * current directory's, to be created. `onError` is told a file that cannot be read (once); such a
 * folder has no baseline ('bad'). A --baseline file that cannot be read throws BaselineError,
 * unless it does not exist and is to be written.
 */
export function baselineLookup(
  given: string | undefined,
  update: boolean,
  onError: (message: string) => void,
): (dir: string) => BaselineSource | null | 'bad' {
  if (given !== undefined) {
    const file = path.resolve(given);
    const fixed: BaselineSource = {
      file,
      baseline: update && !fs.existsSync(file) ? emptyBaseline() : readBaselineFile(file, fs),
    };
    return () => fixed;
  }
  const cache = new Map<string, BaselineSource | 'bad'>();
  const here = path.resolve(BASELINE_FILE_NAME);
  return (dir) => {
    const found = findConfigFile(dir, fs, BASELINE_FILE_NAME) ?? (update ? here : null);
    if (!found) return null;
    let c = cache.get(found);
    if (!c) {
      try {
        c = {
          file: found,
          baseline: !fs.existsSync(found) ? emptyBaseline() : readBaselineFile(found, fs),
        };
      } catch (e) {
        onError(e instanceof Error ? e.message : String(e));
        c = 'bad';
      }
      cache.set(found, c);
    }
    return c;
  };
}

/** --update-baseline: the entries to add, per baseline file, written at the end of the run. */
export class BaselineUpdates {
  private pending = new Map<string, { source: BaselineSource; entries: BaselineEntry[]; outside: boolean }>();

  /** The entries of a report in `dir` (null: standard input) to add to the source's file. */
  record(source: BaselineSource, entries: BaselineEntry[], dir: string | null): void {
    const p = this.pending.get(source.file) ?? { source, entries: [], outside: false };
    p.entries.push(...entries);
    // A report that the file is not found from (not in its folder or below) needs --baseline later.
    const home = path.dirname(source.file);
    if (dir !== null && dir !== home && !dir.startsWith(home + path.sep)) p.outside = true;
    this.pending.set(source.file, p);
  }

  /** Writes each file; returns the notes to print (how many were written where) and whether all were written. */
  write(): { notes: string[]; ok: boolean } {
    const notes: string[] = [];
    let ok = true;
    const date = baselineDate();
    for (const { source, entries, outside } of this.pending.values()) {
      const { baseline, added } = addToBaseline(source.baseline, entries, { date });
      const shown = path.relative(process.cwd(), source.file) || source.file;
      if (!added && fs.existsSync(source.file)) {
        notes.push(`${shown}：没有新的问题需要记入已核实问题清单`);
        continue;
      }
      try {
        fs.writeFileSync(source.file, formatBaseline(baseline), 'utf8');
        source.baseline = baseline;
        notes.push(
          `已将 ${added} 个问题作为已核实问题记入 ${shown}（共 ${baseline.entries.length} 个）` +
            (outside ? `；有的报告不在该文件所在目录之下，以后检查时请用 --baseline ${shown} 指定` : ''),
        );
      } catch (e) {
        notes.push(`${shown}：无法写入已核实问题清单（${describeIoError(e, 'write')}）`);
        ok = false;
      }
    }
    return { notes, ok };
  }
}

export { BaselineError };

/** The note on accepted findings left out of the output. */
export const acceptedNote = (n: number): string => `另有 ${n} 个已核实的问题未列出`;
