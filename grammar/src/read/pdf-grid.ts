// PDF page layout: the text items and ruling lines pdf.js reports for each page → lines of text in
// reading order, tables as rows of cells. Where a page draws a table's lines, its cell grid is
// rebuilt from them (a lattice, as Camelot and pdfplumber do): horizontal and vertical lines give
// the row and column boundaries, a missing inner line merges the cells on either side, text goes to
// the cell that holds its centre, and a cell's wrapped lines become one string. A table that runs
// on over a page break is joined: repeated header rows are dropped, a row split by the break is
// made whole again, a merged cell that continues on the next page stays one cell. Text outside
// tables keeps the line layout `pdftotext -layout` gives (columns kept apart by wide gaps).
// Pure functions: no pdf.js here (see pdf-worker.ts), so they can be tested on synthetic pages.

import { numberingOf } from '../parse/grammar.js';
import { valueShape } from '../parse/values.js';
import { T2_GROUPS, T2_ROWS, T3_COLUMNS, T3_GROUPS, T3_ROWS, T4_COLUMNS } from '../template.js';
import { tableLine } from './table-line.js';

/**
 * A run of text: `x`,`y` the start of its baseline (PDF user space, y up), `w` its advance, `turn`
 * set for text turned a quarter (its run goes up the page, 1, or down, -1), `slant` for text set at
 * any other angle (a watermark across the page).
 */
export interface PdfItem {
  str: string;
  x: number;
  y: number;
  w: number;
  size: number;
  turn?: 1 | -1;
  slant?: true;
}
/** An axis-parallel line the page draws (x0 ≤ x1, y0 ≤ y1). */
export interface Segment {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}
export interface PdfPage {
  items: PdfItem[];
  segments: Segment[];
  /** The page's bottom and top edges (points, user space), when known: its margin bands hold page furniture. */
  box?: [number, number];
}

export interface PdfLayout {
  lines: string[];
  wheres: string[];
}

// ------------------------------------------------------------------ drawn paths → segments

type Matrix = [number, number, number, number, number, number];
const IDENTITY: Matrix = [1, 0, 0, 1, 0, 0];
const mul = (m: Matrix, n: ArrayLike<number>): Matrix => [
  m[0] * n[0] + m[2] * n[1],
  m[1] * n[0] + m[3] * n[1],
  m[0] * n[2] + m[2] * n[3],
  m[1] * n[2] + m[3] * n[3],
  m[0] * n[4] + m[2] * n[5] + m[4],
  m[1] * n[4] + m[3] * n[5] + m[5],
];

/** The operator codes of pdf.js this module reads (pdf.js `OPS`). */
export interface PdfOps {
  save: number;
  restore: number;
  transform: number;
  constructPath: number;
  paintFormXObjectBegin: number;
  paintFormXObjectEnd: number;
  stroke: number;
  closeStroke: number;
  fill: number;
  eoFill: number;
  fillStroke: number;
  eoFillStroke: number;
  closeFillStroke: number;
  closeEOFillStroke: number;
}

/** A line up to this thick (points; Word offers borders up to 3 pt) drawn as a filled rectangle is a ruling line. */
const THIN = 3.5;
/** Largest number of segments kept per page (a drawing, not a table, beyond it). */
const MAX_SEGMENTS = 20000;

/**
 * The horizontal and vertical lines a page's operator list draws: stroked path segments and thin
 * filled rectangles, in user space (the current transform applied). Clipping paths are not lines.
 * Paths are pdf.js 5's: constructPath(paintOp, [path], minMax), path = moveTo 0 x y | lineTo 1 x y |
 * curveTo 2 (6 numbers) | quadraticCurveTo 3 (4 numbers) | closePath 4.
 */
export function segmentsFromOps(
  fnArray: ArrayLike<number>,
  argsArray: ArrayLike<unknown>,
  OPS: PdfOps,
): Segment[] {
  const out: Segment[] = [];
  const stack: Matrix[] = [];
  let ctm: Matrix = IDENTITY;
  const stroke = new Set([
    OPS.stroke,
    OPS.closeStroke,
    OPS.fillStroke,
    OPS.eoFillStroke,
    OPS.closeFillStroke,
    OPS.closeEOFillStroke,
  ]);
  const fill = new Set([
    OPS.fill,
    OPS.eoFill,
    OPS.fillStroke,
    OPS.eoFillStroke,
    OPS.closeFillStroke,
    OPS.closeEOFillStroke,
  ]);
  const push = (x0: number, y0: number, x1: number, y1: number) => {
    if (out.length >= MAX_SEGMENTS) return;
    const s = { x0: Math.min(x0, x1), y0: Math.min(y0, y1), x1: Math.max(x0, x1), y1: Math.max(y0, y1) };
    const w = s.x1 - s.x0,
      h = s.y1 - s.y0;
    if (h <= 0.5 && w >= 1) out.push({ ...s, y0: (s.y0 + s.y1) / 2, y1: (s.y0 + s.y1) / 2 });
    else if (w <= 0.5 && h >= 1) out.push({ ...s, x0: (s.x0 + s.x1) / 2, x1: (s.x0 + s.x1) / 2 });
  };
  for (let i = 0; i < fnArray.length; i++) {
    const fn = fnArray[i];
    const args = argsArray[i] as unknown[] | null;
    if (fn === OPS.save) stack.push(ctm);
    else if (fn === OPS.restore) ctm = stack.pop() ?? IDENTITY;
    else if (fn === OPS.transform && args && args.length >= 6) ctm = mul(ctm, args as number[]);
    else if (fn === OPS.paintFormXObjectBegin) {
      stack.push(ctm);
      const m = args?.[0] as number[] | null | undefined;
      if (m && m.length >= 6) ctm = mul(ctm, m);
    } else if (fn === OPS.paintFormXObjectEnd) ctm = stack.pop() ?? IDENTITY;
    else if (fn === OPS.constructPath && args) {
      const paint = args[0] as number;
      const isStroke = stroke.has(paint),
        isFill = fill.has(paint);
      if (!isStroke && !isFill) continue;
      const data = (args[1] as Array<ArrayLike<number> | null> | undefined)?.[0];
      if (!data) continue;
      walkPath(data, ctm, isStroke, isFill, push);
    }
  }
  return out;
}

