// The review as an Excel workbook: 报告 (a row per report), 问题 (a row per finding) and
// 表三表四 (the figures of tables 3 and 4 per body), each with a frozen header row, an
// autofilter and columns wide enough for Chinese text.
import type ExcelJS from 'exceljs';
import { NOTES_HEADERS, notesRows } from './notes.js';
import {
  bodyLabel,
  coverageNote,
  FIGURES,
  figureCell,
  figureWhy,
  fixTitleOf,
  listedFindings,
  locationOf,
  moreFindings,
  REPORT_HEADERS,
  type Review,
  type ReviewRow,
  reportCells,
  SEVERITY_TEXT,
  STATUS_LABEL,
  totalsByYear,
  wasChecked,
} from './summary.js';
import { displayWidth } from './width.js';

/**
 * Text as a workbook's XML can hold it: characters XML 1.0 forbids (controls other than TAB and line
 * ends, U+FFFE/U+FFFF, unpaired surrogates) become U+FFFD — a file name or a label quoted from a
 * report may carry them, and one such character makes the whole workbook unreadable.
 */
export const xmlText = (s: string): string =>
  s.replace(
    /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
    '\uFFFD',
  );

function addSheet(
  wb: ExcelJS.Workbook,
  name: string,
  headers: string[],
  rows: Array<Array<string | number | null>>,
) {
  const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.addRow(headers);
  ws.getRow(1).font = { bold: true };
  for (const r of rows) ws.addRow(r.map((v) => (typeof v === 'string' ? xmlText(v) : v)));
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: headers.length } };
  headers.forEach((h, i) => {
    let w = displayWidth(h) + 4; // room for the filter button
    for (const r of rows) w = Math.max(w, displayWidth(r[i] === null ? '' : String(r[i])) + 2);
    ws.getColumn(i + 1).width = Math.min(w, 80);
  });
  return ws;
}

/** A note on each "—" of a figure column saying why the figure is unknown (rows in sheet order). */
function noteUnknown(
  ws: ExcelJS.Worksheet,
  whys: Array<Array<string | null | undefined>>,
  firstColumn: number,
): void {
  whys.forEach((row, i) =>
    row.forEach((why, j) => {
      if (why) ws.getCell(i + 2, firstColumn + j).note = why;
    }),
  );
}
const whysOf = (r: ReviewRow, figures: typeof FIGURES) => figures.map((f) => figureWhy(r, f.key));

export const TOTAL_HEADERS = ['年度', '指标', '合计', '涵盖报告数', '报告数', '说明'];

/** The key figures summed per year, a row per figure, with the reports each sum covers. */
function totalRows(review: Review): Array<Array<string | number | null>> {
  return totalsByYear(review.rows).flatMap((t) =>
    FIGURES.map((f) => {
      const note = coverageNote(t, f.key);
      return [
        t.year === null ? '年度不明' : `${t.year}年`,
        `${f.table}${f.label}`,
        t.figures[f.key] ?? '—',
        t.covered[f.key],
        t.reports,
        note ? `合计（${note}）` : null,
      ];
    }),
  );
}

export const ISSUE_HEADERS = ['文件', '机关', '年度', '规则', '级别', '位置', '说明', '建议修改'];
const T34 = FIGURES.filter((f) => f.table !== '表二');
export const T34_HEADERS = ['机关', '年度', '文件', ...T34.map((f) => `${f.table}${f.label}`)];

export const PAIR_HEADERS = [
  '机关',
  '上年度',
  '本年度',
  '上年报告',
  '本年报告',
  ...FIGURES.flatMap((f) => [
    `${f.table}${f.label}（上年）`,
    `${f.table}${f.label}（本年）`,
    `${f.table}${f.label}变化`,
  ]),
  '跨年度问题',
];

export async function toXlsx(review: Review): Promise<Buffer> {
  // Loaded only when a workbook is asked for (it takes a while to load).
  const { default: Excel } = await import('exceljs');
  const wb = new Excel.Workbook();
  wb.creator = 'nianbao';
  const reports = addSheet(wb, '报告', REPORT_HEADERS, review.rows.map(reportCells));
  noteUnknown(
    reports,
    review.rows.map((r) => whysOf(r, FIGURES)),
    REPORT_HEADERS.indexOf(`${FIGURES[0].table}${FIGURES[0].label}`) + 1,
  );
  addSheet(
    wb,
    '问题',
    ISSUE_HEADERS,
    review.rows.flatMap((r) =>
      !wasChecked(r)
        ? [[r.file, '', null, r.status, STATUS_LABEL[r.status], '', r.reason ?? '', '']]
        : listedRows(r),
    ),
  );
  const read = review.rows.filter(wasChecked);
  const t34 = addSheet(
    wb,
    '表三表四',
    T34_HEADERS,
    read.map((r) => [bodyLabel(r), r.year, r.file, ...T34.map((f) => figureCell(r, f.key))]),
  );
  noteUnknown(
    t34,
    read.map((r) => whysOf(r, T34)),
    4,
  );
  const pairs = addSheet(
    wb,
    '跨年度对照',
    PAIR_HEADERS,
    review.pairs.map((p) => [
      p.body,
      p.previousYear,
      p.currentYear,
      p.previous,
      p.current,
      ...p.changes.flatMap((c) =>
        c.why
          ? [c.previous ?? '—', c.current ?? '—', `无法对照（${c.why}）`]
          : [c.previous, c.current, c.jump ? '变化较大' : ''],
      ),
      p.findings.map((f) => f.message).join('；'),
    ]),
  );
  noteUnknown(
    pairs,
    review.pairs.map((p) =>
      p.changes.flatMap((c) => [c.previous === null ? c.why : null, c.current === null ? c.why : null, null]),
    ),
    6,
  );
  addSheet(wb, '关键数字合计', TOTAL_HEADERS, totalRows(review));
  const notes = notesRows(review.notes);
  if (notes.length) addSheet(wb, '对照说明', NOTES_HEADERS, notes);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** A report's rows of the 问题 sheet: its listed findings, and a line for those left out. */
function listedRows(r: ReviewRow): Array<Array<string | number | null>> {
  const { shown, more } = listedFindings(r);
  const rows: Array<Array<string | number | null>> = shown.map((f) => [
    r.file,
    bodyLabel(r),
    r.year,
    f.ruleId,
    SEVERITY_TEXT[f.severity] ?? f.severity,
    locationOf(f),
    f.message,
    fixTitleOf(f),
  ]);
  if (more) rows.push([r.file, bodyLabel(r), r.year, '', '', '', moreFindings(more), '']);
  return rows;
}
