// Saved government web pages: the article only, tables as TAB-separated rows of the template grid.
//
// Bounded on any input: htmlparser2's tokenizer (a linear state machine) feeds a tree builder of our
// own — an array stack, so unclosed tags cost O(1) each — into flat arrays; every traversal is a
// loop, never recursion on document depth; the element count and the grid the span resolver may
// build are capped; entities are decoded by the tokenizer (invalid code points become U+FFFD).
import { Tokenizer, type TokenizerCallbacks } from 'htmlparser2';
import { findHeading } from '../parse/grammar.js';
import { findTitle, titleMatch } from '../parse/title.js';
import { LineIndex, normalize } from '../text.js';
import { tableLine } from './table-line.js';

/** Most elements a page may have. */
export const MAX_HTML_ELEMENTS = 500_000;
/** Most grid positions (rows × columns, spans included) the span resolver builds for one table. */
export const MAX_TABLE_GRID = 200_000;
/** Largest rowspan/colspan honoured. */
export const MAX_SPAN = 50;

/** A page that cannot be read; `message` is Chinese. */
export class HtmlError extends Error {}

export interface HtmlText {
  text: string;
  /** The page's own location of each line of `text` (第N段, 第N个表格 第M行, 网页标题), by 0-based line. */
  wheres: Array<string | undefined>;
}

const BLOCK = new Set([
  'p',
  'div',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'li',
  'section',
  'article',
  'tr',
  'table',
  'ul',
  'ol',
  'blockquote',
  'pre',
  'center',
  'ucapcontent',
]);
const SKIP = new Set([
  'script',
  'style',
  'noscript',
  'nav',
  'header',
  'footer',
  'iframe',
  'form',
  'button',
  'select',
]);
/** Elements whose text is not page text at all. */
const HIDDEN = new Set(['script', 'style', 'noscript', 'template']);

/** A saved web page as text: the article only, tables as TAB-separated rows of the template grid. */
export function readHtml(source: string): HtmlText {
  const doc = buildTree(source);
  const article = findArticle(doc);
  const lines: string[] = [];
  const wheres: Array<string | undefined> = [];
  let cur = '';
  // Whether the line so far is only links' text, and whether section 一 has been seen: above the
  // report, a line of links is the site's navigation or a list of other reports, not the report.
  let onlyLinks = true;
  let inReport = false;
  let tableNo = 0;
  let paragraphNo = 0;
  const flush = () => {
    const t = cur.replace(/[ \u00a0\u3000]+/g, ' ').trim();
    if (t && !(onlyLinks && !inReport)) {
      lines.push(t);
      wheres.push(`第${++paragraphNo}段`);
      inReport ||= FIRST_HEADING.test(t);
    }
    cur = '';
    onlyLinks = true;
  };
  // Depth-first in document order; ~n marks the end of block n (flush after its children).
  const todo: number[] = [article];
  while (todo.length) {
    const n = todo.pop()!;
    if (n < 0) {
      flush();
      continue;
    }
    if (doc.tag[n] === TEXT) {
      const piece = textContent(doc, n).replace(/\s+/g, ' ');
      if (onlyLinks && piece.trim() && !inLink(doc, n)) onlyLinks = false;
      cur += piece;
      continue;
    }
    const tag = doc.tag[n];
    if (SKIP.has(tag)) continue;
    if (tag === 'br') {
      flush();
      continue;
    }
    if (tag === 'table') {
      flush();
      inReport = true;
      tableNo++;
      tableRows(doc, n).forEach((cells, r) => {
        const line = tableLine(cells);
        if (line === null) return;
        lines.push(line);
        wheres.push(`第${tableNo}个表格 第${r + 1}行`);
      });
      continue;
    }
    const block = BLOCK.has(tag);
    if (block) {
      flush();
      todo.push(~n);
    }
    const kids = children(doc, n);
    for (let i = kids.length - 1; i >= 0; i--) todo.push(kids[i]);
  }
  flush();
  // An article without the report's title: the page shows it above the article (a title block, a
  // centred line, a layout table's cell), in a heading or in its <title> only.
  const firstSection = lines.findIndex((l) => FIRST_HEADING.test(l));
  const head = firstSection < 0 ? lines.slice(0, 3) : lines.slice(0, firstSection);
  if (!titleIn(head)) {
    const title = titleAbove(doc, article) ?? pageTitle(doc);
    if (title) {
      lines.unshift(title);
      wheres.unshift('网页标题');
    }
  }
  return { text: lines.join('\n') + '\n', wheres };
}

