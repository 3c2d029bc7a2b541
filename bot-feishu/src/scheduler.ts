// The order and the limits of the work: each chat's jobs run one after the other, at most
// `admitted` jobs are past the queue at once (downloading, holding a file, or checking) and at most
// `checks` checks run at once. On shutdown the jobs in hand may finish for a grace period; then the
// rest are stopped and each is answered with RESTARTING, so no sender is left without an answer.
import pLimit from 'p-limit';
import { describe, type Job, SHUTDOWN } from './job.js';
import type { Logger } from './log.js';
import { type Release, Slots } from './slots.js';

export interface SchedulerDeps {
  /** Jobs past the queue at once. */
  admitted: number;
  /** Checks running at once. */
  checks: number;
  log: Logger;
  now: () => number;
  /** Turns a job into its answer. */
  dispatch: (job: Job) => Promise<void>;
  /** The answer to a job stopped by shutdown. */
  answerRestart: (job: Job) => Promise<void>;
  /** The answer to a job that failed. */
  answerFailure: (job: Job, failure: unknown) => Promise<void>;
  /** Called when shutdown begins, before waiting for the jobs in hand. */
  onStop?: () => void;
}

export class Scheduler {
  private chains = new Map<string, Promise<void>>();
  private admitted: Slots;
  /** Checks running. */
  readonly checks: Slots;
  /** Answers sent at once when stopping. */
  private restartLimit = pLimit(8);
  private jobs = new Set<Job>();
  /** The admitted slot each running job holds. */
  private held = new Map<Job, Release>();
  private replies = new Set<Promise<unknown>>();
  private enqueued = 0;
  private stopping = false;

  constructor(private deps: SchedulerDeps) {
    this.admitted = new Slots(deps.admitted);
    this.checks = new Slots(deps.checks);
  }

  /** Jobs queued or running. */
  get pending(): number {
    return this.enqueued;
  }

  /** True once `shutdown` has begun. */
  get isStopping(): boolean {
    return this.stopping;
  }

  /** Runs `job` after the chat's earlier jobs, within the limits; it is answered whatever happens. */
  enqueue(job: Job): void {
    this.enqueued++;
    this.jobs.add(job);
    const prev = this.chains.get(job.chatId) ?? Promise.resolve();
    const next = prev
      .then(() => this.process(job))
      .catch(() => {})
      .finally(() => {
        this.enqueued--;
        this.jobs.delete(job);
        if (this.chains.get(job.chatId) === next) this.chains.delete(job.chatId);
      });
    this.chains.set(job.chatId, next);
  }

  /** An answer sent outside the queue (a refusal); logged if it fails, awaited by `idle`. */
  background(job: Job, fn: () => Promise<unknown>): void {
    const p = fn()
      .catch((e) => this.deps.log.error({ message_id: job.messageId, err: describe(e) }, '回复失败'))
      .finally(() => this.replies.delete(p));
    this.replies.add(p);
  }

  /**
   * A running job waits for `wait` without holding its admitted slot (so a wait holds no room of
   * the others'), then takes a slot again.
   */
  async away<T>(job: Job, wait: Promise<T>): Promise<T> {
    this.held.get(job)?.();
    this.held.delete(job);
    const value = await wait;
    this.held.set(job, await this.admitted.acquire(job.ctrl.signal));
    return value;
  }

  /** Resolves when every queued job has finished and every refusal has been sent. */
  async idle(): Promise<void> {
    while (this.chains.size || this.replies.size)
      await Promise.allSettled([...this.chains.values(), ...this.replies]);
  }

  /**
   * Stops; lets the jobs in hand finish for up to `graceMs`; then stops the rest (downloads,
   * checks, the queue) and answers each of them with RESTARTING.
   */
  async shutdown(graceMs: number): Promise<void> {
    this.stopping = true;
    this.deps.onStop?.();
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

  private async process(job: Job): Promise<void> {
    const { log } = this.deps;
    const started = this.deps.now();
    let failure: unknown;
    try {
      this.held.set(job, await this.admitted.acquire(job.ctrl.signal));
      await this.deps.dispatch(job);
      log.info(
        { message_id: job.messageId, wait_ms: started - job.received, work_ms: this.deps.now() - started },
        '已答复',
      );
      return;
    } catch (e) {
      failure = e;
    } finally {
      this.held.get(job)?.();
      this.held.delete(job);
    }
    if (job.ctrl.signal.aborted) return this.restartLimit(() => this.deps.answerRestart(job));
    log.error({ message_id: job.messageId, err: describe(failure) }, '处理失败');
    await this.deps.answerFailure(job, failure);
  }
}
