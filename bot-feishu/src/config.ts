// The bot's configuration, from the environment. Errors are Chinese: operators read them.

export interface BotConfig {
  appId: string;
  appSecret: string;
  encryptKey: string;
  verificationToken: string;
  /** Open-platform base URL: https://open.feishu.cn, https://open.larksuite.com or a private deployment. */
  domain: string;
  mode: 'ws' | 'webhook';
  webhookPort: number;
  webhookPath: string;
  redisUrl: string;
  /** Largest report file accepted, bytes (checked before downloading). */
  maxBytes: number;
  /** Events whose message is older than this are replays and dropped, ms. */
  staleMs: number;
  /** Checks running at once, across chats. */
  concurrency: number;
  /** Files downloading or downloaded and waiting for a check slot, across chats (downloads never hold a check slot). */
  downloads: number;
  /** Heap limit of each check thread, MB (a check that needs more is stopped and answered). */
  workerMemoryMb: number;
  /** Memory of the whole process beyond which the running task reading the most is stopped, MB. */
  maxMemoryMb: number;
  /** What one batch may keep of its checked files (results, texts for the cross-year pass), MB; past it the rest are not checked. */
  batchMemoryMb: number;
  /** On SIGTERM, how long running checks may still finish before every open message is answered and the process exits, ms. */
  shutdownMs: number;
  /** Jobs waiting beyond this are answered with "busy". */
  maxQueued: number;
  /** Checks per user per minute. */
  ratePerMinute: number;
  /** Timeout of every open-platform request, ms. */
  requestTimeoutMs: number;
  /** Longest a single check may take, ms. */
  checkTimeoutMs: number;
  /** Report files sent by one sender in one chat within this time of the last one are reviewed together, ms (0: never). */
  batchWindowMs: number;
  /** Longest a batch review (a .zip, or files sent in a row) may take, ms. */
  batchTimeoutMs: number;
  /** Reply with plain text instead of cards (clients that cannot show schema-2.0 cards). */
  textOnly: boolean;
  logLevel: string;
}

export class BotConfigError extends Error {}

const DOMAINS: Record<string, string> = {
  feishu: 'https://open.feishu.cn',
  lark: 'https://open.larksuite.com',
};

export function readConfig(env: NodeJS.ProcessEnv = process.env): BotConfig {
  const problems: string[] = [];
  const need = (name: string) => {
    const v = env[name]?.trim() ?? '';
    if (!v) problems.push(`缺少环境变量 ${name}`);
    return v;
  };
  const num = (name: string, fallback: number, min: number) => {
    const raw = env[name]?.trim();
    if (!raw) return fallback;
    const v = Number(raw);
    if (!Number.isFinite(v) || v < min) {
      problems.push(`${name} 应为不小于 ${min} 的数字，实际为“${raw}”`);
      return fallback;
    }
    return v;
  };
  const appId = need('FEISHU_APP_ID');
  if (appId && !/^cli_[0-9a-fA-F]{16}$/.test(appId))
    problems.push(
      `FEISHU_APP_ID 应形如 cli_ 加 16 位十六进制字符（见开发者后台“凭证与基础信息”），实际为“${appId}”`,
    );
  const appSecret = need('FEISHU_APP_SECRET');
  const mode = (env.FEISHU_MODE?.trim() || 'ws') as BotConfig['mode'];
  if (mode !== 'ws' && mode !== 'webhook')
    problems.push(`FEISHU_MODE 只能是 ws（长连接）或 webhook，实际为“${mode}”`);
  const encryptKey = env.FEISHU_ENCRYPT_KEY?.trim() ?? '';
  if (mode === 'webhook' && !encryptKey)
    problems.push(
      'webhook 模式必须设置 FEISHU_ENCRYPT_KEY（开发者后台“事件与回调 › 加密策略”），否则无法校验请求来源',
    );
  const rawDomain = env.FEISHU_DOMAIN?.trim() || 'feishu';
  const domain = DOMAINS[rawDomain] ?? rawDomain.replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]+/.test(domain))
    problems.push(
      `FEISHU_DOMAIN 应为 feishu、lark 或开放平台地址（如 https://open.feishu.cn），实际为“${rawDomain}”`,
    );
  const config: BotConfig = {
    appId,
    appSecret,
    encryptKey,
    mode,
    domain,
    verificationToken: env.FEISHU_VERIFICATION_TOKEN?.trim() ?? '',
    webhookPort: num('NIANBAO_BOT_PORT', 3000, 0),
    webhookPath: env.NIANBAO_BOT_PATH?.trim() || '/webhook/event',
    redisUrl: env.REDIS_URL?.trim() ?? '',
    maxBytes: num('NIANBAO_BOT_MAX_MB', 20, 0.001) * 1024 * 1024,
    staleMs: num('NIANBAO_BOT_STALE_SECONDS', 600, 1) * 1000,
    concurrency: Math.floor(num('NIANBAO_BOT_CONCURRENCY', 2, 1)),
    maxQueued: Math.floor(num('NIANBAO_BOT_MAX_QUEUED', 200, 1)),
    downloads: Math.floor(num('NIANBAO_BOT_DOWNLOADS', 4, 1)),
    workerMemoryMb: Math.floor(num('NIANBAO_BOT_WORKER_MEMORY_MB', 320, 64)),
    maxMemoryMb: Math.floor(num('NIANBAO_BOT_MAX_MEMORY_MB', 900, 128)),
    batchMemoryMb: Math.floor(num('NIANBAO_BOT_BATCH_MEMORY_MB', 96, 8)),
    shutdownMs: num('NIANBAO_BOT_SHUTDOWN_SECONDS', 8, 0) * 1000,
    ratePerMinute: Math.floor(num('NIANBAO_BOT_RATE_PER_MINUTE', 20, 1)),
    requestTimeoutMs: num('NIANBAO_BOT_REQUEST_TIMEOUT_SECONDS', 20, 0.1) * 1000,
    checkTimeoutMs: num('NIANBAO_BOT_CHECK_TIMEOUT_SECONDS', 60, 0.1) * 1000,
    batchWindowMs: num('NIANBAO_BOT_BATCH_WINDOW_SECONDS', 3, 0) * 1000,
    batchTimeoutMs: num('NIANBAO_BOT_BATCH_TIMEOUT_SECONDS', 600, 1) * 1000,
    textOnly: /^(1|true|yes|text)$/i.test(env.NIANBAO_BOT_TEXT_ONLY?.trim() ?? ''),
    logLevel: env.LOG_LEVEL?.trim() || 'info',
  };
  if (problems.length) throw new BotConfigError(problems.join('\n'));
  return config;
}
