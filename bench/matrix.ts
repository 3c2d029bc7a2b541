// The producer matrix: the fictional matrix reports rendered by every producer that can run here
// (text layouts, HTML, Word, LibreOffice, Chromium), read and checked as the command line does.
//
//   npx tsx bench/matrix.ts [--details] [producer-id…]
//
// Prints producer × cells read right × planted errors found × false errors × unexpected warnings;
// with --details, the most frequent reasons per producer that does not pass.
import { produce, runnableProducers } from '../test/matrix/producers.js';
import { explain, formatMatrix, matrix, scoreAll } from '../test/matrix/score.js';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const details = args.includes('--details');
  const only = args.filter((a) => !a.startsWith('--'));
  const producers = runnableProducers().filter((p) => !only.length || only.includes(p.id));
  const t0 = Date.now();
  const files = await produce(producers);
  const t1 = Date.now();
  const scores = await scoreAll(files);
  const t2 = Date.now();
  const rows = matrix(scores);
  process.stdout.write(
    `\n生成方式矩阵（${files.length} 个文件；生成 ${((t1 - t0) / 1000).toFixed(1)} 秒，读取和检查 ${((t2 - t1) / 1000).toFixed(1)} 秒）\n\n`,
  );
  process.stdout.write(formatMatrix(rows) + '\n');
  if (details) {
    for (const r of rows) {
      if (r.passing === r.files) continue;
      process.stdout.write(`\n${r.producer}\n`);
      for (const line of explain(scores, r.producer)) process.stdout.write(`  ${line}\n`);
    }
  }
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
