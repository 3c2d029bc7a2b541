// Says once per test run that the tests on ../shared/corpus are skipped, when it is absent.
import { hasCorpus, NO_CORPUS } from './corpus.js';

export default function setup(): void {
  if (!hasCorpus) process.stdout.write(`${NO_CORPUS}\n`);
}
