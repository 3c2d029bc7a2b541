// The transport-agnostic handler. `onMessage` is what both the long connection and the webhook
// call for each im.message.receive_v1 event: it decides quickly whether to answer (bots, groups
// without a mention, stale replays, duplicates by message_id, rate limits), queues the work and
// returns — Feishu re-sends an event that is not acknowledged within 3 s. The work then runs per
// chat in order, with a global concurrency limit, and every failure is answered in Chinese.
// Downloads happen outside the check slots (a stalled download never holds one), and on shutdown
// every accepted message is answered before the process exits.
import path from 'node:path';
import pLimit from 'p-limit';
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
  extensionOf,
  isReportFile,
  listArchive,
  parseBaseline,
  REPORT_EXTENSIONS,
  ReadError,
  readArchiveEntry,
  tooLarge,
} from '../../grammar/src/index.js';
import { batchCard, batchProgressCard, batchStartCard, batchText } from './batch-card.js';
import {
  type Card,
  type Checked,
  errorCard,
  HELP_TEXT,
  helpCard,
  plainText,
  progressCard,
  resultCard,
  resultText,
  rulesCard,
  rulesText,
  UPLOAD_LIMIT_BYTES,
} from './card.js';
import type { CheckOutcome, CheckTask } from './check.js';
import type { BotConfig } from './config.js';
import { CARD_EXPIRED, type Feishu, FeishuError, TooLargeError } from './feishu.js';
import type { Logger } from './log.js';
import { type Incoming, readMessage } from './message.js';
import { type Release, Slots } from './slots.js';
import type { Store } from './store.js';
import { wordTemplate } from './template.js';
import type { SummaryOutcome, WorkerTask } from './worker.js';

/** The im.message.receive_v1 event as the SDK's dispatcher hands it over (header fields merged in). */
export interface MessageEvent {
  event_id?: string;
  token?: string;
  create_time?: string;
  sender?: { sender_id?: { open_id?: string }; sender_type?: string };
  message?: {
    message_id?: string;
    parent_id?: string;
    root_id?: string;
    chat_id?: string;
    chat_type?: string;
    message_type?: string;
    content?: string;
    create_time?: string;
    mentions?: Array<{ key: string; id?: { open_id?: string }; name?: string }>;
  };
}

export type CheckRunner = (task: CheckTask, signal: AbortSignal) => Promise<CheckOutcome>;
/** Any task of the worker threads (a batch's files and comparisons, a zip's reports). */
export type WorkRunner = (task: WorkerTask, signal: AbortSignal) => Promise<unknown>;

export type Decision =
  | 'queued'
  | 'ignored-bot'
  | 'ignored-not-mentioned'
  | 'ignored-stale'
  | 'duplicate'
  | 'rate-limited'
  | 'busy'
  | 'invalid'
  | 'rejected-token'
  | 'stopping';

/** A check stopped because it needed more memory than allowed (the thread's heap limit, or the process's). */
export class CheckMemoryError extends Error {
  readonly code = 'ERR_WORKER_OUT_OF_MEMORY';
  constructor() {
    super('检查所需内存超过上限');
  }
}

/** The reason a job is aborted with when the process stops before answering it. */
export const SHUTDOWN = 'shutdown';
export const RESTARTING = '服务正在重启，请稍后重新发送。';

/**
 * The readers' own time limit is set past the bot's: the bot stops a check by ending its thread,
 * which also ends anything a reader would otherwise leave running there after giving up.
 */
const READER_MARGIN_MS = 5000;

interface Job {
  messageId: string;
  chatId: string;
  chatType: string;
  parentId?: string;
  incoming: Incoming;
  received: number;
  /** Aborted with SHUTDOWN when the process stops before the job is answered. */
  ctrl: AbortController;
  /** The progress card (null in text-only mode) and the name it shows, once sent. */
  progress?: string | null;
  name?: string;
  /** The files sent in a row after this one, reviewed together with it. */
  batch?: Job[];
}

