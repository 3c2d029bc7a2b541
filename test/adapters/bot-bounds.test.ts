// The Feishu bot under hostile or failing input: every case builds its input, asserts the bound
// (time, the bot process's memory) and the Chinese answer, and that the bot keeps working after it.
// Webhook requests an unauthenticated sender can make (chunked and oversized bodies, huge headers,
// slow and idle connections, unsigned challenges, stale signatures); check threads that run out of
// heap, out of process memory, exit or throw; stalled downloads; shutdown with checks in progress.

import { readFileSync } from 'node:fs';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BotProcess, memory, records, spawnBot } from '../feishu/harness.js';
import { messageEvent, type Recorded, StandIn, signedDelivery } from '../feishu/standin.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
const REPORT = readFileSync(fixture('example-pipe.txt'));
const MB = 1024 * 1024;

const content = (r: Recorded) => (r.json as { content: string }).content;
type Element = {
  tag: string;
  content?: string;
  header?: { title: { content: string } };
  elements?: Element[];
};
const walk = (es: Element[]): string[] =>
  es.flatMap((e) =>
    e.tag === 'collapsible_panel' ? [e.header!.title.content, ...walk(e.elements!)] : [e.content ?? ''],
  );
/** Every markdown text of the card as sent, panels included. */
const cardText = (r: Recorded) =>
  walk((JSON.parse(content(r)) as { body: { elements: Element[] } }).body.elements).join('\n');
const isReply = (r: Recorded, mid: string, type?: string) =>
  r.method === 'POST' &&
  r.path === `/open-apis/im/v1/messages/${mid}/reply` &&
  (!type || (r.json as { msg_type: string }).msg_type === type);
const fileEvent = (mid: string, key: string, name: string, chatId = `oc_${mid}`) =>
  messageEvent({ messageId: mid, chatId, messageType: 'file', content: { file_key: key, file_name: name } });

async function resultCard(
  standin: StandIn,
  mid: string,
  timeoutMs = 20000,
): Promise<{ progress: Recorded; final: Recorded }> {
  const progress = await standin.waitFor((r) => isReply(r, mid, 'interactive'), timeoutMs);
  const final = await standin.waitFor(
    (r) => r.method === 'PATCH' && r.path === `/open-apis/im/v1/messages/${progress.replyId}`,
    timeoutMs,
  );
  return { progress, final };
}
async function replyText(standin: StandIn, mid: string, timeoutMs = 20000): Promise<string> {
  return JSON.parse(content(await standin.waitFor((r) => isReply(r, mid, 'text'), timeoutMs))).text as string;
}

