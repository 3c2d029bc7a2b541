// `nianbao review DIR…`: a reviewer checks a whole district's reports at once. Every report file
// under the folders is read and checked in worker threads (one per core), the reports of one body
// in neighbouring years are compared, and the outcome is printed as a summary line (or the
// per-file JSON) and written to HTML, Excel and CSV summaries and, with --feedback, to a Word letter
// for each unit.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { type Config, DEFAULT_LIMITS, type JsonResult, REPORT_EXTENSIONS } from '../../grammar/src/index.js';
import {
  acceptedNote,
  BaselineError,
  type BaselineSource,
  BaselineUpdates,
  baselineLookup,
} from '../baseline.js';
import { describeIoError, findConfigFile, readConfigFile } from '../config.js';
import { packageVersion, walk } from '../files.js';
import { countFindings, escapeControls, jsonStream, sarifStream, summaryLine } from '../format.js';
import { type BatchResult, reviewBatch } from './batch.js';
import { toHtml } from './html.js';
import { notesLine } from './notes.js';
import { Progress } from './progress.js';
import { type Review, type ReviewRow, toCsv } from './summary.js';
import { readUnitList, type Unit, UnitListError } from './units.js';
import { toXlsx } from './xlsx.js';

export const REVIEW_HELP = `nianbao review — 一次审阅一个地区的全部年度报告

用法：
  nianbao review [选项] <目录|文件>...

递归检查目录中的全部报告文件（${REPORT_EXTENSIONS.join(' ')}），在多个工作线程中并行检查；
同一机关相邻两个年度的报告互相对照（上年结转、现行有效件数、照搬上年正文）；机关和年度取自报告标题，
未识别标题的报告只按正文确定年度、不猜测机关。同一机关同一年度有多份报告时，使用表格读出最完整的一份，
汇总中列出重复的报告和未能对照的报告及原因。
在终端中显示进度；否则只输出一行汇总。

选项：
  -f, --format text|json|sarif
                           text（默认）输出汇总行、写出的汇总文件和问题最多的三份报告；
                           json、sarif 输出每个文件的检查结果（与 check 相同）
  -s, --summary 文件       写出汇总，按扩展名：.html（网页）、.xlsx（Excel）、.csv；可重复
      --feedback 目录      审阅后在该目录中为每个机关写出审核反馈意见（Word 文件，公文格式，可修改后
                           发送），另写一份含全部反馈意见的“全部反馈意见.docx”；目录不存在时新建
  -c, --config 文件        配置文件（默认：从每个文件所在目录向上查找 .nianbaorc.json）
  -y, --year 年份          报告年度（正文未写明年份时使用）
  -u, --units 名单文件     应报送的机关名单（每行一个机关名称，可附别名，逗号或制表符分隔；
                           UTF-8 或 GB18030）：机关名称先按名单对应，汇总列出应报未报和不在名单的机关
  -j, --jobs 数量          工作线程数（默认为处理器核数）
      --baseline 文件      已核实问题清单（默认：从每个文件所在目录向上查找 .nianbao-baseline.json）；
                           其中的问题不再列出、不影响退出状态，汇总中单独计数
      --update-baseline    把本次发现的全部错误和警告作为已核实问题写入清单（--baseline 指定的文件，
                           否则最近的 .nianbao-baseline.json，都没有时在当前目录新建）
      --max-size MB        单个文件的大小上限（默认 20 MB）

退出状态：0 未发现“错误”级别的问题；1 至少有一个“错误”；2 用法错误或有文件无法读取。
`;

export class ReviewUsageError extends Error {}

const SUMMARY_EXTS = ['.html', '.htm', '.xlsx', '.csv'];

function note(message: string): string {
  return `nianbao：${escapeControls(message)}\n`;
}

