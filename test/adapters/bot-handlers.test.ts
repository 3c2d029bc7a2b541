// The handlers and the answering, alone: a fake open platform (every call recorded), the real
// check and review run in this process. A report file sent alone gets its single-file card; one
// joined by another file before its answer becomes a batch on the same card, whatever its own
// outcome would have been; a stopped job's card says 服务正在重启.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { Card } from '../../bot-feishu/src/card.js';
import { checkReport } from '../../bot-feishu/src/check.js';
import { readConfig } from '../../bot-feishu/src/config.js';
import { CARD_EXPIRED, type Feishu, FeishuError, TooLargeError } from '../../bot-feishu/src/feishu.js';
import { Gatherer } from '../../bot-feishu/src/gathering.js';
import { Handlers } from '../../bot-feishu/src/handlers.js';
import { type Job, RESTARTING } from '../../bot-feishu/src/job.js';
import { Replies } from '../../bot-feishu/src/reply.js';
import { Slots } from '../../bot-feishu/src/slots.js';
import runTask, { type WorkerTask } from '../../bot-feishu/src/worker.js';

const report = readFileSync(fileURLToPath(new URL('../fixtures/example-pipe.txt', import.meta.url)));
const config = readConfig({ FEISHU_APP_ID: 'cli_0123456789abcdef', FEISHU_APP_SECRET: 's' });
const log = pino({ level: 'silent' });
const title = (c: Card) => (c as { header: { title: { content: string } } }).header.title.content;

/** The open platform, faked: replies get ids r1, r2…; downloads wait for `gate` of their message when set. */
function platform() {
  const calls: Array<{ call: string; to: string; card?: Card; text?: string }> = [];
  const gates = new Map<string, Promise<void>>();
  const failing = new Map<string, Error>();
  let n = 0;
  const patchFails = new Set<string>();
  const feishu = {
    replyCard: async (to: string, card: Card) => {
      calls.push({ call: 'replyCard', to, card });
      return { messageId: `r${++n}` };
    },
    replyText: async (to: string, text: string) => {
      calls.push({ call: 'replyText', to, text });
      return { messageId: `r${++n}` };
    },
    patchCard: async (to: string, card: Card) => {
      calls.push({ call: 'patchCard', to, card });
      if (patchFails.has(to)) throw new FeishuError('patch', CARD_EXPIRED, 'expired');
    },
    sendCard: async (to: string, card: Card) => {
      calls.push({ call: 'sendCard', to, card });
      return { messageId: `r${++n}` };
    },
    download: async (mid: string) => {
      await gates.get(mid);
      const failure = failing.get(mid);
      if (failure) throw failure;
      return new Uint8Array(report);
    },
    uploadFile: async (name: string) => `key:${name}`,
    replyFile: async (to: string, key: string) => {
      calls.push({ call: 'replyFile', to, text: key });
      return { messageId: `r${++n}` };
    },
  };
  return { feishu: feishu as unknown as Feishu, calls, gates, failing, patchFails };
}

function setup() {
  const p = platform();
  const replies = new Replies({ feishu: p.feishu, config, log });
  const gatherer = new Gatherer<Job>(50);
  const handlers = new Handlers({
    feishu: p.feishu,
    config,
    log,
    now: Date.now,
    run: (task) => checkReport(task),
    work: async (task: WorkerTask) => runTask(task),
    checks: new Slots(2),
    replies,
    gatherer,
    away: (_job, wait) => wait,
  });
  /** A report file sent directly, as the bot takes it: leading its group, or joining one. */
  const file = (mid: string, name: string) => {
    const job: Job = {
      messageId: mid,
      chatId: 'oc_1',
      chatType: 'p2p',
      incoming: { kind: 'file', fileKey: `k_${mid}`, fileName: name },
      received: Date.now(),
      ctrl: new AbortController(),
    };
    const { lead, group } = gatherer.add('oc_1\u0000ou_ann', job);
    if (lead) job.group = group;
    return job;
  };
  return { ...p, replies, gatherer, handlers, file };
}

