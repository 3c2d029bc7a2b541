// Turning a message into its answer: the commands, a report file or pasted text checked alone,
// the file of a message replied to, files sent in a row and a .zip reviewed as a batch.
import path from 'node:path';
import { extensionOf, isReportFile, tooLarge } from '../../grammar/src/index.js';
import { Batches } from './batches.js';
import {
  type Checked,
  HELP_TEXT,
  helpCard,
  resultCard,
  resultText,
  rulesCard,
  rulesText,
  UPLOAD_LIMIT_BYTES,
} from './card.js';
import type { CheckOutcome, CheckTask } from './check.js';
import type { BotConfig } from './config.js';
import { codeOf, downloadFailure, missingScopes, simpler } from './failures.js';
import { type Feishu, TooLargeError } from './feishu.js';
import type { Gatherer, Group } from './gathering.js';
import { type CheckRunner, describe, type Job, Joined, SHUTDOWN, settle, type WorkRunner } from './job.js';
import type { Logger } from './log.js';
import { readMessage } from './message.js';
import type { Replies } from './reply.js';
import type { Slots } from './slots.js';
import { wordTemplate } from './template.js';

/**
 * The readers' own time limit is set past the bot's: the bot stops a check by ending its thread,
 * which also ends anything a reader would otherwise leave running there after giving up.
 */
const READER_MARGIN_MS = 5000;

/** Findings listed in a text-only answer (the rest go into the attached file). */
const TEXT_LIMIT = 30;

/** Text shorter than this in a reply to a file is a request ("@机器人 检查"), not a pasted report. */
const REQUEST_CHARS = 200;

export interface HandlerDeps {
  feishu: Feishu;
  config: BotConfig;
  log: Logger;
  now: () => number;
  run: CheckRunner;
  /** Runs a batch's tasks; without it, a .zip is checked as an unsupported file. */
  work?: WorkRunner;
  /** The check slots. */
  checks: Slots;
  replies: Replies;
  gatherer: Gatherer<Job>;
  /** Waits for `wait` without holding the job's admitted slot. */
  away: <T>(job: Job, wait: Promise<T>) => Promise<T>;
}

export class Handlers {
  private batches?: Batches;

  constructor(private deps: HandlerDeps) {
    if (deps.work)
      this.batches = new Batches({
        ...deps,
        work: deps.work,
        download: (job, progress, file, advice) => this.download(job, progress, file, advice),
      });
  }

