// The transport-agnostic handler. `onMessage` is what both the long connection and the webhook
// call for each im.message.receive_v1 event. Its parts, each in a module of its own:
// - intake.ts: the fast decision on each event (bots, mentions, stale replays, duplicates, rate
//   limits, a full queue); gathering.ts: report files sent in a row gathered into a batch (a file
//   alone is checked at once);
// - scheduler.ts: each chat's jobs in order, the concurrency limits, and shutdown, which answers
//   every accepted message before the process exits;
// - handlers.ts (with batches.ts, reply.ts, failures.ts): what turns a message into its answer.
import { isReportFile } from '../../grammar/src/index.js';
import type { BotConfig } from './config.js';
import type { Feishu } from './feishu.js';
import { Gatherer } from './gathering.js';
import { Handlers } from './handlers.js';
import { Intake } from './intake.js';
import type { CheckRunner, Decision, Job, MessageEvent, WorkRunner } from './job.js';
import type { Logger } from './log.js';
import { Replies } from './reply.js';
import { Scheduler } from './scheduler.js';
import type { Store } from './store.js';

export { uniqueNames } from './batches.js';
export { missingScopes } from './failures.js';
export {
  CheckMemoryError,
  type CheckRunner,
  type Decision,
  type MessageEvent,
  RESTARTING,
  SHUTDOWN,
  type WorkRunner,
} from './job.js';

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
  private gatherer: Gatherer<Job>;
  private scheduler: Scheduler;
  private intake: Intake;

  constructor(private deps: BotDeps) {
    const now = deps.now ?? Date.now;
    const { config, log } = deps;
    const replies = new Replies(deps);
    this.gatherer = new Gatherer<Job>(config.batchWindowMs);
    let handlers: Handlers | undefined;
    this.scheduler = new Scheduler({
      admitted: config.concurrency + config.downloads,
      checks: config.concurrency,
      log,
      now,
      dispatch: (job) => handlers!.dispatch(job),
      answerRestart: (job) => replies.restart(job),
      answerFailure: (job, e) => replies.failure(job, e),
      // Files waiting for more of their batch go to work now.
      onStop: () => this.gatherer.flush(),
    });
    handlers = new Handlers({
      ...deps,
      now,
      checks: this.scheduler.checks,
      replies,
      gatherer: this.gatherer,
      away: (job, wait) => this.scheduler.away(job, wait),
    });
    this.intake = new Intake({
      ...deps,
      now,
      stopping: () => this.scheduler.isStopping,
      pending: () => this.queued,
      refuse: (job, text) => this.scheduler.background(job, () => replies.text(job, text)),
      accept: (job, sender) => this.accept(job, sender),
    });
  }

  /** Messages accepted and not yet answered (files that joined a batch included). */
  get queued(): number {
    return this.scheduler.pending + this.gatherer.waiting;
  }

  /** True once `shutdown` has begun: new events are refused (webhook: 503, so Feishu re-sends them later). */
  get isStopping(): boolean {
    return this.scheduler.isStopping;
  }

  /** Fast path: decide, queue, return. Never throws. */
  onMessage(ev: MessageEvent): Promise<Decision> {
    return this.intake.onMessage(ev);
  }

  /** Resolves when every queued job has finished and every refusal has been sent. */
  idle(): Promise<void> {
    return this.scheduler.idle();
  }

  /**
   * Stops accepting events; lets the jobs in hand finish for up to `graceMs`; then stops the rest
   * (downloads, checks, the queue) and answers each of them with RESTARTING — on its progress card
   * when it has one — so no sender is left with a card that says 正在检查 forever.
   */
  shutdown(graceMs: number): Promise<void> {
    return this.scheduler.shutdown(graceMs);
  }

  /** A report file sent directly leads or joins its sender's group; everything else is queued. */
  private accept(job: Job, sender: string) {
    if (this.gathers(job)) {
      const { lead, group } = this.gatherer.add(`${job.chatId}\u0000${sender}`, job);
      if (!lead) return;
      job.group = group;
    }
    this.scheduler.enqueue(job);
  }

  /** A report file sent directly (not a reply) may gather with the sender's next ones. */
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
}