/** The report's title in these lines (possibly wrapped over two), as findTitle reads it. */
function titleIn(lines: string[]): string | undefined {
  if (!lines.length) return undefined;
  const text = normalize(lines.join('\n'));
  return findTitle(text, new LineIndex(text), text.length)?.text;
}

/** Most page nodes looked at above the article for its title. */
const ABOVE_NODES = 5000;
const ABOVE_BLOCK = new Set([...BLOCK, 'td', 'th', 'dd', 'dt', 'span', 'header', 'nav', 'h1', 'font']);

/**
 * The title shown above the article: the page's text before it, a line per block (a title div, a
 * centred paragraph, a layout table's cell, a breadcrumb), read for the title nearest the article.
 */
function titleAbove(t: Tree, article: number): string | undefined {
  const lines: string[] = [];
  let block = -1;
  let cur = '';
  const flush = () => {
    const line = cur.replace(/[\s\u00a0\u3000]+/g, ' ').trim();
    if (line) lines.push(line);
    cur = '';
  };
  for (let n = Math.max(1, article - ABOVE_NODES); n < article; n++) {
    if (t.tag[n] === 'br') flush();
    if (t.tag[n] !== TEXT) continue;
    // The nearest block around the text, and whether it is page text at all.
    let b = -1;
    let shown = true;
    for (let a = t.parent[n], k = 0; a > 0 && k < 64; a = t.parent[a], k++) {
      const tag = t.tag[a];
      if (HIDDEN.has(tag) || tag === 'title' || FORM.has(tag)) shown = false;
      if (b < 0 && ABOVE_BLOCK.has(tag)) b = a;
    }
    if (!shown || inLink(t, n)) continue;
    if (b !== block) flush();
    block = b;
    cur += textContent(t, n);
  }
  flush();
  // The nearest title first: the last few lines, then further up.
  return titleIn(lines.slice(-6)) ?? titleIn(lines.slice(-40));
}

const FORM = new Set(['select', 'option', 'button', 'textarea', 'input', 'form']);

/** Whether a text node is inside a link (looked up a bounded number of levels). */
function inLink(t: Tree, n: number): boolean {
  for (let a = t.parent[n], k = 0; a > 0 && k < 64; a = t.parent[a], k++) if (t.tag[a] === 'a') return true;
  return false;
}
const REPORT_TITLE = /\d{4}\s*年度?.{0,40}?(?:政府信息公开|政务公开).{0,12}?年度?报告/;
const FIRST_HEADING = /^[\s\u3000]*一[\s\u3000]*[、.,，．]/;

