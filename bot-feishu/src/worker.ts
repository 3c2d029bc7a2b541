// The worker-thread entry (piscina): checks one report off the bot's event loop. The pool gives
// each thread a heap limit (resourceLimits); a thread that exceeds it, crashes or is stopped on a
// time limit is replaced by the pool, and the bot answers the sender.
// A batch's tasks (a file of the batch or a zip's entry, a cluster's cross-year pass, the summary
// files) run here too.

import path from 'node:path';
import { toHtml } from '../../cli/review/html.js';
import type { Review } from '../../cli/review/summary.js';
import type { Task } from '../../cli/review/types.js';
import reviewTask from '../../cli/review/worker.js';
import { UPLOAD_LIMIT_BYTES } from './card.js';
import { type CheckTask, checkReport } from './check.js';

/** A batch's workbook and page, built here, off the bot's event loop and within a thread's limits. */
export interface SummaryTask {
  kind: 'summary';
  title: string;
  review: Review;
  /** The summary's estimated size, for the memory watchdog. */
  weight: number;
}
export interface SummaryOutcome {
  files: Array<{ name: string; bytes: Uint8Array }>;
  /** Files left out (over Feishu's upload limit), in Chinese. */
  notes: string[];
}

export type WorkerTask = CheckTask | Task | SummaryTask;

export default function run(task: WorkerTask) {
  if ('kind' in task) {
    if (task.kind === 'summary') return summaryFiles(task);
    if (process.env.NIANBAO_BOT_TEST_FAULTS === '1' && task.kind === 'file') testFault(task.name);
    return reviewTask(task);
  }
  if (process.env.NIANBAO_BOT_TEST_FAULTS === '1') testFault(task.fileName);
  return checkReport(task);
}

/** The workbook and the page of a review; one over Feishu's upload limit is left out with a note. */
async function summaryFiles({ title, review }: SummaryTask): Promise<SummaryOutcome> {
  if (process.env.NIANBAO_BOT_TEST_FAULTS === '1') testFault(title);
  const { toXlsx } = await import('../../cli/review/xlsx.js');
  const base = `${path.basename(title, path.extname(title))}-审阅汇总`;
  const files = [
    { name: `${base}.xlsx`, bytes: new Uint8Array(await toXlsx(review)) },
    { name: `${base}.html`, bytes: new TextEncoder().encode(toHtml(review)) },
  ];
  const notes: string[] = [];
  return {
    files: files.filter((f) => {
      if (f.bytes.length <= UPLOAD_LIMIT_BYTES) return true;
      notes.push(
        `${f.name} 有 ${(f.bytes.length / 1048576).toFixed(1)} MB，超过飞书文件上传上限 ${UPLOAD_LIMIT_BYTES / 1048576} MB，未发送。`,
      );
      return false;
    }),
    notes,
  };
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
  if (fileName.startsWith('test-fault-slow')) {
    // A check that takes 1 s of CPU before it runs as usual.
    const until = Date.now() + 1000;
    while (Date.now() < until) {
      /* spin */
    }
  }
  if (fileName.startsWith('test-fault-busy')) {
    // A check that never ends (CPU-bound): only stopping the thread ends it.
    for (;;) {
      /* spin */
    }
  }
}
