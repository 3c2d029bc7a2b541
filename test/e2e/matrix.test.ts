// The producer matrix (issue 9): four fictional reports, clean, with planted errors (six kinds, and a
// 表二/表三 cell written as letters, a word or with a unit) and with thousands separators,
// rendered by every producer we can run here, read and checked as the command line does. For every
// producer and report: every cell read right (a blank stays null), every planted error found at its
// row, and no other error. The matrix is printed at the end (also: npx tsx bench/matrix.ts).
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toolAvailable } from '../matrix/convert.js';
import { PRODUCERS, type Produced, produce, runnableProducers } from '../matrix/producers.js';
import { REPORTS, rendersFor, variants } from '../matrix/reports.js';
import { explain, type FileScore, formatMatrix, matrix, passes, scoreAll } from '../matrix/score.js';

/**
 * Producer (or producer:report) combinations that fail today, with the reason. Remove an entry
 * when its fix lands: `it.fails` then reports the entry as passing.
 */
const KNOWN_FAILING: Record<string, string> = {};

let scores: FileScore[] = [];
let files: Produced[] = [];

beforeAll(async () => {
  files = await produce(runnableProducers());
  scores = await scoreAll(files);
}, 900_000);

afterAll(() => {
  if (!scores.length) return;
  const rows = matrix(scores);
  const details = rows
    .filter((r) => r.passing < r.files)
    .flatMap((r) => [`${r.producer}:`, ...explain(scores, r.producer, 3).map((l) => `  ${l}`)]);
  console.log(`\n${formatMatrix(rows)}\n\n${details.join('\n')}`);
});

/** What is wrong with one file, in a line each. */
function problems(s: FileScore): string[] {
  const out: string[] = [];
  if (s.readError) return [`${s.variant}: 无法读取：${s.readError}`];
  if (s.wrongCells.length)
    out.push(`${s.variant}: ${s.wrongCells.length} 个单元格读错（${s.wrongCells.slice(0, 3).join('；')}）`);
  if (s.expected && !s.found)
    out.push(`${s.variant}: 没有查出 ${s.expected.ruleId}（${JSON.stringify(s.expected.target)}）`);
  for (const f of s.falseErrors.slice(0, 3))
    out.push(`${s.variant}: 误报 ${f.ruleId} 第${f.line}行：${f.message}`);
  if (s.falseErrors.length > 3) out.push(`${s.variant}: 另有 ${s.falseErrors.length - 3} 个误报`);
  return out;
}

describe('matrix reports', () => {
  const sum = (xs: Array<number | null>) => xs.reduce<number>((a, b) => a + (b ?? 0), 0);
  for (const r of REPORTS) {
    it(`${r.id}：表三、表四的合计和勾稽关系成立，有空白单元格和上年结转`, () => {
      const { t2, t3, t4 } = r.values;
      expect(t2).toHaveLength(10);
      expect(t3).toHaveLength(25);
      t3.forEach((row) => {
        expect(row).toHaveLength(7);
        if (row[6] !== null) expect(row[6]).toBe(sum(row.slice(0, 6)));
      });
      for (let c = 0; c < 7; c++) {
        expect(t3[23][c] ?? 0).toBe(sum(t3.slice(2, 23).map((row) => row[c])));
        expect((t3[0][c] ?? 0) + (t3[1][c] ?? 0)).toBe((t3[23][c] ?? 0) + (t3[24][c] ?? 0));
      }
      for (let b = 0; b < 15; b += 5) expect(t4[b + 4] ?? 0).toBe(sum(t4.slice(b, b + 4)));
      expect(t3[1][6]).toBeGreaterThan(0);
      expect([...t2, ...t3.flat(), ...t4].some((v) => v === null)).toBe(true);
      expect(r.prose.S1.join('')).toContain(`申请${t3[0][6]}件`);
    });
  }
  it('每个预置错误都改动了报告', () => {
    for (const v of variants().filter((x) => x.plant))
      expect(JSON.stringify(v.report)).not.toBe(JSON.stringify(REPORTS.find((r) => r.id === v.report.id)));
  });
});

describe('lo-pdf-split', () => {
  it.skipIf(!toolAvailable('soffice'))(
    '表三、表四的第一行表头在页末，其余表头和数字在下一页（pdftotext 核对）',
    () => {
      const split = files.filter((f) => f.producer.id === 'lo-pdf-split' && !f.variant.plant);
      expect(split).toHaveLength(4);
      for (const f of split) {
        const out = spawnSync('pdftotext', ['-layout', '-', '-'], { input: f.bytes, encoding: 'utf8' });
        expect(out.status).toBe(0);
        const pages = out.stdout.split('\f').map((p) => p.replace(/\s+/g, ''));
        for (const [first, next] of [
          ['申请人情况', '自然人'],
          ['行政复议行政诉讼', '未经复议直接起诉'],
        ]) {
          const at = pages.findIndex((p) => p.includes(first));
          expect(at, `${f.file}: ${first}`).toBeGreaterThanOrEqual(0);
          expect(pages[at].includes(next), `${f.file}: ${next} 应在下一页`).toBe(false);
          expect(pages[at + 1], `${f.file}: ${next}`).toContain(next);
        }
      }
    },
  );
});

describe('producer matrix', () => {
  for (const p of PRODUCERS) {
    const runnable = !p.needs || toolAvailable(p.needs);
    for (const r of REPORTS) {
      const reason = KNOWN_FAILING[`${p.id}:${r.id}`] ?? KNOWN_FAILING[p.id];
      const test = !runnable ? it.skip : reason ? it.fails : it;
      test(`${p.id} · ${r.id}：单元格全部读对，预置错误全部查出，没有其他错误`, () => {
        const mine = scores.filter((s) => s.producer === p.id && s.variant.split('.')[0] === r.id);
        expect(mine.length).toBe(
          variants().filter((v) => v.report.id === r.id && rendersFor(v, p.id)).length,
        );
        expect(mine.filter((s) => !passes(s)).flatMap(problems)).toEqual([]);
      });
    }
  }
});
