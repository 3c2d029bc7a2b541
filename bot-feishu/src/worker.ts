// The worker-thread entry (piscina): checks one report off the bot's event loop.
import { checkReport, type CheckTask } from './check.js';

export default function run(task: CheckTask) {
  return checkReport(task);
}
