// Wiring: the SDK client, the shared store, the worker pool, the handler, and one transport —
// the long connection (WSClient, default: outbound only) or a webhook (webhook.ts: bounded reads,
// the Encrypt Key's signature and the timestamp's age checked before the SDK sees anything).
// Checks run in worker threads with a heap limit each; when the whole process grows past its memory
// limit a watchdog stops the task reading the most; a thread that dies never takes the bot with it.
import * as lark from '@larksuiteoapi/node-sdk';
import { Piscina } from 'piscina';
import { Bot, CheckMemoryError, type CheckRunner, type MessageEvent, type WorkRunner } from './bot.js';
import type { CheckOutcome } from './check.js';
import type { BotConfig } from './config.js';
import { Feishu } from './feishu.js';
import { type Logger, sdkLogger } from './log.js';
import { MemoryStore, RedisStore, type Store } from './store.js';
import { startWebhook } from './webhook.js';
import type { WorkerTask } from './worker.js';

export interface RunningBot {
  bot: Bot;
  /** The webhook's port (webhook mode). */
  port?: number;
  stop(): Promise<void>;
}

/** How often the process's memory is sampled while checks run. */
const WATCHDOG_MS = 50;
/** After stopping a task, how long the watchdog waits for its thread's memory to be returned. */
const WATCHDOG_CALM_MS = 1000;

/** The size of what a task reads (a zip's entry: the whole archive): the memory outside its thread's heap grows with it. */
function weightOf(task: WorkerTask): number {
  if (!('kind' in task)) return task.bytes?.length ?? (task.text?.length ?? 0) * 2;
  if (task.kind === 'file') return task.bytes?.length ?? 0;
  if (task.kind === 'summary') return task.weight;
  return task.items.reduce((n, i) => n + i.text.length * 2, 0);
}

export class StartError extends Error {}

export async function startBot(
  config: BotConfig,
  log: Logger,
  options: { onFatal?: (e: Error) => void } = {},
): Promise<RunningBot> {
  const logger = sdkLogger(log, [config.appSecret, config.encryptKey, config.verificationToken]);
  const feishu = openPlatform(config, logger);
  const store = await openStore(config, log);
  const checks = checkPool(config, log);
  const bot = new Bot({
    feishu,
    store,
    config,
    log,
    run: checks.run,
    work: checks.work,
    botOpenId: await botOpenId(feishu, log),
  });
  const dispatcher = new lark.EventDispatcher({
    encryptKey: config.encryptKey,
    verificationToken: config.verificationToken,
    logger,
    loggerLevel: lark.LoggerLevel.warn,
  }).register({
    'im.message.receive_v1': async (data: unknown) => ({
      decision: await bot.onMessage(data as MessageEvent),
    }),
  });
  let transport: Transport;
  try {
    transport =
      config.mode === 'ws'
        ? await longConnection(config, log, logger, dispatcher, options.onFatal)
        : await webhookTransport(config, log, dispatcher, bot);
  } catch (e) {
    await checks.close();
    await store.close();
    throw e;
  }
  return {
    bot,
    port: transport.port,
    async stop() {
      // The bot refuses new events from here on (a webhook answers 503; the long connection closes).
      const shutdown = bot.shutdown(config.shutdownMs);
      await transport.close();
      await shutdown;
      await checks.close();
      await store.close();
    },
  };
}

type SdkLogger = ReturnType<typeof sdkLogger>;

/** The SDK client; every open-platform request of this process times out (the SDK's shared HTTP instance). */
function openPlatform(config: BotConfig, logger: SdkLogger): Feishu {
  lark.defaultHttpInstance.defaults.timeout = config.requestTimeoutMs;
  const client = new lark.Client({
    appId: config.appId,
    appSecret: config.appSecret,
    domain: config.domain,
    logger,
    loggerLevel: lark.LoggerLevel.warn,
  });
  return new Feishu(client, config.requestTimeoutMs);
}

/** De-duplication and rate limits: in Redis when several instances share the app, else in memory. */
async function openStore(config: BotConfig, log: Logger): Promise<Store> {
  if (!config.redisUrl) return new MemoryStore();
  const redis = new RedisStore(config.redisUrl);
  try {
    await redis.ping();
  } catch (e) {
    await redis.close();
    throw new StartError(`无法连接 Redis（REDIS_URL）：${(e as Error).message}`);
  }
  log.info('去重与限流状态保存在 Redis');
  return redis;
}

/**
 * The worker threads that check reports, each with a heap limit, and a watchdog that stops the
 * largest running task when the process as a whole grows past its memory limit (memory outside
 * the threads' heaps — typed arrays, buffers — is not bounded by resourceLimits).
 */