describe('handlers', () => {
  it('a report file alone: a progress card, turned into its result card; nothing waits', async () => {
    const s = setup();
    const job = s.file('om_1', '年报.txt');
    await s.handlers.dispatch(job);
    expect(s.calls[0]).toMatchObject({ call: 'replyCard', to: 'om_1' });
    expect(title(s.calls[0].card!)).toBe('年报校对：年报.txt');
    const final = s.calls.find((c) => c.call === 'patchCard')!;
    expect(final.to).toBe('r1');
    expect(JSON.stringify(final.card)).toContain('共发现');
    expect(s.gatherer.size).toBe(0);
  });

  it('a file joining the first while it is checked: one batch answered on the first card, nothing for the second', async () => {
    const s = setup();
    let release = () => {};
    s.gates.set('om_a', new Promise<void>((r) => (release = r)));
    const lead = s.file('om_a', '一.txt');
    const running = s.handlers.dispatch(lead);
    await new Promise((r) => setTimeout(r, 10));
    expect(s.file('om_b', '二.txt').group).toBeUndefined();
    release();
    await running;
    const cards = s.calls.filter((c) => c.card);
    expect(cards.map((c) => `${c.call} ${c.to}`)).toEqual(
      expect.arrayContaining(['replyCard om_a', 'patchCard r1']),
    );
    expect(cards.filter((c) => c.call === 'replyCard')).toHaveLength(1);
    const last = cards[cards.length - 1];
    expect(title(last.card!)).toBe('年报审阅：2 份报告');
    expect(cards.some((c) => title(c.card!) === '年报校对：一.txt' && c.call === 'patchCard')).toBe(false);
    expect(s.calls.filter((c) => c.to === 'om_b')).toEqual([]);
  });

  it('a first file that could not be downloaded, once another joined it: listed in the batch, not refused alone', async () => {
    const s = setup();
    let release = () => {};
    s.gates.set('om_x', new Promise<void>((r) => (release = r)));
    s.failing.set('om_x', new TooLargeError(50 * 1024 * 1024));
    const running = s.handlers.dispatch(s.file('om_x', '大.txt'));
    await new Promise((r) => setTimeout(r, 10));
    s.file('om_y', '小.txt');
    release();
    await running;
    const last = s.calls.filter((c) => c.card).pop()!;
    expect(title(last.card!)).toBe('年报审阅：2 份报告');
    expect(JSON.stringify(last.card)).toContain('大.txt');
  });
});

describe('answering', () => {
  const job = (): Job => ({
    messageId: 'om_1',
    chatId: 'oc_1',
    chatType: 'p2p',
    incoming: { kind: 'text', text: '' },
    received: 0,
    ctrl: new AbortController(),
  });

  it('a card that can no longer be updated: the answer goes out as a new reply', async () => {
    const p = platform();
    const r = new Replies({ feishu: p.feishu, config, log });
    const j = job();
    const progress = await r.progress(j, 'a.txt');
    p.patchFails.add(progress!);
    await r.finishError(j, progress, 'a.txt', 'test', '文件已损坏');
    expect(p.calls.map((c) => `${c.call} ${c.to}`)).toEqual([
      'replyCard om_1',
      'patchCard r1',
      'replyCard om_1',
    ]);
  });

  it('a stopped job: its progress card says 服务正在重启; without a card, a text reply says it', async () => {
    const p = platform();
    const r = new Replies({ feishu: p.feishu, config, log });
    const j = job();
    await r.progress(j, 'a.txt');
    await r.restart(j);
    expect(p.calls[1].call).toBe('patchCard');
    expect(JSON.stringify(p.calls[1].card)).toContain(RESTARTING);
    await r.restart(job());
    expect(p.calls[2]).toMatchObject({ call: 'replyText', to: 'om_1' });
    expect(p.calls[2].text).toContain(RESTARTING);
  });
});
