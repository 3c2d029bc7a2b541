import {
  applyBaseline,
  type Baseline,
  type BaselineEntry,
  baselineKeyOf,
  type CheckResult,
  check,
  crossYearFindings,
  issuingBody,
  pairReports,
  ReadError,
  readArchiveEntry,
  readReportAsync,
  toJSON,
} from '../../grammar/src/index.js';
import { describeIoError } from '../config.js';
import { readFileBounded, unexpected } from '../files.js';
import type { FileOutcome, FileTask, PairOutcome, PairTask, Task } from './types.js';

/**
 * The reports this thread checked that may pair with another year's (they name their body and
 * year), kept for the cross-year pass so it need not parse them again; bounded by an estimate of
 * the heap a checked report keeps (measured: about 80 KB for a short report plus about 40 bytes
 * per character of text — a report of one 400,000-character table row keeps 15 MB). Past the
 * budget (64 MB a thread) a report is checked again from its text when it is compared.
 */
const held = new Map<string, { result: CheckResult; text: string }>();
let heldBytes = 0;
const HELD_BYTES = 64 * 1024 * 1024;
const heldCost = (chars: number) => 80 * 1024 + 40 * chars;

export default async function run(task: Task): Promise<FileOutcome | PairOutcome> {
  return task.kind === 'file' ? checkFile(task) : comparePairs(task);
}

async function checkFile(task: FileTask): Promise<FileOutcome> {
  const t0 = performance.now();
  const ms = () => Math.round(performance.now() - t0);
  let bytes: Uint8Array;
  try {
    if (task.bytes && task.entry !== undefined)
      bytes = readArchiveEntry(task.bytes, task.entry, task.name, { maxBytes: task.maxBytes });
    else bytes = task.bytes ?? readFileBounded(task.name, task.maxBytes);
  } catch (e) {
    const message =
      e instanceof ReadError ? e.message : `${task.name}：无法读取文件（${describeIoError(e)}）`;
    return { ok: false, message, ms: ms() };
  }
  try {
    const read = await readReportAsync(bytes, task.name, { maxBytes: task.maxBytes });
    const checked = check(read.text, { year: task.year, config: task.config, source: read.format });
    const cost = heldCost(read.text.length);
    if (task.hold !== false && checked.report.year != null && heldBytes + cost <= HELD_BYTES) {
      held.set(task.name, { result: checked, text: read.text });
      heldBytes += cost;
    }
    const body = issuingBody(checked.report);
    const year = checked.report.year;
    const { kept, accepted, newlyAccepted } = accept(checked, task.baseline, task.acceptAll);
    const json = toJSON(task.name, { ...checked, findings: kept }, read.where);
    return {
      ok: true,
      result: accepted ? { ...json, accepted } : json,
      ...(task.acceptAll ? { newlyAccepted } : {}),
      // Only a report that may pair needs its text again; the rest would only take memory.
      text: body && year != null ? read.text : '',
      body,
      year,
      ms: ms(),
    };
  } catch (e) {
    if (e instanceof ReadError) return { ok: false, message: e.message, ms: ms() };
    return { ok: false, message: unexpected(task.name, e), ms: ms() };
  }
}

/**
 * The findings without those the baseline accepts (and, with acceptAll, without the errors and
 * warnings, whose entries are returned to be written): what is kept and how many were accepted.
 */
function accept(
  checked: CheckResult,
  baseline: Baseline | undefined,
  acceptAll: boolean | undefined,
): { kept: CheckResult['findings']; accepted: number; newlyAccepted: BaselineEntry[] } {
  const { kept, accepted } = applyBaseline(checked.report, checked.findings, baseline);
  if (!acceptAll) return { kept, accepted: accepted.length, newlyAccepted: [] };
  const newly = kept.filter((f) => f.severity !== 'info');
  return {
    kept: kept.filter((f) => f.severity === 'info'),
    accepted: accepted.length + newly.length,
    newlyAccepted: newly.map((f) => baselineKeyOf(checked.report, f)),
  };
}

/**
 * A cluster's pairs compared. The reports are paired from what pairing reads of them (title, year,
 * tables), then each pair compared with both checked; a checked report is kept only within a
 * budget (as `held`), else checked again when a pair needs it — a cluster of many large reports
 * never has them all in memory at once.
 */
function comparePairs(task: PairTask): PairOutcome {
  const items = new Map(task.items.map((i) => [i.id, i]));
  const kept = new Map<string, CheckResult>();
  let keptBytes = 0;
  const resultOf = (id: string): CheckResult => {
    const item = items.get(id)!;
    const own = held.get(id);
    if (own && own.text === item.text) return own.result;
    const cached = kept.get(id) ?? (last?.id === id ? last.result : undefined);
    if (cached) return cached;
    const result = check(item.text, { year: item.year, config: item.config });
    const cost = heldCost(item.text.length);
    if (keptBytes + cost <= HELD_BYTES) {
      kept.set(id, result);
      keptBytes += cost;
    } else last = { id, result };
    return result;
  };
  // Past the budget, the last report checked is still at hand: pairs compared year after year
  // (below) check each report once, as this year's and then as next year's previous.
  let last: { id: string; result: CheckResult } | undefined;
  // Pairing reads each report's title (unless its body is known), year and tables: from its check
  // when the batch sends them, else from checking it here.
  const pairs = pairReports(
    task.items.map((i) => {
      if (i.read && i.body) {
        const t = i.read.tables;
        return {
          id: i.id,
          body: i.body,
          report: {
            year: i.read.year,
            tables: {
              t2: t.t2 && { values: t.t2 },
              t3: t.t3 && { values: t.t3 },
              t4: t.t4 && { values: t.t4 },
            },
          },
        };
      }
      const { title, year, tables } = resultOf(i.id).report;
      return {
        id: i.id,
        body: i.body,
        report: {
          title,
          year,
          tables: {
            t2: tables.t2 && { values: tables.t2.values },
            t3: tables.t3 && { values: tables.t3.values },
            t4: tables.t4 && { values: tables.t4.values },
          },
        },
      };
    }),
  );
  const yearOf = (id: string) => items.get(id)!.read?.year ?? 0;
  pairs.sort((a, b) => yearOf(a.previous) - yearOf(b.previous));
  return {
    pairs: pairs.map(({ current, previous }) => {
      const prev = resultOf(previous);
      const cur = resultOf(current);
      const item = items.get(current)!;
      const { kept, accepted, newlyAccepted } = accept(
        { ...cur, findings: crossYearFindings(cur, prev, { config: item.config }) },
        item.baseline,
        item.acceptAll,
      );
      return {
        current,
        previous,
        findings: toJSON(current, { ...cur, findings: kept }).findings,
        ...(accepted ? { accepted } : {}),
        ...(newlyAccepted.length ? { newlyAccepted } : {}),
      };
    }),
  };
}
