// The open-platform calls the bot makes, on the official SDK. Every response's `code` is checked
// and turned into a FeishuError; every request has a timeout (set on the SDK's HTTP instance).
import { Readable } from 'node:stream';
import type * as lark from '@larksuiteoapi/node-sdk';
import type { Card } from './card.js';

export class FeishuError extends Error {
  constructor(
    readonly api: string,
    readonly code: number | null,
    readonly msg: string,
    readonly status?: number,
  ) {
    super(`${api}: ${code ?? status ?? ''} ${msg}`.trim());
  }
}

/** The card can no longer be updated: messages can be updated for 14 days after they were sent. A new message is sent instead. */
export const CARD_EXPIRED = 230031;

export class TooLargeError extends Error {
  constructor(readonly size: number) {
    super('too large');
  }
}

export interface Sent {
  messageId: string;
}

interface CodeResponse {
  code?: number;
  msg?: string;
  data?: Record<string, unknown>;
}

export class Feishu {
  constructor(
    readonly client: lark.Client,
    private timeoutMs: number,
  ) {}

  private async call<T extends CodeResponse>(
    api: string,
    fn: () => Promise<T | null | undefined>,
  ): Promise<T> {
    let res: T | null | undefined;
    try {
      res = await fn();
    } catch (e) {
      throw await toFeishuError(api, e);
    }
    if (!res || typeof res !== 'object') throw new FeishuError(api, null, '开放平台没有返回结果');
    if (res.code !== 0 && res.code !== undefined) throw new FeishuError(api, res.code, res.msg ?? '');
    return res;
  }

  async botOpenId(): Promise<string> {
    const res = await this.call('bot.info', () =>
      this.client.request<CodeResponse & { bot?: { open_id?: string } }>({
        method: 'GET',
        url: '/open-apis/bot/v3/info',
        timeout: this.timeoutMs,
      }),
    );
    return res.bot?.open_id ?? '';
  }

  async replyCard(messageId: string, card: Card): Promise<Sent> {
    return this.reply(messageId, 'interactive', JSON.stringify(card));
  }

  async replyText(messageId: string, text: string): Promise<Sent> {
    return this.reply(messageId, 'text', JSON.stringify({ text }));
  }

  async replyFile(messageId: string, fileKey: string): Promise<Sent> {
    return this.reply(messageId, 'file', JSON.stringify({ file_key: fileKey }));
  }

  private async reply(messageId: string, msgType: string, content: string): Promise<Sent> {
    const res = await this.call('im.message.reply', () =>
      this.client.im.message.reply({ path: { message_id: messageId }, data: { msg_type: msgType, content } }),
    );
    return { messageId: String(res.data?.message_id ?? '') };
  }

  async sendCard(chatId: string, card: Card): Promise<Sent> {
    const res = await this.call('im.message.create', () =>
      this.client.im.message.create({
        params: { receive_id_type: 'chat_id' },
        data: { receive_id: chatId, msg_type: 'interactive', content: JSON.stringify(card) },
      }),
    );
    return { messageId: String(res.data?.message_id ?? '') };
  }

  async patchCard(messageId: string, card: Card): Promise<void> {
    await this.call('im.message.patch', () =>
      this.client.im.message.patch({
        path: { message_id: messageId },
        data: { content: JSON.stringify(card) },
      }),
    );
  }

  /** A message by id (for a reply's parent): its type and content. */
  async getMessage(messageId: string): Promise<{ msgType: string; content: string; senderType?: string }> {
    const res = await this.call('im.message.get', () =>
      this.client.im.message.get({ path: { message_id: messageId } }),
    );
    const item = (
      res.data?.items as
        | Array<{ msg_type?: string; body?: { content?: string }; sender?: { sender_type?: string } }>
        | undefined
    )?.[0];
    if (!item) throw new FeishuError('im.message.get', null, '消息不存在');
    return {
      msgType: item.msg_type ?? '',
      content: item.body?.content ?? '',
      senderType: item.sender?.sender_type,
    };
  }

