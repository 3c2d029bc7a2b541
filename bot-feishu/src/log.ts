// Logging: pino, JSON lines. Never secrets, tokens or report text: the bot logs ids, sizes, counts
// and error codes only, and the SDK's own messages pass through `sdkLogger`, which keeps their text
// but drops the request/response objects it attaches (those carry app secrets and message content).
import { type Logger, pino } from 'pino';

export type { Logger };

export function createLogger(level: string, secrets: string[], destination?: NodeJS.WritableStream): Logger {
  const scrub = scrubber(secrets);
  return pino(
    {
      level,
      base: { app: 'nianbao-feishu' },
      redact: {
        paths: [
          '*.authorization',
          '*.Authorization',
          '*.app_secret',
          '*.tenant_access_token',
          '*.content',
          '*.text',
        ],
        censor: '[已隐去]',
      },
      hooks: {
        logMethod(args, method) {
          method.apply(
            this,
            args.map((a) => (typeof a === 'string' ? scrub(a) : a)) as Parameters<typeof method>,
          );
        },
      },
    },
    destination as pino.DestinationStream | undefined,
  );
}

/** Replaces every known secret and any bearer token in a string. */
export function scrubber(secrets: string[]): (s: string) => string {
  const known = secrets.filter((s) => s.length >= 4);
  return (s) => {
    let out = s.replace(/(Bearer\s+)\S+/gi, '$1[已隐去]').replace(/\b[tu]-[A-Za-z0-9._-]{16,}/g, '[已隐去]');
    for (const k of known) out = out.split(k).join('[已隐去]');
    return out;
  };
}

/** The SDK's logger interface, routed to pino with only the text of each message. */
export function sdkLogger(log: Logger, secrets: string[]) {
  const scrub = scrubber(secrets);
  const text = (args: unknown[]) => scrub(args.map(describe).filter(Boolean).join(' ')).slice(0, 500);
  return {
    error: (...a: unknown[]) => log.error({ sdk: text(a) }, 'SDK 错误'),
    warn: (...a: unknown[]) => log.warn({ sdk: text(a) }, 'SDK 警告'),
    info: (...a: unknown[]) => log.debug({ sdk: text(a) }, 'SDK'),
    debug: () => {},
    trace: () => {},
  };
}

function describe(a: unknown): string {
  if (typeof a === 'string') return a;
  if (Array.isArray(a)) return a.map(describe).join(' ');
  if (a && typeof a === 'object') {
    const o = a as Record<string, unknown>;
    const parts: string[] = [];
    if (typeof o.message === 'string') parts.push(o.message);
    const res = o.response as Record<string, unknown> | undefined;
    if (res && typeof res.status === 'number') parts.push(`HTTP ${res.status}`);
    if (typeof o.code === 'number') parts.push(`code ${o.code}`);
    if (typeof o.msg === 'string') parts.push(o.msg);
    return parts.join(' ');
  }
  return '';
}