/** Report files under the folders (sorted per folder), and the files given directly. */
function collect(args: string[], problems: string[]): string[] {
  const out: string[] = [];
  for (const arg of args) {
    let st: fs.Stats;
    try {
      st = fs.statSync(arg);
    } catch (e) {
      problems.push(`${arg}：${describeIoError(e)}`);
      continue;
    }
    if (st.isDirectory()) {
      const found: string[] = [];
      walk(arg, found, (message) => problems.push(message));
      if (!found.length) process.stderr.write(note(`${arg}：目录中没有可检查的报告文件`));
      out.push(...found.sort());
    } else out.push(arg);
  }
  return [...new Set(out)];
}

export { affinity, clusters } from './batch.js';

type ReviewFormat = 'text' | 'json' | 'sarif';

interface ReviewArgs {
  format: ReviewFormat;
  summaries: string[];
  /** --feedback: the folder for the letters to each unit. */
  feedback?: string;
  config?: string;
  year?: number;
  jobs: number;
  maxBytes: number;
  paths: string[];
  units?: Unit[];
  baseline?: string;
  updateBaseline: boolean;
}

type Values = {
  format?: string;
  summary?: string[];
  feedback?: string;
  config?: string;
  year?: string;
  jobs?: string;
  'max-size'?: string;
  units?: string;
  baseline?: string;
  'update-baseline'?: boolean;
  help?: boolean;
};

/** The command line read; null for --help. Throws ReviewUsageError (Chinese) on a usage error. */
function parseReviewArgs(argv: string[]): ReviewArgs | null {
  let values: Values;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        format: { type: 'string', short: 'f' },
        summary: { type: 'string', short: 's', multiple: true },
        feedback: { type: 'string' },
        config: { type: 'string', short: 'c' },
        year: { type: 'string', short: 'y' },
        jobs: { type: 'string', short: 'j' },
        'max-size': { type: 'string' },
        units: { type: 'string', short: 'u' },
        baseline: { type: 'string' },
        'update-baseline': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    const opt = /'([^']+)'/.exec(msg)?.[1] ?? /--?[\w-]+/.exec(msg)?.[0] ?? '';
    throw new ReviewUsageError(
      (e as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION'
        ? `未知的选项“${opt}”；用法见 nianbao review --help`
        : `选项 ${opt} 用法有误；用法见 nianbao review --help`,
    );
  }
  if (values.help) return null;
  return {
    ...checkValues(values),
    config: values.config,
    feedback: values.feedback,
    baseline: values.baseline,
    updateBaseline: Boolean(values['update-baseline']),
    paths: positionals,
    units: values.units === undefined ? undefined : unitList(values.units),
  };
}

/** The reviewer's list of bodies (--units); a usage error (Chinese) when it cannot be read or used. */
function unitList(file: string): Unit[] {
  let bytes: Uint8Array;
  try {
    if (fs.statSync(file).size > 8 * 1048576)
      throw new ReviewUsageError(`名单文件“${file}”过大（上限 8 MB）`);
    bytes = fs.readFileSync(file);
  } catch (e) {
    if (e instanceof ReviewUsageError) throw e;
    throw new ReviewUsageError(`无法读取名单文件“${file}”（${describeIoError(e)}）`);
  }
  try {
    return readUnitList(bytes, file);
  } catch (e) {
    if (e instanceof UnitListError) throw new ReviewUsageError(e.message);
    throw e;
  }
}

