// The webhook transport: a Node HTTP server that reads each delivery itself — counting bytes as
// they arrive and cutting the request at the limit, whatever the framing (Content-Length or
// chunked) — checks the signature over the raw body and the timestamp's age, and only then hands
// the event to the SDK's dispatcher. Nothing an unsigned sender can send reaches the SDK, except
// a URL verification challenge, which is answered only when it is encrypted with our Encrypt Key
// (and carries our Verification Token, when one is set).
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type * as lark from '@larksuiteoapi/node-sdk';
import type { BotConfig } from './config.js';
import type { Logger } from './log.js';

/** Largest delivery accepted; events are a few KB (a long pasted report, encrypted, a few hundred KB). */
export const MAX_EVENT_BYTES = 1024 * 1024;
/** Bytes of request bodies held at once across all connections; beyond it, 503. */
export const MAX_BUFFERED_BYTES = 32 * 1024 * 1024;
/** Time to send the request headers, and the whole request. */
export const HEADERS_TIMEOUT_MS = 10_000;
export const REQUEST_TIMEOUT_MS = 30_000;
export const MAX_CONNECTIONS = 1000;
export const MAX_HEADERS = 64;
/** After refusing a request whose body is still arriving, how long the rest is read and dropped before the connection is closed. */
const LINGER_MS = 1000;

export interface Webhook {
  port: number;
  /** Stops listening; connections still open after `graceMs` are closed. */
  close(graceMs?: number): Promise<void>;
}

export interface WebhookDeps {
  config: BotConfig;
  log: Logger;
  dispatcher: lark.EventDispatcher;
  /** True while shutting down: deliveries get 503 (Feishu delivers them again later). */
  stopping: () => boolean;
}

export async function startWebhook({ config, log, dispatcher, stopping }: WebhookDeps): Promise<Webhook> {
  const key = crypto.createHash('sha256').update(config.encryptKey).digest();
  const warn = throttled(log);
  const pool = { buffered: 0 };

  const server = http.createServer(
    {
      headersTimeout: HEADERS_TIMEOUT_MS,
      requestTimeout: REQUEST_TIMEOUT_MS,
      keepAliveTimeout: 5000,
      // How often the two timeouts above are enforced (Node's default is every 30 s).
      connectionsCheckingInterval: 1000,
      maxHeaderSize: 16 * 1024,
    },
    (req, res) => {
      handle(req, res).catch((e: Error) => {
        log.error({ err: e.message }, '事件处理出错');
        if (!res.headersSent) send(res, 500, { msg: '事件处理出错' });
        else res.destroy();
      });
    },
  );
  server.maxHeadersCount = MAX_HEADERS;
  server.maxConnections = MAX_CONNECTIONS;
  // Malformed requests, headers over maxHeaderSize or too slow get Node's own 400/431/408 and are closed.

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = (req.url ?? '').split('?')[0];
    if (req.method === 'GET' && url === '/healthz') return void res.end('ok');
    if (req.method !== 'POST' || url !== config.webhookPath) return send(res, 404);
    if (stopping()) return refuse(req, res, 503, { msg: '服务正在重启' });
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > MAX_EVENT_BYTES) return refuse(req, res, 413, { msg: '请求体过大' });
    const body = await readBody(req, pool);
    if (body === 'too-large') return refuse(req, res, 413, { msg: '请求体过大' });
    if (body === 'busy') return refuse(req, res, 503, { msg: '服务繁忙' });
    if (body === 'aborted') return;

    const ip = req.socket.remoteAddress;
    const signed = checkSignature(req, body, config);
    if (signed === 'bad' || signed === 'stale') {
      warn(
        signed === 'bad' ? 'bad-signature' : 'stale',
        { ip },
        signed === 'bad' ? '事件签名校验失败，已拒绝' : '事件时间戳过期，已拒绝',
      );
      return send(res, 401, { msg: signed === 'bad' ? '签名校验失败' : '请求时间戳过期' });
    }
    const envelope = openEnvelope(body, key);
    if (!envelope) {
      warn('bad-signature', { ip }, '事件签名校验失败，已拒绝');
      return send(res, 401, { msg: '签名校验失败' });
    }
    const { outer, inner } = envelope;

    if (inner.type === 'url_verification') {
      // Feishu sends the challenge encrypted with the Encrypt Key (and possibly unsigned): being
      // able to decrypt it is the proof. A plain-text challenge could come from anyone.
      const encrypted = typeof outer.encrypt === 'string';
      const tokenOk = !config.verificationToken || inner.token === config.verificationToken;
      if (!encrypted || !tokenOk || typeof inner.challenge !== 'string') {
        warn('bad-challenge', { ip, encrypted, token_ok: tokenOk }, 'URL 验证请求未通过校验，已拒绝');
        return send(res, 401, { msg: '签名校验失败' });
      }
      log.info('已响应 URL 验证请求');
      return send(res, 200, { challenge: inner.challenge });
    }
    if (signed === 'unsigned') {
      warn('bad-signature', { ip }, '事件签名校验失败，已拒绝');
      return send(res, 401, { msg: '签名校验失败' });
    }
    // Signature and age verified over the raw body above; the dispatcher decrypts and routes.
    const data = Object.assign(Object.create({ headers: req.headers }), outer);
    const value = await dispatcher.invoke(data, { needCheck: false });
    send(res, 200, value ?? {});
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.webhookPort, resolve);
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    close: (graceMs = 2000) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(() => server.closeAllConnections(), graceMs);
        server.close(() => {
          clearTimeout(timer);
          resolve();
        });
        server.closeIdleConnections();
      }),
  };
}