/** The report's title as the page names it: its first <h1> that holds it, else its <title> (site name cut off). */
function pageTitle(doc: Tree): string | undefined {
  for (const tag of ['h1', 'title']) {
    for (let n = 0; n < doc.tag.length; n++) {
      if (doc.tag[n] !== tag) continue;
      const text = textContent(doc, n).replace(/\s+/g, ' ').trim();
      if (text.length > 200) continue;
      // 某局2024年政府信息公开工作年度报告_某县人民政府: the part that is the title.
      const part = text
        .split(/\s*(?:[_|｜]|\s[-–—]\s|——)\s*/)
        .find((x) => REPORT_TITLE.test(x) && titleMatch(x));
      if (part) return part.replace(/^#+\s*/, '');
    }
  }
  return undefined;
}

// ------------------------------------------------------------------ tree

const TEXT = '#text';

/**
 * The page as flat arrays, nodes numbered in document order (0 is the document). Each element's
 * text is the slice [textStart, textEnd) of `all`, the page's whole text — its textContent.
 */
interface Tree {
  tag: string[];
  parent: number[];
  firstChild: number[];
  lastChild: number[];
  nextSibling: number[];
  textStart: number[];
  textEnd: number[];
  /** rowspan/colspan of td and th elements, by node. */
  spans: Map<number, { rowspan?: string; colspan?: string }>;
  all: string;
}

// HTML's implied end tags and void elements, as htmlparser2's own parser has them.
const P = new Set(['p']);
const HEADINGS = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'p']);
const FORM_TAGS = new Set(['input', 'option', 'optgroup', 'select', 'button', 'datalist', 'textarea']);
const SECTIONS = new Set(['thead', 'tbody']);
const DDT = new Set(['dd', 'dt']);
const RTP = new Set(['rt', 'rp']);
const IMPLIES_CLOSE = new Map<string, Set<string>>([
  ['tr', new Set(['tr', 'th', 'td'])],
  ['th', new Set(['th'])],
  ['td', new Set(['thead', 'th', 'td'])],
  ['body', new Set(['head', 'link', 'script'])],
  ['a', new Set(['a'])],
  ['li', new Set(['li'])],
  ['p', P],
  ['h1', HEADINGS],
  ['h2', HEADINGS],
  ['h3', HEADINGS],
  ['h4', HEADINGS],
  ['h5', HEADINGS],
  ['h6', HEADINGS],
  ['select', FORM_TAGS],
  ['input', FORM_TAGS],
  ['output', FORM_TAGS],
  ['button', FORM_TAGS],
  ['datalist', FORM_TAGS],
  ['textarea', FORM_TAGS],
  ['option', new Set(['option'])],
  ['optgroup', new Set(['optgroup', 'option'])],
  ['dd', DDT],
  ['dt', DDT],
  ...[
    'address',
    'article',
    'aside',
    'blockquote',
    'details',
    'div',
    'dl',
    'fieldset',
    'figcaption',
    'figure',
    'footer',
    'form',
    'header',
    'hr',
    'main',
    'nav',
    'ol',
    'pre',
    'section',
    'table',
    'ul',
  ].map((t) => [t, P] as [string, Set<string>]),
  ['rt', RTP],
  ['rp', RTP],
  ['tbody', SECTIONS],
  ['tfoot', SECTIONS],
]);
const VOID = new Set([
  'area',
  'base',
  'basefont',
  'br',
  'col',
  'command',
  'embed',
  'frame',
  'hr',
  'img',
  'input',
  'isindex',
  'keygen',
  'link',
  'meta',
  'param',
  'source',
  'track',
  'wbr',
]);
const FOREIGN = new Set(['svg', 'math']);

function buildTree(source: string): Tree {
  const builder = new TreeBuilder(source);
  const tokenizer = new Tokenizer({ decodeEntities: true }, builder.callbacks());
  tokenizer.write(source);
  tokenizer.end();
  return builder.finish();
}

/**
 * The tree builder fed by htmlparser2's tokenizer: elements in flat arrays (Tree), open elements on
 * an array stack, the page text gathered as runs of the source and decoded entities.
 */
class TreeBuilder {
  readonly t: Tree = {
    tag: [],
    parent: [],
    firstChild: [],
    lastChild: [],
    nextSibling: [],
    textStart: [],
    textEnd: [],
    spans: new Map(),
    all: '',
  };
  /** The page text: runs of the source (pending: [runStart, runEnd)) and decoded entities. */
  private readonly pieces: string[] = [];
  private runStart = 0;
  private runEnd = 0;
  private textLength = 0;
  /** Open elements, innermost last, and how many of each name are open. */
  private readonly stack: number[] = [0];
  private readonly open = new Map<string, number>();
  private hidden = 0;
  private foreign = 0;
  private elements = 0;
  /** The element whose start tag is being read, or -1 (none, or one that is ignored). */
  private current = -1;
  private currentTag = '';
  private attrName = '';
  private attrValue = '';

  constructor(private readonly source: string) {
    this.add('#document');
  }

  finish(): Tree {
    while (this.stack.length) this.pop();
    this.flushRun();
    this.t.all = this.pieces.join('');
    return this.t;
  }

  private add(tag: string): number {
    const t = this.t;
    const n = t.tag.length;
    const parent = this.stack.length ? this.stack[this.stack.length - 1] : 0;
    t.tag.push(tag);
    t.parent.push(n === 0 ? -1 : parent);
    t.firstChild.push(-1);
    t.lastChild.push(-1);
    t.nextSibling.push(-1);
    t.textStart.push(this.textLength);
    t.textEnd.push(this.textLength);
    if (n > 0) {
      const last = t.lastChild[parent];
      if (last < 0) t.firstChild[parent] = n;
      else t.nextSibling[last] = n;
      t.lastChild[parent] = n;
    }
    return n;
  }

  private pop(): void {
    const n = this.stack.pop()!;
    const tag = this.t.tag[n];
    this.open.set(tag, (this.open.get(tag) ?? 1) - 1);
    if (HIDDEN.has(tag)) this.hidden--;
    if (FOREIGN.has(tag)) this.foreign--;
    this.t.textEnd[n] = this.textLength;
  }

