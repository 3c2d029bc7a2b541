// The only place that runs the ohm grammar (../../report.ohm, compiled by `npm run grammar` into a
// typed module). Each named case of the grammar (`footerBody -- dashed`) has its semantic action
// here, returning what the parser needs. Results are cached by content: headings and table lines
// recur across reports, and an editor re-checks the same lines on every keystroke.
//
// Cost: ohm takes ≈20 µs a call plus ≈1.5 µs a matched character, so it only ever sees short
// lines, windows and cell runs; a cheap test built from the grammar's own character sets
// (`mayBeLayout`, `headingCandidates`) keeps prose away from it.

import { LRUCache } from 'lru-cache';
import type * as ohm from 'ohm-js';
import grammar from '#report.ohm';

export { grammar };

export type TokenKind = 'number' | 'placeholder' | 'label';
/** A token of a table region; offsets are relative to the matched string. */
export interface Token {
  kind: TokenKind;
  text: string;
  start: number;
  end: number;
}

/** The item numbering of a template row or sub-heading: 一、 (一) 1. */
export interface Numbering {
  form: 'chinese' | 'bracketed' | 'arabic';
  value: number;
  text: string;
}

/** What one line of a report is. `titleStart` is the title's offset in the line. */
export type LineKind =
  | { kind: 'footer'; page: number }
  | { kind: 'heading'; numeral: string; title: string; titleStart: number }
  | { kind: 'subHeading'; numeral: string; title: string; titleStart: number }
  | { kind: 'other' };

/** A table row written on one line: its numbering, its label and its cells (offsets in the line). */
export interface RowLine {
  kind: 'row';
  numbering: Numbering | null;
  label: string;
  labelStart: number;
  cells: Token[];
}

const CN_DIGITS = '一二三四五六七八九';
const semantics = grammar
  .createSemantics()
  .addOperation<LineKind>('line', {
    line(l) {
      return l.line();
    },
    footer(_sp, body, _sp2, _end) {
      return { kind: 'footer', page: body.page() };
    },
    heading(_sp, _hashes, numeral, _sp2, _sep, _sp3, title) {
      return { kind: 'heading', numeral: numeral.sourceString, ...titleOf(title) };
    },
    subHeading(_sp, _open, _sp2, n, _sp3, _close, _sp4, title) {
      return { kind: 'subHeading', numeral: n.sourceString, ...titleOf(title) };
    },
    other(_any) {
      return { kind: 'other' };
    },
  })
  .addOperation<number>('page', {
    footerBody_dashed(_d, _sp, digits, _sp2, _d2) {
      return Number(digits.sourceString);
    },
    footerBody_page(_di, _sp, digits, _sp2, _ye, _total) {
      return Number(digits.sourceString);
    },
    footerBody_ofPages(digits, _sp, _slash, _sp2, _total) {
      return Number(digits.sourceString);
    },
  })
  .addOperation<RowLine>('row', {
    row(_sp, numbering, _sp2, label, cells, _gap) {
      return {
        kind: 'row',
        numbering: numbering.children[0]?.numbering() ?? null,
        label: label.sourceString,
        labelStart: label.source.startIdx,
        cells: cells.children.map((c) => c.cell()),
      };
    },
  })
  .addOperation<Token>('cell', {
    rowCell(_gap, value) {
      return tok(value.ctorName as TokenKind, value.source);
    },
  })
  .addOperation<Numbering>('numbering', {
    numberedText(numbering, _rest) {
      return numbering.numbering();
    },
    itemNumbering_chinese(n, _sep) {
      return { form: 'chinese', value: n.value(), text: this.sourceString };
    },
    itemNumbering_bracketed(_open, _sp, n, _sp2, _close) {
      return { form: 'bracketed', value: n.value(), text: this.sourceString };
    },
    itemNumbering_arabic(digits, _sep) {
      return { form: 'arabic', value: Number(digits.sourceString), text: this.sourceString };
    },
  })
  .addOperation<number>('value', {
    cnNumber_teen(_ten, d) {
      return 10 + d.value();
    },
    cnNumber_unit(d) {
      return d.value();
    },
    cnNumber_ten(_ten) {
      return 10;
    },
    cnDigit(d) {
      return CN_DIGITS.indexOf(d.sourceString) + 1;
    },
  })
  .addOperation<Token[]>('tokens', {
    cells(toks) {
      return toks.children.flatMap((t) => t.tokens());
    },
    token(t) {
      return t.tokens();
    },
    gap(_g) {
      return [];
    },
    number(_m, _d, _f) {
      return [tok('number', this.source)];
    },
    placeholder(_m, _a) {
      return [tok('placeholder', this.source)];
    },
    label(_p) {
      return [tok('label', this.source)];
    },
  });

function tok(kind: TokenKind, s: ohm.Interval): Token {
  return { kind, text: s.contents, start: s.startIdx, end: s.endIdx };
}
function titleOf(title: ohm.Node): { title: string; titleStart: number } {
  return { title: title.sourceString, titleStart: title.source.startIdx };
}

// ---------------------------------------------------------------- the grammar's character sets

/** The strings a rule's alternatives are (`sectionNumeral = "一" | "二" …` → 一 二 …). */
function alternatives(rule: string): string[] {
  const body = grammar.rules[rule].body as unknown as { terms?: Array<{ obj?: unknown }> };
  return (body.terms ?? []).map((t) => t.obj).filter((o): o is string => typeof o === 'string');
}
/** The numerals a section heading can have (一 … 六). */
export const SECTION_NUMERALS: readonly string[] = alternatives('sectionNumeral');
/** Characters a footer, heading or sub-heading line can start with (after spaces). */
const OPENERS = new Set([...alternatives('dash'), ...SECTION_NUMERALS, '第', '(', '#']);
const isSp = (c: string | undefined) => c === ' ' || c === '\t' || c === '\u3000' || c === '\f';

