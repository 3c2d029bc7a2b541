// The real reports in ../shared/corpus: beside the project, read from there and never copied into it.
// A fresh clone without it runs every other test; the tests that read it are skipped, and
// test/corpus-setup.ts says so once per run.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export const CORPUS = path.resolve(import.meta.dirname, '../../shared/corpus');
export const hasCorpus = existsSync(CORPUS);
/** Why the tests on the corpus are skipped. */
export const NO_CORPUS = `未找到真实报告语料 ${CORPUS}（项目旁的 shared/corpus，见 README“测试”），读取语料的测试已跳过`;

/** The path of a corpus file (`real/001_hongzequ_2023.pdf`, `seeds/…`). */
export const corpusPath = (p: string): string => path.join(CORPUS, p);
/** A corpus file's bytes, or empty when the corpus is absent (its tests are skipped then). */
export const corpusBytes = (p: string): Buffer => (hasCorpus ? readFileSync(corpusPath(p)) : Buffer.alloc(0));
/** A corpus file's text, or '' when the corpus is absent (its tests are skipped then). */
export const corpusText = (p: string): string => (hasCorpus ? readFileSync(corpusPath(p), 'utf8') : '');
