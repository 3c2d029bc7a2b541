// The template's fixed wording as a vocabulary for proofreading (term-typo): every section title,
// sub-item, row, column and group label of the template module cut at its punctuation and numbering,
// the phrases those labels share (政府信息公开, 政府信息公开申请 …), and the few the template repeats
// outside its tables. Near-misses are found through an index of each term's character bigrams.
import type { Report } from '../../src/model.js';
import {
  S1_SUBITEMS,
  SECTIONS,
  T2_HEADERS,
  T2_ROWS,
  T3_COLUMNS,
  T3_GROUPS,
  T3_ROWS,
  T4_BLOCK_NAMES,
  T4_BLOCKS,
  T4_COLUMNS,
} from '../../src/template.js';

const HAN = /^[\u4e00-\u9fff]+$/;
const isHan = (c: string | undefined): boolean => !!c && c >= '\u4e00' && c <= '\u9fff';

/** Phrases every report repeats that no label of the template module holds. */
export const EXTRA_TERMS = ['信息处理费', '政府信息公开工作年度报告', '政府信息公开条例'];

/** A label cut into its Han runs (numbering, brackets, quotes and punctuation dropped). */
const pieces = (label: string): string[] =>
  label.split(/[^\u4e00-\u9fff]+|[一二三四五六七八九十]、/).filter(Boolean);

/** The template's labels, as written in the template module. */
function templateLabels(): string[] {
  return [
    ...SECTIONS.flatMap((s) => [s.title, ...s.variants]),
    ...S1_SUBITEMS.flatMap((s) => [s.caption, s.key]),
    ...T2_HEADERS.flat(),
    ...T2_ROWS.map((r) => r.label),
    ...T3_COLUMNS,
    ...T3_ROWS.map((r) => r.label),
    ...T3_GROUPS.map((g) => g.label),
    ...T4_BLOCKS.flatMap((b) => b.split('·')),
    ...T4_BLOCK_NAMES,
    ...T4_COLUMNS,
  ];
}

/** Maximal common substrings of at least `min` characters of two strings. */
function commonRuns(a: string, b: string, min: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < a.length; i++)
    for (let j = 0; j < b.length; j++) {
      if (a[i] !== b[j] || (i > 0 && j > 0 && a[i - 1] === b[j - 1])) continue;
      let k = 0;
      while (i + k < a.length && j + k < b.length && a[i + k] === b[j + k]) k++;
      if (k >= min) out.push(a.slice(i, i + k));
    }
  return out;
}

/**
 * The vocabulary: each Han run of the template's labels of four characters or more, the runs two of
 * them share (the phrases the template makes offices repeat), and EXTRA_TERMS.
 */
export function buildVocabulary(): string[] {
  const runs = [...new Set(templateLabels().flatMap(pieces))].filter((p) => p.length >= 4);
  // A shared run is a phrase when it is long enough to stand alone and does not end on a joining
  // word (存在的主要问题及, 属于行政 are pieces of two labels, not phrases).
  const shared = new Set<string>();
  for (let i = 0; i < runs.length; i++)
    for (let j = i + 1; j < runs.length; j++)
      for (const c of commonRuns(runs[i], runs[j], 5)) if (!/[及和与的]$/.test(c)) shared.add(c);
  return [...new Set([...runs, ...shared, ...EXTRA_TERMS])].filter((t) => HAN.test(t)).sort();
}

/**
 * Characters written for one another (same or near sound, similar shape) in these terms. A
 * substitution is a typo only between the characters of one group: 予/子/于/与, 止/纸/址, 议/义.
 */
