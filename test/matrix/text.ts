// Text and web renderings of the matrix reports: the layouts in which reports reach us as text
// (copied from Word, from a web page, printed by pdftotext) and a web page with real tables.
import { type Block, type Doc, type DocCell, type DocTable, grid } from './reports.js';

export type TextLayout = 'tab' | 'pipe' | 'cell-pipe' | 'cell-tab' | 'spaced-top' | 'spaced-middle' | 'flat';

/** Cells of each table row as HTML/Word readers see them: the origin cells, spanned slots left out. */
function rowCells(t: DocTable): string[][] {
  return t.rows.map((r) => r.cells.map((c) => c.text));
}

function tableText(
  t: DocTable,
  layout: Exclude<TextLayout, 'spaced-top' | 'spaced-middle' | 'flat'>,
): string {
  const rows = rowCells(t);
  switch (layout) {
    case 'tab':
      return rows.map((r) => r.join('\t')).join('\n');
    case 'pipe':
      return rows.map((r) => r.join(' | ') + ' |').join('\n');
    case 'cell-pipe':
      return rows.map((r) => '|\n' + r.map((c) => `${c} |`).join('\n')).join('\n');
    case 'cell-tab':
      return rows.map((r) => r.map((c) => `\t${c}`).join('\n')).join('\n\n');
  }
}

// ------------------------------------------------------------------ flattened web text

/** Ways to cut digit tokens into `cells` numbers (no leading zeros) whose last is the sum of the others. */
function splits(tokens: string[], cells: number): number {
  let found = 0;
  const walk = (ti: number, parts: number[]) => {
    if (found > 1 || parts.length > cells) return;
    if (ti === tokens.length) {
      if (parts.length === cells && parts.slice(0, -1).reduce((a, b) => a + b, 0) === parts[parts.length - 1])
        found++;
      return;
    }
    const cut = (rest: string, acc: number[]) => {
      if (!rest) {
        walk(ti + 1, acc);
        return;
      }
      for (let k = 1; k <= rest.length; k++) {
        const head = rest.slice(0, k);
        if (head.length > 1 && head[0] === '0') break;
        cut(rest.slice(k), [...acc, Number(head)]);
      }
    };
    cut(tokens[ti], parts);
  };
  walk(0, []);
  return found;
}

/**
 * Numbers of a row (or of a 表四 block) with one neighbouring pair run together, as flattened web
 * text has them: only where the row adds up and the totals still split the run one way only.
 */
function runTogether(nums: string[], pair: number): string {
  const plain = nums.join(' ');
  if (nums.some((x) => x === '' || !/^\d+$/.test(x))) return plain;
  if (nums.slice(0, -1).reduce((a, x) => a + Number(x), 0) !== Number(nums[nums.length - 1])) return plain;
  const tokens = [...nums.slice(0, pair), nums[pair] + nums[pair + 1], ...nums.slice(pair + 2)];
  return splits(tokens, nums.length) === 1 ? tokens.join(' ') : plain;
}

/**
 * A web page's text collapsed onto one line, as some sites publish it: cells separated by one
 * space, except that in some rows two neighbouring numbers run together (`0 0 0 0 0 00`). A blank
 * cell leaves two spaces. Numbers run together only where the table's totals split them again one
 * way only (表三 rows and 表四 blocks that add up); 表二 has no totals, so its cells stay apart.
 */
function flatTable(t: DocTable): string {
  return t.rows
    .map((row, r) => {
      const labels = row.cells.filter((c) => c.header).map((c) => c.text);
      const nums = row.cells.filter((c) => !c.header).map((c) => c.text);
      if (!nums.length) return labels.join(' ');
      let s = nums.join(' ');
      if (t.id === 't4') s = [0, 5, 10].map((b) => runTogether(nums.slice(b, b + 5), 3)).join(' ');
      else if (t.id === 't3' && r % 3 !== 2) s = runTogether(nums, r % 3 === 0 ? nums.length - 2 : 1);
      return (labels.length ? labels.join(' ') + ' ' : '') + s;
    })
    .join(' ');
}

// ------------------------------------------------------------------ pdftotext -layout

/** Display width: CJK and full-width characters take two columns. */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u1100-\uffff]/.test(ch) && !/[\uff61-\uff9f]/.test(ch) ? 2 : 1;
  return w;
}

/** Breaks text into lines of at most `width` display columns (CJK text breaks anywhere). */
export function wrap(text: string, width: number): string[] {
  if (!text) return [];
  const out: string[] = [];
  let cur = '',
    w = 0;
  for (const ch of text) {
    const cw = displayWidth(ch);
    if (w + cw > width && cur) {
      out.push(cur);
      cur = '';
      w = 0;
    }
    cur += ch;
    w += cw;
  }
  if (cur) out.push(cur);
  return out;
}

