// Digits a converter ran together, cut by the table's own totals (grammar/src/parse/digit-runs.ts).
import { describe, expect, it } from 'vitest';
import {
  partOffsets,
  solveT3,
  solveT4,
  splitSpacedRuns,
  splits,
} from '../../grammar/src/parse/digit-runs.js';

const rowTotal = (p: number[]) => p[6] === p[0] + p[1] + p[2] + p[3] + p[4] + p[5];

describe('splits', () => {
  it('cuts a run into so many numbers, never giving a number a leading zero', () => {
    expect(splits('0012', 3, () => true)).toEqual([[0, 0, 12]]);
    expect(splits('123', 2, () => true)).toEqual([
      [1, 23],
      [12, 3],
    ]);
    expect(splits('12', 3, () => true)).toEqual([]);
  });
  it('keeps only the cuttings the table accepts: a 表三 row whose total is its last number', () => {
    expect(splits('713000074', 7, rowTotal)).toEqual([[71, 3, 0, 0, 0, 0, 74]]);
  });
  it('stops at its cap, and does not try a run too long to be a row', () => {
    expect(splits('11111111', 4, () => true, 5)).toHaveLength(5);
    expect(splits('1'.repeat(61), 2, () => true)).toEqual([]);
  });
  it('partOffsets: where each part starts in the run', () => {
    expect(partOffsets([71, 3, 0, 0, 0, 0, 74])).toEqual([0, 2, 3, 4, 5, 6, 7]);
  });
});

describe('solveT3', () => {
  const empty = () => Array.from({ length: 25 }, () => null as Array<number | null> | null);
  it('takes the one cutting whose row total adds up', () => {
    const r = solveT3(new Map([[2, '713000074']]), empty(), null);
    expect(r.get(2)).toEqual({ parts: [71, 3, 0, 0, 0, 0, 74], solutions: 1 });
  });
  it('lets the column totals (row 总计) decide between cuttings that each add up on their row', () => {
    const digits = '110000011';
    const both = splits(digits, 7, rowTotal);
    expect(both).toEqual([
      [1, 10, 0, 0, 0, 0, 11],
      [11, 0, 0, 0, 0, 0, 11],
    ]);
    const known = empty();
    known[23] = [...both[1]];
    expect(solveT3(new Map([[2, digits]]), known, null).get(2)).toEqual({ parts: both[1], solutions: 1 });
  });
  it('leaves a row uncut (null) when the totals cannot tell, counting the cuttings left', () => {
    const r = solveT3(new Map([[2, '110000011']]), empty(), null).get(2);
    expect(r).toEqual({ parts: null, solutions: 2 });
  });
});

describe('solveT4', () => {
  it('cuts fifteen numbers whose three blocks each add up', () => {
    const v = [12, 3, 0, 0, 15, 0, 0, 0, 0, 0, 1, 1, 1, 1, 4];
    expect(solveT4(v.join(''))).toEqual({ parts: v, solutions: 1 });
  });
  it('gives no cells for a run no cutting fits', () => {
    expect(solveT4('999999999999999')).toEqual({ parts: null, solutions: 0 });
  });
});

describe('splitSpacedRuns', () => {
  it('cuts partly spaced digits into the row count (0 0 0 0 0 00)', () => {
    expect(splitSpacedRuns(['0', '0', '0', '0', '0', '00'], 7, true)).toEqual([
      [0],
      [0],
      [0],
      [0],
      [0],
      [0, 0],
    ]);
    expect(splitSpacedRuns(['12', '0', '30', '000', '42'], 7, true)).toEqual([
      [12],
      [0],
      [30],
      [0, 0, 0],
      [42],
    ]);
  });
  it('takes the one cutting that fits; null when several fit or the runs are already the row count', () => {
    expect(splitSpacedRuns(['12', '3'], 3, false)).toEqual([[1, 2], [3]]);
    expect(splitSpacedRuns(['12', '34'], 3, false)).toBeNull();
    expect(splitSpacedRuns(['1', '2', '3'], 3, false)).toBeNull();
  });
});
