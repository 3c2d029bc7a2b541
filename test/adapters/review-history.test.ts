// Across years and units: a body's history over every year present and the ranking of units,
// drawn from the review's summary model.
import { describe, expect, it } from 'vitest';
import { histories, ranking, signedChange } from '../../cli/review/history.js';
import {
  FIGURES,
  type Figures,
  pairOf,
  type Review,
  type ReviewRow,
  unreadableRow,
} from '../../cli/review/summary.js';

const figures = (made: number | null, fresh: number | null): Figures =>
  ({ ...Object.fromEntries(FIGURES.map((f) => [f.key, 0])), made, fresh }) as Figures;

function row(
  file: string,
  body: string | null,
  year: number | null,
  f: Figures,
  error = 0,
  warning = 0,
): ReviewRow {
  return {
    file,
    body,
    year,
    format: 'txt',
    status: error ? 'errors' : warning ? 'warnings' : 'clean',
    counts: { error, warning, info: 0 },
    figures: f,
    findings: [],
  };
}

describe('histories and ranking', () => {
  const a22 = row('甲/2022.txt', '青禾县教育局', 2022, figures(3, 10));
  const a23 = row('甲/2023.txt', '青禾县教育局', 2023, figures(5, 25), 1);
  const a23b = row('甲/2023副本.txt', '青禾县教育局', 2023, figures(5, 25), 1);
  const a25 = row('甲/2025.txt', '青禾县教育局', 2025, figures(null, 4));
  const b24 = row('乙/2024.txt', '青禾县民政局', 2024, figures(1, 1), 0, 2);
  const c24 = row('丙/2024.txt', '青禾县财政局', 2024, figures(null, null), 2, 0);
  const untitled = row('无标题.txt', null, 2024, figures(1, 1), 5);
  const review: Review = {
    rows: [a23b, a22, a23, a25, b24, c24, untitled, unreadableRow('坏.docx', '文件已损坏')],
    pairs: [pairOf(a23, a22, [])],
    notes: {
      duplicates: [
        { body: '青禾县教育局', year: 2023, used: '甲/2023.txt', others: ['甲/2023副本.txt'], why: '' },
      ],
      unpaired: [{ file: '甲/2025.txt', body: '青禾县教育局', year: 2025, reason: '没有上一年度的报告' }],
    },
  };

  it('a body’s years in order, the compared report for a duplicated year, each neighbouring pair, the gaps', () => {
    const all = histories(review);
    // By name, in pinyin order.
    expect(all.map((h) => h.body)).toEqual(['青禾县财政局', '青禾县教育局', '青禾县民政局']);
    const edu = all[1];
    expect(edu.years.map((y) => [y.year, y.file, y.others])).toEqual([
      [2022, '甲/2022.txt', []],
      [2023, '甲/2023.txt', ['甲/2023副本.txt']],
      [2025, '甲/2025.txt', []],
    ]);
    expect(edu.steps).toHaveLength(1);
    expect(edu.steps[0]).toMatchObject({ from: 2022, to: 2023 });
    expect(edu.steps[0].pair?.changes.find((c) => c.key === 'fresh')).toMatchObject({
      previous: 10,
      current: 25,
      jump: true,
    });
    expect(edu.gaps).toEqual([2024]);
  });

  it('units ranked worst first: errors, then warnings, then the least complete; untitled reports left out', () => {
    const r = ranking(review);
    expect(r.map((u) => [u.body, u.errors, u.warnings])).toEqual([
      ['青禾县财政局', 2, 0],
      ['青禾县教育局', 2, 0],
      ['青禾县民政局', 0, 2],
    ]);
    // Equal errors: 财政局 (2 of its 10 key figures unknown) before 教育局 (1 of 40).
    expect(r[0].completeness).toBeCloseTo(0.8);
    expect(r[1]).toMatchObject({
      reports: 4,
      years: [2022, 2023, 2025],
      completeness: 39 / 40,
      unreadable: 0,
    });
  });

  it('signed changes; unknown is never a number', () => {
    expect([signedChange(3, 5), signedChange(5, 3), signedChange(4, 4), signedChange(null, 4)]).toEqual([
      '+2',
      '−2',
      '0',
      '—',
    ]);
  });
});
