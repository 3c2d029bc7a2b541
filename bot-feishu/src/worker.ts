// The worker-thread entry (piscina): checks one report off the bot's event loop. The pool gives
// each thread a heap limit (resourceLimits); a thread that exceeds it, crashes or is stopped on a
// time limit is replaced by the pool, and the bot answers the sender.
import { type CheckTask, checkReport } from './check.js';

export default function run(task: CheckTask) {
  if (process.env.NIANBAO_BOT_TEST_FAULTS === '1') testFault(task.fileName);
  return checkReport(task);
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
