// Answering a job: a card or plain text as a reply to the sender's message (a new message in the
// chat when that one is gone), the progress card and its replacement by the answer, and the
// answers to a job that failed or was stopped by shutdown.
import { type Card, errorCard, plainText, progressCard } from './card.js';
import type { BotConfig } from './config.js';
import { CARD_EXPIRED, type Feishu, FeishuError } from './feishu.js';
import { describe, type Job, RESTARTING } from './job.js';
import type { Logger } from './log.js';

export interface ReplyDeps {
  feishu: Feishu;
  config: BotConfig;
  log: Logger;
}

export class Replies {
  constructor(private deps: ReplyDeps) {}

  /** The progress card, as a reply to the user's message; null in text-only mode. */
  async progress(job: Job, name: string): Promise<string | null> {
    job.name = name;
    if (this.deps.config.textOnly) return (job.progress = null);
    return (job.progress = (await this.card(job, progressCard(name))).messageId);
  }

  /**
   * A batch's first card: the job's progress card turned into it when the job has one (a file
   * checked alone until others joined it), else a new reply.
   */
  async batchProgress(job: Job, name: string, c: Card): Promise<string | null> {
    job.name = name;
    if (this.deps.config.textOnly) return (job.progress = null);
    if (job.progress) {
      try {
        await this.deps.feishu.patchCard(job.progress, c);
        return job.progress;
      } catch (e) {
        this.deps.log.warn({ message_id: job.messageId, err: describe(e) }, '无法更新卡片，改为发送新消息');
      }
    }
    return (job.progress = (await this.card(job, c)).messageId);
  }

  /** Answers a report that could not be checked; `reason` is a code for the log (messages may quote the file name). */
  async finishError(job: Job, progress: string | null, name: string, reason: string, message: string) {
    this.deps.log.info({ message_id: job.messageId, reason }, '无法检查');
    if (this.deps.config.textOnly) return void (await this.text(job, `无法检查“${name}”：${message}`));
    return this.finish(job, progress, errorCard(name, message));
  }

  /** Replace the progress card with `card`; if it cannot be updated (230031: sent over 14 days ago), send a new one. */
  async finish(job: Job, progress: string | null, card: Card): Promise<void> {
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
    await this.card(job, card);
  }

  /** `card`, or `text` in text-only mode. */
  async answer(job: Job, card: Card, text: string) {
    return this.deps.config.textOnly ? this.text(job, text) : this.card(job, card);
  }

  /** A reply to the user's message; if the message is gone, a new message in the chat. */
  async card(job: Job, card: Card) {
    try {
      return await this.deps.feishu.replyCard(job.messageId, card);
    } catch (e) {
      if (!(e instanceof FeishuError) || !e.code) throw e;
      return this.deps.feishu.sendCard(job.chatId, card);
    }
  }

  async text(job: Job, text: string) {
    return this.deps.feishu.replyText(job.messageId, plainText(text));
  }

  /** The answer to a job stopped by shutdown: its progress card patched, or a text reply. */
  async restart(job: Job): Promise<void> {
    const { log } = this.deps;
    log.info({ message_id: job.messageId, reason: 'restart' }, '无法检查');
    try {
      if (job.progress !== undefined)
        await this.finishError(job, job.progress, job.name ?? '', 'restart', RESTARTING);
      else await this.text(job, RESTARTING);
      log.info({ message_id: job.messageId }, '已答复“服务正在重启”');
    } catch (e) {
      log.error({ message_id: job.messageId, err: describe(e) }, '无法发送错误说明');
    }
  }

  /** The answer to a job that failed for a reason of its own (a refused request, a bug). */
  async failure(job: Job, failure: unknown): Promise<void> {
    try {
      await this.text(
        job,
        `处理时出错${failure instanceof FeishuError && failure.code ? `（飞书错误码 ${failure.code}）` : ''}，请稍后重新发送。`,
      );
    } catch (e2) {
      this.deps.log.error({ message_id: job.messageId, err: describe(e2) }, '无法发送错误说明');
    }
  }
}
