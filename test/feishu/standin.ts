// A loopback stand-in of the Feishu open platform for the bot's tests: the HTTP endpoints the bot
// calls (token, bot info, message get/reply/create/patch, resource download, file upload), the
// long-connection endpoint with its protobuf frames, and helpers to deliver events the way
// Feishu does (over the long connection, or as signed and encrypted webhook POSTs). Every request
// is recorded.
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import busboy from 'busboy';
import protobuf from 'protobufjs';
import { type WebSocket, WebSocketServer } from 'ws';

const root = protobuf.Root.fromJSON({
  nested: {
    pbbp2: {
      nested: {
        Header: {
          fields: {
            key: { rule: 'required', type: 'string', id: 1 },
            value: { rule: 'required', type: 'string', id: 2 },
          },
        },
        Frame: {
          fields: {
            SeqID: { rule: 'required', type: 'uint64', id: 1 },
            LogID: { rule: 'required', type: 'uint64', id: 2 },
            service: { rule: 'required', type: 'int32', id: 3 },
            method: { rule: 'required', type: 'int32', id: 4 },
            headers: { rule: 'repeated', type: 'Header', id: 5 },
            payloadEncoding: { type: 'string', id: 6 },
            payloadType: { type: 'string', id: 7 },
            payload: { type: 'bytes', id: 8 },
            LogIDNew: { type: 'string', id: 9 },
          },
        },
      },
    },
  },
});
const Frame = root.lookupType('pbbp2.Frame');

export const APP_ID = 'cli_a1b2c3d4e5f60718';
export const APP_SECRET = 'standin-app-secret-7f3a9c';
export const TENANT_TOKEN = 't-standin-tenant-token-0123456789abcdef';
export const BOT_OPEN_ID = 'ou_bot_standin';

export interface Recorded {
  method: string;
  path: string;
  query: Record<string, string>;
  authorization?: string;
  json?: Record<string, unknown>;
  /** multipart fields of a file upload (the file as bytes). */
  form?: { file_type?: string; file_name?: string; file?: Uint8Array };
  at: number;
  /** The message id answered for a reply or a new message. */
  replyId?: string;
}

export interface StoredFile {
  bytes: Uint8Array;
  contentLength?: boolean /** Delay before answering this file's download, ms (on top of `downloadDelayMs`). */;
  delayMs?: number;
}
export interface FailingFile {
  status: number;
  code: number;
  msg: string;
}

export class StandIn {
  readonly requests: Recorded[] = [];
  readonly files = new Map<string, StoredFile | FailingFile>();
  readonly messages = new Map<
    string,
    { msg_type: string; content: string; sender_type?: string } | FailingFile
  >();
  /** Replies to these messages fail with the given code (e.g. 230011: the message was recalled). */
  readonly replyCodes = new Map<string, number>();
  /** Code returned by the next PATCHes (e.g. 230031 card expired), 0 for success. */
  patchCode = 0;
  /** Delay before answering the resource download, ms. */
  downloadDelayMs = 0;
  /** Downloads being answered now, and the most at once so far. */
  downloading = 0;
  maxDownloading = 0;
  readonly uploads = new Map<string, { name: string; bytes: Uint8Array }>();
  private server: http.Server;
  private wss: WebSocketServer;
  readonly sockets: WebSocket[] = [];
  private acks = new Map<string, (ms: number) => void>();
  private seq = 0;
  private nextId = 0;
  url = '';
  private listeners: Array<(r: Recorded) => void> = [];

