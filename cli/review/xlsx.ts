// The review as an Excel workbook an office keeps, prints and adds up: 报告 (a row per report,
// coloured by status, each file a link), 问题 (a row per finding), 表二表三表四 (every cell of each
// report's tables) and 表格合计 (their sums per year), 跨年度对照 (signed changes), 历年情况 (each
// body over the years), 排名 (units worst first), 关键数字合计 and 对照说明. Every sheet has a frozen,
// styled header row that is repeated on each printed page, an autofilter, columns wide enough for
// Chinese text, and an A4 landscape page setup.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type ExcelJS from 'exceljs';
import {
  type JsonResult,
  T2_COLUMNS,
  T2_ROWS,
  T3_COLUMNS,
  T3_ROW_COUNT,
  T4_BLOCK_NAMES,
  T4_CELL_COUNT,
  T4_COLUMNS,
} from '../../grammar/src/index.js';
import { histories, ranking, signedChange } from './history.js';
import { NOTES_HEADERS, notesRows } from './notes.js';
import {
  bodyLabel,
  countedRows,
  coverageNote,
  FIGURES,
  figureWhy,
  fixTitleOf,
  isJump,
  listedFindings,
  locationOf,
  moreFindings,
  REPORT_HEADERS,
  type Review,
  type ReviewRow,
  reportCells,
  SEVERITY_TEXT,
  STATUS_LABEL,
  type Status,
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

export interface XlsxOptions {
  /** Where the workbook is written: each file cell then links to its file, relative to the workbook. */
  path?: string;
}

type Value = string | number | null;

// ------------------------------------------------------------------ looks

const fill = (argb: string): ExcelJS.Fill => ({ type: 'pattern', pattern: 'solid', fgColor: { argb } });
const THIN: ExcelJS.Border = { style: 'thin', color: { argb: 'FFBFBFBF' } };
const BORDER: Partial<ExcelJS.Borders> = { top: THIN, left: THIN, bottom: THIN, right: THIN };
const HEADER_STYLE: Partial<ExcelJS.Style> = {
  font: { bold: true },
  fill: fill('FFDDEBF7'),
  border: BORDER,
  alignment: { wrapText: true, vertical: 'middle', horizontal: 'center' },
};
/** Status colours: errors red, warnings amber, clean green, not read grey. */
export const STATUS_FILL: Record<Status, string> = {
  errors: 'FFF8CBAD',
  warnings: 'FFFFE699',
  clean: 'FFC6EFCE',
  unreadable: 'FFD9D9D9',
  unchecked: 'FFD9D9D9',
};
const SEVERITY_FILL: Record<string, string> = { 错误: STATUS_FILL.errors, 警告: STATUS_FILL.warnings };
const JUMP_FILL = 'FFFFE699';
/** A signed whole number: +12, −3 (a minus sign, not a hyphen), 0. */
export const SIGNED_FORMAT = '+0;"\u2212"0;0';
/** The widest a text column grows; longer text wraps. */
const MAX_WIDTH = 36;
/** The height of a line of text (points). */
const LINE_HEIGHT = 15;
/** The print scale of a sheet too wide for one page's width. */
const WIDE_SCALE = 60;

// ------------------------------------------------------------------ sheets

interface SheetOptions {
  /** Columns kept in view when scrolling right. */
  fixedColumns?: number;
  /** Columns repeated on each printed page (a wide sheet's). */
  printedColumns?: number;
  /** Too wide to shrink to one page's width: printed at full size, page after page across. */
  wide?: boolean;
}

function addSheet(
  wb: ExcelJS.Workbook,
  name: string,
  headers: string[],
  rows: Value[][],
  options: SheetOptions = {},
): ExcelJS.Worksheet {
  const fixed = options.fixedColumns ?? 0;
  const ws = wb.addWorksheet(name, {
    views: [{ state: 'frozen', ySplit: 1, ...(fixed ? { xSplit: fixed } : {}) }],
  });
  ws.addRow(headers);
  for (const r of rows) ws.addRow(r.map((v) => (typeof v === 'string' ? xmlText(v) : v)));
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: headers.length } };
  const widths = headers.map((h, i) => {
    // The header wraps onto two or three lines (with room for the filter button).
    let w = Math.min(Math.max(Math.ceil(displayWidth(h) / 2) + 2, 6), 12);
    for (const r of rows) w = Math.max(w, displayWidth(r[i] === null ? '' : String(r[i])) + 2);
    const width = Math.min(w, MAX_WIDTH);
    const col = ws.getColumn(i + 1);
    col.width = width;
    col.eachCell({ includeEmpty: false }, (cell, n) => {
      if (n === 1) return;
      cell.border = BORDER;
      cell.alignment = { vertical: 'top', wrapText: w > MAX_WIDTH };
    });
    return width;
  });
  ws.getRow(1).eachCell((cell) => {
    cell.style = HEADER_STYLE;
  });
  // Row heights as the wrapped text needs them (a spreadsheet does not always work them out on opening).
  fitHeight(ws.getRow(1), headers, widths, 4);
  rows.forEach((r, i) => fitHeight(ws.getRow(i + 2), r, widths, 2));
  pageSetup(ws, options);
  return ws;
}