/** The options' values checked. */
function checkValues(values: Values): Omit<ReviewArgs, 'config' | 'paths' | 'baseline' | 'updateBaseline'> {
  const format = (values.format ?? 'text') as ReviewFormat;
  if (format !== 'text' && format !== 'json' && format !== 'sarif')
    throw new ReviewUsageError(`未知的输出格式“${format}”，review 可用 text、json 或 sarif`);
  const summaries = values.summary ?? [];
  for (const s of summaries)
    if (!SUMMARY_EXTS.includes(path.extname(s).toLowerCase()))
      throw new ReviewUsageError(`汇总文件“${s}”的扩展名应为 .html、.xlsx 或 .csv`);
  const year = values.year === undefined ? undefined : Number(values.year);
  if (values.year !== undefined && (!/^\d{4}$/.test(values.year) || year! < 2000 || year! > 2100))
    throw new ReviewUsageError(`年份“${values.year}”无效，应为四位数字，如 2024`);
  const maxBytes =
    values['max-size'] === undefined ? DEFAULT_LIMITS.maxBytes : Number(values['max-size']) * 1048576;
  if (!(maxBytes > 0) || !Number.isFinite(maxBytes))
    throw new ReviewUsageError(`--max-size“${values['max-size']}”无效，应为正数（单位 MB），如 20`);
  const jobs = values.jobs === undefined ? os.availableParallelism() : Number(values.jobs);
  if (!Number.isInteger(jobs) || jobs < 1 || jobs > 256)
    throw new ReviewUsageError(`--jobs“${values.jobs}”无效，应为正整数`);
  // More threads than processors only adds memory: each thread holds a checker of its own.
  const cores = os.availableParallelism();
  if (jobs > cores)
    process.stderr.write(note(`--jobs ${jobs} 多于本机的处理器数（${cores}），按 ${cores} 个线程检查`));
  return { format, summaries, year, maxBytes, jobs: Math.min(jobs, cores) };
}

/** Configuration: the one given, else the nearest .nianbaorc.json above each file (cached per folder). */
function configLookup(given: string | undefined): (file: string) => Config | undefined | 'bad' {
  let fixed: Config | undefined;
  if (given !== undefined) {
    try {
      fixed = readConfigFile(given);
    } catch (e) {
      throw new ReviewUsageError(e instanceof Error ? e.message : String(e));
    }
  }
  const cache = new Map<string, Config | 'bad'>();
  const configFileOf = new Map<string, string | null>();
  return (file) => {
    if (fixed) return fixed;
    const dir = path.dirname(path.resolve(file));
    let found = configFileOf.get(dir);
    if (found === undefined) configFileOf.set(dir, (found = findConfigFile(dir)));
    if (!found) return undefined;
    let c = cache.get(found);
    if (!c) {
      try {
        c = readConfigFile(found);
      } catch (e) {
        process.stderr.write(note(e instanceof Error ? e.message : String(e)));
        c = 'bad';
      }
      cache.set(found, c);
    }
    return c;
  };
}

/** NIANBAO_REVIEW_TIMES=1: the time of each phase on stderr (for the benchmark). */
function phaseTimer(): (name: string) => void {
  const t0 = performance.now();
  return (name) => {
    if (!process.env.NIANBAO_REVIEW_TIMES) return;
    const cpu = process.cpuUsage();
    process.stderr.write(
      `${name} ${Math.round(performance.now() - t0)} ms（CPU ${Math.round((cpu.user + cpu.system) / 1000)} ms）\n`,
    );
  };
}

/**
 * Before any report is read: a summary can be written where it is asked for (its folder exists and
 * may be written to), never over a report being reviewed, nor into something that is not a regular
 * file (a FIFO would hang the run, a device would swallow it).
 */
function checkSummaryTargets(summaries: string[], files: string[]): void {
  const inputs = new Set(files.map((f) => path.resolve(f)));
  for (const s of summaries) {
    if (inputs.has(path.resolve(s)))
      throw new ReviewUsageError(`汇总文件“${s}”是被审阅的报告之一，不能覆盖；请换一个文件名`);
    const dir = path.dirname(path.resolve(s));
    try {
      if (!fs.statSync(dir).isDirectory()) throw Object.assign(new Error(), { code: 'ENOTDIR' });
      fs.accessSync(dir, fs.constants.W_OK);
    } catch (e) {
      throw new ReviewUsageError(
        `汇总文件“${s}”无法写出：所在目录${(e as { code?: string }).code === 'ENOENT' ? '不存在' : `不可写入（${describeIoError(e, 'write')}）`}，未审阅`,
      );
    }
    let st: fs.Stats | undefined;
    try {
      st = fs.statSync(s);
    } catch {
      continue; // a new file
    }
    if (!st.isFile())
      throw new ReviewUsageError(`汇总文件“${s}”已存在且不是普通文件（如目录、命名管道），未审阅`);
  }
}

