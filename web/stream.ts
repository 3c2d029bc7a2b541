// The one piece of node:stream the .doc reader (word-extractor's OLE streams) uses in the page:
// a Readable that pulls with _read() and hands on 'data' chunks until push(null), then 'end'.
type Listener = (arg?: unknown) => void;

export class Readable {
  private listeners: Record<string, Listener[]> = {};
  private ended = false;
  private flowing = false;

  on(event: string, fn: Listener): this {
    (this.listeners[event] ??= []).push(fn);
    if (event === 'data' && !this.flowing) {
      this.flowing = true;
      queueMicrotask(() => void this.pull());
    }
    return this;
  }

  private emit(event: string, arg?: unknown): void {
    for (const fn of this.listeners[event] ?? []) fn(arg);
  }

  push(chunk: unknown): boolean {
    if (chunk === null) {
      if (!this.ended) {
        this.ended = true;
        queueMicrotask(() => this.emit('end'));
      }
      return false;
    }
    this.emit('data', chunk);
    return true;
  }

  _read(): unknown {
    return undefined;
  }

  private async pull(): Promise<void> {
    try {
      while (!this.ended) await this._read();
    } catch (e) {
      this.emit('error', e);
    }
  }
}

export default { Readable };