/** Sets a row's height to the lines its longest wrapped cell takes (nothing for a one-line row). */
function fitHeight(row: ExcelJS.Row, values: Value[], widths: number[], pad: number): void {
  let lines = 1;
  values.forEach((v, i) => {
    if (v === null || typeof v === 'number') return;
    // A column of width w holds a little more than w display columns of CJK text.
    const room = Math.max((widths[i] - pad) * 1.15, 1);
    lines = Math.max(lines, Math.ceil(displayWidth(v) / room));
  });
  if (lines > 1) row.height = Math.min(lines, 20) * LINE_HEIGHT + 2;
}

/**
 * A4 landscape, the header row on every printed page, the sheet's name above and the page number
 * below; shrunk to the page's width unless the sheet is too wide to read that small (then its first
 * columns are repeated on each page instead).
 */
function pageSetup(ws: ExcelJS.Worksheet, options: SheetOptions): void {
  const fixed = options.printedColumns ?? 0;
  ws.pageSetup = {
    paperSize: 9, // A4
    orientation: 'landscape',
    ...(options.wide
      ? { fitToPage: false, scale: WIDE_SCALE }
      : { fitToPage: true, fitToWidth: 1, fitToHeight: 0 }),
    margins: { left: 0.4, right: 0.4, top: 0.6, bottom: 0.6, header: 0.25, footer: 0.25 },
    printTitlesRow: '1:1',
    ...(fixed ? { printTitlesColumn: `A:${ws.getColumn(fixed).letter}` } : {}),
    horizontalCentered: false,
  };
  ws.headerFooter = { oddHeader: '&L&A', oddFooter: '&C第 &P 页，共 &N 页' };
}

/** A note on each "—" of a figure column saying why the figure is unknown (rows in sheet order). */
function noteUnknown(
  ws: ExcelJS.Worksheet,
  whys: Array<Array<string | null | undefined>>,
  firstColumn: number,
): void {
  whys.forEach((row, i) =>
    row.forEach((why, j) => {
      if (why) ws.getCell(i + 2, firstColumn + j).note = xmlText(why);
    }),
  );
}
const whysOf = (r: ReviewRow, figures: typeof FIGURES) => figures.map((f) => figureWhy(r, f.key));

