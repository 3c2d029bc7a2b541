// The worker-thread entry (piscina): checks one report off the bot's event loop. The pool gives
// each thread a heap limit (resourceLimits); a thread that exceeds it, crashes or is stopped on a
// time limit is replaced by the pool, and the bot answers the sender.
// A batch's tasks (a file of the batch, a cluster's cross-year pass, a zip's reports) run here too.

import type { Task } from '../../cli/review/types.js';
import reviewTask from '../../cli/review/worker.js';
import { ARCHIVE_LIMITS, ReadError, readArchive } from '../../grammar/src/index.js';
import { type CheckTask, checkReport } from './check.js';

/** The reports of a .zip (inflated here, off the bot's event loop, within the thread's limits). */
export interface ArchiveTask {
  kind: 'archive';
  bytes: Uint8Array;
  fileName: string;
}
export type ArchiveOutcome =
  | { ok: true; files: Array<{ name: string; bytes: Uint8Array }>; skipped: string[] }
  | { ok: false; message: string };

export type WorkerTask = CheckTask | Task | ArchiveTask;

export default function run(task: WorkerTask) {
  if ('kind' in task) {
    if (task.kind !== 'archive') {
      if (process.env.NIANBAO_BOT_TEST_FAULTS === '1' && task.kind === 'file') testFault(task.name);
      return reviewTask(task);
    }
    return readZip(task);
  }
  if (process.env.NIANBAO_BOT_TEST_FAULTS === '1') testFault(task.fileName);
  return checkReport(task);
}

function readZip(task: ArchiveTask): ArchiveOutcome {
  try {
    return { ok: true, ...readArchive(task.bytes, task.fileName, ARCHIVE_LIMITS) };
  } catch (e) {
    if (e instanceof ReadError) return { ok: false, message: e.reason };
    throw e;
  }
}

/**
 * Test-only fault injection for the end-to-end tests, inert unless the environment sets
 * NIANBAO_BOT_TEST_FAULTS=1 (nothing in production does). The file name picks the fault.
 */
function testFault(fileName: string): void {
  if (fileName.startsWith('test-fault-heap')) {
    // Exhausts the thread's heap: many small arrays, as a parser building a huge tree would.
    const hold: unknown[] = [];
    for (;;) hold.push(Array.from({ length: 1000 }, (_, i) => ({ i })));
  }
  if (fileName.startsWith('test-fault-offheap')) {
    // Memory outside the heap (typed arrays, as an inflated stream), which resourceLimits do not count.
    const hold: Buffer[] = [];
    for (;;) hold.push(Buffer.alloc(16 * 1024 * 1024, 1));
  }
  if (fileName.startsWith('test-fault-exit')) process.exit(3);
  if (fileName.startsWith('test-fault-late-throw'))
    setTimeout(() => {
      throw new Error('test fault: an error after the answer');
    }, 500);
  if (fileName.startsWith('test-fault-busy')) {
    // A check that never ends (CPU-bound): only stopping the thread ends it.
    for (;;) {
      /* spin */
    }
  }
}