interface Piece {
  x: number;
  text: string;
}

function compose(pieces: Piece[]): string {
  pieces.sort((a, b) => a.x - b.x);
  let s = '',
    cur = 0;
  for (const p of pieces) {
    const x = Math.max(p.x, cur === 0 ? 0 : cur + 1);
    s += ' '.repeat(x - cur) + p.text;
    cur = x + displayWidth(p.text);
  }
  return s.replace(/\s+$/, '');
}

/** Display columns per twip: an A4 body of 9,000 twips prints about 100 columns wide. */
const COLS_PER_TWIP = 100 / 9000;

/**
 * A table as `pdftotext -layout` prints it: columns at fixed positions, each cell's text wrapped
 * in its column, every cell placed at the top of its row or in the middle of it (numbers on the
 * middle line of a three-line label), group cells spanning several rows set a few characters per
 * line. Blank cells are just spaces. Returns the lines and, for each row, where its lines end.
 */
function spacedTable(t: DocTable, align: 'top' | 'middle'): { lines: string[]; rowEnds: number[] } {
  const cols = t.widths.map((w) => Math.max(4, Math.round(w * COLS_PER_TWIP)));
  const xs = cols.map((_, i) => cols.slice(0, i).reduce((a, b) => a + b, 0));
  const g = grid(t);
  const content = (c: DocCell, col: number) => {
    const span = c.colspan ?? 1;
    const w = cols.slice(col, col + span).reduce((a, b) => a + b, 0) - 2;
    return { w, lines: wrap(c.text, w) };
  };
  // Row heights: the tallest single-row cell; a cell spanning rows stretches the last of them.
  const heights = t.rows.map(() => 1);
  const origins: Array<{ cell: DocCell; row: number; col: number }> = [];
  g.forEach((row, r) =>
    row.forEach((s, c) => {
      if (s.origin && s.row === r && s.col === c) origins.push({ cell: s.cell, row: r, col: c });
    }),
  );
  for (const o of origins)
    if ((o.cell.rowspan ?? 1) === 1)
      heights[o.row] = Math.max(heights[o.row], content(o.cell, o.col).lines.length);
  for (const o of origins) {
    const rs = o.cell.rowspan ?? 1;
    if (rs === 1) continue;
    const need = content(o.cell, o.col).lines.length;
    const have = heights.slice(o.row, o.row + rs).reduce((a, b) => a + b, 0);
    if (need > have) heights[o.row + rs - 1] += need - have;
  }
  const tops = heights.map((_, i) => heights.slice(0, i).reduce((a, b) => a + b, 0));
  const total = heights.reduce((a, b) => a + b, 0);
  const canvas: Piece[][] = Array.from({ length: total }, () => []);
  for (const o of origins) {
    const rs = o.cell.rowspan ?? 1;
    const H = heights.slice(o.row, o.row + rs).reduce((a, b) => a + b, 0);
    const { w, lines } = content(o.cell, o.col);
    const start = align === 'top' ? 0 : Math.floor((H - lines.length) / 2);
    lines.forEach((line, i) => {
      // Numbers are centred in their column, text starts at its left edge.
      const pad = o.cell.header ? 0 : Math.max(0, Math.floor((w - displayWidth(line)) / 2));
      canvas[tops[o.row] + start + i].push({ x: xs[o.col] + 1 + pad, text: line });
    });
  }
  return { lines: canvas.map(compose), rowEnds: tops.map((t0, i) => t0 + heights[i]) };
}

const PAGE_LINES = 54;

/** The whole document as `pdftotext -layout` prints it, with page footers and form feeds. */
function spacedDoc(doc: Doc, align: 'top' | 'middle'): string {
  const out: string[] = [];
  let page = 1,
    onPage = 0;
  const breakPage = () => {
    out.push('', `${' '.repeat(46)}- ${page} -`, '\f');
    page++;
    onPage = 0;
  };
  const push = (lines: string[]) => {
    if (onPage + lines.length > PAGE_LINES && onPage > 0) breakPage();
    out.push(...lines);
    onPage += lines.length;
  };
  for (const b of doc.blocks) {
    if (b.kind === 'title')
      push(
        wrap(b.text, 64)
          .map((l) => ' '.repeat(Math.max(0, Math.floor((96 - displayWidth(l)) / 2))) + l)
          .concat(['']),
      );
    else if (b.kind === 'heading') push(['    ' + b.text]);
    else if (b.kind === 'paragraph') {
      const lines = wrap(b.text, 88);
      // A paragraph breaks across pages line by line.
      lines.forEach((l, i) => push([(i === 0 ? '    ' : '') + l]));
    } else {
      const { lines, rowEnds } = spacedTable(b.table, align);
      let from = 0;
      // A table breaks between rows, never inside one.
      for (const end of rowEnds) {
        push(lines.slice(from, end));
        from = end;
      }
      push(['']);
    }
  }
  out.push('', `${' '.repeat(46)}- ${page} -`, '');
  return out.join('\n').replace(/\n\f\n/g, '\n\f');
}