async function until(cond: () => boolean, timeoutMs = 10000) {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Figures for the record: printed with the test output. */
const figure = (what: string, ms: number, bot: BotProcess) => {
  const m = memory(bot);
  console.log(`[bot bounds] ${what}: ${Math.round(ms)} ms, bot RSS ${m.rssMb} MB (peak ${m.peakMb} MB)`);
  return m;
};

interface RawResult {
  status: number | null;
  firstByteMs: number;
  ms: number;
  sent: number;
}

/**
 * A POST over a raw socket, its body streamed as fast as the server takes it, up to `total` bytes:
 * chunked, or with a Content-Length declaring the whole size. Resolves when the connection closes.
 */
function rawPost(
  port: number,
  total: number,
  framing: 'chunked' | 'length',
  path = '/webhook/event',
): Promise<RawResult> {
  return new Promise((resolve) => {
    const sock = net.connect(port, '127.0.0.1');
    const t0 = performance.now();
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    const frame =
      framing === 'chunked'
        ? Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')])
        : chunk;
    let response = '';
    let firstByteMs = -1;
    let sent = 0;
    let closed = false;
    sock.on('data', (d) => {
      if (firstByteMs < 0) firstByteMs = performance.now() - t0;
      response += d.toString('latin1');
    });
    sock.on('error', () => {});
    sock.on('close', () => {
      closed = true;
      resolve({
        status: Number(/^HTTP\/1\.1 (\d{3})/.exec(response)?.[1]) || null,
        firstByteMs,
        ms: performance.now() - t0,
        sent,
      });
    });
    sock.on('connect', () => {
      sock.write(
        `POST ${path} HTTP/1.1\r\nHost: bot\r\nContent-Type: application/json\r\n${framing === 'chunked' ? 'Transfer-Encoding: chunked' : `Content-Length: ${total}`}\r\n\r\n`,
      );
      const pump = () => {
        while (!closed && sent < total) {
          sent += chunk.length;
          if (!sock.write(frame)) return void sock.once('drain', pump);
        }
        if (!closed) sock.end(framing === 'chunked' ? '0\r\n\r\n' : '');
      };
      pump();
    });
  });
}

describe('webhook: what an unauthenticated sender can send', () => {
  const KEY = 'bounds-encrypt-key-41c7';
  let standin: StandIn;
  let bot: BotProcess;
  let base = '';
  const post = (body: string, headers: Record<string, string>) =>
    fetch(`${base}/webhook/event`, { method: 'POST', body, headers });
  const healthy = async () => (await (await fetch(`${base}/healthz`)).text()) === 'ok';
  beforeAll(async () => {
    standin = await new StandIn().start();
    bot = await spawnBot(standin, {
      FEISHU_MODE: 'webhook',
      FEISHU_ENCRYPT_KEY: KEY,
      FEISHU_VERIFICATION_TOKEN: 'vt-standin',
      NIANBAO_BOT_PORT: '0',
      NIANBAO_BOT_STALE_SECONDS: '600',
    });
    base = `http://127.0.0.1:${bot.port}`;
  });
  afterAll(async () => {
    await bot?.stop();
    await standin?.stop();
  });

  it('a 50 MB chunked body is cut at 1 MB with 413, quickly, holding no memory; eight at once likewise', async () => {
    const before = memory(bot);
    const one = await rawPost(bot.port!, 50 * MB, 'chunked');
    expect(one.status).toBe(413);
    expect(one.firstByteMs).toBeLessThan(2000);
    expect(one.sent).toBeLessThan(50 * MB); // the connection was closed, not read to the end
    figure(
      `chunked 50 MB body → 413 after ${Math.round(one.firstByteMs)} ms, ${Math.round(one.sent / MB)} MB sent before the close`,
      one.ms,
      bot,
    );
    const t0 = performance.now();
    const eight = await Promise.all(Array.from({ length: 8 }, () => rawPost(bot.port!, 50 * MB, 'chunked')));
    for (const r of eight) expect(r.status).toBe(413);
    const m = figure('8 parallel chunked 50 MB bodies → 413', performance.now() - t0, bot);
    expect(m.peakMb - before.peakMb).toBeLessThan(64);
    expect(await healthy()).toBe(true);
  });

  it('a body declared (Content-Length) or streamed past 1 MB: 413 before any of it is read', async () => {
    const r = await rawPost(bot.port!, 50 * MB, 'length');
    expect(r.status).toBe(413);
    expect(r.firstByteMs).toBeLessThan(2000);
    figure('Content-Length 50 MB → 413', r.ms, bot);
    // Under the declared limit but over it in fact is impossible with Content-Length (the parser
    // stops at the declared size); a chunked body just over the limit:
    const just = await rawPost(bot.port!, MB + 64 * 1024, 'chunked');
    expect(just.status).toBe(413);
    expect(await healthy()).toBe(true);
  });

  it('many bodies just under 1 MB held open at once: past 32 MB in all, 503; memory stays flat', async () => {
    const before = memory(bot);
    const part = Buffer.alloc(900 * 1024, 0x20);
    const t0 = performance.now();
    const conns = await Promise.all(
      Array.from(
        { length: 48 },
        () =>
          new Promise<{ socket: net.Socket; status: Promise<number | null> }>((resolve) => {
            const socket = net.connect(bot.port!, '127.0.0.1', () => {
              socket.write(
                `POST /webhook/event HTTP/1.1\r\nHost: bot\r\nContent-Type: application/json\r\nContent-Length: ${1000 * 1024}\r\n\r\n`,
              );
              socket.write(part);
              resolve({ socket, status });
            });
            let out = '';
            const status = new Promise<number | null>((done) => {
              socket.on('data', (d) => {
                out += d.toString('latin1');
              });
              socket.on('close', () => done(Number(/^HTTP\/1\.1 (\d{3})/.exec(out)?.[1]) || null));
              socket.on('error', () => {});
            });
          }),
      ),
    );
    // The bodies never finish: those that take the total past 32 MB are refused at once (48 × 900 KB
    // is 42 MB: about a dozen), the others wait for the rest of their body.
    const statuses: Array<number | null> = [];
    for (const c of conns) void c.status.then((s) => statuses.push(s));
    await until(() => statuses.length >= 8, 5000);
    await new Promise((r) => setTimeout(r, 300));
    const m = figure(
      `48 connections holding 900 KB each (42 MB in all): ${statuses.length} refused`,
      performance.now() - t0,
      bot,
    );
    expect(statuses.every((s) => s === 503)).toBe(true);
    expect(statuses.length).toBeLessThan(48);
    for (const c of conns) c.socket.destroy();
    expect(m.peakMb - before.peakMb).toBeLessThan(100);
    expect(await healthy()).toBe(true);
  });

  it('headers over 16 KB: 431; thousands of small headers: refused like any unsigned request', async () => {
    const big = await new Promise<string>((resolve) => {
      const s = net.connect(bot.port!, '127.0.0.1', () =>
        s.write(`POST /webhook/event HTTP/1.1\r\nHost: bot\r\nX-Pad: ${'a'.repeat(32 * 1024)}\r\n\r\n`),
      );
      let out = '';
      s.on('data', (d) => {
        out += d;
      })
        .on('error', () => {})
        .on('close', () => resolve(out));
    });
    expect(big).toMatch(/^HTTP\/1\.1 431/);
    const many: Record<string, string> = { 'content-type': 'application/json' };
    for (let i = 0; i < 1500; i++) many[`x-h${i}`] = '1';
    expect((await post('{}', many)).status).toBe(401);
    expect(await healthy()).toBe(true);
  });

  it('200 connections that never finish their headers are closed within the headers timeout; the bot answers meanwhile', async () => {
    const t0 = performance.now();
    const sockets = await Promise.all(
      Array.from(
        { length: 200 },
        (_, i) =>
          new Promise<net.Socket>((resolve) => {
            const s = net.connect(bot.port!, '127.0.0.1', () => {
              if (i % 2) s.write('POST /webhook/event HTTP/1.1\r\nHost: bot\r\n');
              resolve(s);
            });
            s.on('error', () => {});
            s.resume(); // read the server's 408 and its close
          }),
      ),
    );
    const closed = sockets.map(
      (s) => new Promise<number>((resolve) => s.on('close', () => resolve(performance.now() - t0))),
    );
    expect(await healthy()).toBe(true);
    const times = await Promise.all(closed);
    const m = figure(
      `200 stalled connections (half idle, half with partial headers), all closed after ${Math.round(Math.max(...times))} ms`,
      Math.max(...times),
      bot,
    );
    expect(Math.max(...times)).toBeLessThan(14000); // headers timeout 10 s, checked every second
    expect(m.rssMb).toBeLessThan(400);
    expect(await healthy()).toBe(true);
  }, 30000);

  it('URL verification: answered only when encrypted with our key and carrying our token', async () => {
    const challenge = { type: 'url_verification', challenge: 'ch-bounds-1', token: 'vt-standin' };
    // Plain text, unsigned: anyone could send it.
    const plain = await post(JSON.stringify(challenge), { 'content-type': 'application/json' });
    expect(plain.status).toBe(401);
    expect(await plain.text()).not.toContain('ch-bounds-1');
    // Encrypted with our key (as Feishu sends it), unsigned: the encryption is the proof.
    const enc = signedDelivery(challenge, KEY);
    expect(await (await post(enc.body, { 'content-type': 'application/json' })).json()).toEqual({
      challenge: 'ch-bounds-1',
    });
    // Encrypted with our key but another app's token, or with another key: refused.
    const otherToken = signedDelivery({ ...challenge, token: 'vt-other' }, KEY);
    expect((await post(otherToken.body, { 'content-type': 'application/json' })).status).toBe(401);
    const otherKey = signedDelivery(challenge, 'another-app-key');
    expect((await post(otherKey.body, { 'content-type': 'application/json' })).status).toBe(401);
    await until(() => records(bot).filter((r) => r.msg === 'URL 验证请求未通过校验，已拒绝').length >= 2);
  });

  it('a correctly signed delivery whose timestamp is outside the stale window: 401, never handled', async () => {
    const ev = (mid: string) =>
      messageEvent({ messageId: mid, messageType: 'text', content: { text: '帮助' } });
    const old = signedDelivery(ev('om_ts_old'), KEY, KEY, Date.now() - 2 * 3600_000);
    expect((await post(old.body, old.headers)).status).toBe(401);
    const future = signedDelivery(ev('om_ts_future'), KEY, KEY, Date.now() + 2 * 3600_000);
    expect((await post(future.body, future.headers)).status).toBe(401);
    const late = signedDelivery(ev('om_ts_late'), KEY, KEY, Date.now() - 60_000);
    expect((await post(late.body, late.headers)).status).toBe(200);
    await standin.waitFor((r) => isReply(r, 'om_ts_late'));
    await until(() => records(bot).filter((r) => r.msg === '事件时间戳过期，已拒绝').length === 2);
    expect(standin.requests.filter((r) => isReply(r, 'om_ts_old') || isReply(r, 'om_ts_future'))).toEqual([]);
  });
});

describe('check threads that die', () => {
  let standin: StandIn;
  let bot: BotProcess;
  beforeAll(async () => {
    standin = await new StandIn().start();
    bot = await spawnBot(standin, {
      NIANBAO_BOT_TEST_FAULTS: '1',
      NIANBAO_BOT_WORKER_MEMORY_MB: '128',
      NIANBAO_BOT_MAX_MEMORY_MB: '640',
    });
    await standin.waitForConnections(1);
  });
  afterAll(async () => {
    await bot?.stop();
    await standin?.stop();
  });

  /** A normal report right after: the pool still checks. */
  async function stillChecks(mid: string) {
    standin.files.set(`f_${mid}`, { bytes: REPORT });
    await standin.push(fileEvent(mid, `f_${mid}`, '年报.txt'));
    expect(cardText((await resultCard(standin, mid)).final)).toContain('共发现 2 个错误');
  }

  it("a check that exhausts its thread's heap (ERR_WORKER_OUT_OF_MEMORY): a Chinese answer, the bot lives on", async () => {
    standin.files.set('f_heap', { bytes: REPORT });
    const t0 = performance.now();
    await standin.push(fileEvent('om_heap', 'f_heap', 'test-fault-heap.docx'));
    const text = cardText((await resultCard(standin, 'om_heap')).final);
    const m = figure('check thread out of heap (limit 128 MB)', performance.now() - t0, bot);
    expect(text).toContain('文件过大或过于复杂，无法检查');
    expect(text).toContain('另存为纯文本 .txt');
    // The log line is written asynchronously: wait for it rather than race the reply.
    const failed = () => records(bot).find((r) => r.msg === '检查失败' && r.message_id === 'om_heap');
    await until(() => failed() !== undefined, 5000);
    expect(failed()?.code).toBe('ERR_WORKER_OUT_OF_MEMORY');
    expect(m.peakMb).toBeLessThan(1024);
    expect(bot.proc.exitCode).toBeNull();
    await stillChecks('om_after_heap');
  });

  it('a check that grows the process past its memory limit outside the heap: stopped, answered, memory returned', async () => {
    standin.files.set('f_offheap', { bytes: REPORT });
    const t0 = performance.now();
    await standin.push(fileEvent('om_offheap', 'f_offheap', 'test-fault-offheap.pdf'));
    const text = cardText((await resultCard(standin, 'om_offheap')).final);
    const m = figure(
      'check past the process memory limit (640 MB) outside the heap',
      performance.now() - t0,
      bot,
    );
    expect(text).toContain('文件过大或过于复杂，无法检查');
    expect(text).toContain('另存为 .docx 或 .txt');
    // The log line is written asynchronously: wait for it rather than race the reply.
    await until(() => records(bot).some((r) => r.msg === '内存超过上限，中止占用最大的检查'), 5000);
    expect(m.peakMb).toBeLessThan(1024);
    await until(() => memory(bot).rssMb < 640, 5000);
    await stillChecks('om_after_offheap');
  });

  it("past the process memory limit only the task reading the most is stopped: another sender's check running meanwhile is answered", async () => {
    // A small report whose check takes 1 s (test-only fault), then a 2 MB file that grows the process.
    const before = records(bot).filter((r) => r.msg === '内存超过上限，中止占用最大的检查').length;
    standin.files.set('f_small', { bytes: REPORT });
    await standin.push(fileEvent('om_small', 'f_small', 'test-fault-slow-年报.txt'));
    await standin.waitFor((r) => isReply(r, 'om_small', 'interactive'));
    const padded = new Uint8Array(2 * MB);
    padded.set(REPORT);
    standin.files.set('f_large', { bytes: padded });
    await standin.push(fileEvent('om_large', 'f_large', 'test-fault-offheap-2.pdf'));
    const large = cardText((await resultCard(standin, 'om_large')).final);
    const small = cardText((await resultCard(standin, 'om_small')).final);
    expect(large).toContain('文件过大或过于复杂，无法检查');
    expect(small).toContain('共发现 2 个错误');
    // The log line is written asynchronously: wait for it rather than race the reply.
    const stoppedNow = () =>
      records(bot)
        .filter((r) => r.msg === '内存超过上限，中止占用最大的检查')
        .slice(before);
    await until(() => stoppedNow().length > 0, 5000);
    const stopped = stoppedNow();
    expect(stopped.every((r) => r.input_mb === 2)).toBe(true);
    // The next report is checked as usual: while the stopped thread's memory is being returned,
    // the watchdog stops nobody else unless the process grows again.
    await stillChecks('om_after_large');
  });

  it('a batch whose summary files cannot be built in their thread: the card is still sent, saying so', async () => {
    const zip = zipSync({ '甲/年报.txt': REPORT, '乙/年报.txt': REPORT });
    standin.files.set('f_nosummary', { bytes: zip });
    // A test-only fault: the summary's thread exhausts its heap (the zip's name reaches it).
    await standin.push(fileEvent('om_nosummary', 'f_nosummary', 'test-fault-heap-汇总.zip'));
    const progress = await standin.waitFor((r) => isReply(r, 'om_nosummary', 'interactive'));
    const final = await standin.waitFor(
      (r) =>
        r.method === 'PATCH' &&
        r.path === `/open-apis/im/v1/messages/${progress.replyId}` &&
        !cardText(r).includes('正在'),
    );
    const text = cardText(final);
    expect(text).toContain('汇总表和汇总网页过大或过于复杂，未能生成；请分批发送。');
    expect(text).toContain('共审阅 2 份报告');
    await new Promise((r) => setTimeout(r, 500));
    expect(standin.requests.filter((r) => isReply(r, 'om_nosummary', 'file'))).toEqual([]);
    await stillChecks('om_after_nosummary');
  });

  it('a thread that exits in the middle of a check: answered, the next check runs', async () => {
    standin.files.set('f_exit', { bytes: REPORT });
    await standin.push(fileEvent('om_exit', 'f_exit', 'test-fault-exit.txt'));
    expect(cardText((await resultCard(standin, 'om_exit')).final)).toContain(
      '检查时出错，请确认文件没有损坏后重新发送。',
    );
    await stillChecks('om_after_exit');
  });

  it('a thread that throws after answering (no check to blame): logged, replaced, the bot lives on', async () => {
    standin.files.set('f_late', { bytes: REPORT });
    await standin.push(fileEvent('om_late', 'f_late', 'test-fault-late-throw.txt'));
    expect(cardText((await resultCard(standin, 'om_late')).final)).toContain('共发现 2 个错误');
    await until(() => records(bot).some((r) => r.msg === '检查线程异常退出'));
    expect(bot.proc.exitCode).toBeNull();
    await stillChecks('om_after_late');
  });
});

describe('time limits and stalled downloads', () => {
  let standin: StandIn;
  let bot: BotProcess;
  beforeAll(async () => {
    standin = await new StandIn().start();
    bot = await spawnBot(standin, {
      NIANBAO_BOT_TEST_FAULTS: '1',
      NIANBAO_BOT_CHECK_TIMEOUT_SECONDS: '3',
      NIANBAO_BOT_REQUEST_TIMEOUT_SECONDS: '5',
      // Each file on its own at once: the order of answers shows where the time goes.
      NIANBAO_BOT_BATCH_WINDOW_SECONDS: '0',
    });
    await standin.waitForConnections(1);
  });
  afterAll(async () => {
    await bot?.stop();
    await standin?.stop();
  });

  it('stalled downloads hold no check slot: a report sent after two stalls is answered first', async () => {
    standin.files.set('f_stall_a', { bytes: REPORT, delayMs: 4000 });
    standin.files.set('f_stall_b', { bytes: REPORT, delayMs: 4000 });
    standin.files.set('f_quick', { bytes: REPORT });
    await standin.push(fileEvent('om_stall_a', 'f_stall_a', 'a.txt'));
    await standin.push(fileEvent('om_stall_b', 'f_stall_b', 'b.txt'));
    await until(() => standin.downloading === 2);
    const t0 = performance.now();
    await standin.push(fileEvent('om_quick', 'f_quick', 'c.txt'));
    const quick = await resultCard(standin, 'om_quick');
    figure('report behind two stalled downloads (concurrency 2)', performance.now() - t0, bot);
    const a = await resultCard(standin, 'om_stall_a');
    const b = await resultCard(standin, 'om_stall_b');
    expect(quick.final.at).toBeLessThan(Math.min(a.final.at, b.final.at));
    expect(cardText(quick.final)).toContain('共发现 2 个错误');
  });

  it('a download that times out is answered as a timeout, not as a missing permission', async () => {
    standin.files.set('f_hang', { bytes: REPORT, delayMs: 10_000 });
    await standin.push(fileEvent('om_hang', 'f_hang', '年报.docx'));
    const text = cardText((await resultCard(standin, 'om_hang')).final);
    expect(text).toContain('下载文件超时（5 秒内未能下载完成），请稍后重新发送。');
    expect(text).not.toContain('权限');
  });

  it('a download refused for a missing scope names the permission the download needs', async () => {
    standin.files.set('f_denied', {
      status: 400,
      code: 99991672,
      msg: 'Access denied. One of the following scopes is required: [im:message]',
    });
    await standin.push(fileEvent('om_denied', 'f_denied', '年报.pdf'));
    expect(cardText((await resultCard(standin, 'om_denied')).final)).toContain(
      '下载文件失败（飞书错误码 99991672）：机器人无权读取这条消息的文件，缺少“获取与发送单聊、群组消息”（im:message）权限。请联系管理员在开发者后台开通并发布新版本，并确认机器人在这个会话中。',
    );
  });

  it('a check over the time limit is stopped; the advice fits the format', async () => {
    const advice: Record<string, string> = {
      'test-fault-busy.pdf': '请把报告另存为 .docx 或 .txt 后重新发送。',
      'test-fault-busy.docx': '请确认文件只包含年度报告本身',
      'test-fault-busy.doc': '另存为 .docx 后重新发送。',
      'test-fault-busy.txt': '请确认发送的是年度报告全文',
    };
    for (const [i, [name, expected]] of Object.entries(advice).entries()) {
      standin.files.set(`f_busy_${i}`, { bytes: REPORT });
      const t0 = performance.now();
      await standin.push(fileEvent(`om_busy_${i}`, `f_busy_${i}`, name));
      const text = cardText((await resultCard(standin, `om_busy_${i}`)).final);
      figure(`check over the time limit (3 s), ${name}`, performance.now() - t0, bot);
      expect(text).toContain('检查超时（超过 3 秒）：文件过于复杂。');
      expect(text).toContain(expected);
      if (name.endsWith('.docx')) expect(text).not.toContain('另存为 .docx');
    }
  });
});

describe('SIGTERM with work in hand', () => {
  it('every accepted message is answered — running checks, stalled downloads, the queue — then exit 0', async () => {
    const standin = await new StandIn().start();
    try {
      const bot = await spawnBot(standin, {
        NIANBAO_BOT_TEST_FAULTS: '1',
        NIANBAO_BOT_SHUTDOWN_SECONDS: '1',
      });
      await standin.waitForConnections(1);
      // Two checks that would never end hold both check slots; a third file waits for one; a
      // download stalls; a command and a file wait behind the first check in its chat.
      standin.files.set('f_busy', { bytes: REPORT });
      standin.files.set('f_wait', { bytes: REPORT });
      standin.files.set('f_stalled', { bytes: REPORT, delayMs: 60_000 });
      await standin.push(fileEvent('om_busy_1', 'f_busy', 'test-fault-busy.pdf', 'oc_a'));
      await standin.push(fileEvent('om_busy_2', 'f_busy', 'test-fault-busy.docx', 'oc_b'));
      await until(() => records(bot).filter((r) => r.msg === '开始检查').length === 2);
      await standin.push(fileEvent('om_wait', 'f_wait', '年报.txt', 'oc_c'));
      await standin.push(fileEvent('om_stalled', 'f_stalled', '年报.txt', 'oc_d'));
      await standin.push(
        messageEvent({
          messageId: 'om_queued_cmd',
          chatId: 'oc_a',
          messageType: 'text',
          content: { text: '帮助' },
        }),
      );
      await standin.push(fileEvent('om_queued_file', 'f_wait', '年报.txt', 'oc_a'));
      await until(
        () =>
          standin.downloading === 1 &&
          standin.requests.filter((r) => r.path === '/open-apis/im/v1/messages/om_wait/resources/f_wait')
            .length === 1,
      );
      const t0 = performance.now();
      const code = await bot.stop();
      const ms = performance.now() - t0;
      console.log(
        `[bot bounds] SIGTERM with 2 endless checks, 1 waiting, 1 stalled download, 2 queued: exit ${code} after ${Math.round(ms)} ms`,
      );
      expect(code).toBe(0);
      expect(ms).toBeLessThan(8000);
      // Those with a progress card have it patched; the others get a text reply.
      for (const mid of ['om_busy_1', 'om_busy_2', 'om_wait', 'om_stalled']) {
        expect(cardText((await resultCard(standin, mid, 1000)).final)).toContain(
          '服务正在重启，请稍后重新发送。',
        );
      }
      for (const mid of ['om_queued_cmd', 'om_queued_file'])
        expect(await replyText(standin, mid, 1000)).toBe('服务正在重启，请稍后重新发送。');
      expect(records(bot).map((r) => r.msg)).toContain('已停止');
    } finally {
      await standin.stop();
    }
  });
});
