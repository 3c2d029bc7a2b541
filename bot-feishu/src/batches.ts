// Reviewing several reports together: files sent in a row (answered on the first one's message)
// and a .zip of reports. Each report takes a check slot in turn, within the batch's own share of
// the slots and its time limit, with progress on the card; then the summary card and the workbook
// and page as files.
import path from 'node:path';
import { type BatchInput, reviewBatch, TaskFailure } from '../../cli/review/batch.js';
import type { Review } from '../../cli/review/summary.js';
import type { FileOutcome, PairOutcome } from '../../cli/review/types.js';
import {
  ARCHIVE_LIMITS,
  type ArchiveListing,
  addToBaseline,
  BASELINE_FILE_NAME,
  type Baseline,
  BaselineError,
  decodeText,
  emptyBaseline,
  listArchive,
  parseBaseline,
  REPORT_EXTENSIONS,
  ReadError,
  readArchiveEntry,
  tooLarge,
} from '../../grammar/src/index.js';
import { batchCard, batchProgressCard, batchStartCard, batchText } from './batch-card.js';
import type { BotConfig } from './config.js';
import { downloadFailure } from './failures.js';
import { type Feishu, TooLargeError } from './feishu.js';
import { describe, type Job, SHUTDOWN, type WorkRunner } from './job.js';
import type { Logger } from './log.js';
import type { Incoming } from './message.js';
import type { Replies } from './reply.js';
import { type Release, Slots } from './slots.js';
import type { SummaryOutcome, WorkerTask } from './worker.js';

/** The least time the summary files of a batch get, ms. */
const SUMMARY_TIMEOUT_MS = 60_000;

/** The batch's progress card is updated at most this often (the card update API is rate-limited). */
const PROGRESS_EVERY_MS = 2000;

/** A baseline file larger than this is not read (tens of thousands of entries). */
const BASELINE_MAX_BYTES = 8 * 1024 * 1024;

type FileMessage = Extract<Incoming, { kind: 'file' }>;

export interface BatchDeps {
  feishu: Feishu;
  config: BotConfig;
  log: Logger;
  now: () => number;
  work: WorkRunner;
  /** The check slots shared with single checks. */
  checks: Slots;
  replies: Replies;
  /** A message's file within the size limit; null once its failure has been answered. */
  download: (
    job: Job,
    progress: string | null,
    file: { sourceMessageId: string; fileKey: string; name: string },
    tooLargeAdvice: string,
  ) => Promise<Uint8Array | null>;
}

export class Batches {
  constructor(private deps: BatchDeps) {}

  /**
   * Files sent in a row: reviewed together, answered on the first one's message. Each file is
   * downloaded when its turn comes and its bytes dropped once read, so a batch never holds more
   * than the files being checked.
   */
  async reviewFiles(job: Job): Promise<void> {
    const { config, feishu, replies } = this.deps;
    const all = [job, ...(job.batch ?? [])];
    const title = `${all.length} 份报告`;
    const progress = await replies.batchProgress(
      job,
      title,
      batchStartCard(title, `已收到 ${all.length} 份报告，正在检查……`),
    );
    const names = uniqueNames(all.map((j) => (j.incoming as FileMessage).fileName || '未命名文件'));
    const inputs: BatchInput[] = all.map((j, i) => ({
      name: names[i],
      load: async () => {
        try {
          return await feishu.download(
            j.messageId,
            (j.incoming as FileMessage).fileKey,
            config.maxBytes,
            job.ctrl.signal,
          );
        } catch (e) {
          if (job.ctrl.signal.aborted) throw e;
          throw new TaskFailure(
            e instanceof TooLargeError
              ? tooLarge(names[i], e.size, { maxBytes: config.maxBytes }).reason
              : downloadFailure(e, config.requestTimeoutMs).replace(/，请稍后重新发送。$/, ''),
          );
        }
      },
    }));
    return this.run(job, progress, title, inputs);
  }