/**
 * Whether a line can be anything but `other`: its first character opens a footer, heading or
 * sub-heading, or it is digits with a slash (2/5). A necessary condition only, so that prose
 * never reaches ohm; the grammar decides.
 */
function mayBeLayout(line: string): boolean {
  let i = 0;
  while (isSp(line[i])) i++;
  const c = line[i];
  if (c === undefined) return false;
  return OPENERS.has(c) || (c >= '0' && c <= '9' && line.includes('/'));
}

// ---------------------------------------------------------------- lines

const lineCache = new LRUCache<string, LineKind>({ max: 20000 });
const OTHER: LineKind = { kind: 'other' };

/** What one (NFKC-normalised) line of a report is: footer, heading, sub-heading or other. */
export function classifyLine(line: string): LineKind {
  if (line.length > 200 || !mayBeLayout(line)) return OTHER;
  let r = lineCache.get(line);
  if (!r) {
    const m = grammar.match(line, 'line');
    // `line` accepts every string (`other` takes anything); guard anyway.
    r = m.succeeded() ? (semantics(m).line() as LineKind) : OTHER;
    lineCache.set(line, r);
  }
  return r;
}

/**
 * Where a section heading may start inside a long line (a flattened page, a TAB line): a section
 * numeral after the start, a space, a sentence end or a closing mark, followed by a heading
 * separator. Each candidate is then read by the grammar (`classifyLine` of a window from it).
 * A regular expression made of the grammar's own sets: a scan of the whole line costs no more
 * than one pass of the regex engine.
 */
export function headingCandidates(line: string): number[] {
  const out: number[] = [];
  CANDIDATE_RE.lastIndex = 0;
  for (let m = CANDIDATE_RE.exec(line); m; m = CANDIDATE_RE.exec(line))
    out.push(m.index + m[0].indexOf(m[1]));
  return out;
}
const charClass = (xs: readonly string[]) => `[${xs.map((x) => x.replace(/[\\\]^-]/g, '\\$&')).join('')}]`;
const CANDIDATE_RE = new RegExp(
  `(?:^|[\\s。：:>”)\\d])(${charClass(SECTION_NUMERALS)})[ \u3000]*${charClass(alternatives('headingSep'))}[ \u3000]*`,
  'g',
);

const HEADING_START = new RegExp(
  `^${charClass(SECTION_NUMERALS)}[ \u3000]*${charClass(alternatives('headingSep'))}`,
);

/**
 * The section heading `numeral` + `title` (一、总体情况) wherever it occurs in a page's text, which
 * may be neither normalised nor one line: its [start, end) ranges, in order.
 */
export function findHeading(text: string, numeral: string, title: string): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let at = text.indexOf(title); at >= 0; at = text.indexOf(title, at + title.length)) {
    // The numeral shortly before the title (looked for there only: a page may hold the title word
    // thousands of times), with room for the white space of a page's source between them.
    const near = text.slice(Math.max(0, at - 40), at);
    const from = near.lastIndexOf(numeral);
    if (from < 0) continue;
    // Any run of white space is one space in a page (and a heading is never cut by a line break).
    const window = (near.slice(from) + title).normalize('NFKC').replace(/\s+/g, ' ');
    // Numeral then separator, or no call to ohm.
    if (!HEADING_START.test(window)) continue;
    const k = classifyLine(window);
    if (k.kind === 'heading' && k.numeral === numeral && k.title === title)
      out.push([at - near.length + from, at + title.length]);
  }
  return out;
}

/** A table row written on one line (label, numbering, cells), or null for any other line. */
export function readRow(line: string): RowLine | null {
  const m = grammar.match(line, 'row');
  return m.succeeded() ? (semantics(m).row() as RowLine) : null;
}

/** The item numbering a label starts with (一、 (一) 1.), or null. */
export function numberingOf(label: string): Numbering | null {
  const m = grammar.match(label, 'numberedText');
  return m.succeeded() ? (semantics(m).numbering() as Numbering) : null;
}

// ---------------------------------------------------------------- table regions

const tokenCache = new LRUCache<string, Token[]>({ max: 20000 });
/** Longest piece handed to ohm at once: its memo table grows with the input. */
const CHUNK = 400;

/**
 * Splits a table region into labels, numbers and placeholders. Never fails. The region is matched
 * a line at a time (lines recur, so the cache hits), and a long line in pieces cut at gaps, which
 * no token spans; a gapless run longer than a piece is cut anyway (a label continues in the next
 * label token, which the parser joins; a digit run that long is no number of the template).
 */
export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    end = end < 0 ? text.length : end + 1;
    for (let a = start; a < end; ) {
      let b = Math.min(end, a + CHUNK);
      if (b < end) {
        let cut = b;
        while (cut > a && !isGap(text.charCodeAt(cut - 1))) cut--;
        b = cut > a ? cut : b;
      }
      for (const t of tokenizePiece(text.slice(a, b)))
        out.push({ kind: t.kind, text: t.text, start: t.start + a, end: t.end + a });
      a = b;
    }
    start = end;
  }
  return out;
}

function isGap(c: number): boolean {
  return c === 32 || c === 9 || c === 124 || c === 10 || c === 13 || c === 0x3000 || c === 12 || c === 11;
}

function tokenizePiece(text: string): Token[] {
  let r = tokenCache.get(text);
  if (!r) {
    const m = grammar.match(text, 'cells');
    // `cells` accepts every string (a label absorbs any character); guard anyway.
    r = m.succeeded()
      ? (semantics(m).tokens() as Token[])
      : [{ kind: 'label', text, start: 0, end: text.length }];
    tokenCache.set(text, r);
  }
  return r;
}
