// The review's summary model — a row per report, its key figures, the cross-year pairs — and
// its CSV form. The HTML page and the workbook are drawn from the same model, so every output
// shows the same numbers as the per-file JSON.
import {
  CROSS_YEAR_RULES,
  extensionOf,
  type JsonFinding,
  type JsonResult,
  RULES,
  type RuleCategory,
  T2_CELL,
  T3_COL,
  T3_ROW,
  T4_BLOCK,
  T4_COL,
  t4Cell,
} from '../../grammar/src/index.js';
import type { PairingNotes } from './notes.js';

const t3Total = (t: Tables, row: number) => t.t3?.[row]?.[T3_COL.TOTAL] ?? null;
const t4Total = (t: Tables, block: number) => t.t4?.[t4Cell(block, T4_COL.TOTAL)] ?? null;

/** unchecked: a file the batch stopped before (its time limit), never read. */
export type Status = 'clean' | 'warnings' | 'errors' | 'unreadable' | 'unchecked';
export const STATUS_LABEL: Record<Status, string> = {
  clean: '无问题',
  warnings: '有警告',
  errors: '有错误',
  unreadable: '无法读取',
  unchecked: '未检查',
};
/** Whether the file was read and checked (not unreadable, not left unchecked). */
export const wasChecked = (row: ReviewRow): boolean =>
  row.status !== 'unreadable' && row.status !== 'unchecked';
export const SEVERITY_TEXT: Record<string, string> = { error: '错误', warning: '警告', info: '提示' };

export type FigureKey =
  | 'made'
  | 'repealed'
  | 'inForce'
  | 'fresh'
  | 'carried'
  | 'handled'
  | 'next'
  | 'review'
  | 'direct'
  | 'afterReview';
export type Figures = Record<FigureKey, number | null>;

type Tables = JsonResult['tables'];
/** The sum of the cells; null (unknown) when any of them is: a blank or unreadable cell is never 0. */
const sumOf = (xs: Array<number | null | undefined>): number | null =>
  xs.every((x): x is number => typeof x === 'number') ? xs.reduce((a, b) => a + b, 0) : null;

/** The key figures, in display order, each with its label and where it comes from in the JSON tables. */
export const FIGURES: Array<{
  key: FigureKey;
  label: string;
  table: string;
  of: (t: Tables) => number | null;
}> = [
  {
    key: 'made',
    label: '本年制发',
    table: '表二',
    of: (t) => (t.t2 ? sumOf([t.t2[T2_CELL.REGULATIONS_ISSUED], t.t2[T2_CELL.NORMATIVE_ISSUED]]) : null),
  },
  {
    key: 'repealed',
    label: '本年废止',
    table: '表二',
    of: (t) => (t.t2 ? sumOf([t.t2[T2_CELL.REGULATIONS_REPEALED], t.t2[T2_CELL.NORMATIVE_REPEALED]]) : null),
  },
  {
    key: 'inForce',
    label: '现行有效',
    table: '表二',
    of: (t) => (t.t2 ? sumOf([t.t2[T2_CELL.REGULATIONS_IN_FORCE], t.t2[T2_CELL.NORMATIVE_IN_FORCE]]) : null),
  },
  { key: 'fresh', label: '本年新收', table: '表三', of: (t) => t3Total(t, T3_ROW.NEW_REQUESTS) },
  { key: 'carried', label: '上年结转', table: '表三', of: (t) => t3Total(t, T3_ROW.CARRIED_IN) },
  { key: 'handled', label: '办理结果总计', table: '表三', of: (t) => t3Total(t, T3_ROW.OUTCOME_TOTAL) },
  { key: 'next', label: '结转下年度', table: '表三', of: (t) => t3Total(t, T3_ROW.CARRIED_OUT) },
  { key: 'review', label: '行政复议总计', table: '表四', of: (t) => t4Total(t, T4_BLOCK.REVIEW) },
  { key: 'direct', label: '直接起诉总计', table: '表四', of: (t) => t4Total(t, T4_BLOCK.SUIT_DIRECT) },
  {
    key: 'afterReview',
    label: '复议后起诉总计',
    table: '表四',
    of: (t) => t4Total(t, T4_BLOCK.SUIT_AFTER_REVIEW),
  },
];

