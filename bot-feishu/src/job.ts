// What the bot's parts pass between them: the event as it arrives, the decision on it, and the job
// an accepted message becomes until it is answered.
import type { CheckOutcome, CheckTask } from './check.js';
import { FeishuError } from './feishu.js';
import type { Group } from './gathering.js';
import type { Incoming } from './message.js';
import type { WorkerTask } from './worker.js';

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

export interface Job {
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
  /** A report file sent directly: the files of the same sender that may join it. */
  group?: Group<Job>;
  /**
   * Asked once, just before a lone file's own answer is sent: false when other files have joined
   * it meanwhile (the answer is then the batch's, see `settle`).
   */
  alone?: () => boolean;
}

/** Thrown where a lone file would have been answered, once other files have joined it. */
export class Joined extends Error {
  constructor() {
    super('other files joined this one');
  }
}

/** Called before a job's own answer: throws `Joined` when the answer is to be the batch's instead. */
export function settle(job: Job): void {
  const alone = job.alone;
  if (!alone) return;
  job.alone = undefined;
  if (!alone()) throw new Joined();
}

/** A failure for the log: the open platform's code and message, or the error's name and message. */
export function describe(e: unknown): string {
  if (e instanceof FeishuError) return `${e.api} ${e.code ?? ''} ${e.msg}`.trim();
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}
