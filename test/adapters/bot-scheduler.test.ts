// The bot's scheduling, alone, with fake work: each chat in order, the admitted limit, a wait that
// holds no slot, and shutdown answering what could not finish with 服务正在重启.
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { type Job, RESTARTING, SHUTDOWN } from '../../bot-feishu/src/job.js';
import { Scheduler } from '../../bot-feishu/src/scheduler.js';

const log = pino({ level: 'silent' });
const job = (messageId: string, chatId: string): Job => ({
  messageId,
  chatId,
  chatType: 'p2p',
  incoming: { kind: 'text', text: '' },
  received: Date.now(),
  ctrl: new AbortController(),
});
const tick = () => new Promise((r) => setTimeout(r, 5));

/** Work that ends when `finish(id)` is called, or rejects when its job is stopped. */
function manual() {
  const started: string[] = [];
  const ends = new Map<string, () => void>();
  const dispatch = (j: Job) =>
    new Promise<void>((resolve, reject) => {
      started.push(j.messageId);
      ends.set(j.messageId, resolve);
      j.ctrl.signal.addEventListener('abort', () => reject(j.ctrl.signal.reason), { once: true });
    });
  return { started, dispatch, finish: (id: string) => ends.get(id)?.() };
}

describe('scheduling', () => {
  it("one chat's messages in order; other chats meanwhile, up to the admitted limit", async () => {
    const w = manual();
    const s = new Scheduler({
      admitted: 2,
      checks: 1,
      log,
      now: Date.now,
      dispatch: w.dispatch,
      answerRestart: async () => {},
      answerFailure: async () => {},
    });
    for (const [id, chat] of [
      ['a1', 'A'],
      ['a2', 'A'],
      ['b1', 'B'],
      ['c1', 'C'],
    ])
      s.enqueue(job(id, chat));
    await tick();
    expect(w.started).toEqual(['a1', 'b1']);
    expect(s.pending).toBe(4);
    // a1's slot goes to c1, which was waiting for one before a2 could ask.
    w.finish('a1');
    await tick();
    expect(w.started).toEqual(['a1', 'b1', 'c1']);
    w.finish('b1');
    await tick();
    expect(w.started).toEqual(['a1', 'b1', 'c1', 'a2']);
    w.finish('a2');
    w.finish('c1');
    await s.idle();
    expect(s.pending).toBe(0);
  });

  it('a job waiting `away` holds no slot: another chat runs meanwhile', async () => {
    let open = () => {};
    const window = new Promise<string>((r) => {
      open = () => r('done');
    });
    const started: string[] = [];
    const s = new Scheduler({
      admitted: 1,
      checks: 1,
      log,
      now: Date.now,
      dispatch: async (j) => {
        started.push(j.messageId);
        if (j.messageId === 'lead') started.push(await s.away(j, window));
      },
      answerRestart: async () => {},
      answerFailure: async () => {},
    });
    s.enqueue(job('lead', 'A'));
    s.enqueue(job('other', 'B'));
    await tick();
    expect(started).toEqual(['lead', 'other']);
    open();
    await s.idle();
    expect(started).toEqual(['lead', 'other', 'done']);
  });

  it('a failed job is answered with its failure', async () => {
    const failed: string[] = [];
    const s = new Scheduler({
      admitted: 1,
      checks: 1,
      log,
      now: Date.now,
      dispatch: async () => {
        throw new Error('boom');
      },
      answerRestart: async () => {},
      answerFailure: async (j, e) => {
        failed.push(`${j.messageId}: ${(e as Error).message}`);
      },
    });
    s.enqueue(job('m', 'A'));
    await s.idle();
    expect(failed).toEqual(['m: boom']);
  });

  it('shutdown: what finishes within the grace is answered as usual; the running and the queued jobs after it are each answered RESTARTING', async () => {
    const w = manual();
    const restarted: string[] = [];
    let stopped = 0;
    const s = new Scheduler({
      admitted: 1,
      checks: 1,
      log,
      now: Date.now,
      dispatch: async (j) => {
        if (j.messageId !== 'quick') return w.dispatch(j);
      },
      answerRestart: async (j) => {
        expect(j.ctrl.signal.reason).toBe(SHUTDOWN);
        restarted.push(`${j.messageId}: ${RESTARTING}`);
      },
      answerFailure: async () => {},
      onStop: () => stopped++,
    });
    s.enqueue(job('quick', 'Q'));
    s.enqueue(job('stuck', 'A'));
    s.enqueue(job('queued', 'A'));
    s.enqueue(job('other', 'B'));
    await tick();
    const t0 = Date.now();
    await s.shutdown(100);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(90);
    expect(stopped).toBe(1);
    expect(s.isStopping).toBe(true);
    expect(restarted.sort()).toEqual(['other', 'queued', 'stuck'].map((id) => `${id}: ${RESTARTING}`));
    expect(s.pending).toBe(0);
  });

  it('shutdown with nothing left: returns as soon as the work is done, nobody told to resend', async () => {
    const w = manual();
    const restarted: string[] = [];
    const s = new Scheduler({
      admitted: 1,
      checks: 1,
      log,
      now: Date.now,
      dispatch: w.dispatch,
      answerRestart: async (j) => void restarted.push(j.messageId),
      answerFailure: async () => {},
    });
    s.enqueue(job('m', 'A'));
    await tick();
    setTimeout(() => w.finish('m'), 20);
    const t0 = Date.now();
    await s.shutdown(5000);
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(restarted).toEqual([]);
  });
});