  /**
   * The file of a message, refused (TooLargeError) once it is known to exceed `maxBytes`: by the
   * response's Content-Length before any body is read, and while streaming otherwise. The whole
   * download (request and body) is limited to the request timeout, and stops when `signal` aborts
   * (rejecting with the signal's reason).
   */
  async download(
    messageId: string,
    fileKey: string,
    maxBytes: number,
    signal?: AbortSignal,
  ): Promise<Uint8Array> {
    signal?.throwIfAborted();
    type Resource = { headers?: Record<string, unknown>; getReadableStream(): Readable };
    let stream: Readable | undefined;
    let stopped: unknown;
    let stop: (why: unknown) => void = () => {};
    // One deadline for the request and the body: a server that answers the headers and then
    // trickles the body is cut at the same time as one that never answers.
    const cut = new Promise<never>((_, reject) => {
      stop = (why) => {
        stopped ??= why;
        stream?.destroy();
        reject(why);
      };
    });
    cut.catch(() => {});
    const timer = setTimeout(
      () => stop(new FeishuError('im.messageResource.get', null, '下载超时')),
      this.timeoutMs,
    );
    const onAbort = () => stop(signal!.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const request = this.client.im.messageResource.get({
        path: { message_id: messageId, file_key: fileKey },
        params: { type: 'file' },
      }) as Promise<Resource>;
      let res: Resource;
      try {
        res = await Promise.race([request, cut]);
      } catch (e) {
        // Stopped before the response came: drop it when it does.
        if (stopped !== undefined) {
          request.then(
            (r) => r.getReadableStream().destroy(),
            () => {},
          );
          throw stopped;
        }
        throw await toFeishuError('im.messageResource.get', e);
      }
      stream = res.getReadableStream();
      if (stopped !== undefined) {
        stream.destroy();
        throw stopped;
      }
      const length = Number(res.headers?.['content-length']);
      if (Number.isFinite(length) && length > maxBytes) {
        stream.destroy();
        throw new TooLargeError(length);
      }
      const chunks: Buffer[] = [];
      let size = 0;
      try {
        for await (const chunk of stream) {
          size += (chunk as Buffer).length;
          if (size > maxBytes) {
            stream.destroy();
            throw new TooLargeError(size);
          }
          chunks.push(chunk as Buffer);
        }
      } catch (e) {
        if (e instanceof TooLargeError) throw e;
        if (stopped !== undefined) throw stopped;
        throw new FeishuError('im.messageResource.get', null, (e as Error).message || '下载中断');
      }
      if (stopped !== undefined) throw stopped;
      return new Uint8Array(Buffer.concat(chunks));
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  async uploadFile(fileName: string, bytes: Uint8Array): Promise<string> {
    const ext = fileName.slice(fileName.lastIndexOf('.') + 1).toLowerCase();
    const fileType =
      (
        { pdf: 'pdf', doc: 'doc', docx: 'doc', xls: 'xls', xlsx: 'xls', ppt: 'ppt', pptx: 'ppt' } as Record<
          string,
          'pdf' | 'doc' | 'xls' | 'ppt'
        >
      )[ext] ?? 'stream';
    let data: { file_key?: string } | null;
    try {
      data = await this.client.im.file.create({
        data: { file_type: fileType, file_name: fileName, file: Buffer.from(bytes) },
      });
    } catch (e) {
      throw await toFeishuError('im.file.create', e);
    }
    // The SDK returns only `data` here; a failed upload has none.
    if (!data?.file_key) throw new FeishuError('im.file.create', null, '上传文件失败');
    return data.file_key;
  }
}

/**
 * An SDK/axios failure as a FeishuError: the open platform's `code` and `msg` from the error body,
 * which for downloads is a stream that has to be read first.
 */
export async function toFeishuError(api: string, e: unknown): Promise<FeishuError> {
  const err = e as { response?: { status?: number; data?: unknown }; message?: string; code?: string };
  const status = err.response?.status;
  let body = err.response?.data;
  if (body instanceof Readable) body = await readSome(body);
  if (typeof body === 'string') {
    try {
      body = JSON.parse(body);
    } catch {
      /* not JSON */
    }
  }
  if (body && typeof body === 'object' && typeof (body as CodeResponse).code === 'number') {
    return new FeishuError(api, (body as CodeResponse).code!, (body as CodeResponse).msg ?? '', status);
  }
  const timeout =
    err.code === 'ECONNABORTED' || err.code === 'ETIMEDOUT' || /timeout/i.test(err.message ?? '');
  return new FeishuError(
    api,
    null,
    timeout ? '请求超时' : status ? `HTTP ${status}` : (err.message ?? '网络错误'),
    status,
  );
}

async function readSome(stream: Readable, max = 64 * 1024): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const c of stream) {
      chunks.push(c as Buffer);
      size += (c as Buffer).length;
      if (size >= max) {
        stream.destroy();
        break;
      }
    }
  } catch {
    /* a broken error body is still an error */
  }
  return Buffer.concat(chunks).toString('utf8');
}
