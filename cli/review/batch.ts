// The review of a batch of reports, for the `review` command and the Feishu bot alike: every file
// read and checked in worker threads, the reports of one body in neighbouring years paired and
// compared, and the summary model (rows and pairs) built. Files come by path (the CLI) or with
// their bytes (the bot: attachments, a zip's entries); the caller decides where tasks run.
import fs from 'node:fs';
import path from 'node:path';
import { Piscina } from 'piscina';
import {
  type Baseline,
  type BaselineEntry,
  type Config,
  type JsonResult,
  sameBody,
} from '../../grammar/src/index.js';
import {
  type Candidate,
  type DuplicateGroup,
  filedBody,
  pickDuplicates,
  unitsOutcome,
  unpairedOf,
} from './notes.js';
import { pairOf, type Review, type ReviewRow, rowOf, unreadableRow, wasChecked } from './summary.js';
import type { FileOutcome, FileTask, PairOutcome, PairTask, Task } from './types.js';
import type { Unit } from './units.js';

export interface BatchInput {
  /** The name shown to the user (a path for the CLI, the file or entry name for the bot). */
  name: string;
  /** The file's bytes, or the zip archive holding it (`entry`); without them the worker reads `name` from disk. */
  bytes?: Uint8Array;
  /** `bytes` is a zip archive and the file is its entry at this index (inflated in the thread, when its turn comes). */
  entry?: number;
  /**
   * Fetches the file's bytes when its turn comes (the bot's downloads), so a batch holds no more
   * than the files in flight; a TaskFailure's message is the file's reason.
   */
  load?: () => Promise<Uint8Array>;
}

/** Runs one task in a worker thread; `lane` is the thread it is meant for (0 … threads − 1). */
export type TaskRunner = (task: Task, lane: number) => Promise<FileOutcome | PairOutcome>;

export interface BatchOptions {
  threads: number;
  year?: number;
  /** The configuration of a file; 'bad' when its configuration file cannot be read (the file is skipped). */
  configFor?: (name: string) => Config | undefined | 'bad';
  /** The accepted findings (已核实) of a file; 'bad' when its baseline file cannot be read (the file is skipped). */
  baselineFor?: (name: string) => Baseline | undefined | 'bad';
  /** --update-baseline: every error and warning found is accepted; their entries come back in `newlyAccepted`. */
  acceptAll?: boolean;
  maxBytes: number;
  onStart?: (name: string) => void;
  onProgress?: (done: number, total: number, name: string) => void;
  /** A file that could not be checked, or a comparison that failed (Chinese). */
  onNote?: (message: string) => void;
  /** Stops taking files; those not yet checked are listed as not checked and no pairs are compared. */
  signal?: AbortSignal;
  /** Called as each step ends ('checked', 'compared'), for timing. */
  onPhase?: (name: string) => void;
  /** Where tasks run; by default a pool of `threads` worker threads of this module. */
  run?: TaskRunner;
  /** The bodies expected to report (`--units`): names are matched to it first (alias → the list's name). */
  units?: Unit[];
  /**
   * What the batch may keep of its checked files (results and the texts the cross-year pass needs),
   * in estimated bytes; past it no more files are taken (they are listed as not checked), so one
   * batch cannot take the memory other work needs. Unbounded by default.
   */
  memoryBudget?: number;
}

export interface BatchResult {
  review: Review;
  /** Per input, its JSON result (cross-year findings merged in); null when it could not be checked. */
  results: Array<JsonResult | null>;
  /** 0 no errors; 1 some report has an error; 2 some file could not be checked or compared. */
  status: 0 | 1 | 2;
  /** True when the signal stopped the batch before every file was checked. */
  stopped: boolean;
  /** True when the memory budget stopped the batch before every file was checked. */
  overBudget: boolean;
  /** With acceptAll, per input: the entries of the errors and warnings this run accepted. */
  newlyAccepted: BaselineEntry[][];
}

/** A task that failed for a reason the user is told (e.g. the bot's time limit of one check). */
export class TaskFailure extends Error {}

