// The review command's worker thread (piscina): reads and checks one file, or compares the
// reports of one body across neighbouring years. Never throws: a file that cannot be read or
// checked answers with its Chinese reason, and the run goes on with the others.
import fs from 'node:fs';
import {
  type CheckResult,
  type Config,
  check,
  crossYearFindings,
  issuingBody,
  pairReports,
  ReadError,
  readReportAsync,
  toJSON,
  tooLarge,
} from '../../grammar/src/index.js';
import { describeIoError } from '../config.js';
import type { FileOutcome, FileTask, PairOutcome, PairTask, Task } from './types.js';

/**
 * The reports this thread checked that may pair with another year's (they name their body and
 * year), kept for the cross-year pass; bounded by their text's total length.
 */
const held = new Map<string, { result: CheckResult; text: string }>();
let heldChars = 0;
const HELD_CHARS = 64 * 1024 * 1024;

export default async function run(task: Task): Promise<FileOutcome | PairOutcome> {
  return task.kind === 'file' ? checkFile(task) : comparePairs(task);
}

async function checkFile(task: FileTask): Promise<FileOutcome> {
  const t0 = performance.now();
  const ms = () => Math.round(performance.now() - t0);
  let bytes: Uint8Array;
  try {
    bytes = task.bytes ?? readBounded(task.name, task.maxBytes);
  } catch (e) {
    const message =
      e instanceof ReadError ? e.message : `${task.name}：无法读取文件（${describeIoError(e)}）`;
    return { ok: false, message, ms: ms() };
  }
  try {
    const read = await readReportAsync(bytes, task.name, { maxBytes: task.maxBytes });
    const checked = check(read.text, { year: task.year, config: task.config });
    if (task.hold !== false && checked.report.year != null && heldChars + read.text.length <= HELD_CHARS) {
      held.set(task.name, { result: checked, text: read.text });
      heldChars += read.text.length;
    }
    return {
      ok: true,
      result: toJSON(task.name, checked, read.where),
      text: read.text,
      body: issuingBody(checked.report),
      year: checked.report.year,
      ms: ms(),
    };
  } catch (e) {
    if (e instanceof ReadError) return { ok: false, message: e.message, ms: ms() };
    return { ok: false, message: unexpected(task.name, e), ms: ms() };
  }
}

/** A regular file, opened without blocking and refused past the size limit. */
function readBounded(name: string, maxBytes: number): Uint8Array {
  const fd = fs.openSync(name, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) throw new ReadError(name, '不是普通文件，未读取');
    if (st.size > maxBytes) throw tooLarge(name, st.size, { maxBytes });
    return fs.readFileSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

function unexpected(name: string, e: unknown): string {
  if (process.env.NIANBAO_DEBUG) process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  const msg = e instanceof Error ? e.message : '';
  const reason = /call stack/i.test(msg)
    ? '文件结构嵌套过深'
    : /Invalid (string|array|typed array) length|allocation failed|out of memory/i.test(msg)
      ? '文件内容过大，超出处理能力'
      : '程序内部错误';
  return `${name}：${reason}，未能完成检查（其余文件照常检查）`;
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
  const pairs = pairReports(task.items.map((i) => ({ id: i.id, report: checked.get(i.id)!.result.report })));
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
