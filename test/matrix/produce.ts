// Writes every producer's file for every matrix report (clean and with each planted error):
//
//   npx tsx test/matrix/produce.ts OUTDIR [producer-id…]
//
// Layout of OUTDIR:
//
//   OUTDIR/<producer>/<report>[.<plant>]<ext>   the file, e.g. lo-pdf/jiangzhou.row-deleted.pdf
//   OUTDIR/expected/<report>[.<plant>].json     what the checker should read and find:
//       { "variant", "report", "plant", "tables": { "t2", "t3", "t4" } (null = blank or left out),
//         "expected": { "ruleId", "target" } | null   (the planted error and where it lands),
//         "warnings": { "headings": [section ids], "blanks": { "t2", "t3": [[row, col]], "t4" } } }
//   OUTDIR/manifest.json                        producers (id, name, ext) and variants (id, plant name)
//
// Producers: text-tab, text-pipe, text-cell-pipe, text-cell-tab, text-spaced-top,
// text-spaced-middle, text-flat (.txt); html (.html); docx, docx-sdt, docx-tracked (.docx);
// lo-pdf (.pdf), lo-doc (.doc) from the docx by LibreOffice; chromium-pdf (.pdf) from the html.
// Reports: fenglin, jiangzhou, nanping, binjiang. Plants: row-deleted, cell-changed,
// t4-total-changed, heading-reworded, title-year, prose-count.
// Conversions are cached under the system temp directory, so a second run takes seconds.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PRODUCERS, produce, runnableProducers } from './producers.js';
import { expectedCells, expectedWarnings, variants } from './reports.js';

async function main(): Promise<void> {
  const [outDir, ...only] = process.argv.slice(2);
  if (!outDir) {
    process.stderr.write('用法：npx tsx test/matrix/produce.ts 输出目录 [生成方式…]\n');
    process.exit(2);
  }
  const unknown = only.filter((id) => !PRODUCERS.some((p) => p.id === id));
  if (unknown.length) {
    process.stderr.write(
      `未知的生成方式：${unknown.join('、')}（可用：${PRODUCERS.map((p) => p.id).join('、')}）\n`,
    );
    process.exit(2);
  }
  const producers = runnableProducers().filter((p) => !only.length || only.includes(p.id));
  const skipped = PRODUCERS.filter((p) => !producers.includes(p) && (!only.length || only.includes(p.id)));
  for (const p of skipped) process.stderr.write(`跳过 ${p.id}：未安装 ${p.needs}\n`);
  const vs = variants();
  const files = await produce(producers, vs);
  for (const f of files) {
    const dir = join(outDir, f.producer.id);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, f.variant.id + f.producer.ext), f.bytes);
  }
  mkdirSync(join(outDir, 'expected'), { recursive: true });
  for (const v of vs) {
    writeFileSync(
      join(outDir, 'expected', `${v.id}.json`),
      JSON.stringify(
        {
          variant: v.id,
          report: v.report.id,
          plant: v.plant?.id ?? null,
          tables: expectedCells(v.report),
          expected: v.expected,
          warnings: expectedWarnings(v.report),
        },
        null,
        1,
      ) + '\n',
    );
  }
  writeFileSync(
    join(outDir, 'manifest.json'),
    JSON.stringify(
      {
        producers: producers.map(({ id, name, ext }) => ({ id, name, ext })),
        variants: vs.map((v) => ({
          id: v.id,
          report: v.report.id,
          body: v.report.body,
          plant: v.plant?.id ?? null,
          plantName: v.plant?.name ?? null,
        })),
      },
      null,
      1,
    ) + '\n',
  );
  process.stdout.write(
    `${files.length} 个文件（${producers.length} 种生成方式 × ${vs.length} 个报告变体）已写入 ${outDir}\n`,
  );
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