  private addText(length: number): void {
    const parent = this.stack[this.stack.length - 1];
    const last = this.t.lastChild[parent];
    const node = last >= 0 && this.t.tag[last] === TEXT ? last : this.add(TEXT);
    this.textLength += length;
    this.t.textEnd[node] = this.textLength;
  }

  private flushRun(): void {
    if (this.runEnd > this.runStart) this.pieces.push(this.source.slice(this.runStart, this.runEnd));
    this.runStart = this.runEnd = 0;
  }

  private sourceText(a: number, b: number): void {
    if (this.hidden || b <= a) return;
    if (a !== this.runEnd || this.runEnd === this.runStart) {
      this.flushRun();
      this.runStart = a;
    }
    this.runEnd = b;
    this.addText(b - a);
  }

  private entity(cp: number): void {
    if (this.hidden) return;
    this.flushRun();
    const s = String.fromCodePoint(cp);
    this.pieces.push(s);
    this.addText(s.length);
  }

  private openTag(name: string): void {
    this.currentTag = name;
    this.current = -1;
    if (name === 'form' && this.open.get('form')) return; // a second <form> is ignored, as browsers do
    const closes = IMPLIES_CLOSE.get(name);
    if (closes) while (this.stack.length > 1 && closes.has(this.t.tag[this.top()])) this.pop();
    if (++this.elements > MAX_HTML_ELEMENTS)
      throw new HtmlError(`网页元素过多（超过 ${MAX_HTML_ELEMENTS / 10000} 万个），已拒绝`);
    this.current = this.add(name);
    if (!VOID.has(name)) {
      this.stack.push(this.current);
      this.open.set(name, (this.open.get(name) ?? 0) + 1);
      if (HIDDEN.has(name)) this.hidden++;
      if (FOREIGN.has(name)) this.foreign++;
    }
  }

  private closeTag(name: string): void {
    if (VOID.has(name)) {
      if (name === 'br') {
        this.openTag('br');
        this.current = -1;
      }
      return;
    }
    if (this.open.get(name)) {
      while (this.stack.length > 1) {
        const top = this.t.tag[this.top()];
        this.pop();
        if (top === name) break;
      }
    } else if (name === 'p') {
      this.openTag('p');
      if (this.t.tag[this.top()] === 'p') this.pop();
      this.current = -1;
    }
  }

  private top(): number {
    return this.stack[this.stack.length - 1];
  }

  private tagName(a: number, b: number): string {
    const name = this.source.slice(a, b).toLowerCase();
    return name === 'image' && !this.foreign ? 'img' : name;
  }

  /** Whether the attribute being read is a td/th's rowspan or colspan still short enough to keep. */
  private wanted(): boolean {
    return (
      this.current >= 0 &&
      (this.currentTag === 'td' || this.currentTag === 'th') &&
      (this.attrName === 'rowspan' || this.attrName === 'colspan') &&
      this.attrValue.length < 16
    );
  }

  private attributeEnd(): void {
    if (!this.wanted()) return;
    const s = this.t.spans.get(this.current) ?? {};
    const name = this.attrName as 'rowspan' | 'colspan';
    if (s[name] === undefined) s[name] = this.attrValue;
    this.t.spans.set(this.current, s);
  }

  callbacks(): TokenizerCallbacks {
    return {
      ontext: (a, b) => this.sourceText(a, b),
      ontextentity: (cp) => this.entity(cp),
      onopentagname: (a, b) => this.openTag(this.tagName(a, b)),
      onopentagend: () => {
        this.current = -1;
      },
      onselfclosingtag: () => {
        // Only foreign content (SVG, MathML) has self-closing tags; in HTML `<div/>` opens a div.
        if (this.foreign && this.current >= 0 && this.top() === this.current) this.pop();
        this.current = -1;
      },
      onclosetag: (a, b) => this.closeTag(this.tagName(a, b)),
      onattribname: (a, b) => {
        this.attrName = this.source.slice(a, b).toLowerCase();
        this.attrValue = '';
      },
      onattribdata: (a, b) => {
        if (this.wanted()) this.attrValue += this.source.slice(a, Math.min(b, a + 16));
      },
      onattribentity: (cp) => {
        if (this.wanted()) this.attrValue += String.fromCodePoint(cp);
      },
      onattribend: () => this.attributeEnd(),
      oncdata: () => {},
      oncomment: () => {},
      ondeclaration: () => {},
      onprocessinginstruction: () => {},
      onend: () => {},
      isInForeignContext: () => this.foreign > 0,
    };
  }
}