const CONFUSABLE = [
  '予子于与',
  '止纸址趾',
  '议义仪意',
  '复夏覆',
  '诉拆析',
  '讼松颂',
  '政正证',
  '府付附腑',
  '息悉熄',
  '申甲伸审',
  '请清情青晴',
  '罚伐',
  '制治致',
  '强弪',
  '结洁节',
  '转传专',
  '费废',
  '效校',
  '现观见',
  '规视观',
  '范犯泛',
  '章张彰',
  '律津',
  '构购沟',
  '益溢盖',
  '织职识积',
  '掌常堂',
  '握渥',
  '补朴扑',
  '缴激',
  '纳钠',
  '维唯惟',
  '纠纟究',
  '尚常',
  '况兄',
  '监鉴',
  '督替',
  '障彰',
  '设没',
  '管菅',
  '理埋',
  '依衣',
  '秘密',
  '密蜜',
  '危为',
  '稳隐',
  '籍藉',
  '卷券眷',
  '询洵',
  '掌撑',
  '讯迅',
  '诉述',
  '确角',
  '供共',
  '刊判',
  '版板',
  '物勿',
  '投役',
  '访仿',
  '举誉',
  '逾愈',
  '期斯',
  '缴交',
  '统充',
];
const CONFUSE = new Map<string, Set<string>>();
for (const g of CONFUSABLE)
  for (const a of g)
    for (const b of g)
      if (a !== b) {
        const s = CONFUSE.get(a) ?? new Set<string>();
        s.add(b);
        CONFUSE.set(a, s);
      }
/** Whether `written` is a typo of `meant` (one of its confusables). */
export const confusable = (meant: string, written: string): boolean => !!CONFUSE.get(meant)?.has(written);

/** Function words and modifiers a writer inserts into a term on purpose: 不予以公开, 政府的信息. */
const INSERTED_ON_PURPOSE = new Set(
  '的地得了之以和及与或等不未已再均都也并其各该此所被将对在为向从由按总全部类项件个次条新本上下另性度需应可要须予'.split(
    '',
  ),
);

/** A near-miss of a term: the written text and the term it misspells. */
export interface NearMiss {
  term: string;
  start: number;
  end: number;
  /** Characters changed (1 or 2). */
  edits: number;
}

/**
 * How `w` misspells `t`, or 0 when it does not in a way these rules accept: one confusable character
 * (two in a term of eight or more); one character more inside a term of at most five (not a function
 * word or modifier; the first two and last two characters exact: 行政法复议); one character less
 * inside a term of five or more (not a function word; the first two and last two exact). Longer terms
 * take modifiers in ordinary prose (政府信息网公开), so they get no inserted character.
 */
export function misspells(t: string, w: string): number {
  const n = t.length;
  if (w === t) return 0;
  if (w.length === n) {
    let k = 0;
    for (let i = 0; i < n; i++) {
      if (t[i] === w[i]) continue;
      if (!confusable(t[i], w[i])) return 0;
      k++;
    }
    return k === 1 || (k === 2 && n >= 8) ? k : 0;
  }
  if (!w.startsWith(t.slice(0, 2)) || !w.endsWith(t.slice(-2))) return 0;
  if (w.length === n + 1 && n <= 5) {
    for (let i = 2; i < n - 1; i++)
      if (w.slice(0, i) === t.slice(0, i) && w.slice(i + 1) === t.slice(i))
        return isHan(w[i]) && !INSERTED_ON_PURPOSE.has(w[i]) ? 1 : 0;
    return 0;
  }
  if (w.length === n - 1 && n >= 5) {
    for (let i = 2; i < n - 2; i++)
      if (t.slice(0, i) + t.slice(i + 1) === w) return INSERTED_ON_PURPOSE.has(t[i]) ? 0 : 1;
  }
  return 0;
}

/**
 * Real phrases one edit from a template term under `misspells` (checked by the tests: each is a
 * near-miss of some term). Written text that is one of them is never a typo: 不予受理 is not 不予处理.
 */
export const REAL_PHRASES = [
  '行政规范文件',
  '结转下年继续办理',
  '行政事业收费',
  '现行有效文件数',
  '不予处置',
  '行政复核',
  '政府信息公布',
  '依申请公示',
  '予以公示',
];

export interface Vocabulary {
  terms: string[];
  /** First two characters (as pairKey) → the terms that start with them; last two → the terms that end with them. */
  heads: Map<number, string[]>;
  /** Each with its middle (the term without its first and last pairs). */
  tails: Map<number, Array<{ t: string; mid: string }>>;
  /** term → real phrases that are near-misses of it. */
  allowed: Map<string, string[]>;
  /** Han characters (offset from U+4E00) that begin a first or last pair of some term. */
  starts: Uint8Array;
  /** A filter of the first and last pairs (by pairHash): most pairs of a text are no term's. */
  pairs: Uint8Array;
}

const pairHash = (key: number): number => Math.imul(key, 0x9e3779b1) >>> 16;