/** Writes the summaries by their extension; returns those written. */
async function writeSummaries(review: Review, summaries: string[]): Promise<string[]> {
  const written: string[] = [];
  for (const s of summaries) {
    const ext = path.extname(s).toLowerCase();
    try {
      if (ext === '.xlsx') fs.writeFileSync(s, await toXlsx(review, { path: s }));
      else if (ext === '.csv') fs.writeFileSync(s, toCsv(review), 'utf8');
      else fs.writeFileSync(s, toHtml(review, { page: s }), 'utf8');
      written.push(s);
    } catch (e) {
      process.stderr.write(note(`${s}：无法写出汇总（${describeIoError(e, 'write')}）`));
    }
  }
  return written;
}

/** Before any report is read: the feedback folder exists or can be created, and can be written to. */
async function checkFeedbackTarget(dir: string): Promise<void> {
  if (!dir) throw new ReviewUsageError('--feedback 需要一个目录；用法见 nianbao review --help');
  // Loaded only when asked for: the Word writer is not needed otherwise.
  const { checkFeedbackDir } = await import('./feedback.js');
  const why = checkFeedbackDir(dir);
  if (why) throw new ReviewUsageError(`${why}，未审阅`);
}

/** Writes the letters to each unit; false when one could not be written. */
async function writeLetters(batch: BatchResult, dir: string, files: string[]): Promise<boolean> {
  const { writeFeedback } = await import('./feedback.js');
  const out = await writeFeedback(batch.review, batch.results, dir, files);
  for (const f of out.failed) process.stderr.write(note(f));
  if (out.combined)
    process.stderr.write(
      note(
        `反馈意见已写入 ${dir}：${out.letters.length} 个机关各一份，全部反馈意见见 ${path.basename(out.combined)}`,
      ),
    );
  return !out.failed.length;
}

export async function runReview(argv: string[]): Promise<number> {
  const args = parseReviewArgs(argv);
  if (!args) {
    process.stdout.write(REVIEW_HELP);
    return 0;
  }
  if (!args.paths.length)
    throw new ReviewUsageError('请指定要审阅的目录或文件；用法见 nianbao review --help');
  const problems: string[] = [];
  let files = collect(args.paths, problems);
  checkSummaryTargets(args.summaries, files);
  if (args.feedback !== undefined) {
    await checkFeedbackTarget(args.feedback);
    // Letters an earlier run left in the folder reviewed are not reports.
    const inside = path.resolve(args.feedback) + path.sep;
    files = files.filter((f) => !path.resolve(f).startsWith(inside));
  }
  for (const p of problems) process.stderr.write(note(p));
  const configFor = configLookup(args.config);
  const baselineOf = baselineSources(args);
  const phase = phaseTimer();
  const progress = new Progress(files.length, process.stderr.isTTY ? process.stderr : null);
  let batch: BatchResult;
  try {
    batch = await reviewBatch(
      files.map((name) => ({ name })),
      {
        threads: args.jobs,
        year: args.year,
        configFor,
        baselineFor: (name) => {
          const b = baselineOf(name);
          return b === 'bad' ? 'bad' : b?.baseline;
        },
        acceptAll: args.updateBaseline,
        maxBytes: args.maxBytes,
        units: args.units,
        onStart: (name) => progress.started(name),
        onProgress: (_done, _total, name) => progress.finished(name),
        onNote: (message) => progress.note(note(message)),
        onPhase: (name) => {
          if (name === 'checked') progress.clear();
          phase(name);
        },
      },
    );
  } finally {
    progress.clear();
  }
  let baselineWritten = true;
  if (args.updateBaseline) {
    const updates = new BaselineUpdates();
    files.forEach((name, i) => {
      const source = baselineOf(name);
      if (source && source !== 'bad' && batch.newlyAccepted[i]?.length)
        updates.record(source, batch.newlyAccepted[i], path.dirname(path.resolve(name)));
    });
    const out = updates.write();
    for (const n of out.notes) process.stderr.write(note(n));
    baselineWritten = out.ok;
  }
  const written = await writeSummaries(batch.review, args.summaries);
  const lettersWritten = args.feedback === undefined || (await writeLetters(batch, args.feedback, files));
  phase('summaries');
  await printOutcome(batch, args.format, written);
  return problems.length || written.length < args.summaries.length || !lettersWritten || !baselineWritten
    ? 2
    : batch.status;
}