function checkPool(
  config: BotConfig,
  log: Logger,
): { run: CheckRunner; work: WorkRunner; close(): Promise<void> } {
  const pool = new Piscina<WorkerTask, unknown>({
    filename: new URL('./worker.js', import.meta.url).href,
    minThreads: 1,
    maxThreads: config.concurrency,
    // A new thread loads the grammar (hundreds of ms): keep extra threads through a busy spell.
    idleTimeout: 5 * 60_000,
    // A check that needs more heap than this is stopped (ERR_WORKER_OUT_OF_MEMORY) and its thread replaced.
    resourceLimits: { maxOldGenerationSizeMb: config.workerMemoryMb, stackSizeMb: 4 },
    // Idle threads run their event loop (rather than block in Atomics.wait), so anything a check
    // left scheduled fails while the thread is idle, not inside the next sender's check.
    atomics: 'disabled',
  });
  // A thread that fails outside any task (an error thrown after its answer): logged, and the pool
  // replaces the thread. Without a listener the pool's 'error' event would end the process.
  pool.on('error', (e: Error & { code?: string }) =>
    log.error({ err: `${e.name}: ${e.message}`, code: e.code }, '检查线程异常退出'),
  );
  // The tasks in the threads, each with the size of its input (the bytes, the text, the zip entry,
  // the summary's rows): memory outside a thread's heap grows with what it reads.
  const running = new Map<AbortController, { weight: number; started: number }>();
  const maxRss = config.maxMemoryMb * 1024 * 1024;
  let calmUntil = 0;
  // The process's size when the last task was stopped: memory a stopped thread held is returned
  // over time, and until it is, the tasks still running are not to blame — another is stopped only
  // if the process grows beyond that size again.
  let sizeAtStop = 0;
  const watchdog = setInterval(() => {
    if (!running.size || Date.now() < calmUntil) return;
    const rss = process.memoryUsage.rss();
    if (rss <= maxRss) {
      sizeAtStop = 0;
      return;
    }
    if (sizeAtStop && rss <= sizeAtStop) return;
    // One task is stopped, the one reading the most (the longest running of equals), not every
    // running check: another sender's small report is not stopped for someone else's large one.
    // Its thread ends and its memory returns; the next is judged only after a pause for that.
    const [victim, v] = [...running].sort(
      (a, b) => b[1].weight - a[1].weight || a[1].started - b[1].started,
    )[0];
    log.error(
      {
        rss_mb: Math.round(rss / 1048576),
        limit_mb: config.maxMemoryMb,
        running: running.size,
        input_mb: Math.round(v.weight / 1048576),
      },
      '内存超过上限，中止占用最大的检查',
    );
    running.delete(victim);
    victim.abort(new CheckMemoryError());
    calmUntil = Date.now() + WATCHDOG_CALM_MS;
    sizeAtStop = rss;
  }, WATCHDOG_MS);
  watchdog.unref();
  const work = async (task: WorkerTask, signal: AbortSignal): Promise<unknown> => {
    const local = new AbortController();
    const forward = () => local.abort(signal.reason);
    if (signal.aborted) forward();
    else signal.addEventListener('abort', forward, { once: true });
    running.set(local, { weight: weightOf(task), started: Date.now() });
    try {
      return await pool.run(task, { signal: local.signal });
    } catch (e) {
      if (local.signal.reason instanceof CheckMemoryError) throw local.signal.reason;
      throw e;
    } finally {
      running.delete(local);
      signal.removeEventListener('abort', forward);
    }
  };
  return {
    run: (task, signal) => work(task, signal) as Promise<CheckOutcome>,
    work: work as WorkRunner,
    async close() {
      clearInterval(watchdog);
      await pool.destroy();
    },
  };
}

async function botOpenId(feishu: Feishu, log: Logger): Promise<string> {
  try {
    return await feishu.botOpenId();
  } catch (e) {
    log.warn({ err: (e as Error).message }, '无法获取机器人信息；群聊中任何 @ 都会被视为 @ 机器人');
    return '';
  }
}

interface Transport {
  port?: number;
  close(): Promise<void>;
}

/**
 * The long connection: waits for the first attempt (a network slow to come up is retried by the
 * SDK in the background); credentials refused at once are a start-up error.
 */
async function longConnection(
  config: BotConfig,
  log: Logger,
  logger: SdkLogger,
  dispatcher: lark.EventDispatcher,
  onFatal?: (e: Error) => void,
): Promise<Transport> {
  let failure: Error | null = null;
  let ready = false;
  let settle: () => void = () => {};
  const first = new Promise<void>((resolve) => {
    settle = resolve;
  });
  const ws = new lark.WSClient({
    appId: config.appId,
    appSecret: config.appSecret,
    domain: config.domain,
    logger,
    loggerLevel: lark.LoggerLevel.warn,
    onReady: () => {
      ready = true;
      log.info('长连接已建立');
      settle();
    },
    onReconnected: () => log.info('长连接已重新建立'),
    onError: (e: Error) => {
      failure = e;
      log.error({ err: e.message }, '长连接失败');
      settle();
      // Given up for good (bad credentials, retries exhausted) after having run: let the supervisor restart us.
      if (ready) onFatal?.(e);
    },
  });
  await ws.start({ eventDispatcher: dispatcher });
  const timer = setTimeout(settle, config.requestTimeoutMs);
  await first;
  clearTimeout(timer);
  if (failure) {
    ws.close({ force: true });
    throw new StartError(
      `无法建立长连接（请检查 FEISHU_APP_ID、FEISHU_APP_SECRET 和 FEISHU_DOMAIN）：${(failure as Error).message}`,
    );
  }
  if (!ready) log.warn('长连接暂未建立，正在重试');
  return { close: async () => ws.close({ force: true }) };
}

async function webhookTransport(
  config: BotConfig,
  log: Logger,
  dispatcher: lark.EventDispatcher,
  bot: Bot,
): Promise<Transport> {
  const webhook = await startWebhook({ config, log, dispatcher, stopping: () => bot.isStopping });
  log.info({ port: webhook.port, path: config.webhookPath }, '事件回调地址已监听');
  return { port: webhook.port, close: () => webhook.close() };
}