let vocabulary: Vocabulary | undefined;

/** Two Han characters as one small integer: a map key that needs no string. */
const pairKey = (s: string, i: number): number =>
  (s.charCodeAt(i) - 0x4e00) * 0x5200 + (s.charCodeAt(i + 1) - 0x4e00);

function indexBy(terms: string[], key: (t: string) => number): Map<number, string[]> {
  const m = new Map<number, string[]>();
  for (const t of terms) m.set(key(t), [...(m.get(key(t)) ?? []), t]);
  // Longest first: once a term is written exactly here, the shorter ones' windows lie inside it.
  for (const l of m.values()) l.sort((a, b) => b.length - a.length);
  return m;
}

export function getVocabulary(): Vocabulary {
  if (vocabulary) return vocabulary;
  const terms = buildVocabulary();
  const v: Vocabulary = {
    terms,
    heads: indexBy(terms, (t) => pairKey(t, 0)),
    tails: new Map(
      [...indexBy(terms, (t) => pairKey(t, t.length - 2))].map(([k, l]) => [
        k,
        l.map((t) => ({ t, mid: t.slice(2, -2) })),
      ]),
    ),
    allowed: new Map(),
    starts: new Uint8Array(0x5200),
    pairs: new Uint8Array(0x10000),
  };
  for (const t of terms) {
    v.starts[t.charCodeAt(0) - 0x4e00] = 1;
    v.starts[t.charCodeAt(t.length - 2) - 0x4e00] = 1;
    v.pairs[pairHash(pairKey(t, 0))] = 1;
    v.pairs[pairHash(pairKey(t, t.length - 2))] = 1;
  }
  for (const p of REAL_PHRASES)
    for (const m of nearMisses(p, v)) v.allowed.set(m.term, [...(v.allowed.get(m.term) ?? []), p]);
  vocabulary = v;
  return v;
}

/** Near-miss candidates kept at most (a document of thousands of typos is reported in part anyway). */
const MAX_CANDIDATES = 2000;

/**
 * Near-misses of the vocabulary's terms in `text` (Han characters only), the best per place: fewest
 * edits, then the longest term. A place inside a term written exactly (as long as the near-miss or
 * longer), or inside one of the real phrases allowed for the term, is not a near-miss.
 *
 * Every near-miss `misspells` accepts keeps its term's first two or its last two characters exact
 * (one changed character sits at one end at most; an inserted or missing one sits inside), so the
 * text is scanned once, each Han pair looked up among the terms' first and last pairs.
 */
