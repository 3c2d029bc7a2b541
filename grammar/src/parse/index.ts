// parse: text → Report model. A plain line scan finds the layout; the grammar (lexer.ts) reads
// headings and table regions; labels are matched to the template's rows by edit distance.
import { distance } from 'fastest-levenshtein';
import { LRUCache } from 'lru-cache';
import type { Cell, LegacyRow, Range, Report, Row, Section, Table } from '../model.js';
import {
  type RowSpec,
  SECTIONS,
  type SectionId,
  type SectionSpec,
  T2_GROUPS,
  T2_ROWS,
  T3_GROUPS,
  T3_LEGACY_OTHER,
  T3_ROWS,
} from '../template.js';
import { key, LineIndex, normalize, prefixDistance, suffixDistance } from '../text.js';
import { partOffsets, solveT3Cached, solveT4, splitSpacedRuns, splits } from './digit-runs.js';
import { classifyLine, headingCandidates, numberingOf, type Token, tokenize } from './grammar.js';

export interface ParseOptions {
  year?: number;
}

export function parse(text: string, options: ParseOptions = {}): Report & { lines: LineIndex } {
  const norm = normalize(text);
  const lines = new LineIndex(text);
  const footers: Range[] = [];
  const sections: Section[] = [];
  for (let l = 0; l < lines.lineCount; l++) {
    const s = lines.starts[l],
      e = lines.lineEnd(l);
    const line = norm.slice(s, e);
    // Long (flattened) lines and TAB lines (tables run together by Word converters) can hold a
    // heading after other text.
    const k = classifyLine(line);
    if (line.length > 200 || (line.includes('\t') && k.kind !== 'heading')) {
      findHeadingsInLongLine(line, s, sections);
      continue;
    }
    if (k.kind === 'footer') footers.push({ start: s, end: e });
    else if (line.includes('---') && MD_RULE.test(line)) {
      // Markdown table: the |---| line and the generic header line above it carry no data.
      footers.push({ start: s, end: e });
      if (l > 0 && /^\s*\|/.test(norm.slice(lines.starts[l - 1], lines.lineEnd(l - 1))))
        footers.push({ start: lines.starts[l - 1], end: lines.lineEnd(l - 1) });
    } else if (k.kind === 'heading') {
      const sec = recognizeHeading(line, k.numeral, k.titleStart, s, true, sections[sections.length - 1]?.id);
      if (sec) sections.push(sec);
    }
  }
  // Section bodies: from a heading to the next heading (first occurrence of each id).
  const sectionBody: Report['sectionBody'] = {};
  sections.forEach((sec, i) => {
    if (sectionBody[sec.id]) return;
    sectionBody[sec.id] = {
      start: sec.range.end,
      end: i + 1 < sections.length ? sections[i + 1].range.start : text.length,
    };
  });
  const firstSection = sections.length ? sections[0].range.start : text.length;
  const title = findTitle(norm, lines, firstSection);
  const titles = titleLines(norm, lines, firstSection);
  const head = norm.slice(0, Math.min(sectionBody.S2?.start ?? firstSection + 3000, text.length));
  const pm = /(\d{4})\s*年\s*0?1\s*月\s*0?1\s*日[^\d]{0,8}?(\d{4})\s*年\s*12\s*月\s*31\s*日/.exec(head);
  const period = pm
    ? { from: +pm[1], to: +pm[2], range: { start: pm.index, end: pm.index + pm[0].length } }
    : undefined;
  const year = title?.year ?? period?.to ?? options.year ?? dominantYear(head);

  const clean = blankFooters(norm, footers);
  const region = (id: SectionId, fallbackFrom?: SectionId): Range | null => {
    const r = sectionBody[id];
    if (r) return r;
    const prev = fallbackFrom && sectionBody[fallbackFrom];
    return prev ? prev : null;
  };
  const r2 = region('S2'),
    r3 = region('S3'),
    r4 = region('S4');
  const t2 = r2 ? parseLabelledCached('t2', clean, text, lines, r2) : null;
  const t3 = r3 ? parseLabelledCached('t3', clean, text, lines, r3) : null;
  const t4 = r4 ? parseT4(clean, lines, r4) : null;
  return { text, norm, lines, title, titles, period, year, sections, sectionBody, tables: { t2, t3, t4 } };
}

// ---------------------------------------------------------------- sections

interface HeadingMatch {
  spec: SectionSpec;
  kind: Section['kind'];
  dist: number;
  len: number;
  used: number;
}
const headingCache = new LRUCache<string, HeadingMatch | 0>({ max: 5000 });

/** Classifies a heading title (text after the numbering) by its wording. */
function classifyTitle(title: string): HeadingMatch | null {
  const compact = title.replace(/[\s\u3000]/g, '').slice(0, 40);
  let r = headingCache.get(compact);
  if (r === undefined) {
    let best: HeadingMatch | null = null;
    for (const spec of SECTIONS) {
      const forms: Array<[string, Section['kind']]> = [
        [spec.title, 'standard'],
        ...spec.variants.map((v) => [v, 'variant'] as [string, Section['kind']]),
        ...spec.outdated.map((v) => [v, 'outdated'] as [string, Section['kind']]),
      ];
      for (const [form, kind] of forms) {
        const k = key(form);
        const { dist, end } = prefixDistance(k, key(compact));
        const tol = k.length <= 4 ? 0 : Math.max(1, Math.floor(k.length * 0.2));
        if (dist > tol) continue;
        const score = dist / k.length;
        if (
          !best ||
          score < best.dist / best.len ||
          (score === best.dist / best.len && k.length > best.len)
        ) {
          best = {
            spec,
            kind: dist > 0 && kind === 'standard' ? 'misspelled' : kind,
            dist,
            len: k.length,
            used: end,
          };
        }
      }
    }
    r = best ?? 0;
    headingCache.set(compact, r);
  }
  return r || null;
}

const STANDARD_NORM = Object.fromEntries(SECTIONS.map((s) => [s.id, normalize(s.standard)]));

/**
 * What each section's title is about, whatever its exact wording: a heading with the right numeral
 * in the right place whose title says this is that section (五、存在问题及整改情况).
 */