  async dispatch(job: Job): Promise<void> {
    const { incoming } = job;
    const { feishu, replies } = this.deps;
    switch (incoming.kind) {
      case 'command':
        if (incoming.command === 'help') return void (await replies.answer(job, helpCard(), HELP_TEXT));
        if (incoming.command === 'rules') return void (await replies.answer(job, rulesCard(), rulesText()));
        {
          const year = new Date(this.deps.now()).getFullYear() - 1;
          const key = await feishu.uploadFile(
            `政府信息公开工作年度报告模板（${year}年度）.docx`,
            await wordTemplate(year),
          );
          await feishu.replyFile(job.messageId, key);
          return;
        }
      case 'file':
        if (job.group) return this.leadFile(job, job.group);
        return this.checkFile(job, job.messageId, incoming.fileKey, incoming.fileName);
      case 'text': {
        if (incoming.text.length < REQUEST_CHARS) {
          if (job.parentId) return this.checkParent(job, job.parentId);
          return void (await replies.text(
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
        return void (await replies.text(
          job,
          `暂不支持这种消息（${incoming.messageType}）。请发送报告文件或粘贴报告全文，发送“帮助”查看用法。`,
        ));
    }
  }

  /**
   * A report file that leads its group: checked and answered alone unless others of the sender's
   * files joined it before its answer was sent; then they are all one batch, answered on its
   * message (its progress card becomes the batch's).
   */
  private async leadFile(job: Job, group: Group<Job>): Promise<void> {
    const { gatherer } = this.deps;
    const incoming = job.incoming as Extract<Job['incoming'], { kind: 'file' }>;
    try {
      if (!group.followers.length) {
        job.alone = () => gatherer.alone(group);
        try {
          return await this.checkFile(job, job.messageId, incoming.fileKey, incoming.fileName);
        } catch (e) {
          if (!(e instanceof Joined)) throw e;
        } finally {
          job.alone = undefined;
        }
      }
      job.batch = await this.deps.away(job, gatherer.rest(group));
      this.deps.log.info(
        { message_id: job.messageId, files: job.batch.length + 1 },
        '连续发送的文件合为一批',
      );
    } finally {
      const left = gatherer.drop(group);
      if (!job.batch && left.length)
        this.deps.log.warn(
          { message_id: job.messageId, unanswered: left.length },
          '首个文件未完成，同批文件未审阅',
        );
    }
    return this.batches!.reviewFiles(job);
  }

  /** "@机器人 检查" in reply to a message: check the file or text of that message. */
  private async checkParent(job: Job, parentId: string): Promise<void> {
    const { replies } = this.deps;
    let parent: { msgType: string; content: string };
    try {
      parent = await this.deps.feishu.getMessage(parentId);
    } catch (e) {
      this.deps.log.warn({ message_id: job.messageId, err: describe(e) }, '无法读取被回复的消息');
      const missing = missingScopes(e, ['im:message.group_msg']);
      return void (await replies.text(
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
    return void (await replies.text(
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
    if (ext === '.zip' && this.batches) return this.batches.reviewZip(job, sourceMessageId, fileKey, name);
    if (!isReportFile(name)) {
      return void (await this.deps.replies.text(
        job,
        `暂不支持${ext ? ` ${ext} ` : '没有扩展名的'}文件“${name}”。请发送 .docx、.doc、.pdf、.txt、.md 或 .html 格式的报告。`,
      ));
    }
    const progress = await this.deps.replies.progress(job, name);
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
    const progress = await this.deps.replies.progress(job, name);
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
    settle(job);
    if (!outcome.ok)
      return this.deps.replies.finishError(job, progress, name, outcome.reason, outcome.message);
    return this.answerResult(job, progress, name, outcome);
  }

  /**
   * The check in a worker thread, stopped by the time limit or by shutdown (stopping ends the
   * thread, and whatever a reader left running in it, which the pool then replaces). A check that
   * fails is answered here ('answered').
   */
  private async runWorker(job: Job, task: CheckTask, name: string): Promise<CheckOutcome | 'answered'> {
    const { log, config } = this.deps;
    const release = await this.deps.checks.acquire(job.ctrl.signal);
    if (job.alone && job.group?.followers.length) {
      // Files joined it while it waited: the batch checks it with them, so it is not checked alone first.
      release();
      settle(job);
    }
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
      settle(job);
      await this.deps.replies.finishError(job, job.progress ?? null, name, why, message);
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
    const { feishu, log, config, replies } = this.deps;
    const { result, corrected } = o;
    log.info(
      { message_id: job.messageId, findings: result.findings.length, fixable: !!corrected },
      '检查完成',
    );
    let shown = result.findings.length;
    if (config.textOnly) {
      shown = Math.min(TEXT_LIMIT, result.findings.length);
      await replies.text(job, resultText(name, o, TEXT_LIMIT));
    } else {
      const view = resultCard(name, o);
      shown = view.shown;
      await replies.finish(job, progress, view.card);
    }
    if (shown < result.findings.length) {
      const key = await feishu.uploadFile(
        `${path.basename(name, path.extname(name))}-校对结果.txt`,
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
   * A message's file, within the size limit; null once the failure (too large, no permission, timeout)
   * has been answered. `tooLargeAdvice` follows the size refusal.
   */
  private async download(
    job: Job,
    progress: string | null,
    file: { sourceMessageId: string; fileKey: string; name: string },
    tooLargeAdvice: string,
  ): Promise<Uint8Array | null> {
    const { config, replies } = this.deps;
    try {
      return await this.deps.feishu.download(
        file.sourceMessageId,
        file.fileKey,
        config.maxBytes,
        job.ctrl.signal,
      );
    } catch (e) {
      if (job.ctrl.signal.aborted) throw e;
      settle(job);
      if (e instanceof TooLargeError) {
        const refusal = tooLarge(file.name, e.size, { maxBytes: config.maxBytes }).reason;
        await replies.finishError(job, progress, file.name, 'too-large', `${refusal}。${tooLargeAdvice}`);
        return null;
      }
      this.deps.log.warn({ message_id: job.messageId, err: describe(e) }, '下载失败');
      await replies.finishError(
        job,
        progress,
        file.name,
        'download',
        downloadFailure(e, config.requestTimeoutMs),
      );
      return null;
    }
  }
}
