// Wiring: the SDK client, the shared store, the worker pool, the handler, and one transport —
// the long connection (WSClient, default: outbound only) or a webhook (adaptDefault behind a Node
// HTTP server, with the Encrypt Key's signature checked).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as lark from '@larksuiteoapi/node-sdk';
import { Piscina } from 'piscina';
import type { BotConfig } from './config.js';
import { sdkLogger, type Logger } from './log.js';
import { MemoryStore, RedisStore, type Store } from './store.js';
import { Feishu } from './feishu.js';
import { Bot, type CheckRunner, type MessageEvent } from './bot.js';
import type { CheckOutcome, CheckTask } from './check.js';

export interface RunningBot {
  bot: Bot;
  /** The webhook's port (webhook mode). */
  port?: number;
  stop(): Promise<void>;
}

/** Largest webhook body accepted; events are a few KB. */
const MAX_EVENT_BYTES = 1024 * 1024;

export class StartError extends Error {}

export async function startBot(config: BotConfig, log: Logger, options: { onFatal?: (e: Error) => void } = {}): Promise<RunningBot> {
  const secrets = [config.appSecret, config.encryptKey, config.verificationToken];
  const logger = sdkLogger(log, secrets);
  // Every open-platform request of this process times out (the SDK's shared HTTP instance).
  lark.defaultHttpInstance.defaults.timeout = config.requestTimeoutMs;
  const client = new lark.Client({ appId: config.appId, appSecret: config.appSecret, domain: config.domain, logger, loggerLevel: lark.LoggerLevel.warn });
  const feishu = new Feishu(client, config.requestTimeoutMs);

  let store: Store;
  if (config.redisUrl) {
    const redis = new RedisStore(config.redisUrl);
    try {
      await redis.ping();
    } catch (e) {
      await redis.close();
      throw new StartError(`无法连接 Redis（REDIS_URL）：${(e as Error).message}`);
    }
    store = redis;
    log.info('去重与限流状态保存在 Redis');
  } else {
    store = new MemoryStore();
  }

  const pool = new Piscina<CheckTask, CheckOutcome>({
    filename: new URL('./worker.js', import.meta.url).href,
    minThreads: 1,
    maxThreads: config.concurrency,
    // A new thread loads the grammar (hundreds of ms): keep extra threads through a busy spell.
    idleTimeout: 5 * 60_000,
  });
  const run: CheckRunner = (task, signal) => pool.run(task, { signal });

  let botOpenId = '';
  try {
    botOpenId = await feishu.botOpenId();
  } catch (e) {
    log.warn({ err: (e as Error).message }, '无法获取机器人信息；群聊中任何 @ 都会被视为 @ 机器人');
  }

  const bot = new Bot({ feishu, store, config, log, run, botOpenId });
  const dispatcher = new lark.EventDispatcher({ encryptKey: config.encryptKey, verificationToken: config.verificationToken, logger, loggerLevel: lark.LoggerLevel.warn }).register({
    'im.message.receive_v1': async (data: unknown) => ({ decision: await bot.onMessage(data as MessageEvent) }),
  });

  let closeTransport: () => Promise<void>;
  let port: number | undefined;
  if (config.mode === 'ws') {
    let failure: Error | null = null;
    let ready = false;
    let settle: () => void = () => {};
    const first = new Promise<void>((resolve) => { settle = resolve; });
    const ws = new lark.WSClient({
      appId: config.appId, appSecret: config.appSecret, domain: config.domain, logger, loggerLevel: lark.LoggerLevel.warn,
      onReady: () => { ready = true; log.info('长连接已建立'); settle(); },
      onReconnected: () => log.info('长连接已重新建立'),
      onError: (e: Error) => {
        failure = e;
        log.error({ err: e.message }, '长连接失败');
        settle();
        // Given up for good (bad credentials, retries exhausted) after having run: let the supervisor restart us.
        if (ready) options.onFatal?.(e);
      },
    });
    await ws.start({ eventDispatcher: dispatcher });
    // start() returns before the first attempt ends: wait for it (a network that is slow to come up
    // is retried by the SDK in the background).
    const timer = setTimeout(settle, config.requestTimeoutMs);
    await first;
    clearTimeout(timer);
    if (failure) {
      ws.close({ force: true });
      await pool.destroy();
      await store.close();
      throw new StartError(`无法建立长连接（请检查 FEISHU_APP_ID、FEISHU_APP_SECRET 和 FEISHU_DOMAIN）：${(failure as Error).message}`);
    }
    if (!ready) log.warn('长连接暂未建立，正在重试');
    closeTransport = async () => ws.close({ force: true });
  } else {
    const handle = lark.adaptDefault(config.webhookPath, dispatcher, { autoChallenge: true });
    const server = http.createServer((req, res) => {
      const url = (req.url ?? '').split('?')[0];
      if (req.method === 'GET' && url === '/healthz') return void res.end('ok');
      if (req.method !== 'POST' || url !== config.webhookPath) { res.statusCode = 404; return void res.end(); }
      if (Number(req.headers['content-length'] ?? 0) > MAX_EVENT_BYTES) { res.statusCode = 413; return void res.end(); }
      res.setHeader('Content-Type', 'application/json; charset=utf-8');
      // adaptDefault answers a request that fails the signature check with an empty body and
      // never runs the handler; make that a 401 so the sender sees the rejection.
      const end = res.end.bind(res) as (body?: string) => http.ServerResponse;
      (res as { end: (body?: string) => http.ServerResponse }).end = (body?: string) => {
        if (body === undefined) {
          res.statusCode = 401;
          log.warn({ ip: req.socket.remoteAddress }, '事件签名校验失败，已拒绝');
          return end(JSON.stringify({ msg: '签名校验失败' }));
        }
        return end(body);
      };
      req.url = url;
      handle(req, res).catch((e: Error & { code?: string }) => {
        if (res.writableEnded) return;
        // A body encrypted with another key fails in the SDK's challenge check, before the signature.
        if (/decrypt/i.test(e.message) || e.code?.startsWith('ERR_OSSL')) {
          log.warn({ ip: req.socket.remoteAddress }, '事件签名校验失败，已拒绝');
          res.statusCode = 401;
          return void end(JSON.stringify({ msg: '签名校验失败' }));
        }
        log.error({ err: e.message }, '事件处理出错');
        res.statusCode = 500;
        end(JSON.stringify({ msg: '事件处理出错' }));
      });
    });
    await new Promise<void>((resolve, reject) => { server.once('error', reject); server.listen(config.webhookPort, resolve); });
    port = (server.address() as AddressInfo).port;
    log.info({ port, path: config.webhookPath }, '事件回调地址已监听');
    closeTransport = () => new Promise((resolve) => server.close(() => resolve()));
  }

  return {
    bot,
    port,
    async stop() {
      await closeTransport();
      await bot.idle();
      await pool.destroy();
      await store.close();
    },
  };
}