// ------------------------------------------------------------------ documents

/** The report as text in a layout. */
export function renderText(doc: Doc, layout: TextLayout): string {
  if (layout === 'spaced-top') return spacedDoc(doc, 'top');
  if (layout === 'spaced-middle') return spacedDoc(doc, 'middle');
  if (layout === 'flat') {
    return doc.blocks.map((b) => (b.kind === 'table' ? flatTable(b.table) : b.text)).join(' ') + '\n';
  }
  return doc.blocks.map((b) => (b.kind === 'table' ? tableText(b.table, layout) : b.text)).join('\n') + '\n';
}

const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function htmlTable(t: DocTable): string {
  const total = t.widths.reduce((a, b) => a + b, 0);
  const cols = t.widths.map((w) => `<col style="width:${((w / total) * 100).toFixed(2)}%">`).join('');
  const rows = t.rows.map((r, i) => {
    const cells = r.cells
      .map((c) => {
        const attrs =
          (c.rowspan && c.rowspan > 1 ? ` rowspan="${c.rowspan}"` : '') +
          (c.colspan && c.colspan > 1 ? ` colspan="${c.colspan}"` : '');
        const style = c.header ? '' : ' style="text-align:center"';
        return `<td${attrs}${style}>${c.text ? `<p>${esc(c.text)}</p>` : '&nbsp;'}</td>`;
      })
      .join('');
    return `      <tr${i < t.headerRows ? ' class="head"' : ''}>${cells}</tr>`;
  });
  return `    <table class="nb" border="1" cellspacing="0" cellpadding="2" style="width:100%;border-collapse:collapse;table-layout:fixed">\n      <colgroup>${cols}</colgroup>\n      <tbody>\n${rows.join('\n')}\n      </tbody>\n    </table>`;
}

/** The report as a government web page: site navigation around the article, real <table>s. */
export function renderHtml(doc: Doc): string {
  const title =
    doc.blocks.find((b): b is Extract<Block, { kind: 'title' }> => b.kind === 'title')?.text ?? '';
  const body = doc.blocks
    .map((b) => {
      if (b.kind === 'title')
        return `    <h1 class="title">${esc(b.text)}</h1>\n    <div class="info">发布时间：2025-01-20　来源：本机关</div>`;
      if (b.kind === 'heading') return `    <p class="h"><strong>${esc(b.text)}</strong></p>`;
      if (b.kind === 'paragraph') return `    <p style="text-indent:2em">${esc(b.text)}</p>`;
      return htmlTable(b.table);
    })
    .join('\n');
  return `<!DOCTYPE html>
<html lang="zh-CN">
<head>
  <meta charset="utf-8">
  <title>${esc(title)}</title>
  <style>
    body { font-family: "Noto Sans CJK SC", "Noto Serif CJK SC", sans-serif; font-size: 12pt; margin: 0; }
    .article { width: 170mm; margin: 0 auto; }
    .title { font-size: 18pt; text-align: center; }
    .info { text-align: center; color: #666; font-size: 10pt; }
    table.nb td { border: 1px solid #000; font-size: 9pt; vertical-align: middle; word-break: break-all; }
    table.nb td p { margin: 0; }
    @page { size: A4; margin: 20mm; }
  </style>
</head>
<body>
  <div class="header"><a href="/">首页</a> | <a href="/zwgk/">政务公开</a> | <a href="/zwgk/ndbg/">政府信息公开年报</a></div>
  <div class="article">
${body}
  </div>
  <div class="footer">主办单位：本机关办公室　网站标识码：0000000000</div>
</body>
</html>
`;
}

/**
 * The web page as a site serves it for printing: a long page title (the report's, the column's and
 * the site's name) and a watermark of large grey text turned 30°, fixed so that it prints on every page.
 */
export function printedHtml(html: string): string {
  return html
    .replace(/<title>([^<]*)<\/title>/, '<title>$1_政府信息公开年报_政务公开_临川市人民政府门户网站</title>')
    .replace(
      '<body>',
      '<body>\n  <div style="position:fixed;top:40%;left:10%;transform:rotate(-30deg);font-size:54pt;color:#ddd;z-index:-1">内部资料 注意保存</div>',
    );
}
