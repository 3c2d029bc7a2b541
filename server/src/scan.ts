// Reads and parses workspace files for the cross-year comparison in a worker thread (scan-worker.ts):
// one file at a time, each within a time limit and the worker's heap limit; a file that runs past
// either is skipped (the worker is replaced), never the editor's answers delayed.
import type { Worker } from 'node:worker_threads';
import { LineIndex, type parse } from '../../grammar/src/index.js';
import { spawnModuleWorker } from '../../grammar/src/read/spawn-worker.js';
import type { ScanReply, ScanRequest } from './scan-worker.js';

export type Parsed = ReturnType<typeof parse>;

export interface ScanLimits {
  /** Time for one file (ms). */
  timeoutMs: number;
  /** Heap of the worker (MB). */
  maxHeapMb: number;
}
export const SCAN_DEFAULTS: ScanLimits = { timeoutMs: 30000, maxHeapMb: 512 };
/** An idle worker is stopped after this long (ms). */
const IDLE_MS = 10000;

interface Pending {
  req: Omit<ScanRequest, 'id'>;
  resolve: (p: Parsed | null) => void;
}

export class ScanReader {
  private worker: Worker | null = null;
  private queue: Pending[] = [];
  private busy = false;
  private nextId = 0;
  private idleTimer: NodeJS.Timeout | null = null;

  constructor(private readonly limits: ScanLimits = SCAN_DEFAULTS) {}

  /** The file read and parsed (only its first `head` characters, if given); null when it cannot be. */
  read(file: string, maxBytes: number, head?: number): Promise<Parsed | null> {
    return new Promise((resolve) => {
      this.queue.push({ req: { file, maxBytes, ...(head !== undefined ? { head } : {}) }, resolve });
      this.pump();
    });
  }

  /** Stops the worker (server shutdown, tests). */
  async close(): Promise<void> {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    const w = this.worker;
    this.worker = null;
    if (w) await w.terminate();
  }

  private spawn(): Worker {
    const w = spawnModuleWorker(new URL('./scan-worker.js', import.meta.url), {
      resourceLimits: { maxOldGenerationSizeMb: this.limits.maxHeapMb, maxYoungGenerationSizeMb: 32 },
      stdout: true,
      stderr: true,
    });
    // Nothing a reader prints may reach the LSP stream (stdout is the protocol).
    w.stdout.resume();
    w.stderr.resume();
    w.on('error', () => undefined);
    return w;
  }

  private pump(): void {
    if (this.busy) return;
    const next = this.queue.shift();
    if (!next) {
      this.idleTimer = setTimeout(() => void this.close(), IDLE_MS);
      this.idleTimer.unref();
      this.worker?.unref();
      return;
    }
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.busy = true;
    const w = (this.worker ??= this.spawn());
    w.ref();
    const id = ++this.nextId;
    let settled = false;
    const done = (report: ScanReply['report'], replace: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      w.off('message', onMessage);
      w.off('exit', onExit);
      if (replace) {
        if (this.worker === w) this.worker = null;
        void w.terminate();
      }
      next.resolve(report ? { ...report, lines: new LineIndex(report.text) } : null);
      this.busy = false;
      this.pump();
    };
    const onMessage = (reply: ScanReply) => {
      if (reply.id === id) done(reply.report, false);
    };
    // Out of heap or crashed: the file is skipped, the next one gets a fresh worker.
    const onExit = () => done(null, true);
    const timer = setTimeout(() => done(null, true), this.limits.timeoutMs);
    w.on('message', onMessage);
    w.on('exit', onExit);
    w.postMessage({ id, ...next.req } satisfies ScanRequest);
  }
}
