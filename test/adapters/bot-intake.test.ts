// The bot's decision on each event, alone: what is ignored, refused or handed on, and to whom.
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { readConfig } from '../../bot-feishu/src/config.js';
import { Intake } from '../../bot-feishu/src/intake.js';
import type { Job, MessageEvent } from '../../bot-feishu/src/job.js';
import { MemoryStore, type Store } from '../../bot-feishu/src/store.js';

const NOW = 1_700_000_000_000;
const config = {
  ...readConfig({ FEISHU_APP_ID: 'cli_0123456789abcdef', FEISHU_APP_SECRET: 's' }),
  ratePerMinute: 2,
  maxQueued: 3,
};

function intake(over: { store?: Store; pending?: number; stopping?: boolean } = {}) {
  const accepted: Array<{ id: string; sender: string }> = [];
  const refused: Array<{ id: string; text: string }> = [];
  const i = new Intake({
    config,
    log: pino({ level: 'silent' }),
    store: over.store ?? new MemoryStore(),
    botOpenId: 'ou_bot',
    now: () => NOW,
    stopping: () => !!over.stopping,
    pending: () => over.pending ?? 0,
    refuse: (job: Job, text: string) => refused.push({ id: job.messageId, text }),
    accept: (job: Job, sender: string) => accepted.push({ id: job.messageId, sender }),
  });
  return { i, accepted, refused };
}

const event = (id: string, over: Partial<NonNullable<MessageEvent['message']>> = {}, sender = 'ou_ann') => ({
  event_id: `ev_${id}`,
  sender: { sender_id: { open_id: sender }, sender_type: 'user' },
  message: {
    message_id: id,
    chat_id: 'oc_1',
    chat_type: 'p2p',
    message_type: 'file',
    content: JSON.stringify({ file_key: 'k', file_name: '年报.txt' }),
    create_time: String(NOW - 1000),
    ...over,
  },
});

describe('intake', () => {
  it('a private file is accepted and handed on with its sender', async () => {
    const { i, accepted } = intake();
    expect(await i.onMessage(event('om_1'))).toBe('queued');
    expect(accepted).toEqual([{ id: 'om_1', sender: 'ou_ann' }]);
  });

  it('ignored: other bots, group messages without a mention, stale replays, duplicates; refused while stopping', async () => {
    const { i, accepted } = intake();
    expect(await i.onMessage({ ...event('om_b'), sender: { sender_type: 'app' } })).toBe('ignored-bot');
    expect(await i.onMessage(event('om_g', { chat_type: 'group' }))).toBe('ignored-not-mentioned');
    expect(
      await i.onMessage(
        event('om_m', { chat_type: 'group', mentions: [{ key: '@_user_1', id: { open_id: 'ou_bot' } }] }),
      ),
    ).toBe('queued');
    expect(await i.onMessage(event('om_old', { create_time: String(NOW - config.staleMs - 1) }))).toBe(
      'ignored-stale',
    );
    expect(await i.onMessage(event('om_m'))).toBe('duplicate');
    expect(await i.onMessage({ event_id: 'ev_x' })).toBe('invalid');
    expect(accepted.map((a) => a.id)).toEqual(['om_m']);
    expect(await intake({ stopping: true }).i.onMessage(event('om_s'))).toBe('stopping');
  });

  it('over the per-user rate: one polite refusal, then silence; a full queue: told to come back later', async () => {
    const { i, refused } = intake();
    for (const n of [1, 2]) expect(await i.onMessage(event(`om_r${n}`))).toBe('queued');
    expect(await i.onMessage(event('om_r3'))).toBe('rate-limited');
    expect(await i.onMessage(event('om_r4'))).toBe('rate-limited');
    expect(refused).toEqual([{ id: 'om_r3', text: '请求过于频繁：每人每分钟最多检查 2 次，请稍后再发。' }]);
    const full = intake({ pending: 3 });
    expect(await full.i.onMessage(event('om_f'))).toBe('busy');
    expect(full.refused).toEqual([{ id: 'om_f', text: '当前检查的报告较多，请几分钟后再发送一次。' }]);
  });

  it('without the shared store a message is still answered (better twice than never)', async () => {
    const broken: Store = {
      claim: async () => {
        throw new Error('down');
      },
      hit: async () => {
        throw new Error('down');
      },
      close: async () => {},
    };
    const { i, accepted } = intake({ store: broken });
    expect(await i.onMessage(event('om_1'))).toBe('queued');
    expect(accepted).toHaveLength(1);
  });
});