export function nearMisses(text: string, v: Vocabulary = getVocabulary()): NearMiss[] {
  const found: NearMiss[] = [];
  const exactStart: number[] = [];
  const exactEnd: number[] = [];
  const consider = (t: string, s: number, len: number) => {
    if (s < 0 || s + len > text.length || len < 3 || !plausible(t, text, s, len)) return;
    const edits = misspells(t, text.slice(s, s + len));
    if (!edits) return;
    if ((v.allowed.get(t) ?? []).some((p) => within(text, s, s + len, p))) return;
    found.push({ term: t, start: s, end: s + len, edits });
  };
  const { starts, pairs } = v;
  const last = text.length - 1;
  for (let i = 0; i < last; i++) {
    const a = text.charCodeAt(i) - 0x4e00;
    if (a < 0 || a >= 0x5200 || starts[a] === 0) continue;
    const b = text.charCodeAt(i + 1) - 0x4e00;
    if (b < 0 || b >= 0x5200) {
      i++;
      continue;
    }
    const pair = a * 0x5200 + b;
    if (pairs[pairHash(pair)] === 0) continue;
    if (found.length >= MAX_CANDIDATES) break;
    const heads = v.heads.get(pair);
    const tails = v.tails.get(pair);
    if (!heads && !tails) continue;
    for (const t of heads ?? []) {
      const n = t.length;
      if (text.startsWith(t, i)) {
        exactStart.push(i);
        exactEnd.push(i + n);
        break;
      }
      // Cheap necessary conditions first: a substitution keeps the third or the last character (the
      // fourth in a long term); an insertion or a deletion keeps the last two, one place later or earlier.
      const y = t.charCodeAt(n - 2);
      const z = t.charCodeAt(n - 1);
      if (
        text.charCodeAt(i + 2) === t.charCodeAt(2) ||
        text.charCodeAt(i + (n >= 8 ? 3 : n - 1)) === t.charCodeAt(n >= 8 ? 3 : n - 1)
      )
        consider(t, i, n);
      if (n <= 5 && text.charCodeAt(i + n - 1) === y && text.charCodeAt(i + n) === z) consider(t, i, n + 1);
      if (n >= 5 && text.charCodeAt(i + n - 3) === y && text.charCodeAt(i + n - 2) === z)
        consider(t, i, n - 1);
    }
    // From the last pair: only a substitution in the first two characters is left to find (an
    // insertion or a deletion keeps the first pair, and the pass above saw every window that does).
    for (const { t, mid } of tails ?? []) {
      const n = t.length;
      const s = i + 2 - n;
      if (s < 0) continue;
      if (text.charCodeAt(s) === t.charCodeAt(0) && text.charCodeAt(s + 1) === t.charCodeAt(1)) {
        if (text.startsWith(t, s)) break;
        continue;
      }
      // A short term has one change at most, here in its first pair: its middle is exact.
      if (n < 8 && !text.startsWith(mid, s + 2)) continue;
      consider(t, s, n);
    }
  }
  if (!found.length) return [];
  found.sort((a, b) => a.edits - b.edits || b.term.length - a.term.length || a.start - b.start);
  const out: NearMiss[] = [];
  const longest = v.terms.reduce((m, t) => Math.max(m, t.length), 0);
  for (const m of found) {
    if (insideExact(exactStart, exactEnd, m, longest)) continue;
    if (out.some((o) => o.start < m.end && o.end > m.start)) continue;
    out.push(m);
  }
  return out.sort((a, b) => a.start - b.start);
}

/**
 * A cheap test before `misspells`: the window keeps the term's first two and last two characters
 * (an insertion or deletion), or differs from it in as few places as a substitution may (one; two
 * in a term of eight or more).
 */
function plausible(t: string, text: string, s: number, len: number): boolean {
  const n = t.length;
  if (len !== n)
    return (
      text.charCodeAt(s) === t.charCodeAt(0) &&
      text.charCodeAt(s + 1) === t.charCodeAt(1) &&
      text.charCodeAt(s + len - 2) === t.charCodeAt(n - 2) &&
      text.charCodeAt(s + len - 1) === t.charCodeAt(n - 1)
    );
  const most = n >= 8 ? 2 : 1;
  let k = 0;
  for (let j = 0; j < n; j++) if (text.charCodeAt(s + j) !== t.charCodeAt(j) && ++k > most) return false;
  return true;
}

/** Whether a term written exactly, at least as long as `m`, overlaps it (starts are in ascending order). */
function insideExact(starts: number[], ends: number[], m: NearMiss, longest: number): boolean {
  let lo = 0,
    hi = starts.length;
  const from = m.start - longest;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (starts[mid] < from) lo = mid + 1;
    else hi = mid;
  }
  for (let k = lo; k < starts.length && starts[k] < m.end; k++)
    if (ends[k] > m.start && ends[k] - starts[k] >= m.end - m.start) return true;
  return false;
}

/** Whether `phrase` occurs in text covering [s, e). */
function within(text: string, s: number, e: number, phrase: string): boolean {
  const from = Math.max(0, e - phrase.length);
  for (let at = text.indexOf(phrase, from); at >= 0 && at <= s; at = text.indexOf(phrase, at + 1))
    if (at + phrase.length >= e) return true;
  return false;
}

/**
 * Ranges other rules rewrite whole (a non-standard section heading, a table row label that is not the
 * template's): proofreading leaves them alone so that two fixes never overlap.
 */
export function rewrittenRanges(report: Report): Array<{ start: number; end: number }> {
  const out = report.sections.filter((s) => !s.standard).map((s) => s.range);
  for (const id of ['t2', 't3'] as const)
    for (const row of report.tables[id]?.rows ?? [])
      if (row && row.labelDistance > 0) out.push(row.labelRange);
  return out;
}

export const overlaps = (ranges: Array<{ start: number; end: number }>, s: number, e: number): boolean =>
  ranges.some((r) => r.start < e && r.end > s);
