import {
  type CheckResult,
  type Config,
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
    const checked = check(read.text, { year: task.year, config: task.config });
    const cost = heldCost(read.text.length);
    if (task.hold !== false && checked.report.year != null && heldBytes + cost <= HELD_BYTES) {
      held.set(task.name, { result: checked, text: read.text });
      heldBytes += cost;
    }
    const body = issuingBody(checked.report);
    const year = checked.report.year;
    return {
      ok: true,
      result: toJSON(task.name, checked, read.where),
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

function comparePairs(task: PairTask): PairOutcome {
  const checked = new Map<string, { result: CheckResult; config?: Config }>();
  for (const item of task.items) {
    // The report as this thread checked it, else checked again from its text.
    const own = held.get(item.id);
    const result =
      own && own.text === item.text ? own.result : check(item.text, { year: item.year, config: item.config });
    checked.set(item.id, { result, config: item.config });
  }
  const pairs = pairReports(
    task.items.map((i) => ({ id: i.id, report: checked.get(i.id)!.result.report, body: i.body })),
  );
  return {
    pairs: pairs.map(({ current, previous }) => {
      const cur = checked.get(current)!;
      const findings = crossYearFindings(cur.result, checked.get(previous)!.result, { config: cur.config });
      return {
        current,
        previous,
        findings: toJSON(current, { ...cur.result, findings }).findings,
      };
    }),
  };
}