export interface ReviewRow {
  file: string;
  body: string | null;
  year: number | null;
  /** The file's extension without the dot (docx, pdf, txt…). */
  format: string;
  status: Status;
  counts: { error: number; warning: number; info: number };
  figures: Figures;
  /** Every finding, the cross-year ones included, in line order. */
  findings: JsonFinding[];
  /** Why the file could not be read, or was not checked (unreadable and unchecked only). */
  reason?: string;
  /** Why each unknown figure of a readable report is unknown (部分单元格无法读取, 未读到表四…). */
  unknown?: Partial<Record<FigureKey, string>>;
  /** The report's 表二, 表三 and 表四 as read (checked reports only). */
  tables?: Tables;
  /** Findings left out because a baseline file accepts them (已核实); absent when none. */
  accepted?: number;
}

export interface PairChange {
  key: FigureKey;
  label: string;
  previous: number | null;
  current: number | null;
  /** A change of at least 50% and at least 10. */
  jump: boolean;
  /** Why the two years could not be compared (a figure unknown on either side). */
  why?: string;
}

export interface ReviewPair {
  body: string;
  current: string;
  previous: string;
  currentYear: number | null;
  previousYear: number | null;
  changes: PairChange[];
  /** The cross-year findings on the current year's report. */
  findings: JsonFinding[];
}

export interface Review {
  rows: ReviewRow[];
  pairs: ReviewPair[];
  /** Duplicates, unpaired reports and the reviewer's list of bodies (see notes.ts). */
  notes?: PairingNotes;
}

/** The body column: the body, or 未识别标题 for a readable report without a title (never a guess). */
export function bodyLabel(row: ReviewRow): string {
  return row.body ?? (wasChecked(row) ? '未识别标题' : '');
}

export function figuresOf(result: JsonResult): Figures {
  return Object.fromEntries(FIGURES.map((f) => [f.key, f.of(result.tables)])) as Figures;
}

/** The reason shown for a figure added up from a cell that is blank, invalid or unreadable. */
export const UNREADABLE_CELLS = '部分单元格无法读取';

/** Why a figure taken from this table is unknown: the table not found, not read at all, or a cell of it. */
function unknownWhy(t: Tables, table: string): string {
  const values = table === '表二' ? t.t2 : table === '表三' ? t.t3?.flat() : t.t4;
  if (!values) return `未读到${table}`;
  return values.every((v) => v == null) ? `${table}无法读取` : UNREADABLE_CELLS;
}

/** The reason of each unknown figure of a checked report. */
export function unknownFiguresOf(result: JsonResult): Partial<Record<FigureKey, string>> {
  const out: Partial<Record<FigureKey, string>> = {};
  for (const f of FIGURES) if (f.of(result.tables) === null) out[f.key] = unknownWhy(result.tables, f.table);
  return out;
}

/** Why a readable report's figure is unknown; null when it is a number (or the file was not read). */
export function figureWhy(row: ReviewRow, key: FigureKey): string | null {
  if (!wasChecked(row) || row.figures[key] !== null) return null;
  return row.unknown?.[key] ?? UNREADABLE_CELLS;
}

/** A figure as a cell: the number, "—" when unknown, nothing for a file that could not be read. */
export function figureCell(row: ReviewRow, key: FigureKey): number | string | null {
  return wasChecked(row) ? (row.figures[key] ?? '—') : null;
}

/** The unknown figures of a report and why, grouped by reason ("表二本年制发、表二现行有效：部分单元格无法读取"). */
export function unknownNote(row: ReviewRow): string {
  const byWhy = new Map<string, string[]>();
  for (const f of FIGURES) {
    const why = figureWhy(row, f.key);
    if (why) byWhy.set(why, [...(byWhy.get(why) ?? []), `${f.table}${f.label}`]);
  }
  return [...byWhy].map(([why, labels]) => `${labels.join('、')}：${why}`).join('；');
}

/** Why a pair could not compare a figure: unknown in either year ("2024年部分单元格无法读取"). */
function pairWhy(current: ReviewRow, previous: ReviewRow, key: FigureKey): { why?: string } {
  const sides = [previous, current].flatMap((r) => {
    const why = figureWhy(r, key);
    return why ? [`${r.year ?? '?'}年${why}`] : [];
  });
  return sides.length ? { why: sides.join('，') } : {};
}

/** The figures a pair could not compare, with why. */
export const uncompared = (p: ReviewPair) => p.changes.filter((c) => c.why);

/**
 * How many of a report's findings a summary lists (the workbook's 问题 sheet, the page's details):
 * a report with thousands keeps its counts, and its first findings in line order, without making
 * the summary too large to open or send. The rest are in the report's own check.
 */
export const LISTED_FINDINGS = 200;

/** The findings a summary lists for a report, and how many it leaves out. */
export function listedFindings(r: { findings: JsonFinding[] }): { shown: JsonFinding[]; more: number } {
  return {
    shown: r.findings.slice(0, LISTED_FINDINGS),
    more: Math.max(0, r.findings.length - LISTED_FINDINGS),
  };
}

