// Feishu bot figures, measured on the built bot process against the loopback stand-in of the open
// platform: acknowledgement latency (median, p99) of 50 file events delivered at once over the
// long connection, the time until all 50 are answered, and the time from event to result card for
// each real PDF of the corpus (median of 5 deliveries). Target: every ack well inside Feishu's 3 s.
import fs from 'node:fs';
import path from 'node:path';
import { records, spawnBot } from '../test/feishu/harness.js';
import { messageEvent, type Recorded, StandIn } from '../test/feishu/standin.js';

const ROOT = process.cwd();
const real = path.join(ROOT, '..', 'shared', 'corpus', 'real');
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};
const ms = (x: number) => `${x.toFixed(1)} ms`;

const isReply = (r: Recorded, mid: string) =>
  r.method === 'POST' &&
  r.path === `/open-apis/im/v1/messages/${mid}/reply` &&
  (r.json as { msg_type: string }).msg_type === 'interactive';

async function resultAt(standin: StandIn, mid: string): Promise<number> {
  const progress = await standin.waitFor((r) => isReply(r, mid), 60000);
  const final = await standin.waitFor(
    (r) => r.method === 'PATCH' && r.path === `/open-apis/im/v1/messages/${progress.replyId}`,
    60000,
  );
  return final.at;
}

async function main() {
  const standin = await new StandIn().start();
  // A file sent directly first waits NIANBAO_BOT_BATCH_WINDOW_SECONDS (3 s) for more of its batch;
  // the figures here are the bot's own time, without that wait.
  const bot = await spawnBot(standin, { LOG_LEVEL: 'info', NIANBAO_BOT_BATCH_WINDOW_SECONDS: '0' });
  await standin.waitForConnections(1);
  const fileEvent = (mid: string, key: string, name: string, chat: string) =>
    messageEvent({
      messageId: mid,
      chatId: chat,
      messageType: 'file',
      content: { file_key: key, file_name: name },
    });

  // Warm-up: the worker's first check loads the grammar.
  standin.files.set('warm', { bytes: fs.readFileSync(path.join(ROOT, 'test/fixtures/example-pipe.txt')) });
  await standin.push(fileEvent('om_warm', 'warm', 'warm.txt', 'oc_warm'));
  await resultAt(standin, 'om_warm');

  const bytes = fs.readFileSync(path.join(ROOT, 'test/fixtures/example-pipe.txt'));
  for (let i = 0; i < 50; i++) standin.files.set(`b${i}`, { bytes });
  const t0 = Date.now();
  const acks = await Promise.all(
    Array.from({ length: 50 }, (_, i) =>
      standin.push(fileEvent(`om_b${i}`, `b${i}`, `b${i}.txt`, `oc_${i % 10}`)),
    ),
  );
  const done = await Promise.all(Array.from({ length: 50 }, (_, i) => resultAt(standin, `om_b${i}`)));
  const work = records(bot)
    .filter((r) => r.msg === '已答复' && String(r.message_id).startsWith('om_b'))
    .map((r) => Number(r.work_ms));
  console.log('50 file events at once (.txt, 10 chats, concurrency 2):');
  console.log(
    `  ack latency  median ${ms(pct(acks, 50))}  p99 ${ms(pct(acks, 99))}  max ${ms(Math.max(...acks))}`,
  );
  console.log(
    `  all answered after ${Math.max(...done) - t0} ms; work per message median ${pct(work, 50)} ms`,
  );

  console.log('event → result card, real PDFs (median of 5):');
  let n = 0;
  for (const f of fs
    .readdirSync(real)
    .filter((x) => x.endsWith('.pdf'))
    .sort()) {
    standin.files.set(f, { bytes: fs.readFileSync(path.join(real, f)) });
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const mid = `om_pdf_${++n}`;
      const sent = Date.now();
      await standin.push(fileEvent(mid, f, f, `oc_pdf_${n}`));
      times.push((await resultAt(standin, mid)) - sent);
    }
    console.log(`  ${f}: median ${pct(times, 50)} ms (min ${Math.min(...times)}, max ${Math.max(...times)})`);
  }
  await bot.stop();
  await standin.stop();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