/** unchecked: the signal stopped the batch before the file was checked (it was never read). */
type Outcome = FileOutcome | { ok: false; message: string; ms: number; unchecked?: true };
type Checked = Extract<FileOutcome, { ok: true }>;

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

function workerFile(): string {
  // Built: dist/cli/review/worker.js; from source (tsx): cli/review/worker.ts.
  const js = new URL('./worker.js', import.meta.url);
  return fs.existsSync(js) ? js.href : new URL('./worker.ts', import.meta.url).href;
}

/**
 * One single-thread pool per thread, so that the cross-year pass can go to the thread that already
 * holds a cluster's checked reports (each thread keeps those it checked).
 */
function ownPools(threads: number): { run: TaskRunner; close(): Promise<void> } {
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
  return {
    run: (task, lane) => pools[lane].run(task),
    close: async () => void (await Promise.all(pools.map((p) => p.destroy()))),
  };
}

/** Reviews the files together; never throws for a file (its reason goes into its row). */
export async function reviewBatch(inputs: BatchInput[], options: BatchOptions): Promise<BatchResult> {
  const threads = Math.max(1, Math.min(options.threads, inputs.length));
  const own = options.run ? null : ownPools(threads);
  const run = options.run ?? own!.run;
  try {
    const checked = await checkAll(inputs, threads, run, options);
    options.onPhase?.('checked');
    const stopped = !!options.signal?.aborted || checked.overBudget;
    const results: Array<JsonResult | null> = checked.outcomes.map((o) => (o.ok ? o.result : null));
    const bodies = checked.outcomes.map((o) => (o.ok ? filedBody(o.body, options.units) : null));
    const cross = stopped ? noComparison : await compareAll(inputs, checked, bodies, run, options);
    options.onPhase?.('compared');
    const newlyAccepted = checked.outcomes.map((o) => (o.ok ? [...(o.newlyAccepted ?? [])] : []));
    const review = summarise(inputs, checked.outcomes, results, cross.pairs, bodies, newlyAccepted);
    if (!stopped) review.notes = pairingNotes(inputs, review.rows, cross, options.units);
    let status: 0 | 1 | 2 = 0;
    if (cross.failed || checked.outcomes.some((o) => !o.ok)) status = 2;
    else if (results.some((r) => r?.findings.some((f) => f.severity === 'error'))) status = 1;
    return { review, results, status, stopped, overBudget: checked.overBudget, newlyAccepted };
  } finally {
    await own?.close();
  }
}

