// Splitting digits that a flattened web page ran together ("713000074" → 71 3 0 0 0 0 74),
// decided only by the table's own totals. Hand-written search, not grammar: every cutting of a run
// is a valid string of numbers; which one is right depends on sums along rows and down columns.
import { T3_COLUMN_COUNT, T3_ROW } from '../template.js';

/** All ways to cut `digits` into `k` numbers without leading zeros that `accept` takes (at most `cap`). */
export function splits(
  digits: string,
  k: number,
  accept: (parts: number[]) => boolean,
  cap = 2000,
  prune?: (parts: number[]) => boolean,
): number[][] {
  const out: number[][] = [];
  const parts: number[] = [];
  const rec = (pos: number) => {
    if (out.length >= cap) return;
    const left = k - parts.length;
    if (left === 0) {
      if (pos === digits.length && accept(parts)) out.push([...parts]);
      return;
    }
    const rest = digits.length - pos;
    if (rest < left) return;
    const maxLen = digits[pos] === '0' ? 1 : Math.min(rest - (left - 1), 9);
    for (let len = 1; len <= maxLen; len++) {
      parts.push(Number(digits.slice(pos, pos + len)));
      if (!prune?.(parts)) rec(pos + len);
      parts.pop();
    }
  };
  if (digits.length <= 60) rec(0);
  return out;
}

/** Offsets where each part starts in the digit string. */
export function partOffsets(parts: number[]): number[] {
  const offs: number[] = [];
  let p = 0;
  for (const v of parts) {
    offs.push(p);
    p += String(v).length;
  }
  return offs;
}

const rowTotal = (p: number[]) => p[6] === p[0] + p[1] + p[2] + p[3] + p[4] + p[5];

/**
 * Table 3: candidate splits per row (by the row total), then rows with several candidates are
 * chosen jointly by the column totals and the balance. Returns per row the chosen split, or null
 * where no unique split exists; `known` rows already have values.
 */
const t3Cache = new Map<string, Map<number, { parts: number[] | null; solutions: number }>>();

/** solveT3, memoised by its inputs (a re-check of the same table costs nothing). */
export function solveT3Cached(
  runs: Map<number, string>,
  known: Array<Array<number | null> | null>,
  legacy: number[] | null,
) {
  const k = JSON.stringify([[...runs], known, legacy]);
  let r = t3Cache.get(k);
  if (!r) {
    if (t3Cache.size > 500) t3Cache.clear();
    r = solveT3(runs, known, legacy);
    t3Cache.set(k, r);
  }
  return r;
}

export function solveT3(
  runs: Map<number, string>,
  known: Array<Array<number | null> | null>,
  legacy: number[] | null,
): Map<number, { parts: number[] | null; solutions: number }> {
  const cands = new Map<number, number[][]>();
  for (const [r, d] of runs) cands.set(r, splits(d, 7, rowTotal, 500));
  const result = new Map<number, { parts: number[] | null; solutions: number }>();
  const ambiguous = [...cands.entries()].filter(([, c]) => c.length > 1).map(([r]) => r);
  for (const [r, c] of cands) if (c.length <= 1) result.set(r, { parts: c[0] ?? null, solutions: c.length });
  if (ambiguous.length === 0) return result;
  let combos = 1;
  for (const r of ambiguous) combos *= cands.get(r)!.length;
  const grid: Array<Array<number | null> | null> = known.map((row) => (row ? [...row] : null));
  for (const [r, v] of result) if (v.parts) grid[r] = v.parts;
  const found: number[][][] = [];
  if (combos <= 200000) {
    const pick: number[][] = [];
    const rec = (i: number) => {
      if (found.length > 50) return;
      if (i === ambiguous.length) {
        ambiguous.forEach((r, j) => (grid[r] = pick[j]));
        if (consistent(grid, legacy)) found.push(pick.map((p) => p));
        return;
      }
      for (const c of cands.get(ambiguous[i])!) {
        pick.push(c);
        rec(i + 1);
        pick.pop();
      }
    };
    rec(0);
  }
  ambiguous.forEach((r, j) => {
    const vals = found.map((f) => f[j].join(','));
    const unique = found.length > 0 && vals.every((v) => v === vals[0]);
    result.set(r, {
      parts: unique ? found[0][j] : null,
      solutions: unique ? 1 : Math.max(found.length, cands.get(r)!.length),
    });
  });
  return result;
}

function consistent(g: Array<Array<number | null> | null>, legacy: number[] | null): boolean {
  const { NEW_REQUESTS, CARRIED_IN, FIRST_OUTCOME, LAST_OUTCOME, OUTCOME_TOTAL, CARRIED_OUT } = T3_ROW;
  for (let c = 0; c < T3_COLUMN_COUNT; c++) {
    let sum = legacy ? legacy[c] : 0;
    let ok = g[OUTCOME_TOTAL] != null;
    for (let r = FIRST_OUTCOME; r <= LAST_OUTCOME && ok; r++) {
      const v = g[r]?.[c];
      if (v == null) {
        if (g[r]) ok = false;
      } else sum += v;
    }
    if (ok && g[OUTCOME_TOTAL]![c] != null && g[OUTCOME_TOTAL]![c] !== sum) return false;
    const a = g[NEW_REQUESTS]?.[c],
      b = g[CARRIED_IN]?.[c],
      t = g[OUTCOME_TOTAL]?.[c],
      n = g[CARRIED_OUT]?.[c];
    if (a != null && b != null && t != null && n != null && a + b !== t + n) return false;
  }
  return true;
}

/** Table 4 from one run of digits: 15 numbers whose three blocks each add up. */
export function solveT4(digits: string): { parts: number[] | null; solutions: number } {
  const s = splits(
    digits,
    15,
    (p) => [0, 5, 10].every((b) => blockOk(p, b)),
    50,
    (p) => p.length % 5 === 0 && !blockOk(p, p.length - 5),
  );
  return { parts: s.length === 1 ? s[0] : null, solutions: s.length };
}

const blockOk = (p: number[], b: number) => p[b + 4] === p[b] + p[b + 1] + p[b + 2] + p[b + 3];

/**
 * Digits partly spaced apart (`0 0 0 0 0 00`, `12 0 30 0 0 0 42`): cut each run so the row has
 * `k` cells. A run may only be cut where no part gets a leading zero, so a run that starts with 0
 * can only open with a 0 cell; what is still open is decided by the row total (t3) when `total`.
 * Returns the parts of each run, or null unless exactly one cutting fits.
 */
export function splitSpacedRuns(runs: string[], k: number, total: boolean): number[][] | null {
  if (runs.length >= k || runs.join('').length > 60) return null;
  const found: number[][][] = [];
  const pick: number[][] = [];
  const rec = (i: number, left: number) => {
    if (found.length > 1) return;
    if (i === runs.length) {
      if (left === 0 && (!total || rowTotal(pick.flat()))) found.push(pick.map((p) => p));
      return;
    }
    const later = runs.length - i - 1;
    for (let m = 1; m <= Math.min(runs[i].length, left - later); m++) {
      for (const s of splits(runs[i], m, () => true, 200)) {
        pick.push(s);
        rec(i + 1, left - m);
        pick.pop();
      }
    }
  };
  rec(0, k);
  return found.length === 1 ? found[0] : null;
}