function children(t: Tree, n: number): number[] {
  const out: number[] = [];
  for (let c = t.firstChild[n]; c >= 0; c = t.nextSibling[c]) out.push(c);
  return out;
}

const textContent = (t: Tree, n: number) => t.all.slice(t.textStart[n], t.textEnd[n]);

// ------------------------------------------------------------------ article

/**
 * The smallest element that still holds the report: its sections one to six. An element holds a
 * heading when one of the heading's matches in the page text lies within the element's text (the
 * matches cannot overlap, so one scan of the page finds them all).
 */
function findArticle(t: Tree): number {
  let body = t.tag.indexOf('body');
  if (body < 0) body = 0;
  // The first and the last section heading, as the grammar reads a heading.
  const first = findHeading(t.all, '一', '总体情况'),
    last = findHeading(t.all, '六', '其他');
  const holds = (n: number) =>
    within(first, t.textStart[n], t.textEnd[n]) && within(last, t.textStart[n], t.textEnd[n]);
  if (!holds(body)) return body;
  let best = body;
  for (;;) {
    let next = -1;
    for (let c = t.firstChild[best]; c >= 0; c = t.nextSibling[c])
      if (t.tag[c] !== TEXT && holds(c)) {
        next = c;
        break;
      }
    if (next < 0) break;
    best = next;
  }
  // Keep the title just above the article when it is a sibling heading.
  const parent = t.parent[best];
  return parent > 0 &&
    /年度?报告/.test(t.all.slice(t.textStart[parent], Math.min(t.textEnd[parent], t.textStart[parent] + 200)))
    ? parent
    : best;
}

/** Whether one of the (sorted, non-overlapping) matches lies within [start, end). */
function within(ms: Array<[number, number]>, start: number, end: number): boolean {
  let lo = 0,
    hi = ms.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ms[mid][0] < start) lo = mid + 1;
    else hi = mid;
  }
  return lo < ms.length && ms[lo][1] <= end;
}

// ------------------------------------------------------------------ tables

/**
 * Rows of a table with rowspan/colspan resolved: a spanned cell's text is kept once, at its origin.
 * The rows are the table's own (not a nested table's); the grid built is at most MAX_TABLE_GRID
 * positions — spans are clamped to the rows left and to what still fits, and cells past the cap
 * are dropped.
 */
function tableRows(t: Tree, table: number): string[][] {
  const trs: number[] = [];
  const todo = children(t, table).reverse();
  while (todo.length) {
    const n = todo.pop()!;
    const tag = t.tag[n];
    if (tag === 'tr') {
      trs.push(n);
      continue;
    }
    if (tag === TEXT || tag === 'table') continue;
    const kids = children(t, n);
    for (let i = kids.length - 1; i >= 0; i--) todo.push(kids[i]);
  }
  const grid: string[][] = [];
  const taken: boolean[][] = [];
  let budget = MAX_TABLE_GRID;
  for (let r = 0; r < trs.length && budget > 0; r++) {
    grid[r] ??= [];
    taken[r] ??= [];
    let c = 0;
    for (let cell = t.firstChild[trs[r]]; cell >= 0 && budget > 0; cell = t.nextSibling[cell]) {
      const tag = t.tag[cell];
      if (tag !== 'td' && tag !== 'th') continue;
      while (taken[r][c]) c++;
      const attrs = t.spans.get(cell);
      let rs = Math.min(span(attrs?.rowspan), trs.length - r);
      let cs = span(attrs?.colspan);
      if (rs * cs > budget) {
        rs = 1;
        cs = Math.min(cs, budget);
      }
      budget -= rs * cs;
      const text = textContent(t, cell)
        .replace(/[\s\u00a0\u3000]+/g, ' ')
        .trim();
      for (let i = 0; i < rs; i++) {
        grid[r + i] ??= [];
        taken[r + i] ??= [];
        for (let j = 0; j < cs; j++) {
          taken[r + i][c + j] = true;
          grid[r + i][c + j] = i === 0 && j === 0 ? text : SPANNED;
        }
      }
      c += cs;
    }
  }
  return Array.from({ length: trs.length }, (_, r) =>
    Array.from(grid[r] ?? [], (x) => x ?? '').filter((x) => x !== SPANNED),
  );
}
const SPANNED = '\u0000';

const span = (value: string | undefined) => Math.max(1, Math.min(MAX_SPAN, parseInt(value ?? '1', 10) || 1));
