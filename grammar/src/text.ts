// Text utilities: line index (offset ⇄ 1-based line/column in UTF-16 units) and normalisation.

export class LineIndex {
  readonly starts: number[] = [0];
  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) this.starts.push(i + 1);
      else if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        this.starts.push(i + 1);
      }
    }
  }
  /** 0-based line of an offset. */
  lineOf(offset: number): number {
    let lo = 0,
      hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
  /** 1-based line and column. */
  position(offset: number): { line: number; column: number } {
    const l = this.lineOf(offset);
    return { line: l + 1, column: offset - this.starts[l] + 1 };
  }
  /** Offset of a 1-based line/column. */
  offset(line: number, column: number): number {
    const l = Math.min(Math.max(line - 1, 0), this.starts.length - 1);
    return Math.min(this.starts[l] + column - 1, this.text.length);
  }
  /** End of line l (0-based), before its line break. */
  lineEnd(l: number): number {
    let e = l + 1 < this.starts.length ? this.starts[l + 1] : this.text.length;
    while (e > this.starts[l] && (this.text.charCodeAt(e - 1) === 10 || this.text.charCodeAt(e - 1) === 13))
      e--;
    return e;
  }
  get lineCount(): number {
    return this.starts.length;
  }
}

/**
 * NFKC-normalises text while keeping every offset valid: a character whose normal form has a
 * different length is left as it is (the few such characters never matter to the template).
 */
export function normalize(text: string): string {
  const n = text.normalize('NFKC');
  if (n.length === text.length) return n;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      out += text[i] + text[i + 1];
      i++;
      continue;
    }
    const m = text[i].normalize('NFKC');
    out += m.length === 1 ? m : text[i];
  }
  return out;
}

/** Comparison key: NFKC, no whitespace, unified punctuation. */
export function key(s: string): string {
  return s
    .normalize('NFKC')
    .replace(/[\s\u3000]/g, '')
    .replace(/(\d)[、．]/g, '$1.')
    .replace(/[“”"「」]/g, '"')
    .replace(/[，、]/g, ',')
    .replace(/[：]/g, ':');
}

/** Edit distance with a free start in `text`: the best alignment of all of `pattern` against a suffix of `text`. */
export function suffixDistance(pattern: string, text: string): { dist: number; start: number } {
  // A suffix of text is a prefix of the reversed text.
  const reversed = [...text].reverse().join('');
  const { dist, end } = freeEndDistance([...pattern].reverse().join(''), reversed, reversed.length);
  return { dist, start: text.length - end };
}

/** Edit distance with a free end in `text`: all of `pattern` against a prefix of `text`. */
export function prefixDistance(pattern: string, text: string): { dist: number; end: number } {
  return freeEndDistance(pattern, text, Math.min(text.length, pattern.length + 8));
}

/**
 * All of `pattern` against text[0..end) for the best end ≤ n (ties: the end nearest the pattern's
 * length), by the edit-distance table kept one row at a time.
 */
function freeEndDistance(pattern: string, text: string, n: number): { dist: number; end: number } {
  const m = pattern.length;
  let prev = new Array<number>(n + 1).fill(0).map((_, j) => j);
  let cur = new Array<number>(n + 1);
  for (let i = 1; i <= m; i++) {
    cur[0] = i;
    for (let j = 1; j <= n; j++) {
      cur[j] = Math.min(prev[j - 1] + (pattern[i - 1] === text[j - 1] ? 0 : 1), prev[j] + 1, cur[j - 1] + 1);
    }
    [prev, cur] = [cur, prev];
  }
  let best = Infinity,
    bj = 0;
  for (let j = 0; j <= n; j++)
    if (prev[j] < best || (prev[j] === best && Math.abs(j - m) < Math.abs(bj - m))) {
      best = prev[j];
      bj = j;
    }
  return { dist: best, end: bj };
}

/** The digits of Chinese numerals (years are written 二〇二四 or 二○二四). */
export const CN_DIGIT: Record<string, number> = {
  零: 0,
  〇: 0,
  '○': 0,
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};
const CN_UNIT: Record<string, number> = { 十: 10, 百: 100, 千: 1000 };

/** A number below 10,000 in Chinese numerals (十四, 一百零三, 两千), or null. */
export function chineseValue(s: string): number | null {
  if (!s || !/^[零〇一二两三四五六七八九十百千]+$/.test(s)) return null;
  let total = 0,
    digit: number | null = null,
    lastUnit = Infinity;
  for (const c of s) {
    if (c in CN_DIGIT) {
      if (digit !== null) return null; // 二三, 一零: not a number
      digit = CN_DIGIT[c] || null;
      continue;
    }
    const u = CN_UNIT[c];
    if (u >= lastUnit) return null;
    total += (digit ?? (u === 10 && total === 0 ? 1 : Number.NaN)) * u;
    if (Number.isNaN(total)) return null;
    lastUnit = u;
    digit = null;
  }
  return total + (digit ?? 0);
}
