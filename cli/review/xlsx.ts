// The review as an Excel workbook: 报告 (a row per report), 问题 (a row per finding) and
// 表三表四 (the figures of tables 3 and 4 per body), each with a frozen header row, an
// autofilter and columns wide enough for Chinese text.
import ExcelJS from 'exceljs';
import {
  FIGURES,
  fixTitleOf,
  locationOf,
  REPORT_HEADERS,
  type Review,
  reportCells,
  SEVERITY_TEXT,
} from './summary.js';

/** Display width of a cell's text: CJK and other wide characters count as 2. */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    w +=
      (c >= 0x1100 && c <= 0x115f) ||
      (c >= 0x2e80 && c <= 0xa4cf) ||
      (c >= 0xac00 && c <= 0xd7a3) ||
      (c >= 0xf900 && c <= 0xfaff) ||
      (c >= 0xfe30 && c <= 0xfe4f) ||
      (c >= 0xff00 && c <= 0xff60) ||
      (c >= 0xffe0 && c <= 0xffe6) ||
      c >= 0x20000
        ? 2
        : 1;
  }
  return w;
}

function addSheet(
  wb: ExcelJS.Workbook,
  name: string,
  headers: string[],
  rows: Array<Array<string | number | null>>,
) {
  const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.addRow(headers);
  ws.getRow(1).font = { bold: true };
  for (const r of rows) ws.addRow(r.map((v) => (v === null ? null : v)));
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: headers.length } };
  headers.forEach((h, i) => {
    let w = displayWidth(h) + 4; // room for the filter button
    for (const r of rows) w = Math.max(w, displayWidth(r[i] === null ? '' : String(r[i])) + 2);
    ws.getColumn(i + 1).width = Math.min(w, 80);
  });
  return ws;
}

export const ISSUE_HEADERS = ['文件', '机关', '年度', '规则', '级别', '位置', '说明', '建议修改'];
const T34 = FIGURES.filter((f) => f.table !== '表二');
export const T34_HEADERS = ['机关', '年度', '文件', ...T34.map((f) => `${f.table}${f.label}`)];

export async function toXlsx(review: Review): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'nianbao';
  addSheet(wb, '报告', REPORT_HEADERS, review.rows.map(reportCells));
  addSheet(
    wb,
    '问题',
    ISSUE_HEADERS,
    review.rows.flatMap((r) =>
      r.status === 'unreadable'
        ? [[r.file, '', null, 'unreadable', '错误', '', r.reason ?? '', '']]
        : r.findings.map((f) => [
            r.file,
            r.body ?? '',
            r.year,
            f.ruleId,
            SEVERITY_TEXT[f.severity] ?? f.severity,
            locationOf(f),
            f.message,
            fixTitleOf(f),
          ]),
    ),
  );
  addSheet(
    wb,
    '表三表四',
    T34_HEADERS,
    review.rows
      .filter((r) => r.status !== 'unreadable')
      .map((r) => [r.body ?? '', r.year, r.file, ...T34.map((f) => r.figures[f.key])]),
  );
  return Buffer.from(await wb.xlsx.writeBuffer());
}