  constructor() {
    this.server = http.createServer((req, res) => void this.route(req, res));
    this.wss = new WebSocketServer({ noServer: true });
    this.server.on('upgrade', (req, socket, head) => {
      if (!req.url?.startsWith('/ws')) return socket.destroy();
      this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws));
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.terminate();
    this.wss.close();
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  /** Requests matching method and path prefix/pattern. */
  calls(method: string, path: RegExp | string): Recorded[] {
    return this.requests.filter(
      (r) => r.method === method && (typeof path === 'string' ? r.path === path : path.test(r.path)),
    );
  }

  /** Resolves with the first recorded request satisfying `pred` (already recorded or future). */
  waitFor(pred: (r: Recorded) => boolean, timeoutMs = 20000): Promise<Recorded> {
    const hit = this.requests.find(pred);
    if (hit) return Promise.resolve(hit);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.listeners = this.listeners.filter((l) => l !== listener);
        reject(new Error('stand-in: timed out waiting for a request'));
      }, timeoutMs);
      const listener = (r: Recorded) => {
        if (!pred(r)) return;
        clearTimeout(timer);
        this.listeners = this.listeners.filter((l) => l !== listener);
        resolve(r);
      };
      this.listeners.push(listener);
    });
  }

  private record(r: Recorded) {
    this.requests.push(r);
    for (const l of [...this.listeners]) l(r);
  }

  private async route(req: http.IncomingMessage, res: http.ServerResponse) {
    const u = new URL(req.url ?? '/', this.url);
    const body = await readBody(req);
    const rec: Recorded = {
      method: req.method ?? '',
      path: u.pathname,
      query: Object.fromEntries(u.searchParams),
      authorization: req.headers.authorization,
      at: Date.now(),
    };
    const type = req.headers['content-type'] ?? '';
    if (type.startsWith('application/json') && body.length) rec.json = JSON.parse(body.toString('utf8'));
    if (type.startsWith('multipart/form-data')) {
      rec.form = await parseForm(body, type);
    }
    this.record(rec);
    const json = (status: number, o: unknown) => {
      res.statusCode = status;
      res.setHeader('content-type', 'application/json; charset=utf-8');
      res.end(JSON.stringify(o));
    };
    const p = u.pathname;
    const authed = req.headers.authorization === `Bearer ${TENANT_TOKEN}`;
    if (p === '/open-apis/auth/v3/tenant_access_token/internal') {
      const ok = rec.json?.app_id === APP_ID && rec.json?.app_secret === APP_SECRET;
      return json(
        200,
        ok
          ? { code: 0, msg: 'ok', tenant_access_token: TENANT_TOKEN, expire: 7200 }
          : { code: 10014, msg: 'app secret invalid' },
      );
    }
    if (p === '/callback/ws/endpoint') {
      const ok = rec.json?.AppID === APP_ID && rec.json?.AppSecret === APP_SECRET;
      const port = (this.server.address() as AddressInfo).port;
      return json(
        200,
        ok
          ? {
              code: 0,
              msg: 'ok',
              data: {
                URL: `ws://127.0.0.1:${port}/ws?device_id=dev${this.sockets.length}&service_id=7`,
                ClientConfig: {
                  PingInterval: 120,
                  ReconnectCount: -1,
                  ReconnectInterval: 1,
                  ReconnectNonce: 0,
                },
              },
            }
          : { code: 514, msg: 'auth failed', data: {} },
      );
    }
    if (!authed) return json(401, { code: 99991663, msg: 'Invalid access token' });
    if (p === '/open-apis/bot/v3/info')
      return json(200, { code: 0, msg: 'ok', bot: { open_id: BOT_OPEN_ID, app_name: '年报校对' } });
    let m: RegExpMatchArray | null;
    if (
      (m = p.match(/^\/open-apis\/im\/v1\/messages\/([^/]+)\/resources\/([^/]+)$/)) &&
      req.method === 'GET'
    ) {
      this.maxDownloading = Math.max(this.maxDownloading, ++this.downloading);
      const f = this.files.get(decodeURIComponent(m[2]));
      const delay = this.downloadDelayMs + (f && 'delayMs' in f ? (f.delayMs ?? 0) : 0);
      if (delay) await new Promise((r) => setTimeout(r, delay));
      this.downloading--;
      if (!f) return json(400, { code: 234003, msg: 'File not in msg.' });
      if ('status' in f) return json(f.status, { code: f.code, msg: f.msg });
      res.statusCode = 200;
      res.setHeader('content-type', 'application/octet-stream');
      if (f.contentLength !== false) res.setHeader('content-length', String(f.bytes.length));
      return res.end(Buffer.from(f.bytes));
    }
    if ((m = p.match(/^\/open-apis\/im\/v1\/messages\/([^/]+)\/reply$/)) && req.method === 'POST') {
      const code = this.replyCodes.get(decodeURIComponent(m[1]));
      if (code) return json(400, { code, msg: 'The message was withdrawn.' });
      rec.replyId = `om_reply_${++this.nextId}`;
      return json(200, { code: 0, msg: 'success', data: { message_id: rec.replyId } });
    }
    if (p === '/open-apis/im/v1/messages' && req.method === 'POST') {
      rec.replyId = `om_new_${++this.nextId}`;
      return json(200, { code: 0, msg: 'success', data: { message_id: rec.replyId } });
    }
    if ((m = p.match(/^\/open-apis\/im\/v1\/messages\/([^/]+)$/))) {
      if (req.method === 'PATCH')
        return json(
          200,
          this.patchCode
            ? { code: this.patchCode, msg: 'The message is NOT card or has expired.' }
            : { code: 0, msg: 'success', data: {} },
        );
      if (req.method === 'GET') {
        const msg = this.messages.get(decodeURIComponent(m[1]));
        if (!msg) return json(400, { code: 230002, msg: 'The message is not found.' });
        if ('status' in msg) return json(msg.status, { code: msg.code, msg: msg.msg });
        return json(200, {
          code: 0,
          msg: 'success',
          data: {
            items: [
              {
                message_id: m[1],
                msg_type: msg.msg_type,
                body: { content: msg.content },
                sender: { sender_type: msg.sender_type ?? 'user' },
              },
            ],
          },
        });
      }
    }
    if (p === '/open-apis/im/v1/files' && req.method === 'POST') {
      const key = `file_up_${++this.nextId}`;
      this.uploads.set(key, { name: rec.form?.file_name ?? '', bytes: rec.form?.file ?? new Uint8Array() });
      return json(200, { code: 0, msg: 'success', data: { file_key: key } });
    }
    json(404, { code: 404, msg: 'not found' });
  }

  private accept(ws: WebSocket) {
    this.sockets.push(ws);
    ws.on('message', (data: Buffer) => {
      const frame = Frame.toObject(Frame.decode(data), { longs: Number }) as {
        method: number;
        headers?: Array<{ key: string; value: string }>;
      };
      if (frame.method !== 1) return; // control frames (ping)
      const id = frame.headers?.find((h) => h.key === 'message_id')?.value;
      const done = id && this.acks.get(id);
      if (done) {
        this.acks.delete(id!);
        done(performance.now());
      }
    });
  }

  /** Open long connections (clients that have connected and not closed). */
  get open(): WebSocket[] {
    return this.sockets.filter((s) => s.readyState === s.OPEN);
  }

  /** Resolves with the open connections made since the `since`-th, once there are `n`. */
  waitForConnections(n: number, since = 0, timeoutMs = 15000): Promise<WebSocket[]> {
    const until = Date.now() + timeoutMs;
    const fresh = () => this.sockets.slice(since).filter((s) => s.readyState === s.OPEN);
    return new Promise((resolve, reject) => {
      const tick = () => {
        if (fresh().length >= n) return resolve(fresh());
        if (Date.now() > until)
          return reject(new Error(`stand-in: ${fresh().length} of ${n} long connections`));
        setTimeout(tick, 20);
      };
      tick();
    });
  }

  /**
   * Delivers an event over a long connection (the `socket`-th open one) as a data frame, and
   * resolves with the milliseconds until the client's acknowledgement frame arrived.
   */
  push(event: object, socket: number | WebSocket = 0): Promise<number> {
    const ws = typeof socket === 'number' ? this.open[socket] : socket;
    if (!ws) throw new Error('stand-in: no open long connection');
    const frameId = `frame_${++this.seq}`;
    const payload = Buffer.from(JSON.stringify(event));
    const msg = Frame.encode(
      Frame.fromObject({
        SeqID: this.seq,
        LogID: this.seq,
        service: 7,
        method: 1,
        headers: [
          { key: 'type', value: 'event' },
          { key: 'message_id', value: frameId },
          { key: 'sum', value: '1' },
          { key: 'seq', value: '0' },
          { key: 'trace_id', value: `trace_${this.seq}` },
        ],
        payloadEncoding: '',
        payloadType: '',
        payload,
        LogIDNew: '',
      }),
    ).finish();
    const sent = performance.now();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.acks.delete(frameId);
        reject(new Error('stand-in: event not acknowledged within 10 s'));
      }, 10000);
      this.acks.set(frameId, (at) => {
        clearTimeout(timer);
        resolve(at - sent);
      });
      ws.send(msg);
    });
  }

  /** Closes every long connection from the server side (clients reconnect). */
  dropConnections(): void {
    for (const s of this.open) s.close();
  }
}