  /**
   * A .zip of reports: downloaded within the size limit of one file and listed; each report is
   * inflated in a thread when its turn comes (the archive shared with the threads, not copied).
   */
  async reviewZip(job: Job, sourceMessageId: string, fileKey: string, name: string): Promise<void> {
    const { replies } = this.deps;
    const progress = await replies.batchProgress(job, name, batchStartCard(name, '正在解压……'));
    const bytes = await this.deps.download(
      job,
      progress,
      { sourceMessageId, fileKey, name },
      '请把报告分成几个压缩包发送。',
    );
    if (!bytes) return;
    let listing: ArchiveListing;
    try {
      listing = listArchive(bytes, name, { ...ARCHIVE_LIMITS, maxBytes: this.deps.config.maxBytes });
    } catch (e) {
      if (!(e instanceof ReadError)) throw e;
      return replies.finishError(job, progress, name, 'archive', e.reason);
    }
    if (!listing.entries.length)
      return replies.finishError(
        job,
        progress,
        name,
        'archive-empty',
        `压缩包中没有可检查的报告文件（${REPORT_EXTENSIONS.join(' ')}）。`,
      );
    const shared = new Uint8Array(new SharedArrayBuffer(bytes.length));
    shared.set(bytes);
    // A zip may hold two entries of one name (or one folder's name in two encodings).
    const unique = uniqueNames(listing.entries.map((f) => f.name));
    const files = listing.entries.map((f, i) => ({ name: unique[i], bytes: shared, entry: f.index }));
    const accepted = zipBaseline(bytes, listing);
    return this.run(
      job,
      progress,
      name,
      files,
      listing.skipped.filter((f) => path.posix.basename(f) !== BASELINE_FILE_NAME),
      accepted,
    );
  }

  /**
   * Reviews a batch: at most all but one of the check slots (each file takes one in turn, so other
   * senders' files are answered between them), within the batch's time limit; progress on the
   * card every 2 s at most; then the summary card and the workbook and page as files.
   */
  private async run(
    job: Job,
    progress: string | null,
    title: string,
    inputs: BatchInput[],
    skipped: string[] = [],
    accepted: { baseline?: Baseline; notes: string[] } = { notes: [] },
  ): Promise<void> {
    const { config, log, replies } = this.deps;
    const stop = new AbortController();
    const onShutdown = () => stop.abort(SHUTDOWN);
    job.ctrl.signal.addEventListener('abort', onShutdown, { once: true });
    const timer = setTimeout(() => stop.abort('timeout'), config.batchTimeoutMs);
    const lanes = new Slots(Math.max(1, config.concurrency - 1));
    let shownAt = -Infinity;
    let done = 0;
    let updating = Promise.resolve();
    const show = (name: string) => {
      if (!progress || this.deps.now() - shownAt < PROGRESS_EVERY_MS) return;
      shownAt = this.deps.now();
      const c = batchProgressCard(title, done, inputs.length, name);
      updating = updating.then(() => this.deps.feishu.patchCard(progress, c).catch(() => {}));
    };
    log.info({ message_id: job.messageId, files: inputs.length }, '开始审阅');
    let outcome: Awaited<ReturnType<typeof reviewBatch>>;
    try {
      outcome = await reviewBatch(inputs, {
        threads: lanes.size,
        maxBytes: config.maxBytes,
        signal: stop.signal,
        memoryBudget: config.batchMemoryMb * 1024 * 1024,
        ...(accepted.baseline ? { baselineFor: () => accepted.baseline } : {}),
        onProgress: (n) => {
          done = n;
        },
        run: (task) =>
          this.inSlot(lanes, task, stop.signal, () => task.kind === 'file' && show(task.name)) as Promise<
            FileOutcome | PairOutcome
          >,
      });
    } finally {
      clearTimeout(timer);
      job.ctrl.signal.removeEventListener('abort', onShutdown);
    }
    await updating;
    if (job.ctrl.signal.aborted) throw job.ctrl.signal.reason;
    const review = outcome.review;
    const notes: string[] = [];
    if (outcome.overBudget)
      notes.push(`这批报告占用的内存已达上限（${config.batchMemoryMb} MB），其余报告未检查；请分批发送。`);
    else if (outcome.stopped)
      notes.push(
        `审阅超过时限（${Math.round(config.batchTimeoutMs / 1000)} 秒），其余报告未检查；请分批发送。`,
      );
    if (skipped.length) notes.push(`压缩包中另有 ${skipped.length} 个文件不是报告，未检查。`);
    notes.push(...accepted.notes);
    const files = await this.summaryFiles(job, title, review, notes);
    log.info(
      { message_id: job.messageId, files: review.rows.length, pairs: review.pairs.length },
      '审阅完成',
    );
    if (config.textOnly) await replies.text(job, batchText(title, review, notes));
    else await replies.finish(job, progress, batchCard(title, review, notes));
    for (const f of files) {
      const key = await this.deps.feishu.uploadFile(f.name, f.bytes);
      await this.deps.feishu.replyFile(job.messageId, key);
    }
  }

