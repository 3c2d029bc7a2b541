// Row labels of 表二 and 表三: which template row a written label names. Matching is fuzzy (a
// label may be garbled, wrapped, cut by a group label set beside it, or lose its numbering), so it
// is edit distance over the template's labels, not grammar: a PEG accepts or rejects, it cannot
// say which of forty labels a text is nearest to.
import { distance } from 'fastest-levenshtein';
import { LRUCache } from 'lru-cache';
import type { Cell, Range } from '../model.js';
import { type RowSpec, T2_GROUPS, T2_ROWS, T3_GROUPS, T3_ROWS } from '../template.js';
import { key, prefixDistance, suffixDistance } from '../text.js';
import { numberingOf, type Token } from './grammar.js';

export interface Candidate {
  label: string;
  key: string;
  /** The key without its item numbering (一、 (二) 1.). */
  bare: string;
  row?: RowSpec;
  group?: string;
}
const candidate = (label: string, c: { row?: RowSpec; group?: string }): Candidate => {
  const k = key(label);
  return { label, key: k, bare: k.slice(numberingOf(k)?.text.length ?? 0), ...c };
};
export const CANDIDATES: Record<'t2' | 't3', Candidate[]> = {
  t2: [
    ...T2_ROWS.map((row) => candidate(row.label, { row })),
    ...T2_GROUPS.map((g) => candidate(g, { group: g })),
  ],
  t3: [
    ...T3_ROWS.map((row) => candidate(row.label, { row })),
    ...T3_GROUPS.map((g) => candidate(g.label, { group: g.label })),
  ],
};
export const MAXLEN = { t2: 12, t3: Math.max(...T3_ROWS.map((r) => key(r.label).length)) + 8 };

export interface Resolved {
  cand: Candidate;
  dist: number;
  start: number;
}
const resolveCache = new LRUCache<string, Resolved | 0>({ max: 20000 });

/** Which row label does the text before some numbers end with? */
export function resolveLabel(table: 't2' | 't3', tail: string): Resolved | null {
  const ck = table + tail;
  let r = resolveCache.get(ck);
  if (r === undefined) {
    let best: Resolved | null = null;
    for (const cand of CANDIDATES[table]) {
      if (tail.endsWith(cand.key)) {
        if (!best || best.dist > 0 || cand.key.length > best.cand.key.length)
          best = { cand, dist: 0, start: tail.length - cand.key.length };
      }
    }
    if (!best) {
      // The numbering may be left out (一、 （二） 1.): the bare wording counts as the label.
      for (const cand of CANDIDATES[table]) {
        const bare = cand.bare;
        if (bare.length >= 4 && bare !== cand.key && tail.endsWith(bare)) {
          if (!best || bare.length > best.cand.key.length)
            best = { cand, dist: 0, start: tail.length - bare.length };
        }
      }
    }
    if (!best) {
      // The start of a label whose rest wrapped below its numbers (a PDF cell set over lines):
      // the text ends with the first five or more characters of exactly one label.
      let tie = false;
      for (const cand of CANDIDATES[table]) {
        if (!cand.row) continue;
        for (let l = cand.key.length - 1; l >= 5; l--) {
          if (!tail.endsWith(cand.key.slice(0, l))) continue;
          const dist = cand.key.length - l;
          if (!best || l > best.cand.key.length - best.dist) {
            best = { cand, dist, start: tail.length - l };
            tie = false;
          } else if (l === best.cand.key.length - best.dist) tie = true;
          break;
        }
      }
      if (tie) best = null;
    }
    if (!best) {
      for (const cand of CANDIDATES[table]) {
        const len = cand.key.length;
        const tol = len <= 3 ? 0 : len <= 6 ? 1 : Math.floor(len * 0.34);
        if (tol === 0) continue;
        const { dist, start } = suffixDistance(cand.key, tail.slice(-(len + 6)));
        if (dist > tol) continue;
        const off = tail.length - Math.min(tail.length, len + 6);
        if (!best || dist / len < best.dist / best.cand.key.length) best = { cand, dist, start: off + start };
      }
    }
    r = best ?? 0;
    resolveCache.set(ck, r);
  }
  return r || null;
}

