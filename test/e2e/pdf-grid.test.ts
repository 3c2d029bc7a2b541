// PDF tables read as grids: fictional reports printed to PDF as offices print them — a Word file with
// realistic column widths through LibreOffice, the web page through Chromium — read back cell for
// cell (a blank stays blank), with no false errors; and the lattice step on hand-made pages.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { check, type JsonResult, readReportAsync, toJSON } from '../../grammar/src/index.js';
import { layoutPages, type PdfItem, type Segment, unifyCjk } from '../../grammar/src/read/pdf-grid.js';
import {
  chromiumPdf,
  libreOfficePdf,
  type PrintedReport,
  printedDocx,
  printedHtml,
  printedReports,
} from '../fixtures/printed.js';

const has = (cmd: string, args: string[]) =>
  spawnSync(cmd, args, { stdio: 'ignore', timeout: 60000 }).status === 0;
const producers: Array<[string, (r: PrintedReport) => Promise<Buffer>, boolean]> = [
  ['LibreOffice', async (r) => libreOfficePdf(await printedDocx(r)), has('soffice', ['--version'])],
  ['Chromium', async (r) => chromiumPdf(printedHtml(r)), has('/usr/bin/chromium', ['--version'])],
];

describe.each(producers)('%s PDF', (name, make, available) => {
  const reports = printedReports();
  it.skipIf(!available).each(reports.map((r, i) => [r.body, i] as const))(
    '%s: every cell, no false errors',
    async (_, i) => {
      const r = reports[i];
      const pdf = await make(r);
      const t0 = performance.now();
      const read = await readReportAsync(pdf, `${r.body}.pdf`);
      const json: JsonResult = toJSON(`${r.body}.pdf`, check(read.text), read.where);
      const ms = performance.now() - t0;
      expect(json.tables.t2).toEqual(r.values.t2);
      expect(json.tables.t3).toEqual(r.values.t3);
      expect(json.tables.t4).toEqual(r.values.t4);
      expect(json.sections.map((s) => s.id)).toEqual(['S1', 'S2', 'S3', 'S4', 'S5', 'S6']);
      expect(json.year).toBe(r.year);
      // Only the blanks the report has are reported, each at its table row.
      expect(json.findings.filter((f) => f.ruleId !== 'cell-blank').map((f) => f.message)).toEqual([]);
      const blankRows = new Set([
        ...r.values.t2.flatMap((v, k) => (v === null ? [`t2:${k}`] : [])),
        ...r.values.t3.flatMap((row, k) => (row.includes(null) ? [`t3:${k}`] : [])),
      ]);
      expect(json.findings.length > 0).toBe(blankRows.size > 0);
      for (const f of json.findings) expect(f.where).toMatch(/^第\d+页 第[12]个表格 第\d+行$/);
      // Repeated header rows of a table continued on the next page are dropped.
      expect(read.text.match(/申请人情况/g)).toHaveLength(1);
      console.log(`${name} ${r.body}: ${ms.toFixed(0)} ms`);
    },
    180000,
  );
});

it.skipIf(!producers[0][2])(
  '表三 continues over a page break (the join is exercised)',
  async () => {
    const r = printedReports()[0];
    const read = await readReportAsync(libreOfficePdf(await printedDocx(r)), 'a.pdf');
    const lines = read.text.split('\n');
    const pages = new Set(
      lines
        .flatMap((l, k) =>
          /^[一二三四（\d]/.test(l) && l.includes('\t')
            ? [read.where(k + 1)?.match(/^第(\d+)页 第2个表格/)?.[1]]
            : [],
        )
        .filter(Boolean),
    );
    expect(pages.size).toBeGreaterThan(1);
    // The row the break cut in two is one row again.
    expect(lines).toContain(
      ['二、上年结转政府信息公开申请数量', '9', '2', '0', '0', '0', '0', '11'].join('\t'),
    );
  },
  180000,
);

// ------------------------------------------------------------------ the lattice on hand-made pages

const item = (str: string, x: number, y: number, size = 10): PdfItem => ({
  str,
  x,
  y,
  w: Array.from(str).length * size,
  size,
});
const h = (y: number, x0: number, x1: number): Segment => ({ x0, x1, y0: y, y1: y });
const v = (x: number, y0: number, y1: number): Segment => ({ x0: x, x1: x, y0, y1 });

/** A ruled grid: lines at every x of `xs` and y of `ys` (top first), except the listed gaps. */
function grid(
  xs: number[],
  ys: number[],
  gaps: { v?: Array<[number, number]>; h?: Array<[number, number]> } = {},
): Segment[] {
  const out: Segment[] = [];
  ys.forEach((y, r) =>
    xs.slice(0, -1).forEach((x, c) => {
      if (!gaps.h?.some(([gr, gc]) => gr === r && gc === c)) out.push(h(y, x, xs[c + 1]));
    }),
  );
  xs.forEach((x, c) =>
    ys.slice(0, -1).forEach((y, r) => {
      if (!gaps.v?.some(([gc, gr]) => gc === c && gr === r)) out.push(v(x, ys[r + 1], y));
    }),
  );
  return out;
}