/** The line a summary gives for the findings it leaves out. */
export const moreFindings = (more: number) => `另有 ${more} 条问题未列出，请单独检查该报告查看全部问题`;

export function statusOf(findings: JsonFinding[]): Status {
  if (findings.some((f) => f.severity === 'error')) return 'errors';
  if (findings.some((f) => f.severity === 'warning')) return 'warnings';
  return 'clean';
}

export function rowOf(result: JsonResult, body: string | null): ReviewRow {
  const counts = { error: 0, warning: 0, info: 0 };
  for (const f of result.findings)
    counts[f.severity === 'error' ? 'error' : f.severity === 'warning' ? 'warning' : 'info']++;
  return {
    file: result.file,
    body,
    year: result.year,
    format: extensionOf(result.file).slice(1),
    status: statusOf(result.findings),
    counts,
    figures: figuresOf(result),
    findings: result.findings,
    unknown: unknownFiguresOf(result),
    tables: result.tables,
    ...(result.accepted ? { accepted: result.accepted } : {}),
  };
}

/** The row of a file that could not be read, or (unchecked) that the batch stopped before. */
export function unreadableRow(
  file: string,
  reason: string,
  status: 'unreadable' | 'unchecked' = 'unreadable',
): ReviewRow {
  return {
    file,
    body: null,
    year: null,
    format: extensionOf(file).slice(1),
    status,
    counts: { error: 0, warning: 0, info: 0 },
    figures: Object.fromEntries(FIGURES.map((f) => [f.key, null])) as Figures,
    findings: [],
    reason,
  };
}

/** Whether a change between two years is large: at least 50% and at least 10. */
export function isJump(previous: number | null, current: number | null): boolean {
  if (previous === null || current === null) return false;
  const d = Math.abs(current - previous);
  return d >= 10 && (previous === 0 || d / Math.abs(previous) >= 0.5);
}

export function pairOf(current: ReviewRow, previous: ReviewRow, findings: JsonFinding[]): ReviewPair {
  return {
    body: current.body ?? previous.body ?? '',
    current: current.file,
    previous: previous.file,
    currentYear: current.year,
    previousYear: previous.year,
    changes: FIGURES.map((f) => ({
      key: f.key,
      label: `${f.table}${f.label}`,
      previous: previous.figures[f.key],
      current: current.figures[f.key],
      jump: isJump(previous.figures[f.key], current.figures[f.key]),
      ...pairWhy(current, previous, f.key),
    })),
    findings,
  };
}

export interface YearTotal {
  year: number | null;
  /** The readable reports of the year. */
  reports: number;
  /** Each figure summed over the reports where it is known (null: known in none). */
  figures: Figures;
  /** How many reports each sum covers; the rest are left out (a figure unknown). */
  covered: Record<FigureKey, number>;
  /** Of those left out, how many had the figure's table not found or not read at all. */
  missingTable: Record<FigureKey, number>;
}

/**
 * The rows a year's sums add up: of several reports of one body and year (the same report sent as
 * .docx and .pdf, or sent again), only the one the review used, so no report is counted twice.
 */
export function countedRows(review: Review): ReviewRow[] {
  const others = new Set(review.notes?.duplicates.flatMap((d) => d.others) ?? []);
  return others.size ? review.rows.filter((r) => !others.has(r.file)) : review.rows;
}

/**
 * The key figures summed over the readable reports of each year (year null: the year unknown).
 * A report whose figure is unknown is left out of that figure's sum, never added as 0.
 */
export function totalsByYear(rows: ReviewRow[]): YearTotal[] {
  const years = [...new Set(rows.filter(wasChecked).map((r) => r.year))].sort((a, b) => (a ?? 0) - (b ?? 0));
  return years.map((year) => {
    const of = rows.filter((r) => wasChecked(r) && r.year === year);
    const per = <T>(fn: (key: FigureKey) => T) =>
      Object.fromEntries(FIGURES.map((f) => [f.key, fn(f.key)])) as Record<FigureKey, T>;
    const known = (key: FigureKey) => of.map((r) => r.figures[key]).filter((v): v is number => v !== null);
    return {
      year,
      reports: of.length,
      figures: per((key) => (known(key).length ? sumOf(known(key)) : null)),
      covered: per((key) => known(key).length),
      missingTable: per(
        (key) =>
          of.filter((r) => figureWhy(r, key) !== null && figureWhy(r, key) !== UNREADABLE_CELLS).length,
      ),
    };
  });
}