/** Step 1: every file read and checked, two in flight per thread; files of one body's years to one thread first. */
async function checkAll(inputs: BatchInput[], threads: number, run: TaskRunner, options: BatchOptions) {
  const outcomes: Outcome[] = new Array(inputs.length);
  const configs: Array<Config | undefined> = new Array(inputs.length);
  const baselines: Array<Baseline | undefined> = new Array(inputs.length);
  const owner: number[] = new Array(inputs.length).fill(-1);
  const queues: number[][] = Array.from({ length: threads }, () => []);
  inputs.forEach((f, i) => {
    queues[affinity(f.name) % threads].push(i);
  });
  // What the batch keeps of its checked files, estimated: the texts (UTF-16) and the results.
  let kept = 0;
  let overBudget = false;
  // A thread with nothing left takes files queued for another.
  const take = (k: number): number | undefined => {
    if (options.signal?.aborted || overBudget) return undefined;
    if (queues[k].length) return queues[k].shift();
    const other = queues.reduce((a, q, j) => (q.length > queues[a].length ? j : a), 0);
    return queues[other].pop();
  };
  let done = 0;
  const finish = (i: number, outcome: Outcome, quiet = false) => {
    outcomes[i] = outcome;
    if (outcome.ok) {
      kept += outcome.text.length * 2 + keptCost(outcome.result);
      if (options.memoryBudget !== undefined && kept > options.memoryBudget) overBudget = true;
    }
    if (!outcome.ok && !quiet) options.onNote?.(outcome.message);
    options.onProgress?.(++done, inputs.length, inputs[i].name);
  };
  const lane = async (k: number) => {
    for (let i = take(k); i !== undefined; i = take(k)) {
      const { name, entry, load } = inputs[i];
      const config = options.configFor?.(name);
      if (config === 'bad') {
        finish(i, { ok: false, message: `${name}：因配置文件有误，未检查`, ms: 0 }, true);
        continue;
      }
      const baseline = options.baselineFor?.(name);
      if (baseline === 'bad') {
        finish(i, { ok: false, message: `${name}：因已核实问题清单有误，未检查`, ms: 0 }, true);
        continue;
      }
      configs[i] = config;
      baselines[i] = baseline;
      options.onStart?.(name);
      let bytes = inputs[i].bytes;
      if (load)
        try {
          bytes = await load();
        } catch (e) {
          finish(
            i,
            options.signal?.aborted
              ? unchecked(name, '审阅已中止，未检查')
              : { ok: false, message: `${name}：${failure(e)}`, ms: 0 },
          );
          continue;
        }
      const task: FileTask = {
        kind: 'file',
        name,
        bytes,
        ...(entry !== undefined ? { entry } : {}),
        year: options.year,
        config,
        maxBytes: options.maxBytes,
        ...(baseline ? { baseline } : {}),
        ...(options.acceptAll ? { acceptAll: true } : {}),
      };
      try {
        const outcome = (await run(task, k)) as FileOutcome;
        owner[i] = k;
        finish(i, outcome);
      } catch (e) {
        finish(
          i,
          options.signal?.aborted
            ? unchecked(name, '审阅已中止，未检查')
            : { ok: false, message: `${name}：${failure(e)}`, ms: 0 },
        );
      }
    }
  };
  await Promise.all(Array.from({ length: threads }, (_, k) => [lane(k), lane(k)]).flat());
  for (let i = 0; i < inputs.length; i++)
    outcomes[i] ??= unchecked(
      inputs[i].name,
      overBudget ? '本批报告占用的内存已达上限，未检查' : '审阅已中止，未检查',
    );
  return { outcomes, configs, baselines, owner, overBudget };
}

const unchecked = (name: string, why: string): Outcome => ({
  ok: false,
  message: `${name}：${why}`,
  ms: 0,
  unchecked: true,
});

/** A result's estimated size in memory: its findings (each with messages and a location) and its tables. */
const keptCost = (r: JsonResult) => 16 * 1024 + r.findings.length * 1024;

/** Why a file's task failed, for the user. */
function failure(e: unknown): string {
  const reason =
    e instanceof TaskFailure
      ? e.message
      : /memory/i.test(String((e as Error)?.message)) ||
          (e as { code?: string })?.code === 'ERR_WORKER_OUT_OF_MEMORY'
        ? '文件过大或过于复杂，无法检查'
        : '程序内部错误，未能完成检查';
  return `${reason}（其余文件照常检查）`;
}

type Cross = PairOutcome['pairs'][number];
interface Compared {
  pairs: Cross[];
  failed: boolean;
  /** The reports that took part in pairing (one per body and year), and the groups of one body and year. */
  kept: Candidate[];
  duplicates: DuplicateGroup[];
  /** Reports whose comparison failed. */
  failedIds: Set<string>;
}
const noComparison: Compared = { pairs: [], failed: false, kept: [], duplicates: [], failedIds: new Set() };