const MEANING: Record<SectionId, RegExp> = {
  S1: /总体|概况|基本情况/,
  S2: /主动公开/,
  S3: /申请/,
  S4: /复议|诉讼/,
  S5: /问题|不足|改进|整改/,
  S6: /其他|其它/,
};

function byMeaning(title: string, numeral: string, previous: SectionId | undefined): HeadingMatch | null {
  const spec = SECTIONS.find((x) => x.numeral === numeral);
  if (!spec) return null;
  // In its place only: after the section before it (a numbered list inside a section is not a heading).
  const before = SECTIONS[SECTIONS.indexOf(spec) - 1]?.id;
  if (previous !== before) return null;
  const head = title.replace(/[\s\u3000]/g, '').split(/[。；;]/)[0];
  if (!head || head.length > 30 || !MEANING[spec.id].test(head)) return null;
  return { spec, kind: 'variant', dist: head.length, len: head.length, used: head.length };
}

function recognizeHeading(
  line: string,
  numeral: string,
  titleStart: number,
  lineStart: number,
  wholeLine: boolean,
  previous?: SectionId,
): Section | null {
  const m = classifyTitle(line.slice(titleStart)) ?? byMeaning(line.slice(titleStart), numeral, previous);
  if (!m) return null;
  let startCol = 0;
  while (/[\s\u3000#]/.test(line[startCol] ?? '')) startCol++;
  // Map the matched compact length back to the written title (spaces skipped).
  let endCol = titleStart,
    used = 0;
  while (endCol < line.length && used < m.used) {
    if (!/[\s\u3000]/.test(line[endCol])) used++;
    endCol++;
  }
  const rest = line.slice(endCol).trim();
  if (wholeLine && rest.length > 0 && rest.length <= 4 && !/[。，,]/.test(rest))
    endCol = line.trimEnd().length;
  const heading = line.slice(startCol, endCol).trim();
  const standard =
    m.kind === 'standard' &&
    numeral === m.spec.numeral &&
    heading.replace(/[\s\u3000]/g, '') === STANDARD_NORM[m.spec.id];
  return {
    id: m.spec.id,
    heading,
    range: { start: lineStart + startCol, end: lineStart + endCol },
    standard,
    kind:
      m.kind === 'standard' && !standard && numeral === m.spec.numeral && m.dist === 0 ? 'standard' : m.kind,
    numeral,
  };
}

const MD_RULE = /^\s*\|?\s*:?-{3,}:?\s*\|/;
function findHeadingsInLongLine(line: string, lineStart: number, out: Section[]) {
  for (const at of headingCandidates(line)) {
    const window = line.slice(at, at + 60);
    const k = classifyLine(window);
    if (k.kind !== 'heading') continue;
    const sec = recognizeHeading(
      window,
      k.numeral,
      k.titleStart,
      lineStart + at,
      false,
      out[out.length - 1]?.id,
    );
    if (sec) out.push(sec);
  }
}

/** A report's title: …2024年…政府信息公开…年度报告. */
const TITLE_RE = /(\d{4})\s*年度?.{0,40}?(?:政府信息公开|政务公开).{0,12}?年度?报告/;

function findTitle(norm: string, lines: LineIndex, before: number): Report['title'] {
  const re = TITLE_RE;
  for (let l = 0; l < lines.lineCount && lines.starts[l] < before && l < 60; l++) {
    const s = lines.starts[l];
    const e = Math.min(lines.lineEnd(l), before, s + 150);
    const line = norm.slice(s, e);
    if (lines.lineEnd(l) - s > 150 && l > 0) continue;
    let m = re.exec(line);
    let text = line.trim().replace(/^标题[:：]\s*/, '');
    let end = e;
    if (!m) {
      // A title wrapped by the page width (…工作年度 / 报告): the next short line completes it.
      const next = wrappedTitleTail(norm, lines, l, before);
      if (!next || !(m = re.exec(line.trim() + next.text))) continue;
      text += next.text;
      end = next.end;
    }
    const prev = l > 0 ? norm.slice(lines.starts[l - 1], lines.lineEnd(l - 1)).trim() : '';
    // A title over two lines: the body's name above, the year line below.
    if (/^\d/.test(text) && prev && prev.length <= 30 && !/[。，,:：]/.test(prev)) text = prev + text;
    const startCol = line.length - line.trimStart().length;
    return { text, year: +m[1], range: { start: s + startCol, end } };
  }
  return undefined;
}

/** The next line when it is the short rest of a title line that wrapped (`报告`, `年度报告`). */
function wrappedTitleTail(
  norm: string,
  lines: LineIndex,
  l: number,
  before: number,
): { text: string; end: number } | null {
  if (l + 1 >= lines.lineCount || lines.starts[l + 1] >= before) return null;
  const here = norm.slice(lines.starts[l], lines.lineEnd(l)).trim();
  const next = norm.slice(lines.starts[l + 1], lines.lineEnd(l + 1)).trim();
  if (
    !here ||
    here.length > 60 ||
    !/\d{4}\s*年/.test(here) ||
    !next ||
    next.length > 12 ||
    /[。，,:：]/.test(next)
  )
    return null;
  return { text: next, end: lines.lineEnd(l + 1) };
}

/** Every title-like line before the first section (a title is often repeated, or set over two lines). */
function titleLines(norm: string, lines: LineIndex, before: number): Array<{ year: number; range: Range }> {
  const out: Array<{ year: number; range: Range }> = [];
  const re = TITLE_RE;
  for (let l = 0; l < lines.lineCount && lines.starts[l] < before && l < 60; l++) {
    const s = lines.starts[l],
      e = Math.min(lines.lineEnd(l), before);
    if (e - s > 150) continue;
    const line = norm.slice(s, e);
    const m =
      re.exec(line) ?? re.exec(line.trim() + (wrappedTitleTail(norm, lines, l, before)?.text ?? '\u0000'));
    if (!m) continue;
    const at = line.indexOf(m[1]);
    out.push({ year: +m[1], range: { start: s + at, end: s + at + 4 } });
  }
  return out;
}

function dominantYear(text: string): number | null {
  const counts = new Map<number, number>();
  for (const m of text.matchAll(/(20\d\d)\s*年/g)) counts.set(+m[1], (counts.get(+m[1]) ?? 0) + 1);
  let best: number | null = null,
    n = 0;
  for (const [y, c] of counts)
    if (c > n || (c === n && best !== null && y > best)) {
      best = y;
      n = c;
    }
  return best;
}

function blankFooters(norm: string, footers: Range[]): string {
  if (!footers.length) return norm;
  let out = '',
    p = 0;
  for (const f of footers.sort((a, b) => a.start - b.start)) {
    out += norm.slice(p, f.start) + ' '.repeat(f.end - f.start);
    p = f.end;
  }
  return out + norm.slice(p);
}

// ---------------------------------------------------------------- labelled tables (t2, t3)

interface Candidate {
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
const CANDIDATES: Record<'t2' | 't3', Candidate[]> = {
  t2: [
    ...T2_ROWS.map((row) => candidate(row.label, { row })),
    ...T2_GROUPS.map((g) => candidate(g, { group: g })),
  ],
  t3: [
    ...T3_ROWS.map((row) => candidate(row.label, { row })),
    ...T3_GROUPS.map((g) => candidate(g.label, { group: g.label })),
  ],
};
const MAXLEN = { t2: 12, t3: Math.max(...T3_ROWS.map((r) => key(r.label).length)) + 8 };

interface Resolved {
  cand: Candidate;
  dist: number;
  start: number;
}
const resolveCache = new LRUCache<string, Resolved | 0>({ max: 20000 });

/** Which row label does the text before some numbers end with? */
function resolveLabel(table: 't2' | 't3', tail: string): Resolved | null {
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

const CJK = /[\u3400-\u9fff]/;

/** Where a piece (three or more characters) of a group label's start, `(六)其`, sits inside a label's text. */
function groupPieceIn(id: 't2' | 't3', tail: string): Range | null {
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

function isSubsequence(part: string, whole: string): boolean {
  let i = 0;
  for (let j = 0; j < whole.length && i < part.length; j++) if (whole[j] === part[i]) i++;
  return i === part.length;
}

/** key() of one already-normalised character. */
function keyChar(c: string): string {
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
function wrapDistance(label: string, joined: string): number {
  const k = label + '\u0000' + joined;
  let d = wrapCache.get(k);
  // Free end: what follows the label's rest (a group label, the next row's number) is not its.
  if (d === undefined) {
    d = prefixDistance(label, joined).dist;
    wrapCache.set(k, d);
  }
  return d;
}

interface Pending {
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

const UNKNOWN: Candidate = { label: '', key: '', bare: '' };

/**
 * Rows whose labels were not recognised, placed by order: between two recognised rows, unknown
 * rows with cells take the template rows absent there, one for one and in order, when their
 * labels are not too far from those rows' (at most two thirds of the characters differ). The rest
 * are dropped, as text that is no row.
 */
function placeByOrder(pending: Pending[], specs: RowSpec[], id: 't2' | 't3'): Pending[] {
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

/** One cell of a separated line: its text and offset in the document; whether it holds only numbers or placeholders. */
interface LineCell {
  text: string;
  start: number;
  end: number;
  value?: boolean;
}

const rowsCache = new LRUCache<string, LineCell[][] | 0>({ max: 20000 });
/**
 * The rows of a separated line (separatedCells, then splitRows), cached by the line's text: table
 * lines recur on every re-check of an edited document.
 */
function lineRows(line: string, at: number): LineCell[][] | null {
  let r = rowsCache.get(line);
  if (r === undefined) {
    const cells = separatedCells(line, 0);
    if (cells)
      for (const c of cells) c.value = c.text === '' || tokenize(c.text).every((t) => t.kind !== 'label');
    r = cells ? splitRows(cells) : 0;
    rowsCache.set(line, r);
  }
  return r ? r.map((row) => row.map((c) => ({ ...c, start: c.start + at, end: c.end + at }))) : null;
}

/**
 * The cells of a line whose cells are separated by TAB or `|` (rows from Word, web pages, pipe
 * text): null for any other line. Leading and trailing separators (Markdown `| a | b |`) are not
 * cells; empty cells between separators are.
 */
function separatedCells(line: string, at: number): LineCell[] | null {
  const sep = line.includes('\t') ? '\t' : line.includes('|') ? '|' : null;
  if (!sep) return null;
  const out: LineCell[] = [];
  let p = 0;
  for (;;) {
    const q = line.indexOf(sep, p);
    const end = q < 0 ? line.length : q;
    let s = p,
      e = end;
    while (s < e && /[\s\u3000|]/.test(line[s])) s++;
    while (e > s && /[\s\u3000|]/.test(line[e - 1])) e--;
    out.push({ text: line.slice(s, e), start: at + s, end: at + e });
    if (q < 0) break;
    p = q + 1;
  }
  // A pipe after the last cell ends the row (`a | b |`); a TAB after it may be an empty cell.
  if (sep === '|' && out.length && out[out.length - 1].text === '') out.pop();
  // Empty cells before the first text are merged group columns (or a cell-per-line indent).
  while (out.length && out[0].text === '') out.shift();
  return out.length >= 2 ? out : null;
}

/**
 * A line that is one empty cell of a one-cell-per-line table: a lone TAB (`\t2` lines with blank
 * lines between rows) or ` |` (`2 |` lines with a bare `|` line between rows).
 */
function isBlankCellLine(line: string): boolean {
  return /^\t+[ \u3000]*$/.test(line) || /^[ \u3000]+\|[ \u3000]*$/.test(line);
}

/** A table region's tokens, line by line, with each empty cell of a separated line as an empty placeholder. */
function regionTokens(clean: string, lines: LineIndex, region: Range): Token[] {
  const out: Token[] = [];
  for (let l = lines.lineOf(region.start); l < lines.lineCount && lines.starts[l] < region.end; l++) {
    const s = Math.max(lines.starts[l], region.start),
      e = Math.min(lines.lineEnd(l), region.end);
    const line = clean.slice(s, e);
    const rel = s - region.start;
    if (isBlankCellLine(line)) {
      out.push({ kind: 'placeholder', text: '', start: rel, end: rel });
      continue;
    }
    const rows = lineRows(line, s);
    if (!rows) {
      for (const t of tokenize(line)) out.push({ ...t, start: t.start + rel, end: t.end + rel });
      continue;
    }
    for (const row of rows) {
      // Empty cells count from the first number on (before it they are merged header cells).
      const firstNumber = row.findIndex((c) => c.text !== '' && valueLike(c));
      for (const [i, c] of row.entries()) {
        if (c.text === '') {
          if (firstNumber >= 0 && i > firstNumber)
            out.push({
              kind: 'placeholder',
              text: '',
              start: c.start - region.start,
              end: c.start - region.start,
            });
        } else
          for (const t of tokenize(c.text))
            out.push({ ...t, start: t.start + c.start - region.start, end: t.end + c.start - region.start });
      }
    }
  }
  return out;
}

/**
 * Rows that a converter ran together on one line (a .doc table whose row ends became TABs): a
 * text cell after a row's numbers opens the next row. (Text right after a label, before any
 * number, stays with its row: 行政许可 | 十四 |.)
 */
function splitRows(cells: LineCell[]): LineCell[][] {
  const out: LineCell[][] = [[]];
  let numbers = false;
  let gap = false;
  for (const c of cells) {
    const value = c.text === '' || valueLike(c);
    // Also after a label and empty cells: a row whose cells are all blank.
    if (!value && (numbers || gap)) {
      out.push([]);
      numbers = false;
    }
    if (c.text !== '' && value) numbers = true;
    gap = c.text === '' && out[out.length - 1].some((x) => x.text !== '');
    out[out.length - 1].push(c);
  }
  return out.filter((r) => r.some((c) => c.text !== ''));
}

const valueLike = (c: LineCell) =>
  c.value ?? (c.text === '' || tokenize(c.text).every((t) => t.kind !== 'label'));

const tableCache = new LRUCache<string, Table>({ max: 200 });

/**
 * parseLabelled, cached by the table's text: an editor re-checks the whole document on every
 * keystroke, and most keystrokes are outside the tables. The cached table is kept with offsets
 * relative to its region and shifted to where the region is now.
 */
function parseLabelledCached(
  id: 't2' | 't3',
  clean: string,
  text: string,
  lines: LineIndex,
  region: Range,
): Table {
  const lineStart = lines.starts[lines.lineOf(region.start)];
  const k = `${id}\u0001${region.start - lineStart}\u0001${text.slice(lineStart, region.end)}\u0001${clean.slice(region.start, region.end)}`;
  const hit = tableCache.get(k);
  if (hit) return shiftTable(hit, region.start);
  const table = parseLabelled(id, clean, text, lines, region);
  tableCache.set(k, shiftTable(table, -region.start));
  return table;
}

/** A copy of a table with every offset moved by `d`. */
function shiftTable(t: Table, d: number): Table {
  const r = (x: Range): Range => ({ start: x.start + d, end: x.end + d });
  const cell = (c: Cell): Cell => ({ ...c, range: r(c.range) });
  const row = (x: Row): Row => ({
    ...x,
    labelRange: r(x.labelRange),
    block: r(x.block),
    cells: x.cells.map(cell),
    ...(x.run ? { run: { ...x.run, range: r(x.run.range) } } : {}),
  });
  return {
    ...t,
    region: r(t.region),
    rows: t.rows.map((x) => x && row(x)),
    duplicates: t.duplicates.map(row),
    order: [...t.order],
    ...(t.legacyOther
      ? {
          legacyOther: {
            ...t.legacyOther,
            labelRange: r(t.legacyOther.labelRange),
            block: r(t.legacyOther.block),
            cells: t.legacyOther.cells.map(cell),
          },
        }
      : {}),
  };
}

function parseLabelled(id: 't2' | 't3', clean: string, text: string, lines: LineIndex, region: Range): Table {
  const specs = id === 't2' ? T2_ROWS : T3_ROWS;
  const table: Table = {
    id,
    region,
    rows: specs.map(() => undefined),
    order: [],
    duplicates: [],
    values: [],
  };
  let bufStr = '',
    bufOffs: number[] = [];
  let current: Pending | null = null;
  const pending: Pending[] = [];
  const flush = () => {
    if (current) pending.push(current as Pending);
    current = null;
  };
  const addLabel = (s: string, at: number) => {
    for (let i = 0; i < s.length; i++) {
      const cc = s.charCodeAt(i);
      if (cc <= 32 || cc === 0x3000) continue;
      let k = keyChar(s[i]);
      // Item numbers written 1、 or 1, read as 1. (The last character is looked up in the offsets'
      // source, not in bufStr: indexing a string built by += flattens it, O(n) each time.)
      const last = bufOffs.length ? clean.charCodeAt(bufOffs[bufOffs.length - 1]) : 0;
      if (k === ',' && last >= 48 && last <= 57) k = '.';
      bufStr += k;
      bufOffs.push(at + i);
    }
  };
  /** The label gathered so far names a row: start it. */
  const startRow = (): boolean => {
    if (!bufStr.length) return false;
    flush();
    const tail = bufStr.slice(-MAXLEN[id] - 6);
    let res = resolveLabel(id, tail);
    let first = res ? bufStr.length - tail.length + res.start : 0;
    if (!res) {
      // A piece of a vertical group label set inside the label's lines ("2.申请人逾期未按收" /
      // "（六）其" "费通知…"): read the label without it.
      const piece = groupPieceIn(id, tail);
      if (piece) {
        const without = tail.slice(0, piece.start) + tail.slice(piece.end);
        const r = resolveLabel(id, without);
        if (r?.cand.row && r.start < piece.start) {
          res = r;
          first = bufStr.length - tail.length + r.start;
        }
      }
    }
    if (res) {
      // A label wrapped after its numbers (PDF layout): its rest opens the next buffer.
      const prev = pending[pending.length - 1];
      if (prev && !prev.unknown && prev.dist > 0 && first > 0) {
        const written = key(prev.label),
          rest = bufStr.slice(0, first);
        const d = wrapDistance(prev.cand.key, written + rest);
        if (d < prev.dist) {
          prev.dist = d;
          prev.wrapped = true;
        }
        // The rest may be interleaved with a group label set vertically beside it (予处理 / 请).
        else if (
          prev.cand.key.startsWith(written) &&
          isSubsequence(prev.cand.key.slice(written.length), rest)
        ) {
          prev.dist = 0;
          prev.wrapped = true;
        }
      }
      // A piece of a group label set vertically beside the rows (（三）不 / 予公开) is not the row's.
      let end = first;
      if (first > 0) {
        const head = bufStr.slice(Math.max(0, first - 24), first);
        outer: for (const g of CANDIDATES[id]) {
          if (!g.group) continue;
          for (let n = Math.min(g.key.length, head.length); n >= 2; n--)
            if (head.endsWith(g.key.slice(0, n))) {
              end -= n;
              break outer;
            }
        }
      }
      if (end > 0) {
        // The text before this label is a whole row label of its own, set apart from it: a row
        // whose cells are all blank (they vanish from copied or printed text), not a missing row.
        const before = resolveLabel(id, bufStr.slice(Math.max(0, end - MAXLEN[id] - 6), end));
        const at = before ? bufOffs[end - before.cand.key.length] : undefined;
        if (
          before &&
          before.dist === 0 &&
          before.cand.row &&
          at !== undefined &&
          before.start + before.cand.key.length === Math.min(end, MAXLEN[id] + 6) &&
          /[\s\u3000]/.test(clean[bufOffs[end - 1] + 1] ?? '') &&
          /^[\s\u3000]*$/.test(clean.slice(bufOffs[end - 1] + 1, bufOffs[end]))
        ) {
          const labelRange = { start: at, end: bufOffs[end - 1] + 1 };
          pending.push({
            cand: before.cand,
            label: text.slice(labelRange.start, labelRange.end),
            labelRange,
            dist: 0,
            toks: [],
            allBlank: true,
          });
        }
      }
      const labelRange = { start: bufOffs[first], end: bufOffs[bufOffs.length - 1] + 1 };
      current = {
        cand: res.cand,
        label: text.slice(labelRange.start, labelRange.end),
        labelRange,
        dist: res.dist,
        toks: [],
      };
    } else {
      // A label no wording test recognises (garbled, OCR'd): kept with its cells for now; its
      // place among the recognised rows may still say which row it is (placeByOrder).
      const from = Math.max(0, bufOffs.length - MAXLEN[id]);
      const labelRange = { start: bufOffs[from], end: bufOffs[bufOffs.length - 1] + 1 };
      current = {
        cand: UNKNOWN,
        label: text.slice(labelRange.start, labelRange.end),
        labelRange,
        dist: Infinity,
        toks: [],
        unknown: true,
      };
    }
    bufStr = '';
    bufOffs = [];
    return true;
  };
  const feed = (toks: Token[], base: number) => {
    for (const t of toks) {
      if (t.kind === 'label') {
        if (
          current?.toks.length &&
          !CJK.test(t.text) &&
          t.text.length <= 6 &&
          !/^(\d[.、．]|[(（#])/.test(t.text)
        ) {
          current.toks.push({ ...t, start: t.start + base - region.start, end: t.end + base - region.start });
          continue;
        }
        flush();
        addLabel(t.text, base + t.start);
        continue;
      }
      startRow();
      if (current)
        current.toks.push({ ...t, start: t.start + base - region.start, end: t.end + base - region.start });
    }
  };
  /**
   * A row whose cells are known from its separators: its leading cells are the label, the rest its
   * values. Text cells between the label and the numbers (行政许可 | 十四 |) are this row's invalid
   * cells, never a new label: the label is the shortest leading part that names a row exactly.
   */
  const rowFromCells = (cells: LineCell[]): boolean => {
    // cells[0] has text (separatedCells drops leading empty cells).
    const nz = cells.findIndex((c, i) => i > 0 && c.text !== '' && valueLike(c));
    const head = nz < 0 ? cells : cells.slice(0, nz);
    if (!head.some((c) => c.text !== '')) return false;
    const saved = { bufStr, bufOffs: [...bufOffs] };
    const labelOf = (j: number) => {
      bufStr = saved.bufStr;
      bufOffs = [...saved.bufOffs];
      for (const c of head.slice(0, j)) addLabel(c.text, c.start);
      return resolveLabel(id, bufStr.slice(-MAXLEN[id] - 6));
    };
    // A label spans a few cells at most (a group column, an item number split off): try so many.
    let j = 1;
    for (; j < Math.min(head.length, 6); j++) {
      const r = labelOf(j);
      if (r && r.dist === 0 && r.cand.row) break;
    }
    if (j === Math.min(head.length, 6)) j = head.length;
    const values = [...head.slice(j), ...(nz < 0 ? [] : cells.slice(nz))];
    if (!values.length) {
      labelOf(head.length);
      return true;
    } // label text only: it may go on below
    labelOf(j);
    flush();
    if (!startRow() || !current) return true;
    const row = current as Pending;
    row.cells = [];
    for (const c of values) {
      if (c.text === '') {
        row.cells.push({ value: null, raw: '', range: { start: c.start, end: c.end }, status: 'blank' });
        continue;
      }
      const toks = tokenize(c.text);
      if (toks.every((t) => t.kind !== 'label')) {
        for (const t of toks) {
          row.toks.push({
            ...t,
            start: t.start + c.start - region.start,
            end: t.end + c.start - region.start,
          });
          row.cells.push(makeCell(t, c.start, text, row.cand.row?.decimal));
        }
      } else {
        row.cells.push({
          value: null,
          raw: text.slice(c.start, c.end),
          range: { start: c.start, end: c.end },
          status: 'invalid',
        });
      }
    }
    // Empty cells right after the label are the label cell's merged columns when the row has
    // more cells than the template.
    const want = row.cand.row?.cells ?? 7;
    while (row.cells.length > want && row.cells[row.cells.length - 1].raw === '') row.cells.pop();
    while (row.cells.length > want && row.cells[0].raw === '') row.cells.shift();
    flush();
    return true;
  };
  for (let l = lines.lineOf(region.start); l < lines.lineCount && lines.starts[l] < region.end; l++) {
    const s = Math.max(lines.starts[l], region.start),
      e = Math.min(lines.lineEnd(l), region.end);
    const line = clean.slice(s, e);
    if (isBlankCellLine(line)) {
      // One cell per line: an empty cell keeps its place in the row.
      startRow();
      if (current)
        (current as Pending).toks.push({
          kind: 'placeholder',
          text: '',
          start: s - region.start,
          end: s - region.start,
        });
      continue;
    }
    const rows = lineRows(line, s);
    if (!rows) {
      feed(tokenize(line), s);
      continue;
    }
    for (const row of rows) {
      if (!rowFromCells(row))
        feed(tokenize(clean.slice(row[0].start, row[row.length - 1].end)), row[0].start);
    }
  }
  startRow();
  flush();
  // Rows in the order found; blocks for inserting rows in the same layout.
  let prevEnd = -1;
  const runs = new Map<number, string>();
  const rows = placeByOrder(pending, specs, id);
  // Learned only when a row is short of cells (most tables never need it).
  let columns: Map<number, number[]> | null = null;
  const columnsFor = (want: number) => (columns ??= columnModel(rows, lines, text, region.start)).get(want);
  for (const p of rows) {
    let cells: Cell[] = p.cells ?? p.toks.map((t) => makeCell(t, region.start, text, p.cand.row?.decimal));
    // Blank cells past the template's count are padding of a ragged table, not cells.
    const want = p.cand.row?.cells ?? 7;
    // A label with no numbers after it up to the table's end: its cells are all blank.
    if (p.allBlank || (!p.cells && !p.toks.length && p.cand.row))
      cells = Array.from({ length: want }, () => ({
        value: null,
        raw: '',
        range: { start: p.labelRange.end, end: p.labelRange.end },
        status: 'blank' as const,
      }));
    else if (!p.cells && cells.length < want && cells.length > 0) {
      cells = spacedBlanks(cells, text, want) ?? alignedBlanks(cells, columnsFor(want), lines, text) ?? cells;
    }
    while (cells.length > want && cells[cells.length - 1].status === 'blank') cells.pop();
    const lastEnd = cells.length ? cells[cells.length - 1].range.end : p.labelRange.end;
    const block = rowBlock(lines, p.labelRange.start, lastEnd, prevEnd);
    prevEnd = lastEnd;
    if (p.cand.group) {
      if (id === 't3' && p.cand.group === T3_LEGACY_OTHER && cells.length) {
        table.legacyOther = { label: p.label, labelRange: p.labelRange, cells, block } satisfies LegacyRow;
      }
      continue;
    }
    const spec = p.cand.row!;
    const row: Row = {
      spec,
      label: p.label,
      labelRange: p.labelRange,
      labelDistance: p.dist,
      wrapped: p.wrapped,
      cells,
      found: cells.length,
      block,
    };
    const numbers = p.toks.filter((t) => t.kind === 'number');
    // One number where several cells belong: digits run together.
    const only = p.toks.length === 1 ? p.toks[0] : null;
    if (
      spec.cells > 1 &&
      only &&
      only.kind === 'number' &&
      /^\d+$/.test(only.text) &&
      only.text.length >= spec.cells
    ) {
      row.run = {
        digits: only.text,
        range: { start: region.start + only.start, end: region.start + only.end },
        solutions: 0,
      };
      if (id === 't3') {
        if (!table.rows[spec.index]) runs.set(spec.index, only.text);
      } else {
        const s = splits(only.text, spec.cells, () => true, 3);
        row.run.solutions = s.length;
        row.cells = s.length === 1 ? cellsFromRun(s[0], row.run.range.start, text) : [];
      }
    } else if (
      spec.cells > 1 &&
      cells.length < spec.cells &&
      numbers.length === p.toks.length &&
      numbers.some((t) => t.text.length > 1) &&
      numbers.every((t) => /^\d+$/.test(t.text))
    ) {
      // Partly spaced digits (0 0 0 0 0 00): cut the runs so the row has its count of cells.
      const parts = splitSpacedRuns(
        numbers.map((t) => t.text),
        spec.cells,
        spec.table === 't3',
      );
      const range = {
        start: region.start + numbers[0].start,
        end: region.start + numbers[numbers.length - 1].end,
      };
      row.run = { digits: text.slice(range.start, range.end), range, solutions: parts ? 1 : 2 };
      row.cells = parts
        ? parts.flatMap((ps, i) => cellsFromRun(ps, region.start + numbers[i].start, text))
        : [];
    }
    table.order.push(spec.index);
    if (table.rows[spec.index]) table.duplicates.push(row);
    else table.rows[spec.index] = row;
  }
  if (id === 't3' && runs.size) {
    const known = table.rows.map((r) =>
      r && !r.run && r.cells.length === 7 ? r.cells.map((c) => c.value) : null,
    );
    const legacy =
      table.legacyOther?.cells.length === 7 ? table.legacyOther.cells.map((c) => c.value ?? 0) : null;
    for (const [r, sol] of solveT3Cached(runs, known, legacy)) {
      const row = table.rows[r];
      if (!row?.run) continue;
      row.run.solutions = sol.solutions;
      row.cells = sol.parts ? cellsFromRun(sol.parts, row.run.range.start, text) : [];
    }
  }
  table.unreadable = confidence(table, specs.length);
  table.values =
    id === 't2'
      ? T2_ROWS.flatMap((spec) =>
          cellValues(table.unreadable ? undefined : table.rows[spec.index], spec.cells),
        )
      : T3_ROWS.map((spec) => cellValues(table.unreadable ? undefined : table.rows[spec.index], 7));
  return table;
}

/**
 * Whether the rows found can be trusted as the template's rows. A table broken apart by a
 * conversion (or mostly an image) yields a few stray labels with odd cell counts: reporting each
 * absent row and each odd count would bury the reader, so the table is called unreadable once.
 * Returns what was read (for the message), or undefined when the table reads with confidence.
 */
function confidence(table: Table, want: number): string | undefined {
  const rows = table.rows.filter((r): r is Row => !!r);
  if (!rows.length) return undefined; // no table at all: table-missing
  const odd = rows.filter((r) => !r.run && r.found !== r.spec.cells).length;
  const few = rows.length < Math.ceil(want / 2);
  if (!few && odd < Math.max(3, Math.ceil(rows.length / 3))) return undefined;
  return `只识别出模板${want}行中的${rows.length}行${odd ? `，其中${odd}行的数字个数不符` : ''}`;
}

/**
 * Cells separated by single spaces where a wider gap holds empty cells (`0 0     0`: a web page's
 * empty cells copied as nothing between the spaces). Taken only when the gaps make up exactly the
 * row's count; columns aligned by many spaces never do.
 */
function spacedBlanks(cells: Cell[], text: string, want: number): Cell[] | null {
  const out: Cell[] = [cells[0]];
  let total = cells.length;
  for (let i = 1; i < cells.length; i++) {
    const gap = text.slice(cells[i - 1].range.end, cells[i].range.start);
    if (!/^ +$/.test(gap)) return null;
    for (let k = 1; k < gap.length; k++) {
      const at = cells[i - 1].range.end + k;
      out.push({ value: null, raw: '', range: { start: at, end: at }, status: 'blank' });
      total++;
    }
    out.push(cells[i]);
  }
  return total === want ? out : null;
}

/** Display width of text as aligned monospace output counts it: CJK and full-width characters take two columns. */
function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    w += c >= 0x2e80 || (c >= 0x2018 && c <= 0x201f) || (c >= 0x1100 && c <= 0x115f) ? 2 : 1;
  }
  return w;
}

const columnOf = (lines: LineIndex, text: string, c: Cell) => {
  const ls = lines.starts[lines.lineOf(c.range.start)];
  return displayWidth(text.slice(ls, c.range.start)) + displayWidth(c.raw) / 2;
};

/**
 * Space-aligned text (pdftotext -layout) drops blank cells but keeps every number under its column.
 * The columns' display positions, learned from the rows that have all their cells, by cell count.
 */
function columnModel(
  pending: Pending[],
  lines: LineIndex,
  text: string,
  base: number,
): Map<number, number[]> {
  const samples = new Map<number, number[][]>();
  for (const p of pending) {
    const want = p.cand.row?.cells ?? 7;
    if (p.cells || p.allBlank || want < 2 || p.toks.length !== want || p.toks.some((t) => t.kind === 'label'))
      continue;
    const cells = p.toks.map((t) => makeCell(t, base, text));
    if (lines.lineOf(cells[0].range.start) !== lines.lineOf(cells[want - 1].range.start)) continue;
    const l = samples.get(want) ?? [];
    l.push(cells.map((c) => columnOf(lines, text, c)));
    samples.set(want, l);
  }
  const out = new Map<number, number[]>();
  for (const [want, rows] of samples) {
    if (rows.length < 2) continue;
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
    out.set(
      want,
      Array.from({ length: want }, (_, i) => median(rows.map((r) => r[i]))),
    );
  }
  return out;
}

/** A short row's numbers put under their columns; the columns left over are blank cells. */
function alignedBlanks(
  cells: Cell[],
  columns: number[] | undefined,
  lines: LineIndex,
  text: string,
): Cell[] | null {
  if (!columns) return null;
  const line = lines.lineOf(cells[0].range.start);
  if (cells.some((c) => lines.lineOf(c.range.start) !== line)) return null;
  const spacing = Math.min(...columns.slice(1).map((x, i) => x - columns[i]));
  const out: Array<Cell | null> = columns.map(() => null);
  let next = 0;
  for (const c of cells) {
    const x = columnOf(lines, text, c);
    let best = -1;
    for (let i = next; i < columns.length; i++)
      if (best < 0 || Math.abs(columns[i] - x) < Math.abs(columns[best] - x)) best = i;
    if (best < 0 || Math.abs(columns[best] - x) > spacing / 2) return null;
    out[best] = c;
    next = best + 1;
  }
  return out.map(
    (c, i) =>
      c ??
      (() => {
        const prev = out.slice(0, i).reverse().find(Boolean);
        const at = prev ? prev.range.end : cells[0].range.start;
        return { value: null, raw: '', range: { start: at, end: at }, status: 'blank' as const };
      })(),
  );
}

function cellValues(row: Row | undefined, n: number): Array<number | null> {
  if (!row || row.cells.length !== n) return Array(n).fill(null);
  return row.cells.map((c) => c.value);
}

function cellsFromRun(parts: number[], start: number, text: string): Cell[] {
  return partOffsets(parts).map((o, i) => {
    const range = { start: start + o, end: start + o + String(parts[i]).length };
    return { value: parts[i], raw: text.slice(range.start, range.end), range, status: 'ok' as const };
  });
}

function makeCell(t: Token, base: number, text: string, decimal?: boolean): Cell {
  const range = { start: base + t.start, end: base + t.end };
  const raw = text.slice(range.start, range.end);
  if (t.kind === 'placeholder') return { value: null, raw, range, status: 'blank' };
  if (t.kind === 'number' && /^\d+(\.\d+)?$/.test(t.text) && (decimal || !t.text.includes('.'))) {
    return { value: Number(t.text), raw, range, status: 'ok' };
  }
  return { value: null, raw, range, status: 'invalid' };
}

/** The text a row occupies: whole lines when the row starts on its own line, else just its span. */
function rowBlock(lines: LineIndex, start: number, end: number, prevEnd: number): Range {
  const ls = lines.lineOf(start),
    le = lines.lineOf(end);
  // Another label after the numbers on the same line: a flattened page, rows are spans.
  if (/[\u3400-\u9fff]/.test(lines.text.slice(end, lines.lineEnd(le)))) return { start, end };
  if (prevEnd >= 0 && lines.lineOf(prevEnd) === ls) return { start, end };
  const from =
    prevEnd >= 0 && lines.lineOf(prevEnd) < ls ? lines.starts[lines.lineOf(prevEnd) + 1] : lines.starts[ls];
  const to = le + 1 < lines.lineCount ? lines.starts[le + 1] : lines.text.length;
  return { start: from, end: to };
}

// ---------------------------------------------------------------- table 4

/**
 * 表四's fifteen columns in space-aligned text, from the header words above the numbers: the
 * two-character column words (结果 维持 其他 尚未 总计…) sit at the columns' starts, the longer
 * block names (行政复议, 未经复议直接起诉) are left out. Null unless exactly fifteen columns show.
 */
function headerColumns(
  toks: Token[],
  base: number,
  firstNumber: Cell,
  lines: LineIndex,
  text: string,
): number[] | null {
  const starts: number[] = [];
  for (const t of toks) {
    const at = base + t.start;
    if (at >= firstNumber.range.start) break;
    if (t.kind !== 'label' || [...t.text].length > 2 || !CJK.test(t.text)) continue;
    starts.push(displayWidth(text.slice(lines.starts[lines.lineOf(at)], at)));
  }
  const cols: number[] = [];
  for (const x of [...starts].sort((a, b) => a - b))
    if (!cols.length || x - cols[cols.length - 1] > 2) cols.push(x);
  if (cols.length !== 15) return null;
  // Numbers are placed by their centre: shift the starts to the centre of a two-character word.
  return cols.map((x) => x + 2);
}

/**
 * 表四 from flattened web text where both things happen: some numbers run together (`00`) and
 * empty cells left wider gaps (also after the last number). Every way to cut the runs is tried
 * with the gaps' blanks in place; taken when exactly one gives fifteen cells, or when exactly one
 * of several has the most blocks that add up.
 */
function flatT4(
  found: Cell[],
  text: string,
  regionEnd: number,
): { cells: Cell[] | null; solutions: number } | null {
  if (
    found.some((c) => c.status !== 'ok' || !/^\d+$/.test(c.raw)) ||
    found.map((c) => c.raw).join('').length > 30
  )
    return null;
  const gaps: number[] = [];
  for (let i = 0; i < found.length; i++) {
    const end = i + 1 < found.length ? found[i + 1].range.start : regionEnd;
    const gap = text.slice(found[i].range.end, end);
    const spaces = i + 1 < found.length ? gap : (/^ */.exec(gap)?.[0] ?? '');
    if (i + 1 < found.length && !/^ +$/.test(gap)) return null;
    gaps.push(Math.max(0, spaces.length - 1));
  }
  // Cuttings that give fifteen cells; when only one does (leading zeros and gaps decide it), it
  // stands even if a total is wrong (t4-total then says so); else the blocks' totals choose.
  const solutions: Cell[][] = [];
  const pick: Cell[] = [];
  const rec = (i: number) => {
    if (solutions.length > 50 || pick.length > 15) return;
    if (i === found.length) {
      if (pick.length !== 15) return;
      solutions.push([...pick]);
      return;
    }
    const c = found[i];
    for (let m = 1; m <= c.raw.length; m++) {
      for (const parts of splits(c.raw, m, () => true, 50)) {
        const n = pick.length;
        pick.push(...cellsFromRun(parts, c.range.start, text));
        for (let k = 0; k < gaps[i]; k++) {
          const at = c.range.end + 1 + k;
          pick.push({ value: null, raw: '', range: { start: at, end: at }, status: 'blank' });
        }
        rec(i + 1);
        pick.length = n;
      }
    }
  };
  rec(0);
  if (solutions.length <= 1) return { cells: solutions[0] ?? null, solutions: solutions.length };
  // Several cuttings: the one under which the most blocks add up, if only one does best (a wrong
  // total in one block leaves the other blocks to decide).
  const adds = (p: Cell[]) =>
    [0, 5, 10].filter(
      (b) =>
        p.slice(b, b + 5).every((c) => c.value != null) &&
        p[b + 4].value === p[b].value! + p[b + 1].value! + p[b + 2].value! + p[b + 3].value!,
    ).length;
  const scores = solutions.map(adds);
  const best = Math.max(...scores);
  const top = solutions.filter((_, i) => scores[i] === best);
  return { cells: top.length === 1 && best > 0 ? top[0] : null, solutions: top.length };
}

function parseT4(clean: string, lines: LineIndex, region: Range): Table {
  const toks = regionTokens(clean, lines, region);
  const found: Cell[] = [];
  const text = clean; // positions only; raw text is taken from the same offsets
  for (const t of toks) {
    if (t.kind === 'label') {
      if (found.length >= 15) break;
      continue;
    }
    // Blanks in the header (merged cells of a Word or HTML table) come before any number.
    if (t.kind === 'placeholder' && !found.some((c) => c.status !== 'blank') && found.length >= 15)
      found.shift();
    found.push(makeCell(t, region.start, text));
  }
  while (found.length > 15 && found[found.length - 1].status === 'blank') found.pop();
  while (found.length > 15 && found[0].status === 'blank') found.shift();
  let flatRun: NonNullable<Table['t4']>['run'];
  if (found.length > 1 && found.length < 15) {
    const filled =
      spacedBlanks(found, text, 15) ??
      alignedBlanks(
        found,
        headerColumns(toks, region.start, found[0], lines, text) ?? undefined,
        lines,
        text,
      );
    const flat = filled ? null : flatT4(found, text, region.end);
    if (filled || flat?.cells) found.splice(0, found.length, ...(filled ?? flat!.cells!));
    // Runs the totals cannot cut (a wrong total among them): digits run together, not a cell count.
    else if (flat && found.some((c) => c.raw.length > 1 && c.raw.startsWith('0'))) {
      flatRun = {
        digits: text.slice(found[0].range.start, found[found.length - 1].range.end),
        range: { start: found[0].range.start, end: found[found.length - 1].range.end },
        solutions: flat.solutions,
      };
    }
  }
  const table: Table = {
    id: 't4',
    region,
    rows: [],
    order: [],
    duplicates: [],
    values: Array(15).fill(null),
  };
  let cells: Cell[] | null = null;
  let run: NonNullable<Table['t4']>['run'] = flatRun;
  if (found.length === 15) cells = found;
  else if (found.length === 1 && /^\d{15,}$/.test(found[0].raw)) {
    const s = solveT4(found[0].raw);
    run = { digits: found[0].raw, range: found[0].range, solutions: s.solutions };
    if (s.parts) cells = cellsFromRun(s.parts, found[0].range.start, clean);
  }
  table.t4 = { cells, found, run };
  if (cells) table.values = cells.map((c) => c.value);
  return table;
}