/** The baseline file of each reviewed file (cached per folder); a --baseline file that cannot be read is a usage error. */
function baselineSources(args: ReviewArgs): (file: string) => BaselineSource | null | 'bad' {
  let lookup: ReturnType<typeof baselineLookup>;
  try {
    lookup = baselineLookup(args.baseline, args.updateBaseline, (m) => process.stderr.write(note(m)));
  } catch (e) {
    if (e instanceof BaselineError) throw new ReviewUsageError(e.message);
    throw e;
  }
  const byDir = new Map<string, BaselineSource | null | 'bad'>();
  return (file) => {
    const dir = path.dirname(path.resolve(file));
    if (!byDir.has(dir)) byDir.set(dir, lookup(dir));
    return byDir.get(dir)!;
  };
}

/**
 * The per-file JSON or SARIF (written file by file: no string holds it all); or, as text, the
 * summary line, where each summary was written and the three reports with the most problems.
 */
async function printOutcome(
  { review, results }: BatchResult,
  format: ReviewFormat,
  written: string[],
): Promise<void> {
  const ok = results.filter((r): r is JsonResult => r !== null);
  if (format !== 'text') {
    const out = format === 'json' ? jsonStream() : sarifStream(packageVersion());
    await write(out.head());
    for (const r of ok) await write(out.item(r));
    return write(out.tail());
  }
  const unreadable = results.length - ok.length;
  let line = summaryLine({ ...countFindings(ok), files: ok.length });
  if (unreadable) line += `；${unreadable} 个文件无法读取`;
  line += `；跨年度对照 ${review.pairs.length} 对`;
  const accepted = ok.reduce((n, r) => n + (r.accepted ?? 0), 0);
  if (accepted) line += `；${acceptedNote(accepted)}`;
  line += notesLine(review.notes);
  const lines = [line];
  for (const s of written) lines.push(`已写出汇总：${escapeControls(s)}`);
  const worst = worstRows(review.rows, 3);
  if (worst.length) {
    lines.push('问题最多的报告：');
    for (const r of worst) {
      const who = [r.body, r.year ? `${r.year}年` : ''].filter(Boolean).join(' ');
      const counts = [
        r.counts.error ? `${r.counts.error} 个错误` : '',
        r.counts.warning ? `${r.counts.warning} 个警告` : '',
      ].filter(Boolean);
      lines.push(
        `  ${escapeControls(r.file)}${who ? `（${escapeControls(who)}）` : ''}：${counts.join('，')}`,
      );
    }
  }
  await write(`${lines.join('\n')}\n`);
}

/** The reports with the most errors, then warnings; those with neither are not listed. */
function worstRows(rows: ReviewRow[], n: number): ReviewRow[] {
  return rows
    .filter((r) => r.counts.error || r.counts.warning)
    .sort((a, b) => b.counts.error - a.counts.error || b.counts.warning - a.counts.warning)
    .slice(0, n);
}

/** Writes to stdout, waiting while its buffer is full. */
const write = (s: string) =>
  new Promise<void>((resolve) => {
    if (process.stdout.write(s)) resolve();
    else process.stdout.once('drain', resolve);
  });

/** The `review` command as the CLI dispatches it: usage errors in Chinese, exit status 2. */
export async function review(argv: string[]): Promise<number> {
  try {
    return await runReview(argv);
  } catch (e) {
    if (!(e instanceof ReviewUsageError)) throw e;
    process.stderr.write(note(e.message));
    return 2;
  }
}