/** The body, counted as it arrives: never more than MAX_EVENT_BYTES of it, nor MAX_BUFFERED_BYTES across requests. */
function readBody(
  req: http.IncomingMessage,
  pool: { buffered: number },
): Promise<Buffer | 'too-large' | 'busy' | 'aborted'> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (result: Buffer | 'too-large' | 'busy' | 'aborted') => {
      if (done) return;
      done = true;
      pool.buffered -= size;
      chunks.length = 0;
      req.off('data', onData).off('end', onEnd).off('error', onClose).off('close', onClose);
      // What is left of a refused body is read and dropped (never held) until the socket closes.
      if (typeof result === 'string') req.resume();
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      pool.buffered += chunk.length;
      if (size > MAX_EVENT_BYTES) return finish('too-large');
      if (pool.buffered > MAX_BUFFERED_BYTES) return finish('busy');
      chunks.push(chunk);
    };
    const onEnd = () => {
      const body = Buffer.concat(chunks);
      finish(body);
    };
    const onClose = () => finish('aborted');
    req.on('data', onData).on('end', onEnd).on('error', onClose).on('close', onClose);
  });
}

/**
 * The request's signature over the raw body (sha256 of timestamp + nonce + Encrypt Key + body) and the
 * timestamp's age. 'unsigned': no signature headers (only an encrypted challenge may come so).
 */
function checkSignature(
  req: http.IncomingMessage,
  body: Buffer,
  config: BotConfig,
): 'ok' | 'unsigned' | 'bad' | 'stale' {
  const timestamp = header(req, 'x-lark-request-timestamp');
  const nonce = header(req, 'x-lark-request-nonce');
  const signature = header(req, 'x-lark-signature');
  if (!timestamp || !nonce || !signature) return 'unsigned';
  const expected = crypto
    .createHash('sha256')
    .update(timestamp + nonce + config.encryptKey)
    .update(body)
    .digest();
  const given = Buffer.from(signature, 'hex');
  if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) return 'bad';
  const age = Date.now() / 1000 - Number(timestamp);
  return !Number.isFinite(age) || Math.abs(age) > config.staleMs / 1000 ? 'stale' : 'ok';
}

/** The event's JSON, and inside it the decrypted event when it came encrypted; null when either is not JSON. */
function openEnvelope(
  body: Buffer,
  key: Buffer,
): { outer: Record<string, unknown>; inner: Record<string, unknown> } | null {
  try {
    const outer = JSON.parse(body.toString('utf8'));
    if (!outer || typeof outer !== 'object' || Array.isArray(outer)) return null;
    const inner = typeof outer.encrypt === 'string' ? JSON.parse(decrypt(key, outer.encrypt)) : outer;
    if (!inner || typeof inner !== 'object') return null;
    return { outer, inner };
  } catch {
    return null;
  }
}

/**
 * Refuses a request whose body may still be arriving. Closing at once would reset the connection
 * while the sender is still writing, and the reset can destroy the refusal before the sender reads
 * it; instead the rest of the body is read and dropped (never held) for a moment, then the
 * connection is closed whatever the sender is doing (a lingering close).
 */
function refuse(req: http.IncomingMessage, res: http.ServerResponse, status: number, body: unknown): void {
  if (!req.complete) {
    const socket = req.socket;
    // Node calls destroySoon() once a `Connection: close` response is written.
    socket.destroySoon = () => {
      socket.end();
      setTimeout(() => socket.destroy(), LINGER_MS).unref();
    };
    req.resume();
  }
  send(res, status, body);
}

/** A response; refusals close the connection. */
function send(res: http.ServerResponse, status: number, body?: unknown): void {
  if (res.headersSent) return void res.end();
  res.statusCode = status;
  if (status >= 400) res.setHeader('Connection', 'close');
  if (body === undefined) return void res.end();
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.end(JSON.stringify(body));
}

function header(req: http.IncomingMessage, name: string): string {
  const v = req.headers[name];
  return typeof v === 'string' ? v : '';
}

/** Feishu's event encryption: AES-256-CBC, key = SHA-256 of the Encrypt Key, the IV in front, base64. */
function decrypt(key: Buffer, encrypted: string): string {
  const raw = Buffer.from(encrypted, 'base64');
  if (raw.length < 32 || raw.length % 16) throw new Error('bad ciphertext');
  const decipher = crypto.createDecipheriv('aes-256-cbc', key, raw.subarray(0, 16));
  return Buffer.concat([decipher.update(raw.subarray(16)), decipher.final()]).toString('utf8');
}

/**
 * Warnings about refused requests, at most 20 a minute for each kind: a flood of forged requests
 * must not become a flood of log lines.
 */
function throttled(log: Logger) {
  const counts = new Map<string, { minute: number; n: number }>();
  return (kind: string, fields: Record<string, unknown>, msg: string) => {
    const minute = Math.floor(Date.now() / 60_000);
    const c = counts.get(kind);
    const entry = c && c.minute === minute ? c : { minute, n: 0 };
    counts.set(kind, entry);
    entry.n++;
    if (entry.n <= 20) log.warn(fields, msg);
    else if (entry.n === 21) log.warn({ kind }, '被拒绝的请求过多，本分钟内不再逐条记录');
  };
}
