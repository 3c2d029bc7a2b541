// Scores the checker on produced files: reads each file as the command line does, checks it, and
// compares the JSON contract's tables and findings with what the report holds and what was planted.
import {
  check,
  type JsonFinding,
  type JsonResult,
  readReportAsync,
  toJSON,
} from '../../grammar/src/index.js';
import { cellName, type SectionId, T2_ROWS, T3_ROWS, T4_BLOCK_NAMES } from '../../grammar/src/template.js';
import type { Produced } from './producers.js';
import {
  type Expected,
  type ExpectedWarnings,
  expectedCells,
  expectedWarnings,
  type MatrixReport,
  type Target,
} from './reports.js';

export interface FileScore {
  producer: string;
  variant: string;
  file: string;
  cellsRight: number;
  cellsTotal: number;
  /** Cells read wrong: `t3[4][2]: 读出 5，应为 空`. */
  wrongCells: string[];
  /** The planted error (null for a clean report) and whether it was found at its place. */
  expected: Expected | null;
  found: boolean;
  falseErrors: JsonFinding[];
  unexpectedWarnings: JsonFinding[];
  /** The reader refused the file. */
  readError?: string;
  /** The text the checker saw (for looking into failures). */
  text?: string;
  json?: JsonResult;
}

const show = (v: number | null | undefined) => (v === null || v === undefined ? '空' : String(v));

function compareCells(
  json: JsonResult | null,
  report: MatrixReport,
): { right: number; total: number; wrong: string[] } {
  const want = expectedCells(report);
  let right = 0,
    total = 0;
  const wrong: string[] = [];
  const one = (id: string, got: number | null | undefined, exp: number | null, tableRead: boolean) => {
    total++;
    if (tableRead && (got ?? null) === exp) right++;
    else wrong.push(`${id}: 读出 ${tableRead ? show(got) : '（表格未读出）'}，应为 ${show(exp)}`);
  };
  const t = json?.tables;
  want.t2.forEach((v, i) => one(`t2[${i}]`, t?.t2?.[i], v, !!t?.t2));
  want.t3.forEach((row, r) => row.forEach((v, c) => one(`t3[${r}][${c}]`, t?.t3?.[r]?.[c], v, !!t?.t3)));
  want.t4.forEach((v, i) => one(`t4[${i}]`, t?.t4?.[i], v, !!t?.t4));
  return { right, total, wrong };
}

/** Does a finding land on the target? By the row, block or heading its message names, or by where it is. */
function lands(f: JsonFinding, target: Target, json: JsonResult): boolean {
  switch (target.kind) {
    case 't3-row': {
      return f.message.includes(`“${T3_ROWS[target.row].label}”`);
    }
    case 't4-block':
      return f.message.includes(`“${T4_BLOCK_NAMES[target.block]}”`);
    case 'section': {
      const s = json.sections.find((x) => x.id === target.section);
      return !!s && (f.line === s.line || f.message.includes(s.heading));
    }
    case 'report':
      return true;
    case 'prose':
      return f.message.includes(target.text);
    case 'cell':
      return f.message.includes(
        target.table === 't2' ? cellName('t2', target.index) : cellName('t3', target.index, target.col),
      );
  }
}

/** Is a warning one the clean report legitimately gets (a blank cell, a heading in its own wording)? */
function expectedWarning(f: JsonFinding, w: ExpectedWarnings, json: JsonResult): boolean {
  if (f.ruleId === 'section-heading') {
    return w.headings.some((id: SectionId) => {
      const s = json.sections.find((x) => x.id === id);
      return !!s && (f.line === s.line || f.message.includes(s.heading));
    });
  }
  if (f.ruleId === 'cell-blank') {
    // Labels may hold quotes themselves (3.危及“三安全一稳定”), so look for the whole quoted label.
    const names = (label: string) => f.message.includes(`“${label}”`);
    if (f.message.startsWith('表二')) {
      return T2_ROWS.some(
        (r) => names(r.label) && w.blanks.t2.some((i) => i >= r.offset && i < r.offset + r.cells),
      );
    }
    if (f.message.startsWith('表三')) {
      return T3_ROWS.some((r) => names(r.label) && w.blanks.t3.some(([row]) => row === r.index));
    }
    if (f.message.startsWith('表四')) {
      return T4_BLOCK_NAMES.some((b, i) => names(b) && w.blanks.t4.some((k) => Math.floor(k / 5) === i));
    }
    return false;
  }
  return false;
}

/** Reads, checks and scores one produced file. */
export async function scoreFile(p: Produced, keepText = false): Promise<FileScore> {
  const { producer, variant, file } = p;
  const base = { producer: producer.id, variant: variant.id, file, expected: variant.expected };
  let text: string, where: ((line: number) => string | undefined) | undefined;
  try {
    const read = await readReportAsync(p.bytes, file);
    text = read.text;
    where = read.where;
  } catch (e) {
    const cells = compareCells(null, variant.report);
    return {
      ...base,
      cellsRight: 0,
      cellsTotal: cells.total,
      wrongCells: cells.wrong,
      found: false,
      falseErrors: [],
      unexpectedWarnings: [],
      readError: e instanceof Error ? e.message : String(e),
    };
  }
  const json = toJSON(file, check(text), where);
  const cells = compareCells(json, variant.report);
  const warnings = expectedWarnings(variant.report);
  const exp = variant.expected;
  const planted = (f: JsonFinding) => !!exp && f.ruleId === exp.ruleId && lands(f, exp.target, json);
  const found = !!exp && json.findings.some(planted);
  const falseErrors = json.findings.filter((f) => f.severity === 'error' && !planted(f));
  const unexpectedWarnings = json.findings.filter(
    (f) => f.severity === 'warning' && !planted(f) && !expectedWarning(f, warnings, json),
  );
  return {
    ...base,
    cellsRight: cells.right,
    cellsTotal: cells.total,
    wrongCells: cells.wrong,
    found,
    falseErrors,
    unexpectedWarnings,
    ...(keepText ? { text, json } : {}),
  };
}