/** The link from the workbook to a file: relative to the workbook's folder, as a URL path. */
export function fileLink(file: string, workbook: string): string {
  const to = path.resolve(file);
  const rel = path.relative(path.dirname(path.resolve(workbook)), to);
  // On another drive there is no relative path.
  if (path.isAbsolute(rel)) return pathToFileURL(to).href;
  return rel
    .split(path.sep)
    .map((part) => part.replace(/[%#? ]/g, (c) => encodeURIComponent(c)))
    .join('/');
}

/** Turns the file cells of a column into links (rows in sheet order, null: no file). */
function linkFiles(ws: ExcelJS.Worksheet, column: number, files: Array<string | null>, workbook?: string) {
  if (!workbook) return;
  files.forEach((file, i) => {
    if (!file) return;
    const cell = ws.getCell(i + 2, column);
    cell.value = { text: xmlText(file), hyperlink: xmlText(fileLink(file, workbook)), tooltip: '打开该报告' };
    cell.font = { color: { argb: 'FF0563C1' }, underline: true };
  });
}

// ------------------------------------------------------------------ the tables, cell by cell

/** Each table cell of the template: its column header and how to read it from the JSON tables. */
const T3_SHORT = [
  '本年新收',
  '上年结转',
  '予以公开',
  '部分公开',
  '不予公开·国家秘密',
  '不予公开·法律行政法规禁止',
  '不予公开·三安全一稳定',
  '不予公开·第三方合法权益',
  '不予公开·内部事务信息',
  '不予公开·过程性信息',
  '不予公开·行政执法案卷',
  '不予公开·行政查询事项',
  '无法提供·本机关不掌握',
  '无法提供·需另行制作',
  '无法提供·补正后仍不明确',
  '不予处理·信访举报投诉',
  '不予处理·重复申请',
  '不予处理·公开出版物',
  '不予处理·大量反复申请',
  '不予处理·确认或重新出具',
  '其他处理·逾期不补正',
  '其他处理·逾期未缴费',
  '其他处理·其他',
  '办理结果总计',
  '结转下年度',
];
type Tables = JsonResult['tables'];
interface TableCell {
  header: string;
  table: '表二' | '表三' | '表四';
  of: (t: Tables) => number | null | undefined;
}
export const TABLE_CELLS: TableCell[] = [
  ...T2_ROWS.flatMap((row) =>
    row.cells > 1
      ? T2_COLUMNS.map((c, j) => ({
          header: `表二·${row.label}·${c.replace(/件数$/, '')}`,
          table: '表二' as const,
          of: (t: Tables) => t.t2?.[row.offset + j],
        }))
      : [
          {
            header: `表二·${row.label}${row.decimal ? '（万元）' : ''}`,
            table: '表二' as const,
            of: (t: Tables) => t.t2?.[row.offset],
          },
        ],
  ),
  ...Array.from({ length: T3_ROW_COUNT }, (_, r) =>
    T3_COLUMNS.map((c, j) => ({
      header: `表三·${T3_SHORT[r]}·${c}`,
      table: '表三' as const,
      of: (t: Tables) => t.t3?.[r]?.[j],
    })),
  ).flat(),
  ...Array.from({ length: T4_CELL_COUNT }, (_, i) => ({
    header: `表四·${T4_BLOCK_NAMES[Math.floor(i / T4_COLUMNS.length)]}·${T4_COLUMNS[i % T4_COLUMNS.length]}`,
    table: '表四' as const,
    of: (t: Tables) => t.t4?.[i],
  })),
];
export const TABLES_HEADERS = ['机关', '年度', '文件', ...TABLE_CELLS.map((c) => c.header)];
/** The sums' sheet: a row per cell (table, row, column), a column per year. */
export const TABLE_TOTAL_HEADERS = ['表', '行', '列'];
const CELL_WIDTH = 7;

const cellValue = (t: Tables | undefined, c: TableCell): number | null => {
  const v = t ? c.of(t) : null;
  return typeof v === 'number' ? v : null;
};
/** Whether the table of a cell was not read at all (not found, or none of its cells read). */
function tableMissing(t: Tables | undefined, table: TableCell['table']): boolean {
  const values = !t ? null : table === '表二' ? t.t2 : table === '表三' ? t.t3?.flat() : t.t4;
  return !values || values.every((v) => v == null);
}
/** Why a report's table cell is unknown. */
const cellWhy = (t: Tables | undefined, c: TableCell) =>
  tableMissing(t, c.table) ? `未读到${c.table}或${c.table}无法读取` : '该单元格空白、无效或无法读取';

/** Sums without the float noise of decimal amounts (行政事业性收费, in 万元). */
const addUp = (xs: number[]) => Math.round(xs.reduce((a, b) => a + b, 0) * 10000) / 10000;
const some = (files: string[]) =>
  files.length > 3 ? `${files.slice(0, 3).join('、')} 等` : files.join('、');

/**
 * A year's sum of one cell over its readable reports: a number only when every report has the cell;
 * else "—" and a note saying how many reports it covers, why the others are left out, and what the
 * reports that have it add up to (which is not the year's total).
 */
export function cellTotal(rows: ReviewRow[], c: TableCell): { value: number | string; note?: string } {
  const known = rows.filter((r) => cellValue(r.tables, c) !== null);
  if (known.length === rows.length) return { value: addUp(known.map((r) => cellValue(r.tables, c)!)) };
  const left = rows.filter((r) => cellValue(r.tables, c) === null);
  const noTable = left.filter((r) => tableMissing(r.tables, c.table));
  const blank = left.filter((r) => !tableMissing(r.tables, c.table));
  const parts = [
    `合计不可用：${rows.length}份报告中只有${known.length}份读出该单元格`,
    blank.length ? `${blank.length}份该单元格空白、无效或无法读取（${some(blank.map((r) => r.file))}）` : '',
    noTable.length
      ? `${noTable.length}份未读到或无法读取${c.table}（${some(noTable.map((r) => r.file))}）`
      : '',
    known.length
      ? `已读出的${known.length}份之和为${addUp(known.map((r) => cellValue(r.tables, c)!))}，不是全部报告的合计`
      : '',
  ];
  return { value: '—', note: parts.filter(Boolean).join('；') };
}

function addTableSheets(wb: ExcelJS.Workbook, review: Review, link?: string): void {
  const read = review.rows.filter(wasChecked);
  const ws = addSheet(
    wb,
    '表二表三表四',
    TABLES_HEADERS,
    read.map((r) => [bodyLabel(r), r.year, r.file, ...TABLE_CELLS.map((c) => cellValue(r.tables, c) ?? '—')]),
    { fixedColumns: 3, printedColumns: 2, wide: true },
  );
  // Numbers are short: narrow columns under wrapped headers.
  TABLE_CELLS.forEach((_, j) => {
    ws.getColumn(4 + j).width = CELL_WIDTH;
  });
  read.forEach((r, i) =>
    TABLE_CELLS.forEach((c, j) => {
      if (cellValue(r.tables, c) === null) ws.getCell(i + 2, 4 + j).note = cellWhy(r.tables, c);
    }),
  );
  linkFiles(
    ws,
    3,
    read.map((r) => r.file),
    link,
  );

  // Of one body's reports of one year, only the one the review used is added up.
  const counted = countedRows(review).filter(wasChecked);
  const years = [...new Set(counted.map((r) => r.year))].sort((a, b) => (a ?? 0) - (b ?? 0));
  const totals = years.map((year) => {
    const of = counted.filter((r) => r.year === year);
    return { year, reports: of.length, cells: TABLE_CELLS.map((c) => cellTotal(of, c)) };
  });
  const sums = addSheet(
    wb,
    '表格合计',
    [
      ...TABLE_TOTAL_HEADERS,
      ...totals.map((t) => `${t.year === null ? '年度不明' : `${t.year}年`}（${t.reports}份）`),
    ],
    TABLE_CELLS.map((c, j) => [
      ...c.header.split('·').concat(['', '']).slice(0, 3),
      ...totals.map((t) => t.cells[j].value),
    ]),
    { fixedColumns: 3 },
  );
  totals.forEach((t, i) =>
    t.cells.forEach((c, j) => {
      if (c.note) sums.getCell(j + 2, 4 + i).note = xmlText(c.note);
    }),
  );
}

// ------------------------------------------------------------------ the other sheets

export const TOTAL_HEADERS = ['年度', '指标', '合计', '涵盖报告数', '报告数', '说明'];

/** The key figures summed per year, a row per figure, with the reports each sum covers. */
function totalRows(review: Review): Value[][] {
  return totalsByYear(countedRows(review)).flatMap((t) =>
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
  '变化较大的数字',
  '跨年度问题',
];
const JUMP_NOTE = '变化较大（增减至少50%且至少10），请核实';

export const HISTORY_HEADERS = [
  '机关',
  '年度',
  '文件',
  '状态',
  '错误',
  '警告',
  ...FIGURES.flatMap((f) => [`${f.table}${f.label}`, `${f.table}${f.label}较上年`]),
  '跨年度问题',
  '说明',
];

export const RANK_HEADERS = ['名次', '单位', '报告数', '年度', '错误', '警告', '提示', '无法读取', '完整度'];

/** A change as a cell: the signed number (shown +12 / −3 / 0), "—" when either year is unknown. */
const changeCell = (previous: number | null, current: number | null): number | string =>
  previous === null || current === null ? '—' : current - previous;

/** Marks the large changes of a change column: bold on amber, with a note. */
function markJump(cell: ExcelJS.Cell, jump: boolean): void {
  cell.numFmt = SIGNED_FORMAT;
  if (!jump) return;
  cell.font = { bold: true };
  cell.fill = fill(JUMP_FILL);
  cell.note = JUMP_NOTE;
}

function addPairSheet(wb: ExcelJS.Workbook, review: Review, link?: string): void {
  const ws = addSheet(
    wb,
    '跨年度对照',
    PAIR_HEADERS,
    review.pairs.map((p) => [
      p.body,
      p.previousYear,
      p.currentYear,
      p.previous,
      p.current,
      ...p.changes.flatMap((c) => [c.previous ?? '—', c.current ?? '—', changeCell(c.previous, c.current)]),
      p.changes
        .filter((c) => c.jump)
        .map((c) => `${c.label}（${signedChange(c.previous, c.current)}）`)
        .join('、'),
      p.findings.map((f) => f.message).join('；'),
    ]),
    { fixedColumns: 1 },
  );
  review.pairs.forEach((p, i) =>
    p.changes.forEach((c, j) => {
      const col = 6 + 3 * j;
      if (c.previous === null && c.why) ws.getCell(i + 2, col).note = xmlText(c.why);
      if (c.current === null && c.why) ws.getCell(i + 2, col + 1).note = xmlText(c.why);
      const change = ws.getCell(i + 2, col + 2);
      markJump(change, c.jump);
      if (c.why) change.note = xmlText(`无法对照（${c.why}）`);
    }),
  );
  linkFiles(
    ws,
    4,
    review.pairs.map((p) => p.previous),
    link,
  );
  linkFiles(
    ws,
    5,
    review.pairs.map((p) => p.current),
    link,
  );
}

function addHistorySheet(wb: ExcelJS.Workbook, review: Review, link?: string): void {
  const lines = histories(review).flatMap((h) =>
    h.years.map((y) => {
      const step = h.steps.find((s) => s.to === y.year);
      const before = h.years.some((x) => x.year < y.year);
      const notes = [
        !before
          ? ''
          : step
            ? step.why
              ? `与${step.from}年未能对照：${step.why}`
              : ''
            : `${y.year - 1}年无报告`,
        y.others.length ? `同年另有：${y.others.join('、')}（未用于对照）` : '',
      ].filter(Boolean);
      return { h, y, step, notes };
    }),
  );
  const ws = addSheet(
    wb,
    '历年情况',
    HISTORY_HEADERS,
    lines.map(({ h, y, step, notes }) => [
      h.body,
      y.year,
      y.file,
      STATUS_LABEL[y.status],
      y.counts.error,
      y.counts.warning,
      ...FIGURES.flatMap((f) => {
        const c = step?.pair?.changes.find((x) => x.key === f.key);
        return [y.figures[f.key] ?? '—', c ? changeCell(c.previous, c.current) : step ? '—' : null];
      }),
      step?.pair?.findings.map((f) => f.message).join('；') ?? '',
      notes.join('；'),
    ]),
    { fixedColumns: 2 },
  );
  lines.forEach(({ y, step }, i) => {
    ws.getCell(i + 2, 4).fill = fill(STATUS_FILL[y.status]);
    FIGURES.forEach((f, j) => {
      const cell = ws.getCell(i + 2, 8 + 2 * j);
      const c = step?.pair?.changes.find((x) => x.key === f.key);
      if (c) {
        markJump(cell, isJump(c.previous, c.current));
        if (c.why) cell.note = xmlText(`无法对照（${c.why}）`);
      } else if (step?.why) cell.note = xmlText(`未能与${step.from}年对照：${step.why}`);
      if (y.figures[f.key] === null) ws.getCell(i + 2, 7 + 2 * j).note = '该数字无法读取';
    });
  });
  linkFiles(
    ws,
    3,
    lines.map((l) => l.y.file),
    link,
  );
}

function addRankSheet(wb: ExcelJS.Workbook, review: Review): void {
  const units = ranking(review);
  const ws = addSheet(
    wb,
    '排名',
    RANK_HEADERS,
    units.map((u, i) => [
      i + 1,
      u.body,
      u.reports,
      u.years.map((y) => `${y}`).join('、'),
      u.errors,
      u.warnings,
      u.infos,
      u.unreadable,
      u.completeness ?? '—',
    ]),
    { fixedColumns: 2 },
  );
  ws.getCell(1, RANK_HEADERS.length).note = '各报告关键数字中能读出的比例';
  units.forEach((u, i) => {
    const cell = ws.getCell(i + 2, RANK_HEADERS.length);
    if (u.completeness === null) cell.note = '该单位的报告均无法读取';
    else cell.numFmt = '0%';
    if (u.errors) ws.getCell(i + 2, 5).fill = fill(STATUS_FILL.errors);
    if (u.warnings) ws.getCell(i + 2, 6).fill = fill(STATUS_FILL.warnings);
  });
}

export async function toXlsx(review: Review, options: XlsxOptions = {}): Promise<Buffer> {
  // Loaded only when a workbook is asked for (it takes a while to load).
  const { default: Excel } = await import('exceljs');
  const wb = new Excel.Workbook();
  wb.creator = 'nianbao';
  const link = options.path;

  const reports = addSheet(wb, '报告', REPORT_HEADERS, review.rows.map(reportCells), { fixedColumns: 1 });
  noteUnknown(
    reports,
    review.rows.map((r) => whysOf(r, FIGURES)),
    REPORT_HEADERS.indexOf(`${FIGURES[0].table}${FIGURES[0].label}`) + 1,
  );
  const statusColumn = REPORT_HEADERS.indexOf('状态') + 1;
  review.rows.forEach((r, i) => {
    reports.getCell(i + 2, statusColumn).fill = fill(STATUS_FILL[r.status]);
  });
  linkFiles(
    reports,
    1,
    review.rows.map((r) => r.file),
    link,
  );

  const issueRows = review.rows.flatMap((r) =>
    !wasChecked(r)
      ? [[r.file, '', null, r.status, STATUS_LABEL[r.status], '', r.reason ?? '', '']]
      : listedRows(r),
  );
  const issues = addSheet(wb, '问题', ISSUE_HEADERS, issueRows, { fixedColumns: 1 });
  issueRows.forEach((r, i) => {
    const argb = SEVERITY_FILL[String(r[4])];
    if (argb) issues.getCell(i + 2, 5).fill = fill(argb);
  });
  linkFiles(
    issues,
    1,
    issueRows.map((r) => r[0] as string),
    link,
  );

  addTableSheets(wb, review, link);
  addPairSheet(wb, review, link);
  addHistorySheet(wb, review, link);
  addRankSheet(wb, review);
  addSheet(wb, '关键数字合计', TOTAL_HEADERS, totalRows(review));
  const notes = notesRows(review.notes);
  if (notes.length) addSheet(wb, '对照说明', NOTES_HEADERS, notes);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** A report's rows of the 问题 sheet: its listed findings, and a line for those left out. */
function listedRows(r: ReviewRow): Value[][] {
  const { shown, more } = listedFindings(r);
  const rows: Value[][] = shown.map((f) => [
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