type Push = (x0: number, y0: number, x1: number, y1: number) => void;

/** One constructPath's path data in user space (matrix `m`): its stroked segments, its filled thin rectangles. */
function walkPath(data: ArrayLike<number>, m: Matrix, isStroke: boolean, isFill: boolean, push: Push): void {
  const tx = (x: number, y: number) => m[0] * x + m[2] * y + m[4];
  const ty = (x: number, y: number) => m[1] * x + m[3] * y + m[5];
  let sx = 0,
    sy = 0,
    cx = 0,
    cy = 0;
  let poly: number[] = [];
  let straight = true;
  const endSubpath = () => {
    if (isFill && straight && poly.length >= 6) thinRectangle(poly, push);
    poly = [];
    straight = true;
  };
  for (let k = 0; k < data.length; ) {
    const op = data[k];
    if (op === 0) {
      endSubpath();
      sx = cx = tx(data[k + 1], data[k + 2]);
      sy = cy = ty(data[k + 1], data[k + 2]);
      poly.push(cx, cy);
      k += 3;
    } else if (op === 1) {
      const nx = tx(data[k + 1], data[k + 2]),
        ny = ty(data[k + 1], data[k + 2]);
      if (isStroke) push(cx, cy, nx, ny);
      cx = nx;
      cy = ny;
      poly.push(cx, cy);
      k += 3;
    } else if (op === 2) {
      cx = tx(data[k + 5], data[k + 6]);
      cy = ty(data[k + 5], data[k + 6]);
      straight = false;
      k += 7;
    } else if (op === 3) {
      cx = tx(data[k + 3], data[k + 4]);
      cy = ty(data[k + 3], data[k + 4]);
      straight = false;
      k += 5;
    } else if (op === 4) {
      if (isStroke) push(cx, cy, sx, sy);
      cx = sx;
      cy = sy;
      k += 1;
    } else break;
  }
  endSubpath();
}

/** A filled straight-edged subpath thin enough to be a ruling line: its centre line. */
function thinRectangle(poly: number[], push: Push): void {
  let x0 = Infinity,
    y0 = Infinity,
    x1 = -Infinity,
    y1 = -Infinity;
  for (let k = 0; k < poly.length; k += 2) {
    x0 = Math.min(x0, poly[k]);
    x1 = Math.max(x1, poly[k]);
    y0 = Math.min(y0, poly[k + 1]);
    y1 = Math.max(y1, poly[k + 1]);
  }
  const w = x1 - x0,
    h = y1 - y0;
  if (h <= THIN && w > h * 2) push(x0, (y0 + y1) / 2, x1, (y0 + y1) / 2);
  else if (w <= THIN && h > w * 2) push((x0 + x1) / 2, y0, (x0 + x1) / 2, y1);
}

// ------------------------------------------------------------------ segments → lattices

interface HLine {
  y: number;
  x0: number;
  x1: number;
}
interface VLine {
  x: number;
  y0: number;
  y1: number;
}
/** Tolerance (points) for lines meeting and for positions being the same. */
const TOL = 2;

/** Collinear pieces (within TOL) joined where they touch or nearly do. */
function mergeLines<T>(
  items: Array<{ at: number; a: number; b: number }>,
  make: (at: number, a: number, b: number) => T,
): T[] {
  items.sort((p, q) => p.at - q.at);
  const out: T[] = [];
  for (let i = 0; i < items.length; ) {
    let j = i;
    const group: Array<{ a: number; b: number }> = [];
    let sum = 0;
    while (j < items.length && items[j].at - items[i].at <= 1.2) {
      group.push(items[j]);
      sum += items[j].at;
      j++;
    }
    const at = sum / group.length;
    group.sort((p, q) => p.a - q.a);
    let a = group[0].a,
      b = group[0].b;
    for (const g of group.slice(1)) {
      if (g.a <= b + 3) b = Math.max(b, g.b);
      else {
        out.push(make(at, a, b));
        a = g.a;
        b = g.b;
      }
    }
    out.push(make(at, a, b));
    i = j;
  }
  return out;
}