export async function scoreAll(files: Produced[], keepText = false): Promise<FileScore[]> {
  const out: FileScore[] = [];
  for (const f of files) out.push(await scoreFile(f, keepText));
  return out;
}

// ------------------------------------------------------------------ the matrix

export interface MatrixRow {
  producer: string;
  files: number;
  cellsPct: number;
  recallPct: number;
  /** Error findings that are not the planted error, over all files. */
  falseErrors: number;
  unexpectedWarnings: number;
  /** Files the reader refused. */
  unreadable: number;
  /** Files with every cell right, the planted error found and no false error. */
  passing: number;
}

export function matrix(scores: FileScore[]): MatrixRow[] {
  const ids = [...new Set(scores.map((s) => s.producer))];
  return ids.map((producer) => {
    const xs = scores.filter((s) => s.producer === producer);
    const cells = xs.reduce((a, s) => a + s.cellsRight, 0),
      total = xs.reduce((a, s) => a + s.cellsTotal, 0);
    const planted = xs.filter((s) => s.expected);
    return {
      producer,
      files: xs.length,
      cellsPct: total ? (100 * cells) / total : 0,
      recallPct: planted.length ? (100 * planted.filter((s) => s.found).length) / planted.length : 100,
      falseErrors: xs.reduce((a, s) => a + s.falseErrors.length, 0),
      unexpectedWarnings: xs.reduce((a, s) => a + s.unexpectedWarnings.length, 0),
      unreadable: xs.filter((s) => s.readError).length,
      passing: xs.filter(passes).length,
    };
  });
}

/** A file passes: every cell right, the planted error (if any) found, no other error. */
export const passes = (s: FileScore) =>
  !s.readError && s.cellsRight === s.cellsTotal && (!s.expected || s.found) && s.falseErrors.length === 0;

const pad = (s: string, n: number) =>
  s + ' '.repeat(Math.max(0, n - [...s].reduce((w, ch) => w + (/[\u1100-\uffff]/.test(ch) ? 2 : 1), 0)));
const lpad = (s: string, n: number) => ' '.repeat(Math.max(0, n - s.length)) + s;

/** The matrix as a text table: producer × cells right × recall × false errors × unexpected warnings. */
export function formatMatrix(rows: MatrixRow[]): string {
  const head = `${pad('生成方式', 20)}${lpad('文件', 5)}${lpad('单元格正确', 12)}${lpad('查出率', 9)}${lpad('误报错误', 10)}${lpad('意外警告', 10)}${lpad('无法读取', 10)}${lpad('通过', 6)}`;
  const lines = rows.map(
    (r) =>
      `${pad(r.producer, 20)}${lpad(String(r.files), 5)}${lpad(r.cellsPct.toFixed(1) + '%', 12)}${lpad(r.recallPct.toFixed(0) + '%', 9)}${lpad(String(r.falseErrors), 10)}${lpad(String(r.unexpectedWarnings), 10)}${lpad(String(r.unreadable), 10)}${lpad(`${r.passing}/${r.files}`, 6)}`,
  );
  return [head, '-'.repeat(86), ...lines].join('\n');
}

/** Why a producer fails, in short: the most frequent false errors, missed plants and wrong cells. */
export function explain(scores: FileScore[], producer: string, limit = 6): string[] {
  const xs = scores.filter((s) => s.producer === producer);
  const out: string[] = [];
  const unreadable = xs.filter((s) => s.readError);
  if (unreadable.length) out.push(`无法读取 ${unreadable.length} 个：${unreadable[0].readError}`);
  const count = (items: string[]) => {
    const m = new Map<string, number>();
    for (const i of items) m.set(i, (m.get(i) ?? 0) + 1);
    return [...m].sort((a, b) => b[1] - a[1]);
  };
  for (const [rule, n] of count(xs.flatMap((s) => s.falseErrors.map((f) => f.ruleId))).slice(0, limit)) {
    const sample = xs.flatMap((s) => s.falseErrors).find((f) => f.ruleId === rule)!;
    out.push(`误报 ${rule} ×${n}，如：${sample.message}`);
  }
  const missed = xs.filter((s) => s.expected && !s.found);
  if (missed.length) out.push(`漏查 ${missed.length} 个：${missed.map((s) => s.variant).join('、')}`);
  const wrong = xs.filter((s) => s.cellsRight < s.cellsTotal);
  if (wrong.length)
    out.push(
      `单元格读错的文件 ${wrong.length} 个，如 ${wrong[0].variant}：${wrong[0].wrongCells.slice(0, 4).join('；')}`,
    );
  for (const [rule, n] of count(xs.flatMap((s) => s.unexpectedWarnings.map((f) => f.ruleId))).slice(0, 3)) {
    const sample = xs.flatMap((s) => s.unexpectedWarnings).find((f) => f.ruleId === rule)!;
    out.push(`意外警告 ${rule} ×${n}，如：${sample.message}`);
  }
  return out;
}