/** Step 2: the reports of one body in neighbouring years compared, cluster by cluster. */
async function compareAll(
  inputs: BatchInput[],
  { outcomes, configs, baselines, owner }: Awaited<ReturnType<typeof checkAll>>,
  bodies: Array<string | null>,
  run: TaskRunner,
  options: BatchOptions,
): Promise<Compared> {
  const byId = new Map<string, number>();
  const all: Candidate[] = [];
  outcomes.forEach((o, i) => {
    const body = bodies[i];
    if (o.ok && body && o.year != null) {
      byId.set(inputs[i].name, i);
      all.push({ id: inputs[i].name, body, year: o.year, result: o.result });
    }
  });
  // Of several reports of one body and year, one is compared (see pickDuplicates).
  const { kept: candidates, groups: duplicates } = pickDuplicates(all);
  const failedIds = new Set<string>();
  let failed = false;
  const cross = await Promise.all(
    clusters(candidates).map((ids) => {
      // The thread holding most of the cluster's reports; it parses only the others again.
      const held = new Map<number, number>();
      for (const id of ids) held.set(owner[byId.get(id)!], (held.get(owner[byId.get(id)!]) ?? 0) + 1);
      const lane = [...held].sort((a, b) => b[1] - a[1])[0][0];
      const task: PairTask = {
        kind: 'pairs',
        items: ids.map((id) => {
          const i = byId.get(id)!;
          const o = outcomes[i] as Checked;
          return {
            id,
            text: o.text,
            year: options.year,
            config: configs[i],
            body: bodies[i] ?? undefined,
            // What pairing reads, as the check found it: the thread pairs without checking again.
            read: { year: o.year, tables: o.result.tables },
            ...(baselines[i] ? { baseline: baselines[i] } : {}),
            ...(options.acceptAll ? { acceptAll: true } : {}),
          };
        }),
      };
      return (run(task, Math.max(0, lane)) as Promise<PairOutcome>).catch(() => {
        options.onNote?.(`${ids.join('、')}：跨年度对照未能完成`);
        failed = true;
        for (const id of ids) failedIds.add(id);
        return { pairs: [] } as PairOutcome;
      });
    }),
  );
  return { pairs: cross.flatMap((c) => c.pairs), failed, kept: candidates, duplicates, failedIds };
}

/** Duplicates, reports left unpaired and why, and the list of bodies against the reports. */
function pairingNotes(
  inputs: BatchInput[],
  rows: ReviewRow[],
  cross: Compared,
  units: Unit[] | undefined,
): Review['notes'] {
  const paired = new Set(cross.pairs.flatMap((p) => [p.current, p.previous]));
  const readable = rows.map((r, i) => ({
    file: inputs[i].name,
    body: r.body,
    year: r.year,
    readable: wasChecked(r),
  }));
  return {
    duplicates: cross.duplicates,
    unpaired: unpairedOf(readable, cross.kept, cross.duplicates, paired, cross.failedIds),
    units: units ? unitsOutcome(readable, units) : undefined,
  };
}

/** Step 3: the cross-year findings merged into each current year's result, and the summary model. */
function summarise(
  inputs: BatchInput[],
  outcomes: Outcome[],
  results: Array<JsonResult | null>,
  cross: Cross[],
  bodies: Array<string | null>,
  newlyAccepted: BaselineEntry[][],
): Review {
  const index = new Map(inputs.map((f, i) => [f.name, i]));
  for (const p of cross) {
    const i = index.get(p.current)!;
    const r = results[i]!;
    if (p.accepted) results[i] = { ...r, accepted: (r.accepted ?? 0) + p.accepted };
    newlyAccepted[i].push(...(p.newlyAccepted ?? []));
    if (p.findings.length)
      results[i] = {
        ...results[i]!,
        findings: [...r.findings, ...p.findings].sort(
          (a, b) =>
            a.line - b.line || a.column - b.column || a.endLine - b.endLine || a.endColumn - b.endColumn,
        ),
      };
  }
  const rows: ReviewRow[] = outcomes.map((o, i) =>
    o.ok
      ? rowOf(results[i]!, bodies[i])
      : unreadableRow(inputs[i].name, o.message, 'unchecked' in o ? 'unchecked' : 'unreadable'),
  );
  const rowOfFile = new Map(rows.map((r) => [r.file, r]));
  const pairs = [...cross].sort((a, b) => a.current.localeCompare(b.current));
  return {
    rows,
    pairs: pairs.map((p) => pairOf(rowOfFile.get(p.current)!, rowOfFile.get(p.previous)!, p.findings)),
  };
}