export const CJK = /[\u3400-\u9fff]/;

/** Where a piece (three or more characters) of a group label's start, `(六)其`, sits inside a label's text. */
export function groupPieceIn(id: 't2' | 't3', tail: string): Range | null {
  for (let at = tail.indexOf('('); at > 0; at = tail.indexOf('(', at + 1)) {
    for (const g of CANDIDATES[id]) {
      if (!g.group) continue;
      for (let n = Math.min(g.key.length - 1, tail.length - at); n >= 3; n--) {
        if (tail.startsWith(g.key.slice(0, n), at)) return { start: at, end: at + n };
      }
    }
  }
  return null;
}

export function isSubsequence(part: string, whole: string): boolean {
  let i = 0;
  for (let j = 0; j < whole.length && i < part.length; j++) if (whole[j] === part[i]) i++;
  return i === part.length;
}

/** key() of one already-normalised character. */
export function keyChar(c: string): string {
  switch (c) {
    case '、':
    case '，':
      return ',';
    case '“':
    case '”':
    case '「':
    case '」':
      return '"';
    case '：':
      return ':';
    case '．':
      return '.';
    default:
      return c;
  }
}

const wrapCache = new LRUCache<string, number>({ max: 5000 });
/** How far a label wrapped after its numbers is from the standard one, once its rest is joined. */
export function wrapDistance(label: string, joined: string): number {
  const k = label + '\u0000' + joined;
  let d = wrapCache.get(k);
  // Free end: what follows the label's rest (a group label, the next row's number) is not its.
  if (d === undefined) {
    d = prefixDistance(label, joined).dist;
    wrapCache.set(k, d);
  }
  return d;
}

export interface Pending {
  cand: Candidate;
  label: string;
  labelRange: Range;
  dist: number;
  wrapped?: boolean;
  /** The row's tokens (token layouts) or its cells (lines whose cells are separated). */
  toks: Token[];
  cells?: Cell[];
  /** A row label followed by nothing but space before the next label: every cell blank. */
  allBlank?: boolean;
  /** The label was not recognised by its wording. */
  unknown?: boolean;
}

export const UNKNOWN: Candidate = { label: '', key: '', bare: '' };

/**
 * Rows whose labels were not recognised, placed by order: between two recognised rows, unknown
 * rows with cells take the template rows absent there, one for one and in order, when their
 * labels are not too far from those rows' (at most two thirds of the characters differ). The rest
 * are dropped, as text that is no row.
 */
export function placeByOrder(pending: Pending[], specs: RowSpec[], id: 't2' | 't3'): Pending[] {
  const present = new Set(pending.filter((p) => !p.unknown && p.cand.row).map((p) => p.cand.row!.index));
  const out: Pending[] = [];
  let i = 0;
  while (i < pending.length) {
    if (!pending[i].unknown) {
      out.push(pending[i]);
      i++;
      continue;
    }
    let j = i;
    while (j < pending.length && pending[j].unknown) j++;
    const before = [...out].reverse().find((p) => p.cand.row)?.cand.row?.index;
    const after = pending.slice(j).find((p) => !p.unknown && p.cand.row)?.cand.row?.index;
    const unknowns = pending.slice(i, j).filter((p) => p.toks.length || p.cells?.length);
    if (before !== undefined && after !== undefined) {
      const absent = specs.filter((r) => r.index > before && r.index < after && !present.has(r.index));
      if (absent.length === unknowns.length) {
        const placed = unknowns.map((p, k) => {
          const cand = CANDIDATES[id].find((c) => c.row === absent[k])!;
          const written = key(p.label).slice(-cand.key.length - 4);
          return { p, cand, dist: distance(written, cand.key) };
        });
        if (placed.every((x) => x.dist <= Math.floor((x.cand.key.length * 2) / 3))) {
          for (const x of placed)
            out.push({ ...x.p, cand: x.cand, dist: Math.max(1, x.dist), unknown: false, wrapped: false });
        }
      }
    }
    i = j;
  }
  return out;
}
