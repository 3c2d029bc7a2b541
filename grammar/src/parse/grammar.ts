// The only place that runs the ohm grammar. Results are cached by content: headings and table
// lines recur across reports, and an editor re-checks the same lines on every keystroke.
// The grammar is ../../report.ohm, compiled by `npm run grammar` into a typed module.

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

const semantics = grammar.createSemantics().addOperation('tokens', {
  cells(toks) {
    return toks.children.flatMap((t: ohm.Node) => t.tokens());
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

export type LineKind =
  | { kind: 'footer' }
  | { kind: 'heading'; numeral: string; titleStart: number }
  | { kind: 'other' };

const lineCache = new LRUCache<string, LineKind>({ max: 20000 });
const HEAD_RE = /^[ \t\u3000\f]*(?:#+[ \t]*)?[一二三四五六][ \t\u3000]*[、.,．]/;
const FOOT_RE = /^[ \t\u3000]*(?:[-—–－]|第)/;
/** Classifies one line of a report. Prose never reaches the grammar: a cheap prefilter decides. */
export function classifyLine(line: string): LineKind {
  if (line.length > 200 || !(HEAD_RE.test(line) || FOOT_RE.test(line))) return { kind: 'other' };
  let r = lineCache.get(line);
  if (!r) {
    const m = grammar.match(line, 'line');
    r = { kind: 'other' };
    if (m.succeeded()) {
      const footer = grammar.match(line, 'footer');
      if (footer.succeeded()) r = { kind: 'footer' };
      else {
        const h = HEAD_RE.exec(line);
        if (h && grammar.match(line, 'heading').succeeded()) {
          let t = h[0].length;
          while (t < line.length && /[ \t\u3000]/.test(line[t])) t++;
          r = { kind: 'heading', numeral: h[0].replace(/[#\s\u3000]/g, '')[0], titleStart: t };
        }
      }
    }
    lineCache.set(line, r);
  }
  return r;
}