/** What a year's sum covers when some reports are left out ("12份中的11份；1份有无法读取的单元格"); null when all. */
export function coverageNote(t: YearTotal, key: FigureKey): string | null {
  const left = t.reports - t.covered[key];
  if (!left) return null;
  const cells = left - t.missingTable[key];
  return [
    `${t.reports}份中的${t.covered[key]}份`,
    cells ? `${cells}份有无法读取的单元格` : '',
    t.missingTable[key] ? `${t.missingTable[key]}份未读到或无法读取该表` : '',
  ]
    .filter(Boolean)
    .join('；');
}

/**
 * Findings per rule over the whole review, most frequent first; the proofreading family (文字,
 * category language) after the template's rules, so a page or sheet can show it apart.
 */
export function findingsByRule(
  rows: ReviewRow[],
): Array<{ ruleId: string; title: string; count: number; category: RuleCategory | null }> {
  const counts = new Map<string, number>();
  for (const r of rows) for (const f of r.findings) counts.set(f.ruleId, (counts.get(f.ruleId) ?? 0) + 1);
  const language = (c: RuleCategory | null) => (c === 'language' ? 1 : 0);
  return [...counts]
    .map(([ruleId, count]) => ({ ruleId, title: ruleTitle(ruleId), count, category: ruleCategory(ruleId) }))
    .sort(
      (a, b) =>
        language(a.category) - language(b.category) || b.count - a.count || a.ruleId.localeCompare(b.ruleId),
    );
}

/** A rule's category (language: the proofreading family, 文字), or null for an unknown id. */
export function ruleCategory(ruleId: string): RuleCategory | null {
  return [...RULES, ...CROSS_YEAR_RULES].find((r) => r.id === ruleId)?.category ?? null;
}

export function ruleTitle(ruleId: string): string {
  return [...RULES, ...CROSS_YEAR_RULES].find((r) => r.id === ruleId)?.title ?? ruleId;
}

/**
 * Where a finding is: the original's own location when known (第2个表格 第5行, 第3段), which a
 * reader finds in the document; else 第N行 of the text.
 */
export function locationOf(f: JsonFinding): string {
  return f.where ?? `第${f.line}行`;
}

/** The repair a finding offers, as its title (the certain fix, else the first suggestion). */
export function fixTitleOf(f: JsonFinding): string {
  return f.fix?.title ?? f.suggestions?.[0]?.title ?? '';
}

/** The first findings of a report in one line (errors first). */
export function firstFindings(row: ReviewRow, n = 3): string {
  if (!wasChecked(row)) return row.reason ?? '';
  const rank: Record<string, number> = { error: 0, warning: 1, info: 2 };
  return [...row.findings]
    .sort((a, b) => (rank[a.severity] ?? 3) - (rank[b.severity] ?? 3) || a.line - b.line)
    .slice(0, n)
    .map((f) => f.message)
    .join('；');
}

/** The columns of the per-report table, shared by the CSV, the workbook and the page. */
export const REPORT_HEADERS = [
  '文件',
  '机关',
  '年度',
  '格式',
  '状态',
  '错误',
  '警告',
  '提示',
  ...FIGURES.map((f) => `${f.table}${f.label}`),
  '主要问题',
  '无法读取的数字',
  '已核实',
];

export function reportCells(row: ReviewRow): Array<string | number | null> {
  return [
    row.file,
    bodyLabel(row),
    row.year,
    row.format,
    STATUS_LABEL[row.status],
    row.counts.error,
    row.counts.warning,
    row.counts.info,
    ...FIGURES.map((f) => figureCell(row, f.key)),
    firstFindings(row),
    unknownNote(row),
    // Findings a baseline file accepts (已核实): counted apart, not listed.
    wasChecked(row) ? (row.accepted ?? 0) : null,
  ];
}

/**
 * A text a spreadsheet would run as a formula (it starts with = + - @, TAB or CR: OWASP's rule) gets
 * a leading apostrophe, so a file name such as `=HYPERLINK(…)` is shown as text and never becomes a
 * link. Numbers are written as numbers.
 */
export const spreadsheetText = (s: string): string => (/^[=+\-@\t\r]/.test(s) ? `'${s}` : s);

const csvCell = (v: string | number | null) => {
  if (v === null) return '';
  const s = typeof v === 'number' ? String(v) : spreadsheetText(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** UTF-8 with a BOM (so Excel reads the Chinese), CRLF, a header row and a row per report. */
export function toCsv(review: Review): string {
  const lines = [REPORT_HEADERS, ...review.rows.map(reportCells)].map((r) => r.map(csvCell).join(','));
  return `\ufeff${lines.join('\r\n')}\r\n`;
}
