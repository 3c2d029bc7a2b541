// The fast path of each im.message.receive_v1 event: decide quickly whether to answer (bots,
// groups without a mention, stale replays, duplicates by message_id, rate limits, a full queue)
// and hand the accepted message on as a job. Feishu re-sends an event that is not acknowledged
// within 3 s, so nothing here waits for the work itself.
import type { BotConfig } from './config.js';
import type { Decision, Job, MessageEvent } from './job.js';
import type { Logger } from './log.js';
import { readMessage } from './message.js';
import type { Store } from './store.js';

export interface IntakeDeps {
  config: BotConfig;
  log: Logger;
  store: Store;
  botOpenId: string;
  now: () => number;
  /** True once the bot is stopping. */
  stopping: () => boolean;
  /** Messages accepted and not yet answered (the queue's length). */
  pending: () => number;
  /** Sends a refusal outside the queue. */
  refuse: (job: Job, text: string) => void;
  /** Takes an accepted job; `sender` is who sent it (their open_id, else the chat). */
  accept: (job: Job, sender: string) => void;
}

export class Intake {
  constructor(private deps: IntakeDeps) {}

  /** Decide, hand on, return. Never throws. */
  async onMessage(ev: MessageEvent): Promise<Decision> {
    const { config, log, store } = this.deps;
    const m = ev.message;
    if (this.deps.stopping()) {
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
    const now = this.deps.now();
    const created = Number(m.create_time ?? ev.create_time);
    if (Number.isFinite(created) && now - created > config.staleMs) {
      log.info({ ...ids, age_ms: now - created }, '过期的重放事件，已忽略');
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
      received: this.deps.now(),
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
        this.deps.refuse(job, `请求过于频繁：每人每分钟最多检查 ${config.ratePerMinute} 次，请稍后再发。`);
      return 'rate-limited';
    }
    const pending = this.deps.pending();
    if (pending >= config.maxQueued) {
      log.warn({ ...ids, pending }, '队列已满');
      this.deps.refuse(job, '当前检查的报告较多，请几分钟后再发送一次。');
      return 'busy';
    }
    this.deps.accept(job, user);
    log.info({ ...ids, kind: incoming.kind }, '已受理');
    return 'queued';
  }
}