/** Files sent in a row by one sender in one chat, waiting for the window to close. */
interface Gathering {
  jobs: Job[];
  timer: NodeJS.Timeout;
  flushed: Promise<void>;
  done: () => void;
}

/** The batch's progress card is updated at most this often (the card update API is rate-limited). */
const PROGRESS_EVERY_MS = 2000;

/** Findings listed in a text-only answer (the rest go into the attached file). */
const TEXT_LIMIT = 30;

/** Text shorter than this in a reply to a file is a request ("@机器人 检查"), not a pasted report. */
const REQUEST_CHARS = 200;

export interface BotDeps {
  feishu: Feishu;
  store: Store;
  config: BotConfig;
  log: Logger;
  run: CheckRunner;
  /** Runs a batch's tasks; without it, files sent in a row are checked one by one and a .zip is refused. */
  work?: WorkRunner;
  botOpenId: string;
  now?: () => number;
}

export class Bot {
  private chains = new Map<string, Promise<void>>();
  /** Jobs past the queue: downloading, holding a file, or checking. */
  private admitted: Slots;
  /** Checks running. */
  private checks: Slots;
  /** Answers sent at once when stopping. */
  private restartLimit = pLimit(8);
  private jobs = new Set<Job>();
  private gatherings = new Map<string, Gathering>();
  private replies = new Set<Promise<unknown>>();
  private pending = 0;
  private stopping = false;
  private readonly now: () => number;

  constructor(private deps: BotDeps) {
    this.admitted = new Slots(deps.config.concurrency + deps.config.downloads);
    this.checks = new Slots(deps.config.concurrency);
    this.now = deps.now ?? Date.now;
  }

  get queued(): number {
    return this.pending;
  }

  /** True once `shutdown` has begun: new events are refused (webhook: 503, so Feishu re-sends them later). */
  get isStopping(): boolean {
    return this.stopping;
  }

  /** Fast path: decide, queue, return. Never throws. */
  async onMessage(ev: MessageEvent): Promise<Decision> {
    const { config, log, store } = this.deps;
    const m = ev.message;
    if (this.stopping) {
      log.info({ event_id: ev.event_id, message_id: m?.message_id }, '正在停止，未受理');
      return 'stopping';
    }
    if (!m?.message_id || !m.chat_id || !m.message_type) {
      log.warn({ event_id: ev.event_id }, '事件缺少消息字段，已忽略');
      return 'invalid';
    }
    const ids = {
      event_id: ev.event_id,
      message_id: m.message_id,
      chat_type: m.chat_type,
      message_type: m.message_type,
    };
    if (config.verificationToken && ev.token !== undefined && ev.token !== config.verificationToken) {
      log.warn(ids, 'Verification Token 不符，已拒绝');
      return 'rejected-token';
    }
    if (ev.sender?.sender_type !== 'user') {
      log.debug(ids, '来自机器人或应用的消息，已忽略');
      return 'ignored-bot';
    }
    if (m.chat_type !== 'p2p') {
      const mentioned = (m.mentions ?? []).some(
        (x) => !this.deps.botOpenId || x.id?.open_id === this.deps.botOpenId,
      );
      if (!mentioned) {
        log.debug(ids, '群消息未 @ 机器人，已忽略');
        return 'ignored-not-mentioned';
      }
    }
    const created = Number(m.create_time ?? ev.create_time);
    if (Number.isFinite(created) && this.now() - created > config.staleMs) {
      log.info({ ...ids, age_ms: this.now() - created }, '过期的重放事件，已忽略');
      return 'ignored-stale';
    }
    try {
      if (!(await store.claim(`msg:${m.message_id}`, config.staleMs + 3600_000))) {
        log.info(ids, '重复投递的消息，已忽略');
        return 'duplicate';
      }
    } catch (e) {
      // Without the shared store we cannot tell a duplicate: better to answer twice than never.
      log.error({ ...ids, err: (e as Error).message }, '去重存储不可用');
    }
    const incoming = readMessage(m.message_type, m.content ?? '', m.mentions ?? []);
    const job: Job = {
      messageId: m.message_id,
      chatId: m.chat_id,
      chatType: m.chat_type ?? 'p2p',
      parentId: m.parent_id,
      incoming,
      received: this.now(),
      ctrl: new AbortController(),
    };
    const user = ev.sender?.sender_id?.open_id ?? m.chat_id;
    let hits = 0;
    try {
      hits = await store.hit(`rate:${user}`, 60_000);
    } catch {
      /* no limit without the store */
    }
    if (hits > config.ratePerMinute) {
      log.warn({ ...ids, hits }, '请求过于频繁');
      if (hits === config.ratePerMinute + 1)
        this.background(job, () =>
          this.answerText(job, `请求过于频繁：每人每分钟最多检查 ${config.ratePerMinute} 次，请稍后再发。`),
        );
      return 'rate-limited';
    }
    if (this.pending >= config.maxQueued) {
      log.warn({ ...ids, pending: this.pending }, '队列已满');
      this.background(job, () => this.answerText(job, '当前检查的报告较多，请几分钟后再发送一次。'));
      return 'busy';
    }
    if (incoming.kind === 'file' && this.gathers(job)) this.gather(job, user);
    else this.enqueue(job);
    log.info({ ...ids, kind: incoming.kind }, '已受理');
    return 'queued';
  }