/**
 * Row and column boundaries closer than this hold no text between them: they are one boundary drawn
 * twice — a web page's table with separate cell borders (HTML's default border-spacing, as a browser
 * prints it) or a double border line.
 */
const SAME_BOUNDARY = 4;

/** Positions within SAME_BOUNDARY of each other, as one (their mean), ascending. */
function cluster(values: number[]): number[] {
  const v = [...values].sort((a, b) => a - b);
  const out: number[] = [];
  for (let i = 0; i < v.length; ) {
    let j = i,
      sum = 0;
    while (j < v.length && v[j] - v[i] <= SAME_BOUNDARY) {
      sum += v[j];
      j++;
    }
    out.push(sum / (j - i));
    i = j;
  }
  return out;
}

interface GridCell {
  r0: number;
  r1: number;
  c0: number;
  c1: number;
  /** Left and right edges (points). */
  left: number;
  right: number;
  lines: Array<{ y: number; pieces: PdfItem[] }>;
  text: string;
  /** Continues a cell of the previous page's fragment (its text was moved there). */
  dropped?: boolean;
}

interface Lattice {
  xs: number[];
  /** Row boundaries, top first (descending y). */
  ys: number[];
  cells: GridCell[];
  /** Elementary (row, column) → its cell. */
  at: GridCell[][];
  /** The cells that start in each row, in column order. */
  starts: GridCell[][];
}