describe('lattice', () => {
  it('wrapped labels joined, a vertical group label once, blanks kept, merged cells not repeated', () => {
    // Columns: group | label | 2 numbers. Rows (top down): header, 3 data rows; the group cell
    // spans data rows 2–3 (no line between them in column 0), the header's first cell spans 2 columns.
    const xs = [100, 130, 230, 280, 330];
    const ys = [700, 680, 640, 610, 580];
    // The header's first cell and row 1's label span columns 0–1; the group cell spans rows 2–3.
    const segments = grid(xs, ys, {
      v: [
        [1, 0],
        [1, 1],
      ],
      h: [[3, 0]],
    });
    const items = [
      item('信息', 140, 686),
      item('甲', 250, 686),
      item('乙', 300, 686),
      item('一、本年新收政府', 131, 665),
      item('信息公开申请数量', 131, 652),
      item('12', 235, 665),
      item('3', 290, 665),
      item('三、', 105, 620),
      item('本年', 105, 608),
      item('度', 105, 596),
      item('（一）予以公开', 131, 622),
      item('7', 245, 622),
      item('（七）总计', 131, 592),
      item('7', 245, 592),
      item('0', 295, 592),
    ];
    const { lines, wheres } = layoutPages([{ items, segments }]);
    expect(lines).toEqual([
      '信息\t甲\t乙',
      '一、本年新收政府信息公开申请数量\t12\t3',
      '三、本年度\t（一）予以公开\t7\t空',
      '（七）总计\t7\t0',
    ]);
    expect(wheres[1]).toBe('第1页 第1个表格 第2行');
  });

  it('cells with borders of their own (a web page printed with separate borders, a double line): one boundary each', () => {
    // HTML's default border-spacing: each cell draws its own box, ~2.25 pt from its neighbour's, and
    // the table draws its outer box around them.
    const xs = [100, 230, 280, 330];
    const ys = [700, 680, 650];
    const segments: Segment[] = [h(ys[0] + 2, xs[0] - 2, xs[3] + 2), h(ys[2] - 2, xs[0] - 2, xs[3] + 2)];
    segments.push(v(xs[0] - 2, ys[2] - 2, ys[0] + 2), v(xs[3] + 2, ys[2] - 2, ys[0] + 2));
    for (let r = 0; r + 1 < ys.length; r++)
      for (let c = 0; c + 1 < xs.length; c++) {
        const [x0, x1, top, bottom] = [xs[c] + 1.1, xs[c + 1] - 1.1, ys[r] - 1.1, ys[r + 1] + 1.1];
        segments.push(h(top, x0, x1), h(bottom, x0, x1), v(x0, bottom, top), v(x1, bottom, top));
      }
    const items = [
      item('信息内容', 110, 686),
      item('甲', 250, 686),
      item('乙', 300, 686),
      item('规章', 110, 662),
      item('12', 245, 662),
      item('3', 300, 662),
    ];
    expect(layoutPages([{ items, segments }]).lines).toEqual(['信息内容\t甲\t乙', '规章\t12\t3']);
  });

  it('a table continued on the next page: header repeated there dropped, the split row and the group label made whole', () => {
    const xs = [100, 130, 230, 280];
    const head = [item('标签', 150, 686), item('数', 250, 686)];
    // Rows: header 700–680, row 680–640, row 640–600; the group cell of the last row runs on over
    // the page break. The header and the first row's label span columns 0–1.
    const page1 = {
      items: [
        item('表前文字', 100, 720),
        ...head,
        item('一、本年新收', 101, 665),
        item('1', 250, 665),
        item('三、', 105, 622),
        item('（一）予以公开', 131, 622),
        item('2', 250, 622),
      ],
      segments: grid(xs, [700, 680, 640, 600], {
        v: [
          [1, 0],
          [1, 1],
        ],
      }),
    };
    const page2 = {
      items: [
        ...head,
        item('本年', 105, 665),
        item('（二）部分', 131, 665),
        item('公开', 131, 652),
        item('3', 250, 665),
        item('-2-', 200, 560),
      ],
      segments: grid(xs, [700, 680, 640], { v: [[1, 0]] }),
    };
    const { lines, wheres } = layoutPages([page1, page2]);
    expect(lines).toEqual([
      '表前文字',
      '标签\t数',
      '一、本年新收\t1',
      '三、本年\t（一）予以公开\t2',
      '（二）部分公开\t3',
      '-2-',
    ]);
    expect(wheres[4]).toBe('第2页 第1个表格 第4行');
  });

  it('a row drawn without its inner lines keeps its label and numbers apart; a justified label stays whole', () => {
    const segments = grid([100, 250, 330, 400], [700, 680, 650, 620], {
      v: [
        [1, 1],
        [2, 1],
      ],
    });
    const items = [
      item('标签', 110, 686),
      item('甲', 260, 686),
      item('乙', 340, 686),
      item('一、本年新收', 101, 662),
      item('12', 280, 662),
      item('3', 360, 662),
      item('总', 110, 632),
      item('计', 200, 632),
      item('4', 280, 632),
      item('5', 360, 632),
    ];
    expect(layoutPages([{ items, segments }]).lines).toEqual([
      '标签\t甲\t乙',
      '一、本年新收    12    3',
      '总计\t4\t5',
    ]);
  });

  it('printed page furniture is not report text: lines repeated in the margin bands, a page number, watermarks', () => {
    // Two A4 pages; a table runs from the first onto the second. At the top of each page a line a
    // browser or a word processor prints (wordings the reader has no list of), at the bottom an
    // address and the page count; a slanted watermark lies over the table on both pages.
    const box: [number, number] = [0, 842];
    const xs = [100, 230, 280];
    const top = (n: number) => [
      item(`打印于 2026.3.1${n} 下午 2:0${n}`, 60, 800),
      item('某区政务网 专题存档', 300, 800),
    ];
    const bottom = (n: number) => [
      item('https://www.example.gov.cn/art/2025/1/20/art_88.html', 60, 40),
      item(`第${n}张，共2张`, 480, 40),
    ];
    const mark = (y: number): PdfItem => ({ ...item('仅供内部审阅', 180, y, 40), slant: true });
    const page1 = {
      box,
      items: [
        ...top(1),
        item('正文第一段', 100, 720),
        item('标签', 110, 686),
        item('数', 250, 686),
        item('一、本年新收', 101, 665),
        item('12', 250, 665),
        mark(650),
        ...bottom(1),
      ],
      segments: grid(xs, [700, 680, 640]),
    };
    const page2 = {
      box,
      items: [
        ...top(2),
        item('二、上年结转', 101, 725),
        item('3', 250, 725),
        mark(700),
        item('正文第二段', 100, 680),
        ...bottom(2),
      ],
      segments: grid(xs, [740, 700]),
    };
    const { lines, wheres } = layoutPages([page1, page2]);
    expect(lines).toEqual(['正文第一段', '标签\t数', '一、本年新收\t12', '二、上年结转\t3', '正文第二段']);
    expect(wheres[3]).toBe('第2页 第1个表格 第3行');
    // On one page only, a line in the band is text (a title at the top of the first page); a lone
    // number at the bottom is its page number.
    const single = layoutPages([
      {
        box,
        items: [item('某区二〇二五年工作年度报告', 100, 790), item('正文', 100, 700), item('7', 300, 30)],
        segments: [],
      },
    ]);
    expect(single.lines).toEqual(['某区二〇二五年工作年度报告', '正文']);
  });

  it('display-size text repeated on pages or laid over a table is a watermark; a large title once is kept', () => {
    const box: [number, number] = [0, 842];
    const body = (y: number) => [
      item('正文正文正文正文正文正文正文正文', 100, y),
      item('正文正文正文正文正文正文正文正文', 100, y - 20),
    ];
    const pages = [
      {
        box,
        items: [item('封面标题', 100, 600, 36), ...body(500), item('样 稿', 150, 300, 48)],
        segments: [],
      },
      {
        box,
        items: [
          ...body(700),
          item('样 稿', 150, 660, 48),
          item('标签', 110, 606),
          item('数', 250, 606),
          item('一、本年新收', 101, 586),
          item('5', 250, 586),
          // Once only, but over the table's grid.
          item('审', 238, 585, 40),
        ],
        segments: grid([100, 230, 280], [620, 600, 580]),
      },
      { box, items: [...body(700), item('样 稿', 150, 400, 48)], segments: [] },
    ];
    const { lines } = layoutPages(pages);
    const prose = '正文正文正文正文正文正文正文正文';
    expect(lines).toEqual([
      '封面标题',
      prose,
      prose,
      prose,
      prose,
      '标签\t数',
      '一、本年新收\t5',
      prose,
      prose,
    ]);
  });

  it('radical forms some fonts report read as the ideographs', () => {
    expect(unifyCjk('中华⼈⺠共和国政府信息公开⼯作年度报告 ⾸⻚')).toBe(
      '中华人民共和国政府信息公开工作年度报告 首页',
    );
  });
});