  /**
   * The batch's workbook and page, built in a thread (a check slot, the time limit of one check,
   * the memory watchdog): none when that fails, with a note on the card instead.
   */
  private async summaryFiles(job: Job, title: string, review: Review, notes: string[]) {
    const weight = review.rows.reduce((n, r) => n + 2048 + r.findings.length * 1024, 0);
    try {
      const made = (await this.inSlot(
        new Slots(1),
        { kind: 'summary', title, review, weight },
        job.ctrl.signal,
      )) as SummaryOutcome;
      notes.push(...made.notes);
      return made.files;
    } catch (e) {
      if (job.ctrl.signal.aborted) throw e;
      this.deps.log.error({ message_id: job.messageId, err: describe(e) }, '汇总文件生成失败');
      notes.push('汇总表和汇总网页过大或过于复杂，未能生成；请分批发送。');
      return [];
    }
  }

  /** A batch's task in a worker thread: within the batch's own slots, then one of the check slots, with the per-file time limit. */
  private async inSlot(
    lanes: Slots,
    task: WorkerTask,
    signal: AbortSignal,
    onRun?: () => void,
  ): Promise<unknown> {
    const lane = await lanes.acquire(signal);
    let release: Release | undefined;
    const local = new AbortController();
    const forward = () => local.abort(signal.reason);
    signal.addEventListener('abort', forward, { once: true });
    let timer: NodeJS.Timeout | undefined;
    try {
      release = await this.deps.checks.acquire(signal);
      onRun?.();
      // The time limit counts from the start of the check, not from the wait for a slot. Building
      // the summary files loads the workbook writer first: it gets at least a minute whatever the
      // limit of one check (its size is bounded by the findings it lists).
      const limit =
        'kind' in task && task.kind === 'summary'
          ? Math.max(this.deps.config.checkTimeoutMs, SUMMARY_TIMEOUT_MS)
          : this.deps.config.checkTimeoutMs;
      timer = setTimeout(() => local.abort('timeout'), limit);
      const sent: WorkerTask = 'kind' in task && task.kind === 'file' ? { ...task, hold: false } : task;
      return await this.deps.work(sent, local.signal);
    } catch (e) {
      if (local.signal.reason === 'timeout' && !signal.aborted)
        throw new TaskFailure(
          `检查超时（超过 ${Math.round(this.deps.config.checkTimeoutMs / 1000)} 秒），文件过于复杂`,
        );
      throw e;
    } finally {
      clearTimeout(timer);
      signal.removeEventListener('abort', forward);
      release?.();
      lane();
    }
  }
}

const stem = (name: string) => path.basename(name, path.extname(name));

/**
 * File names made unique (a second “报告.docx” becomes “报告（2）.docx”, or the next number not
 * taken, since “报告（2）.docx” may itself be one of the names): rows and pairs go by name.
 */
export function uniqueNames(names: string[]): string[] {
  const taken = new Set(names);
  const seen = new Set<string>();
  return names.map((n) => {
    if (!seen.has(n)) {
      seen.add(n);
      return n;
    }
    let k = 2,
      name: string;
    do name = `${stem(n)}（${k++}）${path.extname(n)}`;
    while (taken.has(name));
    taken.add(name);
    return name;
  });
}

/**
 * The accepted findings (已核实) of a zip: every .nianbao-baseline.json in it, together (each entry
 * names its body and year). One that cannot be read is left out, with a note for the card.
 */
function zipBaseline(zip: Uint8Array, listing: ArchiveListing): { baseline?: Baseline; notes: string[] } {
  const found = listing.others.filter((e) => path.posix.basename(e.name) === BASELINE_FILE_NAME);
  if (!found.length) return { notes: [] };
  let baseline = emptyBaseline();
  const notes: string[] = [];
  for (const e of found) {
    try {
      const text = decodeText(readArchiveEntry(zip, e.index, e.name, { maxBytes: BASELINE_MAX_BYTES }));
      if (text === null) throw new BaselineError(`${e.name}：已核实问题清单不是文本文件`);
      baseline = addToBaseline(baseline, parseBaseline(text, e.name).entries).baseline;
    } catch (err) {
      if (!(err instanceof BaselineError || err instanceof ReadError)) throw err;
      notes.push(`${err.message}；未使用其中的已核实问题。`);
    }
  }
  return { baseline, notes };
}
