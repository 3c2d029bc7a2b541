// `nianbao review DIR…`: a reviewer checks a whole district's reports at once. Every report file
// under the folders is read and checked in worker threads (one per core), the reports of one body
// in neighbouring years are compared, and the outcome is printed as a summary line (or the
// per-file JSON) and written to HTML, Excel and CSV summaries.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Piscina } from 'piscina';
import {
  type Config,
  DEFAULT_LIMITS,
  isReportFile,
  type JsonResult,
  REPORT_EXTENSIONS,
  sameBody,
} from '../../grammar/src/index.js';
import { describeIoError, findConfigFile, readConfigFile } from '../config.js';
import { countFindings, escapeControls, formatJson, summaryLine } from '../format.js';
import { toHtml } from './html.js';
import { Progress } from './progress.js';
import { pairOf, type Review, type ReviewRow, rowOf, toCsv, unreadableRow } from './summary.js';
import type { FileOutcome, FileTask, PairOutcome, PairTask, Task } from './types.js';
import { toXlsx } from './xlsx.js';

export const REVIEW_HELP = `nianbao review — 一次审阅一个地区的全部年度报告

用法：
  nianbao review [选项] <目录|文件>...

递归检查目录中的全部报告文件（${REPORT_EXTENSIONS.join(' ')}），在多个工作线程中并行检查；
同一机关相邻两个年度的报告互相对照（上年结转、现行有效件数、照搬上年正文）。
在终端中显示进度；否则只输出一行汇总。

选项：
  -f, --format text|json   text（默认）只输出汇总行；json 输出每个文件的检查结果（与 check 相同）
  -s, --summary 文件       写出汇总，按扩展名：.html（网页）、.xlsx（Excel）、.csv；可重复
  -c, --config 文件        配置文件（默认：从每个文件所在目录向上查找 .nianbaorc.json）
  -y, --year 年份          报告年度（正文未写明年份时使用）
  -j, --jobs 数量          工作线程数（默认为处理器核数）
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
  const walk = (dir: string, found: string[]) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      problems.push(`${dir}：无法读取目录（${describeIoError(e)}）`);
      return;
    }
    for (const e of entries) {
      if (e.name.startsWith('.') || e.name === 'node_modules') continue;
      const p = path.join(dir, e.name);
      let isDir = e.isDirectory(),
        isFile = e.isFile();
      if (e.isSymbolicLink()) {
        try {
          isFile = fs.statSync(p).isFile();
          isDir = false; // directory links are not followed (cycles)
        } catch {
          continue;
        }
      }
      if (isDir) walk(p, found);
      else if (isFile && isReportFile(e.name)) found.push(p);
    }
  };
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
      walk(arg, found);
      if (!found.length) process.stderr.write(note(`${arg}：目录中没有可检查的报告文件`));
      out.push(...found.sort());
    } else out.push(arg);
  }
  return [...new Set(out)];
}

function workerFile(): string {
  // Built: dist/cli/review/worker.js; from source (tsx): cli/review/worker.ts.
  const js = new URL('./worker.js', import.meta.url);
  return fs.existsSync(js) ? js.href : new URL('./worker.ts', import.meta.url).href;
}

/** A thread for a file: by its name without the extension and the digits (the years). */
export function affinity(file: string): number {
  const key = path.basename(file, path.extname(file)).replace(/[0-9０-９]+/g, '');
  let h = 2166136261;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 16777619) >>> 0;
  return h;
}

/** Groups of reports that may pair: one body (sameBody) in neighbouring years, connected. */
export function clusters(items: Array<{ id: string; body: string; year: number }>): string[][] {
  const parent = new Map(items.map((i) => [i.id, i.id]));
  const find = (x: string): string => {
    let r = x;
    while (parent.get(r) !== r) r = parent.get(r)!;
    parent.set(x, r);
    return r;
  };
  const byYear = new Map<number, typeof items>();
  for (const i of items) byYear.set(i.year, [...(byYear.get(i.year) ?? []), i]);
  for (const cur of items)
    for (const prev of byYear.get(cur.year - 1) ?? [])
      if (sameBody(prev.body, cur.body)) parent.set(find(prev.id), find(cur.id));
  const groups = new Map<string, string[]>();
  for (const i of items) groups.set(find(i.id), [...(groups.get(find(i.id)) ?? []), i.id]);
  return [...groups.values()].filter((g) => g.length > 1);
}

export async function runReview(argv: string[]): Promise<number> {
  let values: {
    format?: string;
    summary?: string[];
    config?: string;
    year?: string;
    jobs?: string;
    'max-size'?: string;
    help?: boolean;
  };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        format: { type: 'string', short: 'f' },
        summary: { type: 'string', short: 's', multiple: true },
        config: { type: 'string', short: 'c' },
        year: { type: 'string', short: 'y' },
        jobs: { type: 'string', short: 'j' },
        'max-size': { type: 'string' },
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
  if (values.help) {
    process.stdout.write(REVIEW_HELP);
    return 0;
  }
  const format = values.format ?? 'text';
  if (format !== 'text' && format !== 'json')
    throw new ReviewUsageError(`未知的输出格式“${format}”，review 可用 text 或 json`);
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
  if (!positionals.length)
    throw new ReviewUsageError('请指定要审阅的目录或文件；用法见 nianbao review --help');

  let status = 0;
  const problems: string[] = [];
  const files = collect(positionals, problems);
  for (const p of problems) process.stderr.write(note(p));
  if (problems.length) status = 2;

  // Configuration: the one given, else the nearest .nianbaorc.json above each file.
  let fixed: Config | undefined;
  if (values.config !== undefined) {
    try {
      fixed = readConfigFile(values.config);
    } catch (e) {
      throw new ReviewUsageError(e instanceof Error ? e.message : String(e));
    }
  }
  const cache = new Map<string, Config | 'bad'>();
  const configFileOf = new Map<string, string | null>();
  const configFor = (file: string): Config | undefined | 'bad' => {
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

  // One single-thread pool per thread, so that the cross-year pass can go to the thread that
  // already holds a cluster's checked reports (each thread keeps those it checked).
  const threads = Math.max(1, Math.min(jobs, files.length));
  const pools = Array.from(
    { length: threads },
    () =>
      new Piscina<Task, FileOutcome | PairOutcome>({
        filename: workerFile(),
        minThreads: 1,
        maxThreads: 1,
        idleTimeout: 1000,
        // Each thread's heap is bounded, as the bot bounds its checks: a file that needs more fails alone.
        resourceLimits: { maxOldGenerationSizeMb: 768, stackSizeMb: 4 },
      }),
  );
  const progress = new Progress(files.length, process.stderr.isTTY ? process.stderr : null);
  // NIANBAO_REVIEW_TIMES=1: the time of each phase on stderr (for the benchmark).
  const t0 = performance.now();
  const phase = (name: string) => {
    if (!process.env.NIANBAO_REVIEW_TIMES) return;
    const cpu = process.cpuUsage();
    process.stderr.write(
      `${name} ${Math.round(performance.now() - t0)} ms（CPU ${Math.round((cpu.user + cpu.system) / 1000)} ms）\n`,
    );
  };

  try {
    // 1. Every file read and checked; a few more in flight than threads, to keep them busy.
    const outcomes: Array<FileOutcome | { ok: false; message: string; skipped: true }> = new Array(
      files.length,
    );
    const configs: Array<Config | undefined> = new Array(files.length);
    // Files of one body in different years usually share their name but for the year: such
    // files go to one thread first; a thread with nothing left takes files queued for another.
    const owner: number[] = new Array(files.length).fill(-1);
    const queues: number[][] = pools.map(() => []);
    files.forEach((f, i) => {
      queues[affinity(f) % threads].push(i);
    });
    const take = (k: number): number | undefined => {
      if (queues[k].length) return queues[k].shift();
      const other = queues.reduce((a, q, j) => (q.length > queues[a].length ? j : a), 0);
      return queues[other].pop();
    };
    const lane = async (k: number) => {
      for (let i = take(k); i !== undefined; i = take(k)) {
        const name = files[i];
        const config = configFor(name);
        if (config === 'bad') {
          outcomes[i] = { ok: false, message: `${name}：因配置文件有误，未检查`, skipped: true };
          progress.finished(name);
          continue;
        }
        configs[i] = config;
        progress.started(name);
        const task: FileTask = { kind: 'file', name, year, config, maxBytes };
        let outcome: FileOutcome;
        try {
          outcome = (await pools[k].run(task)) as FileOutcome;
          owner[i] = k;
        } catch (e) {
          const reason = /memory/i.test(String((e as Error)?.message))
            ? '文件过大或过于复杂，无法检查'
            : '程序内部错误，未能完成检查';
          outcome = { ok: false, message: `${name}：${reason}（其余文件照常检查）`, ms: 0 };
        }
        outcomes[i] = outcome;
        if (!outcome.ok) progress.note(note(outcome.message));
        progress.finished(name);
      }
    };
    // Two files in flight per thread, so that a thread never waits for the next one.
    await Promise.all(pools.flatMap((_, k) => [lane(k), lane(k)]));
    progress.clear();

    phase('checked');
    // 2. Reports of one body in neighbouring years compared, cluster by cluster.
    const results: Array<JsonResult | null> = outcomes.map((o) => (o.ok ? o.result : null));
    const byId = new Map<string, number>();
    const candidates: Array<{ id: string; body: string; year: number }> = [];
    outcomes.forEach((o, i) => {
      if (o.ok && o.body && o.year != null) {
        byId.set(files[i], i);
        candidates.push({ id: files[i], body: o.body, year: o.year });
      }
    });
    const pairTasks = clusters(candidates).map((ids) => {
      // The thread holding most of the cluster's reports; it parses only the others again.
      const held = pools.map((_, k) => ids.filter((id) => owner[byId.get(id)!] === k).length);
      const k = held.indexOf(Math.max(...held));
      const task: PairTask = {
        kind: 'pairs',
        items: ids.map((id) => {
          const i = byId.get(id)!;
          const o = outcomes[i] as Extract<FileOutcome, { ok: true }>;
          return { id, text: o.text, year, config: configs[i] };
        }),
      };
      return { k, task };
    });
    const pairs: Array<{ current: string; previous: string }> = [];
    const cross = await Promise.all(
      pairTasks.map(({ k, task: t }) =>
        (pools[k].run(t) as Promise<PairOutcome>).catch(() => {
          process.stderr.write(note(`${t.items.map((x) => x.id).join('、')}：跨年度对照未能完成`));
          status = 2;
          return { pairs: [] } as PairOutcome;
        }),
      ),
    );
    const crossOf = new Map<string, PairOutcome['pairs'][number]>();
    for (const c of cross)
      for (const p of c.pairs) {
        pairs.push({ current: p.current, previous: p.previous });
        crossOf.set(p.current, p);
        const i = byId.get(p.current)!;
        const r = results[i]!;
        if (p.findings.length)
          results[i] = {
            ...r,
            findings: [...r.findings, ...p.findings].sort(
              (a, b) =>
                a.line - b.line || a.column - b.column || a.endLine - b.endLine || a.endColumn - b.endColumn,
            ),
          };
      }

    phase('compared');
    // 3. The summary model and its outputs.
    const rows: ReviewRow[] = outcomes.map((o, i) => {
      if (!o.ok) return unreadableRow(files[i], o.message);
      return rowOf(results[i]!, o.body);
    });
    const rowOfFile = new Map(rows.map((r) => [r.file, r]));
    pairs.sort((a, b) => a.current.localeCompare(b.current));
    const review: Review = {
      rows,
      pairs: pairs.map((p) =>
        pairOf(rowOfFile.get(p.current)!, rowOfFile.get(p.previous)!, crossOf.get(p.current)?.findings ?? []),
      ),
    };
    for (const s of summaries) {
      const ext = path.extname(s).toLowerCase();
      try {
        if (ext === '.xlsx') fs.writeFileSync(s, await toXlsx(review));
        else if (ext === '.csv') fs.writeFileSync(s, toCsv(review), 'utf8');
        else fs.writeFileSync(s, toHtml(review), 'utf8');
      } catch (e) {
        process.stderr.write(note(`${s}：无法写出汇总（${describeIoError(e, 'write')}）`));
        status = 2;
      }
    }

    phase('summaries');
    const ok = results.filter((r): r is JsonResult => r !== null);
    if (outcomes.some((o) => !o.ok)) status = 2;
    if (status === 0 && ok.some((r) => r.findings.some((f) => f.severity === 'error'))) status = 1;
    if (format === 'json') process.stdout.write(formatJson(ok));
    else {
      const unreadable = outcomes.filter((o) => !o.ok).length;
      let line = summaryLine({ ...countFindings(ok), files: ok.length });
      if (unreadable) line += `；${unreadable} 个文件无法读取`;
      line += `；跨年度对照 ${pairs.length} 对`;
      process.stdout.write(`${line}\n`);
    }
    return status;
  } finally {
    progress.clear();
    await Promise.all(pools.map((p) => p.destroy()));
  }
}

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