/** The tables a page's lines draw: each a grid of (possibly merged) cells. */
export function findLattices(segments: Segment[]): Lattice[] {
  const hs = mergeLines(
    segments.filter((s) => s.y1 - s.y0 < 0.01).map((s) => ({ at: s.y0, a: s.x0, b: s.x1 })),
    (y, x0, x1): HLine => ({ y, x0, x1 }),
  ).filter((h) => h.x1 - h.x0 >= 4);
  const vs = mergeLines(
    segments.filter((s) => s.x1 - s.x0 < 0.01).map((s) => ({ at: s.x0, a: s.y0, b: s.y1 })),
    (x, y0, y1): VLine => ({ x, y0, y1 }),
  ).filter((v) => v.y1 - v.y0 >= 4);
  // A drawing (a chart, a hatched map), not a report table, beyond a few thousand lines.
  if (hs.length < 2 || vs.length < 2 || hs.length * vs.length > 4_000_000) return [];
  // Connected components of lines that cross or touch.
  const parent = Array.from({ length: hs.length + vs.length }, (_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  };
  for (let i = 0; i < hs.length; i++) {
    const h = hs[i];
    for (let j = 0; j < vs.length; j++) {
      const v = vs[j];
      if (v.x >= h.x0 - TOL && v.x <= h.x1 + TOL && h.y >= v.y0 - TOL && h.y <= v.y1 + TOL)
        parent[find(i)] = find(hs.length + j);
    }
  }
  const groups = new Map<number, { h: HLine[]; v: VLine[] }>();
  hs.forEach((h, i) => {
    const g = groups.get(find(i)) ?? { h: [], v: [] };
    g.h.push(h);
    groups.set(find(i), g);
  });
  vs.forEach((v, j) => {
    const g = groups.get(find(hs.length + j)) ?? { h: [], v: [] };
    g.v.push(v);
    groups.set(find(hs.length + j), g);
  });
  const out: Lattice[] = [];
  for (const g of groups.values()) {
    if (g.h.length < 2 || g.v.length < 2) continue;
    const lattice = buildLattice(g.h, g.v);
    if (lattice) out.push(lattice);
  }
  return out;
}

/** Covered length of [a, b] by the intervals. */
function coverage(intervals: Array<[number, number]>, a: number, b: number): number {
  let covered = 0;
  for (const [p, q] of intervals) covered += Math.max(0, Math.min(b, q) - Math.max(a, p));
  return covered;
}

function buildLattice(h: HLine[], v: VLine[]): Lattice | null {
  const xs = cluster(v.map((l) => l.x));
  const ys = cluster(h.map((l) => l.y)).reverse();
  // A table cut by a page break may lack its closing line there: its columns' lines still end
  // where the table does.
  const top = Math.max(...v.map((l) => l.y1)),
    bottom = Math.min(...v.map((l) => l.y0));
  const open: number[] = [];
  if (top - ys[0] > 4) {
    ys.unshift(top);
    open.push(top);
  }
  if (ys[ys.length - 1] - bottom > 4) {
    ys.push(bottom);
    open.push(bottom);
  }
  const C = xs.length - 1,
    R = ys.length - 1;
  // A report's tables have tens of rows and at most a couple of dozen columns.
  if (C < 2 || R < 1 || C > 100 || R > 1000 || R * C > 20000) return null;
  const vAt = xs.map((x) =>
    v.filter((l) => Math.abs(l.x - x) <= TOL).map((l): [number, number] => [l.y0, l.y1]),
  );
  const hAt = ys.map((y) =>
    open.includes(y)
      ? [[xs[0], xs[C]] as [number, number]]
      : h.filter((l) => Math.abs(l.y - y) <= TOL).map((l): [number, number] => [l.x0, l.x1]),
  );
  const vPresent = (c: number, r: number) => coverage(vAt[c], ys[r + 1], ys[r]) >= (ys[r] - ys[r + 1]) * 0.5;
  const hPresent = (r: number, c: number) => coverage(hAt[r], xs[c], xs[c + 1]) >= (xs[c + 1] - xs[c]) * 0.5;
  const id = (r: number, c: number) => r * C + c;
  const parent = Array.from({ length: R * C }, (_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  };
  for (let r = 0; r < R; r++) {
    for (let c = 0; c < C; c++) {
      if (c + 1 < C && !vPresent(c + 1, r)) parent[find(id(r, c + 1))] = find(id(r, c));
      if (r + 1 < R && !hPresent(r + 1, c)) parent[find(id(r + 1, c))] = find(id(r, c));
    }
  }
  const byRoot = new Map<number, GridCell>();
  const at: GridCell[][] = Array.from({ length: R }, () => new Array<GridCell>(C));
  for (let r = 0; r < R; r++) {
    for (let c = 0; c < C; c++) {
      const root = find(id(r, c));
      let cell = byRoot.get(root);
      if (!cell) {
        cell = { r0: r, r1: r + 1, c0: c, c1: c + 1, left: 0, right: 0, lines: [], text: '' };
        byRoot.set(root, cell);
      }
      cell.r0 = Math.min(cell.r0, r);
      cell.r1 = Math.max(cell.r1, r + 1);
      cell.c0 = Math.min(cell.c0, c);
      cell.c1 = Math.max(cell.c1, c + 1);
      at[r][c] = cell;
    }
  }
  const cells = [...byRoot.values()];
  if (cells.length < 2) return null;
  for (const cell of cells) {
    cell.left = xs[cell.c0];
    cell.right = xs[cell.c1];
  }
  const starts: GridCell[][] = Array.from({ length: R }, () => []);
  for (const cell of cells) starts[cell.r0].push(cell);
  for (const row of starts) row.sort((a, b) => a.c0 - b.c0);
  return { xs, ys, cells, at, starts };
}

// ------------------------------------------------------------------ text

/**
 * Characters a report's text is made of: CJK ideographs, radicals, punctuation and full-width forms,
 * printable ASCII, general punctuation, Latin-1's signs, enclosed numbers (①), white space.
 */
export const READABLE =
  /[\t\n\r\u0020-\u007e\u00a0-\u00bf\u00d7\u00f7\u2000-\u206f\u2100-\u21ff\u2460-\u24ff\u2500-\u25ff\u2e80-\u2fdf\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]|[\u{20000}-\u{3134f}]/gu;

/**
 * Share of a font's characters outside READABLE from which its text is taken for glyph numbers a
 * font without a Unicode map gives (control characters, stray scripts, private use), and the share
 * of the document's text in such fonts from which its text layer cannot be read.
 */
const GARBLED_FONT = 0.3;
const GARBLED_TEXT = 0.1;

/** Whether the text in fonts whose characters are mostly unreadable makes up a real part of the document. */
export function garbled(byFont: Map<string, { n: number; bad: number }>): boolean {
  let total = 0,
    bad = 0;
  for (const f of byFont.values()) {
    total += f.n;
    if (f.bad >= f.n * GARBLED_FONT) bad += f.n;
  }
  return total > 0 && bad >= total * GARBLED_TEXT;
}

/** CJK Radicals Supplement forms fonts map some ideographs to (⻚ for 页, ⺠ for 民), with the ideograph. */
const RADICALS: Record<string, string> = Object.fromEntries(
  Array.from(
    '⺁厂⺄乙⺆冂⺇几⺈刀⺉刂⺊卜⺌小⺍小⺎兀⺏尢⺐尢⺑尢⺒巳⺓幺⺔彑⺕彐⺖忄⺗心⺘扌⺙攵⺛无⺜日⺝月⺞歹⺟母⺠民⺡氵⺢氵⺣灬⺤爫⺥爫⺦丬⺧牛⺨犭⺩王⺪疋⺫目⺬示⺭礻⺮竹⺯糸⺰纟⺱网⺲罒⺳罒⺴罒⺵罒⺶羊⺷羊⺸羊⺹耂⺺肀⺻聿⺼肉⺽臼⺾艹⺿艹⻀艹⻁虎⻂衤⻃西⻄西⻅见⻆角⻇角⻈讠⻉贝⻊足⻋车⻌辶⻍辶⻎辶⻏阝⻐钅⻑長⻒镸⻓长⻔门⻕阜⻖阝⻗雨⻘青⻙韦⻚页⻛风⻜飞⻝食⻟飠⻠饣⻢马⻣骨⻤鬼⻥鱼⻦鸟⻧卤⻨麦⻩黄⻪黾⻫斉⻬齐⻭歯⻮齿⻯竜⻰龙⻱龜⻲亀⻳龟'.matchAll(
      /(.)(.)/gu,
    ),
    (m) => [m[1], m[2]],
  ),
);

/**
 * Text as it should read: fonts that share a glyph between an ideograph and its radical make
 * pdf.js report the radical (⼯作 for 工作, 中华⼈⺠ for 中华人民); Kangxi radicals and compatibility
 * ideographs are mapped by their Unicode decomposition, radical forms by the table above.
 */
export function unifyCjk(s: string): string {
  if (!/[\u2e80-\u2fdf\uf900-\ufaff]/.test(s)) return s;
  return s.replace(
    /[\u2e80-\u2fdf\uf900-\ufaff]/g,
    (c) => RADICALS[c] ?? (c >= '\u2f00' ? c.normalize('NFKC') : c),
  );
}

const CJK = /[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f“”‘’、，。：；（）《》]/;

/** Centre of an item. */
function centre(it: PdfItem): [number, number] {
  return it.turn
    ? [it.x - it.turn * it.size * 0.35, it.y + (it.turn * it.w) / 2]
    : [it.x + it.w / 2, it.y + it.size * 0.35];
}

/** An item cut at the given x positions (inner ones only), its width shared evenly by its characters. */
function splitAt(it: PdfItem, cuts: number[]): PdfItem[] {
  const chars = Array.from(it.str);
  if (it.turn || chars.length < 2 || it.w <= 0) return [it];
  const per = it.w / chars.length;
  const inner = cuts.filter((x) => x > it.x + per * 0.5 && x < it.x + it.w - per * 0.5);
  if (!inner.length) return [it];
  const out: PdfItem[] = [];
  let from = 0;
  for (const x of inner) {
    const to = Math.round((x - it.x) / per);
    if (to > from && to < chars.length) {
      out.push({ ...it, str: chars.slice(from, to).join(''), x: it.x + from * per, w: (to - from) * per });
      from = to;
    }
  }
  out.push({ ...it, str: chars.slice(from).join(''), x: it.x + from * per, w: (chars.length - from) * per });
  return out.filter((p) => p.str.trim());
}

/** Items → text lines, top to bottom, each with its baseline; a gap wider than a character becomes a column break. */
function textLines(items: PdfItem[]): Array<{ y: number; text: string; size: number }> {
  const sorted = [...items].sort((a, b) => b.y - a.y || a.x - b.x);
  const rows: PdfItem[][] = [];
  for (const it of sorted) {
    const row = rows[rows.length - 1];
    if (row && Math.abs(row[0].y - it.y) <= Math.min(row[0].size, it.size) * 0.5) row.push(it);
    else rows.push([it]);
  }
  return rows
    .map((row) => {
      row.sort((a, b) => a.x - b.x);
      let s = '',
        end = -Infinity;
      for (const it of row) {
        const gap = it.x - end;
        if (end > -Infinity) s += gap > it.size * 0.9 ? '    ' : gap > it.size * 0.2 ? ' ' : '';
        s += it.str;
        end = Math.max(end, it.x + it.w);
      }
      return { y: row[0].y, text: s, size: Math.max(...row.map((it) => it.size)) };
    })
    .filter((l) => l.text.trim());
}

/** Two pieces of one cell's text joined: CJK meets anything without a space, words with one. */
function joinText(a: string, b: string): string {
  if (!a) return b;
  if (!b) return a;
  const last = a[a.length - 1],
    first = b[0];
  return CJK.test(last) || CJK.test(first) ? a + b : a + ' ' + b;
}

/** A cell's text: its lines top to bottom, each left to right, joined into one string. */
function cellText(cell: GridCell): string {
  const items = cell.lines.flatMap((l) => l.pieces);
  if (!items.length) return '';
  const turned = items.filter((i) => i.turn);
  if (turned.length === items.length) {
    // Columns of turned text read left to right when it runs up, right to left when it runs down.
    const up = turned[0].turn === 1;
    return turned
      .sort((a, b) => (up ? a.x - b.x || a.y - b.y : b.x - a.x || b.y - a.y))
      .map((i) => i.str.trim())
      .join('');
  }
  const sorted = items.filter((i) => !i.turn).sort((a, b) => b.y - a.y || a.x - b.x);
  const rows: PdfItem[][] = [];
  for (const it of sorted) {
    const row = rows[rows.length - 1];
    if (row && Math.abs(row[0].y - it.y) <= Math.min(row[0].size, it.size) * 0.5) row.push(it);
    else rows.push([it]);
  }
  let text = '';
  for (const row of rows) {
    row.sort((a, b) => a.x - b.x);
    let line = '',
      end = -Infinity;
    for (const it of row) {
      const str = it.str.replace(/\s+/g, ' ');
      const gap = it.x - end;
      // A wide gap inside one cell (a table drawn without its inner lines) keeps the text apart
      // as the line layout does; between CJK characters it is letter-spacing (a justified label).
      if (
        end > -Infinity &&
        gap > it.size * 0.9 &&
        !(CJK.test(line.trimEnd().slice(-1)) && CJK.test(str.trimStart()[0] ?? ''))
      )
        line = line.trimEnd() + WIDE + str.trimStart();
      else
        line =
          end > -Infinity && gap > it.size * 0.25 ? joinText(line.trimEnd(), str.trimStart()) : line + str;
      end = Math.max(end, it.x + it.w);
    }
    text = joinText(text, line.trim());
  }
  // Spaces between CJK characters are letter-spacing, not word breaks.
  return text
    .replace(/ +/g, ' ')
    .replace(CJK_SPACE, '$1')
    .replace(/\u0001/g, '    ')
    .trim();
}
const CJK_SPACE = new RegExp(`(${CJK.source}) (?=${CJK.source})`, 'g');
/** Marks a wide gap until the spaces are tidied. */
const WIDE = '\u0001';

// ------------------------------------------------------------------ pages → blocks

interface TextBlock {
  kind: 'text';
  page: number;
  top: number;
  text: string;
  size: number;
}
interface TableBlock {
  kind: 'table';
  page: number;
  top: number;
  lattice: Lattice;
  left: number;
  right: number;
}
type Block = TextBlock | TableBlock;

function pageBlocks(
  page: PdfPage,
  pageNo: number,
  watermark: (it: PdfItem) => boolean,
  display: number,
): Block[] {
  const lattices = findLattices(page.segments);
  const loose: PdfItem[] = [];
  for (const raw of page.items) {
    if (watermark(raw)) continue;
    const [cx, cy] = centre(raw);
    const lat = lattices.find(
      (l) =>
        cx >= l.xs[0] - 1 &&
        cx <= l.xs[l.xs.length - 1] + 1 &&
        cy <= l.ys[0] + 1 &&
        cy >= l.ys[l.ys.length - 1] - 1,
    );
    // Text far larger than the body's inside a table's grid is laid over it (a watermark), not in a cell.
    if (lat && raw.size >= display && !raw.turn) continue;
    if (!lat) {
      loose.push(raw);
      continue;
    }
    for (const it of splitAt(raw, lat.xs)) {
      const [x, y] = centre(it);
      let c = lat.xs.findIndex((v) => v > x) - 1;
      if (c < 0) c = x < lat.xs[0] ? 0 : lat.xs.length - 2;
      let r = lat.ys.findIndex((v) => v < y) - 1;
      if (r < 0) r = y > lat.ys[0] ? 0 : lat.ys.length - 2;
      c = Math.min(Math.max(c, 0), lat.xs.length - 2);
      r = Math.min(Math.max(r, 0), lat.ys.length - 2);
      const cell = lat.at[r][c];
      cell.lines.push({ y: it.y, pieces: [it] });
    }
  }
  const blocks: Block[] = [];
  for (const lat of lattices) {
    for (const cell of lat.cells) cell.text = cellText(cell);
    blocks.push({
      kind: 'table',
      page: pageNo,
      top: lat.ys[0],
      lattice: lat,
      left: lat.xs[0],
      right: lat.xs[lat.xs.length - 1],
    });
  }
  for (const l of textLines(loose))
    blocks.push({ kind: 'text', page: pageNo, top: l.y, text: l.text, size: l.size });
  return blocks.sort((a, b) => b.top - a.top);
}

// ------------------------------------------------------------------ page furniture

/** Text at least this many times the body's size is display type: a watermark when it repeats or lies over a table. */
const DISPLAY = 2.5;

/**
 * Watermarks: text set slanted across the page, and display-size text (far larger than the body's)
 * that stands on several pages with the same words.
 */
function watermarkTest(pages: PdfPage[], body: number): (it: PdfItem) => boolean {
  const onPages = new Map<string, Set<number>>();
  pages.forEach((p, i) => {
    for (const it of p.items) {
      if (it.size < body * DISPLAY) continue;
      const k = norm(it.str);
      const set = onPages.get(k) ?? new Set<number>();
      set.add(i);
      onPages.set(k, set);
    }
  });
  return (it) =>
    !!it.slant || (body > 0 && it.size >= body * DISPLAY && (onPages.get(norm(it.str))?.size ?? 0) >= 2);
}

/** Share of the page's height, at its top and at its bottom, where headers and footers stand. */
const BAND = 0.12;

/**
 * Running headers and footers: text lines in the page's top or bottom margin band that stand on
 * two or more pages at about the same height with the same words once digits are set aside (a
 * printed web page's date, title, address and 2/5; a Word file's running header and page number),
 * and a lone page number (5, -5-, 第5页 共6页, 5/6) in the band of any page. Decided by place and
 * repetition, not by wording: a header line reads like any other line.
 */
function furnitureOf(blocks: Block[], pages: PdfPage[]): Set<Block> {
  const inBand = (b: Block) => {
    const box = pages[b.page - 1]?.box;
    if (b.kind !== 'text' || !box) return false;
    const band = (box[1] - box[0]) * BAND;
    return b.top > box[1] - band || b.top < box[0] + band;
  };
  const band = blocks.filter(inBand) as TextBlock[];
  const shape = (b: TextBlock) => norm(b.text).replace(/\d+/g, '#');
  const out = new Set<Block>();
  for (const b of band) {
    if (FURNITURE.test(b.text) || /^\s*\d{1,4}\s*$/.test(b.text)) {
      out.add(b);
      continue;
    }
    const k = shape(b);
    const pagesWith = new Set(
      band.filter((o) => Math.abs(o.top - b.top) <= 6 && shape(o) === k).map((o) => o.page),
    );
    if (pagesWith.size >= 2) out.add(b);
  }
  return out;
}

/** The size most of the document's text is set in. */
function bodySize(pages: PdfPage[]): number {
  const bySize = new Map<number, number>();
  for (const p of pages)
    for (const it of p.items)
      bySize.set(Math.round(it.size * 2) / 2, (bySize.get(Math.round(it.size * 2) / 2) ?? 0) + it.str.length);
  let best = 0,
    n = -1;
  for (const [size, count] of bySize)
    if (count > n) {
      best = size;
      n = count;
    }
  return best;
}

/**
 * A title set in a large size over two or more lines (…年政府信息公开工作 / 年度报告) is one line:
 * consecutive lines of one size well above the body's, a line apart.
 */
function joinDisplayLines(blocks: Block[], body: number): Block[] {
  const out: Block[] = [];
  for (const b of blocks) {
    const prev = out[out.length - 1];
    if (
      b.kind === 'text' &&
      prev?.kind === 'text' &&
      prev.page === b.page &&
      body > 0 &&
      b.size >= body * 1.2 &&
      Math.abs(prev.size - b.size) < 0.5 &&
      prev.top - b.top > 0 &&
      prev.top - b.top < b.size * 2.2 &&
      !/\s{4}/.test(prev.text + b.text) &&
      !numbered(b.text) &&
      !/[。：:]$/.test(prev.text.trim())
    ) {
      out[out.length - 1] = { ...prev, text: joinText(prev.text.trim(), b.text.trim()) };
      continue;
    }
    out.push(b);
  }
  return out;
}

// ------------------------------------------------------------------ tables joined over pages → rows

/** Page furniture between a table and its continuation: page numbers such as -2-, 第2页, 2/5. */
const FURNITURE =
  /^[\s\-—–_·•]*(?:第\s*)?\d{1,4}(?:\s*页)?(?:\s*[/／]\s*\d{1,4}|\s*共\s*\d{1,4}\s*页)?[\s\-—–_·•]*$/;

const norm = (s: string) => s.replace(/[\s\u3000]+/g, '');
/** The template's own labels: a row that reads as one of them starts a row, it does not continue one. */
const LABELS = new Set(
  [
    ...T2_ROWS.map((r) => r.label),
    ...T2_GROUPS,
    ...T3_ROWS.map((r) => r.label),
    ...T3_GROUPS.map((g) => g.label),
    ...T3_COLUMNS,
    ...T4_COLUMNS,
    '信息内容',
    '行政复议',
    '行政诉讼',
    '未经复议直接起诉',
    '复议后起诉',
    '申请人情况',
    '法人或其他组织',
  ].map(norm),
);
/** A label that begins with its own numbering (一、 （三） 2. …, the grammar's itemNumbering) starts a row or group. */
const numbered = (text: string) => numberingOf(text.trim().normalize('NFKC')) !== null;

const NUMBER = /^\d[\d,，]*(?:\.\d+)?$/;
const LABEL = /[\u4e00-\u9fff].*[\u4e00-\u9fff]/;

interface Fragment {
  lattice: Lattice;
  page: number;
}
interface Table {
  fragments: Fragment[];
}

function rowCells(lat: Lattice, r: number): GridCell[] {
  return lat.starts[r] ?? [];
}
function rowKey(lat: Lattice, r: number): string {
  return rowCells(lat, r)
    .map((c) => norm(c.text))
    .join('\t');
}
/** The cells covering a fragment's last row, by their horizontal extent. */
function lastRowCover(lat: Lattice): GridCell[] {
  const R = lat.ys.length - 1;
  return [...new Set(lat.at[R - 1])];
}
const sameExtent = (a: GridCell, b: GridCell) =>
  Math.abs(a.left - b.left) <= 3 && Math.abs(a.right - b.right) <= 3;

/** First rows of `next` that repeat the table's header rows (the first rows of its first fragment). */
function repeatedHeader(first: Lattice, next: Lattice): number {
  let k = 0;
  const R1 = first.ys.length - 1,
    R2 = next.ys.length - 1;
  while (k < R1 && k < R2 - 1 && k < 6) {
    const a = rowKey(first, k),
      b = rowKey(next, k);
    if (!a || a !== b || /\d/.test(a)) break;
    k++;
  }
  // Header rows end where a merged header cell ends: never drop part of one.
  while (k > 0 && next.cells.some((c) => c.r0 < k && c.r1 > k)) k--;
  return k;
}

/** Joins `next` (the first thing on its page) onto `prev` (the last thing on the previous page). */
function joinFragment(table: Table, next: Lattice): number {
  const prev = table.fragments[table.fragments.length - 1].lattice;
  const skip = repeatedHeader(table.fragments[0].lattice, next);
  for (const c of next.cells) if (c.r0 < skip) c.dropped = true;
  if (skip >= next.ys.length - 1) return skip;
  const cover = lastRowCover(prev);
  const row = rowCells(next, skip);
  const match = (c: GridCell) => cover.find((p) => sameExtent(p, c));
  // A row split by the page break: no numbers, no numbering, not a label of its own, cell for cell
  // under the previous page's last row.
  const filled = row.filter((c) => c.text);
  const split =
    filled.length > 0 &&
    row.every((c) => match(c)) &&
    row.every((c) => !/\d/.test(c.text) && !numbered(c.text) && !LABELS.has(norm(c.text))) &&
    filled.every((c) => match(c)!.text);
  if (split) {
    for (const c of row) {
      const p = match(c)!;
      p.text = joinText(p.text, c.text);
      c.dropped = true;
    }
    // Cells of the split row that reach further down continue as one cell.
    return skip;
  }
  // A merged cell (a group label) running on over the break: it spans rows on either side, or it
  // is a group column (a label to its right on both sides).
  const labelRight = (cells: GridCell[], of: GridCell) =>
    cells.some((o) => o.left >= of.right - 1 && o.text && !NUMBER.test(o.text));
  for (const c of row) {
    const p = match(c);
    if (!p || p.dropped) continue;
    if (p.r1 - p.r0 < 2 && c.r1 - c.r0 < 2 && !(labelRight(cover, p) && labelRight(row, c))) continue;
    if (/\d/.test(c.text) || numbered(c.text) || LABELS.has(norm(c.text))) continue;
    p.text = joinText(p.text, c.text);
    c.dropped = true;
  }
  return skip;
}

/** The document's lines: text in reading order, each table row as one TAB-separated line. */
export function layoutPages(pages: PdfPage[]): PdfLayout {
  const body = bodySize(pages);
  const watermark = watermarkTest(pages, body);
  const all = pages.flatMap((p, i) => pageBlocks(p, i + 1, watermark, body > 0 ? body * DISPLAY : Infinity));
  const furniture = furnitureOf(all, pages);
  const blocks = joinDisplayLines(
    all.filter((b) => !furniture.has(b)),
    body,
  );
  // First the joins (they move text between fragments), then the lines.
  const skipOf = new Map<Block, number>();
  const tableOf = new Map<Block, number>();
  const removed = new Set<Block>();
  let tableNo = 0;
  let open: Table | null = null;
  let last: TableBlock | null = null;
  let lastIndex = -1;
  blocks.forEach((b, i) => {
    if (b.kind !== 'table') return;
    const between = blocks.slice(lastIndex + 1, i);
    const continues =
      open !== null &&
      last !== null &&
      b.page === last.page + 1 &&
      between.every((x) => x.kind === 'text' && FURNITURE.test(x.text)) &&
      Math.abs(last.left - b.left) <= 6 &&
      Math.abs(last.right - b.right) <= 6;
    if (continues) {
      for (const x of between) removed.add(x);
      skipOf.set(b, joinFragment(open!, b.lattice));
      open!.fragments.push({ lattice: b.lattice, page: b.page });
    } else {
      tableNo++;
      open = { fragments: [{ lattice: b.lattice, page: b.page }] };
      skipOf.set(b, 0);
    }
    tableOf.set(b, tableNo);
    last = b;
    lastIndex = i;
  });
  // Empty cells in a table's label columns (beside a label, left of the numbers) are no cells of
  // the template's: only empty cells where numbers go are blanks.
  const labelSpans = new Map<number, Array<[number, number]>>();
  for (const b of blocks) {
    if (b.kind !== 'table') continue;
    const spans = labelSpans.get(tableOf.get(b)!) ?? [];
    for (let r = 0; r < b.lattice.ys.length - 1; r++) {
      const cells = rowCells(b.lattice, r);
      if (!cells.some((c) => NUMBER.test(c.text))) continue;
      // A value written in words (三十八, 若干) stands in a number column, not a label column.
      for (const c of cells) if (LABEL.test(c.text) && !valueShape(c.text)) spans.push([c.left, c.right]);
    }
    labelSpans.set(tableOf.get(b)!, spans);
  }
  const inLabels = (no: number, c: GridCell) => {
    const mid = (c.left + c.right) / 2;
    return labelSpans.get(no)!.some(([l, r]) => mid > l && mid < r);
  };
  const lines: string[] = [];
  const wheres: string[] = [];
  const rowNo = new Map<number, number>();
  for (const b of blocks) {
    if (removed.has(b)) continue;
    if (b.kind === 'text') {
      lines.push(b.text);
      wheres.push(`第${b.page}页`);
      continue;
    }
    const no = tableOf.get(b)!;
    const lat = b.lattice;
    // Cells that start in the row, in column order; cells continuing from the row above (or from
    // the previous page) are not cells of the row.
    for (let r = skipOf.get(b)!; r < lat.ys.length - 1; r++) {
      const cells = rowCells(lat, r).filter((c) => !c.dropped && (c.text || !inLabels(no, c)));
      if (!cells.length) continue;
      const n = (rowNo.get(no) ?? 0) + 1;
      rowNo.set(no, n);
      const line = tableLine(cells.map((c) => c.text));
      if (line === null) continue;
      lines.push(line);
      wheres.push(`第${b.page}页 第${no}个表格 第${n}行`);
    }
  }
  return { lines, wheres };
}