/** The upload's fields; the SDK's file part has no filename but is application/octet-stream, so busboy reads it as a file. */
function parseForm(body: Buffer, contentType: string): Promise<NonNullable<Recorded['form']>> {
  return new Promise((resolve, reject) => {
    const form: NonNullable<Recorded['form']> = {};
    const bb = busboy({ headers: { 'content-type': contentType } });
    bb.on('field', (name, value) => {
      if (name === 'file_type' || name === 'file_name') form[name] = value;
    });
    bb.on('file', (_name, stream) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        form.file = new Uint8Array(Buffer.concat(chunks));
      });
    });
    bb.on('close', () => resolve(form));
    bb.on('error', reject);
    bb.end(body);
  });
}

async function readBody(req: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

let eventSeq = 0;

export interface EventOptions {
  messageId: string;
  chatId?: string;
  chatType?: 'p2p' | 'group';
  messageType: string;
  content: object;
  parentId?: string;
  mentions?: Array<{ key: string; id: { open_id: string }; name: string }>;
  senderType?: string;
  /** open_id of the sender; by default one per message, so rate limits stay out of the way. */
  senderId?: string;
  createTime?: number;
  eventId?: string;
}

/** An im.message.receive_v1 event (schema 2.0) as Feishu sends it. */
export function messageEvent(o: EventOptions): Record<string, unknown> {
  const t = String(o.createTime ?? Date.now());
  return {
    schema: '2.0',
    header: {
      event_id: o.eventId ?? `ev_${++eventSeq}_${crypto.randomUUID()}`,
      token: 'vt-standin',
      create_time: t,
      event_type: 'im.message.receive_v1',
      tenant_key: 'tk_standin',
      app_id: APP_ID,
    },
    event: {
      sender: {
        sender_id: { open_id: o.senderId ?? `ou_user_${o.messageId}` },
        sender_type: o.senderType ?? 'user',
        tenant_key: 'tk_standin',
      },
      message: {
        message_id: o.messageId,
        ...(o.parentId ? { parent_id: o.parentId, root_id: o.parentId } : {}),
        create_time: t,
        update_time: t,
        chat_id: o.chatId ?? `oc_chat_${o.messageId}`,
        chat_type: o.chatType ?? 'p2p',
        message_type: o.messageType,
        content: JSON.stringify(o.content),
        mentions: o.mentions ?? [],
      },
    },
  };
}

export const BOT_MENTION = { key: '@_user_1', id: { open_id: BOT_OPEN_ID }, name: '年报校对' };

/** A webhook delivery: the body encrypted with the Encrypt Key and its X-Lark-Signature, stamped `at` (ms). */
export function signedDelivery(
  event: object,
  encryptKey: string,
  signWith = encryptKey,
  at = Date.now(),
): { body: string; headers: Record<string, string> } {
  const key = crypto.createHash('sha256').update(encryptKey).digest();
  const iv = crypto.randomBytes(16);
  const cipher = crypto.createCipheriv('aes-256-cbc', key, iv);
  const encrypt = Buffer.concat([iv, cipher.update(JSON.stringify(event), 'utf8'), cipher.final()]).toString(
    'base64',
  );
  const body = JSON.stringify({ encrypt });
  const timestamp = String(Math.floor(at / 1000));
  const nonce = crypto.randomBytes(8).toString('hex');
  const signature = crypto
    .createHash('sha256')
    .update(timestamp + nonce + signWith + body)
    .digest('hex');
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'x-lark-request-timestamp': timestamp,
      'x-lark-request-nonce': nonce,
      'x-lark-signature': signature,
    },
  };
}
