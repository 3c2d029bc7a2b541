// Says once per test run that the tests on ../shared/corpus are skipped, when it is absent (each
// project runs this setup; the first one says it).
import { hasCorpus, NO_CORPUS } from './corpus.js';

export default function setup(): void {
  if (hasCorpus || process.env.NIANBAO_NO_CORPUS_SAID) return;
  process.env.NIANBAO_NO_CORPUS_SAID = '1';
  process.stdout.write(`${NO_CORPUS}\n`);
}