  /** Resolves when every queued job has finished and every refusal has been sent. */
  async idle(): Promise<void> {
    while (this.chains.size || this.replies.size || this.gatherings.size)
      await Promise.allSettled([
        ...this.chains.values(),
        ...this.replies,
        ...[...this.gatherings.values()].map((g) => g.flushed),
      ]);
  }

  /**
   * Stops accepting events; lets the jobs in hand finish for up to `graceMs`; then stops the rest
   * (downloads, checks, the queue) and answers each of them with RESTARTING — on its progress card
   * when it has one — so no sender is left with a card that says 正在检查 forever.
   */
  async shutdown(graceMs: number): Promise<void> {
    this.stopping = true;
    // Files waiting for more of their batch go to work now.
    for (const key of [...this.gatherings.keys()]) this.flush(key);
    let timer: NodeJS.Timeout | undefined;
    const drained = await Promise.race([
      this.idle().then(() => true),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), graceMs);
      }),
    ]);
    clearTimeout(timer);
    if (drained) return;
    this.deps.log.warn({ unanswered: this.jobs.size }, '停止前仍有未完成的消息，回复“服务正在重启”');
    for (const job of this.jobs) job.ctrl.abort(SHUTDOWN);
    await this.idle();
  }

  private background(job: Job, fn: () => Promise<unknown>) {
    const p = fn()
      .catch((e) => this.deps.log.error({ message_id: job.messageId, err: describe(e) }, '回复失败'))
      .finally(() => this.replies.delete(p));
    this.replies.add(p);
  }

  /** A report file sent directly (not a reply) gathers with the sender's next ones. */
  private gathers(job: Job): boolean {
    const { incoming } = job;
    return (
      incoming.kind === 'file' &&
      !job.parentId &&
      !!this.deps.work &&
      this.deps.config.batchWindowMs > 0 &&
      isReportFile(incoming.fileName)
    );
  }

  private gather(job: Job, user: string) {
    const key = `${job.chatId}\u0000${user}`;
    let g = this.gatherings.get(key);
    if (g) clearTimeout(g.timer);
    else {
      let done = () => {};
      const flushed = new Promise<void>((resolve) => {
        done = resolve;
      });
      g = { jobs: [], timer: undefined as unknown as NodeJS.Timeout, flushed, done };
      this.gatherings.set(key, g);
    }
    g.jobs.push(job);
    // Waiting files count against the queue's limit like queued ones.
    this.pending++;
    g.timer = setTimeout(() => this.flush(key), this.deps.config.batchWindowMs);
  }

  /** The window closed: one file alone is checked as usual; several are one batch, answered on the first. */
  private flush(key: string) {
    const g = this.gatherings.get(key);
    if (!g) return;
    clearTimeout(g.timer);
    this.gatherings.delete(key);
    this.pending -= g.jobs.length;
    const [first, ...rest] = g.jobs;
    if (rest.length) first.batch = rest;
    this.enqueue(first);
    g.done();
  }

  private enqueue(job: Job) {
    this.pending++;
    this.jobs.add(job);
    const prev = this.chains.get(job.chatId) ?? Promise.resolve();
    const next = prev
      .then(() => this.process(job))
      .catch(() => {})
      .finally(() => {
        this.pending--;
        this.jobs.delete(job);
        if (this.chains.get(job.chatId) === next) this.chains.delete(job.chatId);
      });
    this.chains.set(job.chatId, next);
  }

  private async process(job: Job): Promise<void> {
    const { log } = this.deps;
    const started = this.now();
    let release: Release | undefined;
    let failure: unknown;
    try {
      release = await this.admitted.acquire(job.ctrl.signal);
      await this.dispatch(job);
      log.info(
        { message_id: job.messageId, wait_ms: started - job.received, work_ms: this.now() - started },
        '已答复',
      );
      return;
    } catch (e) {
      failure = e;
    } finally {
      release?.();
    }
    if (job.ctrl.signal.aborted) return this.restartLimit(() => this.answerRestart(job));
    log.error({ message_id: job.messageId, err: describe(failure) }, '处理失败');
    try {
      await this.answerText(
        job,
        `处理时出错${failure instanceof FeishuError && failure.code ? `（飞书错误码 ${failure.code}）` : ''}，请稍后重新发送。`,
      );
    } catch (e2) {
      log.error({ message_id: job.messageId, err: describe(e2) }, '无法发送错误说明');
    }
  }

  /** The answer to a job stopped by shutdown: its progress card patched, or a text reply. */
  private async answerRestart(job: Job): Promise<void> {
    const { log } = this.deps;
    log.info({ message_id: job.messageId, reason: 'restart' }, '无法检查');
    try {
      if (job.progress !== undefined)
        await this.finishError(job, job.progress, job.name ?? '', 'restart', RESTARTING);
      else await this.answerText(job, RESTARTING);
      log.info({ message_id: job.messageId }, '已答复“服务正在重启”');
    } catch (e) {
      log.error({ message_id: job.messageId, err: describe(e) }, '无法发送错误说明');
    }
  }

  private async dispatch(job: Job): Promise<void> {
    const { incoming } = job;
    const { feishu } = this.deps;
    switch (incoming.kind) {
      case 'command':
        if (incoming.command === 'help') return void (await this.answer(job, helpCard(), HELP_TEXT));
        if (incoming.command === 'rules') return void (await this.answer(job, rulesCard(), rulesText()));
        {
          const year = new Date(this.now()).getFullYear() - 1;
          const key = await feishu.uploadFile(
            `政府信息公开工作年度报告模板（${year}年度）.docx`,
            await wordTemplate(year),
          );
          await feishu.replyFile(job.messageId, key);
          return;
        }
      case 'file':
        if (job.batch) return this.reviewFiles(job);
        return this.checkFile(job, job.messageId, incoming.fileKey, incoming.fileName);
      case 'text': {
        if (incoming.text.length < REQUEST_CHARS) {
          if (job.parentId) return this.checkParent(job, job.parentId);
          return void (await this.answerText(
            job,
            job.chatType === 'p2p' && !incoming.text
              ? HELP_TEXT
              : '请发送报告文件（.docx .doc .pdf .txt .md .html）或粘贴报告全文；在群里可回复报告文件并 @我。发送“帮助”查看用法。',
          ));
        }
        return this.checkText(job, incoming.text, '粘贴的报告');
      }
      default:
        if (job.parentId && job.chatType !== 'p2p') return this.checkParent(job, job.parentId);
        return void (await this.answerText(
          job,
          `暂不支持这种消息（${incoming.messageType}）。请发送报告文件或粘贴报告全文，发送“帮助”查看用法。`,
        ));
    }
  }

  /** "@机器人 检查" in reply to a message: check the file or text of that message. */
  private async checkParent(job: Job, parentId: string): Promise<void> {
    let parent: { msgType: string; content: string };
    try {
      parent = await this.deps.feishu.getMessage(parentId);
    } catch (e) {
      this.deps.log.warn({ message_id: job.messageId, err: describe(e) }, '无法读取被回复的消息');
      const missing = missingScopes(e, ['im:message.group_msg']);
      return void (await this.answerText(
        job,
        missing
          ? `无法读取被回复的消息${codeOf(e)}：机器人缺少${missing}权限，请联系管理员在开发者后台开通并发布新版本；也可以直接把报告文件发给我。`
          : '无法读取被回复的消息（可能已撤回，或机器人不在该会话中）。请直接把报告文件发给我。',
      ));
    }
    const p = readMessage(parent.msgType, parent.content);
    if (p.kind === 'file') return this.checkFile(job, parentId, p.fileKey, p.fileName);
    if (p.kind === 'text' && p.text.length >= REQUEST_CHARS)
      return this.checkText(job, p.text, '被回复的消息');
    return void (await this.answerText(
      job,
      '被回复的消息不是报告文件。请回复报告文件并 @我，或直接发送报告文件。',
    ));
  }

  private async checkFile(
    job: Job,
    sourceMessageId: string,
    fileKey: string,
    fileName: string,
  ): Promise<void> {
    const name = fileName || '未命名文件';
    const ext = extensionOf(name);
    if (ext === '.zip' && this.deps.work) return this.reviewZip(job, sourceMessageId, fileKey, name);
    if (!isReportFile(name)) {
      return void (await this.answerText(
        job,
        `暂不支持${ext ? ` ${ext} ` : '没有扩展名的'}文件“${name}”。请发送 .docx、.doc、.pdf、.txt、.md 或 .html 格式的报告。`,
      ));
    }
    const progress = await this.progress(job, name);
    const bytes = await this.download(
      job,
      progress,
      { sourceMessageId, fileKey, name },
      '年度报告一般不超过几 MB，请去掉图片后重新发送。',
    );
    if (!bytes) return;
    this.deps.log.info({ message_id: job.messageId, ext, bytes: bytes.length }, '已下载');
    return this.runCheck(job, progress, name, {
      bytes,
      fileName: name,
      maxBytes: this.deps.config.maxBytes,
      timeoutMs: this.deps.config.checkTimeoutMs + READER_MARGIN_MS,
    });
  }

  private async checkText(job: Job, text: string, name: string): Promise<void> {
    const progress = await this.progress(job, name);
    return this.runCheck(job, progress, name, {
      text,
      fileName: `${name}.txt`,
      maxBytes: this.deps.config.maxBytes,
      timeoutMs: this.deps.config.checkTimeoutMs + READER_MARGIN_MS,
    });
  }

  private async runCheck(job: Job, progress: string | null, name: string, task: CheckTask): Promise<void> {
    const outcome = await this.runWorker(job, task, name);
    if (typeof outcome === 'string') return; // answered already
    if (!outcome.ok) return this.finishError(job, progress, name, outcome.reason, outcome.message);
    return this.answerResult(job, progress, name, outcome);
  }

  /**
   * The check in a worker thread, stopped by the time limit or by shutdown (stopping ends the
   * thread, and whatever a reader left running in it, which the pool then replaces). A check that
   * fails is answered here ('answered').
   */
  private async runWorker(job: Job, task: CheckTask, name: string): Promise<CheckOutcome | 'answered'> {
    const { log, config } = this.deps;
    const release = await this.checks.acquire(job.ctrl.signal);
    const stop = new AbortController();
    const onShutdown = () => stop.abort(SHUTDOWN);
    job.ctrl.signal.addEventListener('abort', onShutdown, { once: true });
    const timer = setTimeout(() => stop.abort('timeout'), config.checkTimeoutMs);
    log.debug({ message_id: job.messageId }, '开始检查');
    try {
      return await this.deps.run(task, stop.signal);
    } catch (e) {
      if (job.ctrl.signal.aborted) throw e;
      const code = (e as { code?: string })?.code;
      const why = stop.signal.aborted
        ? 'timeout'
        : code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? 'memory'
          : 'check-failed';
      log.error({ message_id: job.messageId, reason: why, code, err: describe(e) }, '检查失败');
      const ext = task.text != null ? '' : path.extname(name).toLowerCase();
      const message =
        why === 'timeout'
          ? `检查超时（超过 ${Math.round(config.checkTimeoutMs / 1000)} 秒）：文件过于复杂。${simpler(ext)}`
          : why === 'memory'
            ? `文件过大或过于复杂，无法检查（所需内存超过上限）。${simpler(ext)}`
            : '检查时出错，请确认文件没有损坏后重新发送。';
      await this.finishError(job, job.progress ?? null, name, why, message);
      return 'answered';
    } finally {
      clearTimeout(timer);
      job.ctrl.signal.removeEventListener('abort', onShutdown);
      release();
      log.debug({ message_id: job.messageId }, '检查结束');
    }
  }

  /**
   * The result: the card (or text), then the full result as a file when the card was cut, then
   * the corrected file — unless it is over Feishu's upload limit (the card says so instead).
   */
  private async answerResult(job: Job, progress: string | null, name: string, o: Checked): Promise<void> {
    const { feishu, log, config } = this.deps;
    const { result, corrected } = o;
    log.info(
      { message_id: job.messageId, findings: result.findings.length, fixable: !!corrected },
      '检查完成',
    );
    let shown = result.findings.length;
    if (config.textOnly) {
      shown = Math.min(TEXT_LIMIT, result.findings.length);
      await this.answerText(job, resultText(name, o, TEXT_LIMIT));
    } else {
      const view = resultCard(name, o);
      shown = view.shown;
      await this.finish(job, progress, view.card);
    }
    if (shown < result.findings.length) {
      const key = await feishu.uploadFile(
        `${stem(name)}-校对结果.txt`,
        new TextEncoder().encode(resultText(name, o)),
      );
      await feishu.replyFile(job.messageId, key);
    }
    if (!corrected) return;
    if (corrected.bytes.length > UPLOAD_LIMIT_BYTES) {
      log.warn(
        { message_id: job.messageId, bytes: corrected.bytes.length },
        '修正后的文件超过上传上限，未发送',
      );
      return;
    }
    const key = await feishu.uploadFile(corrected.fileName, corrected.bytes);
    await feishu.replyFile(job.messageId, key);
  }

  /**
   * Files sent in a row: reviewed together, answered on the first one's message. Each file is
   * downloaded when its turn comes and its bytes dropped once read, so a batch never holds more
   * than the files being checked.
   */
  private async reviewFiles(job: Job): Promise<void> {
    const { config, feishu } = this.deps;
    const all = [job, ...(job.batch ?? [])];
    const title = `${all.length} 份报告`;
    const progress = await this.batchProgress(
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
    return this.runBatch(job, progress, title, inputs);
  }

  /**
   * A .zip of reports: downloaded within the size limit of one file and listed; each report is
   * inflated in a thread when its turn comes (the archive shared with the threads, not copied).
   */
  private async reviewZip(job: Job, sourceMessageId: string, fileKey: string, name: string): Promise<void> {
    const progress = await this.batchProgress(job, name, batchStartCard(name, '正在解压……'));
    const bytes = await this.download(
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
      return this.finishError(job, progress, name, 'archive', e.reason);
    }
    if (!listing.entries.length)
      return this.finishError(
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
    return this.runBatch(
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
  private async runBatch(
    job: Job,
    progress: string | null,
    title: string,
    inputs: BatchInput[],
    skipped: string[] = [],
    accepted: { baseline?: Baseline; notes: string[] } = { notes: [] },
  ): Promise<void> {
    const { config, log } = this.deps;
    const stop = new AbortController();
    const onShutdown = () => stop.abort(SHUTDOWN);
    job.ctrl.signal.addEventListener('abort', onShutdown, { once: true });
    const timer = setTimeout(() => stop.abort('timeout'), config.batchTimeoutMs);
    const lanes = new Slots(Math.max(1, config.concurrency - 1));
    let shownAt = -Infinity;
    let done = 0;
    let updating = Promise.resolve();
    const show = (name: string) => {
      if (!progress || this.now() - shownAt < PROGRESS_EVERY_MS) return;
      shownAt = this.now();
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
    if (config.textOnly) await this.answerText(job, batchText(title, review, notes));
    else await this.finish(job, progress, batchCard(title, review, notes));
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
      release = await this.checks.acquire(signal);
      onRun?.();
      // The time limit counts from the start of the check, not from the wait for a slot.
      timer = setTimeout(() => local.abort('timeout'), this.deps.config.checkTimeoutMs);
      const sent: WorkerTask = 'kind' in task && task.kind === 'file' ? { ...task, hold: false } : task;
      return await this.deps.work!(sent, local.signal);
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

  private async batchProgress(job: Job, name: string, c: Card): Promise<string | null> {
    job.name = name;
    if (this.deps.config.textOnly) return (job.progress = null);
    return (job.progress = (await this.answerCard(job, c)).messageId);
  }

  /** The progress card, as a reply to the user's message; null in text-only mode. */
  private async progress(job: Job, name: string): Promise<string | null> {
    job.name = name;
    if (this.deps.config.textOnly) return (job.progress = null);
    return (job.progress = (await this.answerCard(job, progressCard(name))).messageId);
  }

  /** Answers a report that could not be checked; `reason` is a code for the log (messages may quote the file name). */
  /**
   * A message's file, within the size limit; null once the failure (too large, no permission, timeout)
   * has been answered. `tooLargeAdvice` follows the size refusal.
   */
  private async download(
    job: Job,
    progress: string | null,
    file: { sourceMessageId: string; fileKey: string; name: string },
    tooLargeAdvice: string,
  ): Promise<Uint8Array | null> {
    const { config } = this.deps;
    try {
      return await this.deps.feishu.download(
        file.sourceMessageId,
        file.fileKey,
        config.maxBytes,
        job.ctrl.signal,
      );
    } catch (e) {
      if (job.ctrl.signal.aborted) throw e;
      if (e instanceof TooLargeError) {
        const refusal = tooLarge(file.name, e.size, { maxBytes: config.maxBytes }).reason;
        await this.finishError(job, progress, file.name, 'too-large', `${refusal}。${tooLargeAdvice}`);
        return null;
      }
      this.deps.log.warn({ message_id: job.messageId, err: describe(e) }, '下载失败');
      await this.finishError(
        job,
        progress,
        file.name,
        'download',
        downloadFailure(e, config.requestTimeoutMs),
      );
      return null;
    }
  }

  private async finishError(
    job: Job,
    progress: string | null,
    name: string,
    reason: string,
    message: string,
  ): Promise<void> {
    this.deps.log.info({ message_id: job.messageId, reason }, '无法检查');
    if (this.deps.config.textOnly) return void (await this.answerText(job, `无法检查“${name}”：${message}`));
    return this.finish(job, progress, errorCard(name, message));
  }

  /** Replace the progress card with `card`; if it cannot be updated (230031: sent over 14 days ago), send a new one. */
  private async finish(job: Job, progress: string | null, card: Card): Promise<void> {
    if (progress) {
      try {
        await this.deps.feishu.patchCard(progress, card);
        return;
      } catch (e) {
        this.deps.log.warn(
          {
            message_id: job.messageId,
            err: describe(e),
            expired: e instanceof FeishuError && e.code === CARD_EXPIRED,
          },
          '无法更新卡片，改为发送新消息',
        );
      }
    }
    await this.answerCard(job, card);
  }

  private async answer(job: Job, card: Card, text: string) {
    return this.deps.config.textOnly ? this.answerText(job, text) : this.answerCard(job, card);
  }

  /** A reply to the user's message; if the message is gone, a new message in the chat. */
  private async answerCard(job: Job, card: Card) {
    try {
      return await this.deps.feishu.replyCard(job.messageId, card);
    } catch (e) {
      if (!(e instanceof FeishuError) || !e.code) throw e;
      return this.deps.feishu.sendCard(job.chatId, card);
    }
  }

  private async answerText(job: Job, text: string) {
    return this.deps.feishu.replyText(job.messageId, plainText(text));
  }
}

const stem = (name: string) => path.basename(name, path.extname(name));

type FileMessage = Extract<Incoming, { kind: 'file' }>;

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

/** What to do with a report too complex to check in time or memory, by its format ('' for pasted text). */
function simpler(ext: string): string {
  switch (ext) {
    case '.pdf':
      return '请把报告另存为 .docx 或 .txt 后重新发送。';
    case '.doc':
    case '.wps':
      return '请在 Word 或 WPS 中把报告另存为 .docx 后重新发送。';
    case '.html':
    case '.htm':
      return '请把报告另存为 .docx，或把正文复制为 .txt 后重新发送。';
    case '.docx':
      return '请确认文件只包含年度报告本身（删去附件、图片和其他材料），或在 Word 中另存为纯文本 .txt 后重新发送。';
    default:
      return '请确认发送的是年度报告全文，删去报告以外的内容后重新发送。';
  }
}

/**
 * The open platform's codes for a missing permission: 99991672, the app has not been granted a
 * scope (the message lists the scopes that would do); 99991679, a user authorization is missing.
 */
const PERMISSION_CODES = new Set([99991672, 99991679]);

/** The console names of the scopes the bot uses, as an administrator finds them. */
const SCOPE_NAMES: Record<string, string> = {
  'im:message': '获取与发送单聊、群组消息',
  'im:message:readonly': '获取单聊、群组消息',
  'im:message.group_msg': '获取群组中所有消息',
  'im:message.p2p_msg:readonly': '读取用户发给机器人的单聊消息',
  'im:message.group_at_msg:readonly': '接收群聊中@机器人消息事件',
  'im:message:send_as_bot': '以应用的身份发消息',
  'im:resource': '获取与上传图片或文件资源',
};

const codeOf = (e: unknown) => (e instanceof FeishuError && e.code ? `（飞书错误码 ${e.code}）` : '');

/**
 * The permission a refusal says is missing, in words for the administrator — the scopes the open
 * platform names in its message, else `fallback` (the ones this call needs); null when the
 * failure is not a missing permission.
 */
export function missingScopes(e: unknown, fallback: string[]): string | null {
  if (!(e instanceof FeishuError) || !((e.code && PERMISSION_CODES.has(e.code)) || e.status === 403))
    return null;
  const listed = /\[([^\]]+)\]/.exec(e.msg)?.[1];
  const scopes = listed
    ? listed
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean)
    : fallback;
  return scopes.map((x) => (SCOPE_NAMES[x] ? `“${SCOPE_NAMES[x]}”（${x}）` : x)).join('或');
}

function downloadFailure(e: unknown, timeoutMs: number): string {
  if (e instanceof FeishuError && !e.code && (e.msg === '请求超时' || e.msg === '下载超时')) {
    return `下载文件超时（${Math.round(timeoutMs / 1000)} 秒内未能下载完成），请稍后重新发送。`;
  }
  const missing = missingScopes(e, ['im:message', 'im:message:readonly']);
  return missing
    ? `下载文件失败${codeOf(e)}：机器人无权读取这条消息的文件，缺少${missing}权限。请联系管理员在开发者后台开通并发布新版本，并确认机器人在这个会话中。`
    : `下载文件失败${codeOf(e)}，请稍后重新发送。`;
}

function describe(e: unknown): string {
  if (e instanceof FeishuError) return `${e.api} ${e.code ?? ''} ${e.msg}`.trim();
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
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
/** A baseline file larger than this is not read (tens of thousands of entries). */
const BASELINE_MAX_BYTES = 8 * 1024 * 1024;
