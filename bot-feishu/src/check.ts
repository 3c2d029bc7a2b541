// One report checked for the bot: read the bytes (any supported format), check, and prepare what
// the reply needs — the contract's JSON, each finding's location and category, the corrected text
// when there are fixes. Runs in a worker thread (worker.ts) so a long check never delays the
// acknowledgement of other events. Pure core calls: no SDK, no network.
import path from 'node:path';
import {
  CROSS_YEAR_RULES,
  check,
  fixFile,
  type JsonResult,
  locate,
  looksLikeReport,
  type Range,
  ReadError,
  type ReadResult,
  type Report,
  RULES,
  type RuleCategory,
  readReportAsync,
  T3_COLUMNS,
  T3_ROW,
  T3_ROWS,
  T4_BLOCK_NAMES,
  T4_BLOCK_SIZE,
  T4_COLUMNS,
  toJSON,
} from '../../grammar/src/index.js';

export interface CheckTask {
  /** The file's bytes, or the pasted text. */
  bytes?: Uint8Array;
  text?: string;
  fileName: string;
  maxBytes: number;
  timeoutMs: number;
}

/**
 * What goes back to the sender: the report itself corrected in its own format ('file': a .docx
 * with the fixes written into it, a text file rewritten), or — for formats nothing can be written
 * into, or a Word file the fixes could not be written into — the corrected text ('text').
 */
export interface Corrected {
  kind: 'file' | 'text';
  fileName: string;
  bytes: Uint8Array;
  /** Fixes written into the file ('file') or applied to the text ('text'). */
  applied: number;
  /** Fixes that could not be written into the Word file. */
  skipped: number;
  /** Why the file itself could not be corrected (Chinese), for 'text'. */
  refused?: string;
}

export interface CheckedFinding {
  category: RuleCategory;
  location: string;
  fixTitle?: string;
}

/** A row of the key-figure tables: the standard label, the label as written when it differs, the values. */
export interface FigureRow {
  label: string;
  written?: string;
  values: Array<number | null>;
}

/** 表三's key rows by column and 表四's three blocks, as the card's tables show them. */
export interface KeyFigures {
  t3?: { columns: readonly string[]; rows: FigureRow[] };
  t4?: { columns: readonly string[]; rows: FigureRow[] };
}

export type CheckOutcome =
  | {
      ok: true;
      result: JsonResult;
      found: CheckedFinding[];
      figures: KeyFigures;
      /** Whether fixes are written into the file itself (.docx and text files, unless the Word file refused them). */
      writable: boolean;
      corrected?: Corrected;
    }
  | { ok: false; reason: 'unreadable' | 'not-a-report'; message: string };

const CATEGORY = new Map([...RULES, ...CROSS_YEAR_RULES].map((r) => [r.id, r.category]));

/** The text of a task: pasted, or read from the file. */
async function readTask(task: CheckTask): Promise<ReadResult | { error: string }> {
  if (task.text != null) return { text: task.text, format: 'text', where: () => undefined };
  try {
    return await readReportAsync(task.bytes!, task.fileName, {
      maxBytes: task.maxBytes,
      timeoutMs: task.timeoutMs,
    });
  } catch (e) {
    if (e instanceof ReadError) return { error: e.message };
    return { error: `无法读取“${task.fileName}”：文件已损坏或格式不受支持` };
  }
}

export async function checkReport(task: CheckTask): Promise<CheckOutcome> {
  const read = await readTask(task);
  if ('error' in read) return { ok: false, reason: 'unreadable', message: read.error };
  const checked = check(read.text, { source: read.format });
  if (!looksLikeReport(checked.report)) {
    return {
      ok: false,
      reason: 'not-a-report',
      message: `“${task.fileName}”看起来不是政府信息公开工作年度报告：没有找到报告的章节标题（如“一、总体情况”）和统计表。`,
    };
  }
  const result = toJSON(task.fileName, checked, read.where);
  const found = checked.findings.map((f) => ({
    category: CATEGORY.get(f.ruleId) ?? 'structure',
    location: locateWritten(checked.report, f.range),
    ...(f.fix ? { fixTitle: f.fix.title } : {}),
  }));
  const bytes = task.bytes ?? new TextEncoder().encode(read.text);
  const fixed = fixFile({ bytes, text: read.text, format: read.format });
  const corrected = correctedFile(task.fileName, fixed);
  return {
    ok: true,
    result,
    found,
    figures: keyFigures(checked.report),
    writable: fixed.writeBack !== null && !fixed.refused,
    ...(corrected ? { corrected } : {}),
  };
}

const TEXT_EXT = new Set(['.txt', '.md', '.markdown', '.text']);

/** The file to send back: the corrected file itself, else the corrected text; none without fixes. */
function correctedFile(fileName: string, fixed: ReturnType<typeof fixFile>): Corrected | undefined {
  const ext = path.extname(fileName).toLowerCase();
  const base = path.basename(fileName, path.extname(fileName)) || '年报';
  if (fixed.bytes) {
    const name =
      fixed.writeBack === 'docx' || TEXT_EXT.has(ext) ? `${base}（已修正）${ext}` : `${base}（已修正）.txt`;
    return {
      kind: 'file',
      fileName: name,
      bytes: fixed.bytes,
      applied: fixed.applied,
      skipped: fixed.skipped,
    };
  }
  if (!fixed.refused) return undefined;
  return {
    kind: 'text',
    fileName: `${base}（已修正文本）.txt`,
    bytes: new TextEncoder().encode(fixed.text),
    applied: fixed.applied + fixed.skipped,
    skipped: fixed.skipped,
    refused: fixed.refused,
  };
}

/** The finding's place in the template's words, with the report's own row label where it differs. */
function locateWritten(report: Report, range: Range): string {
  const place = locate(report, range);
  for (const id of ['t2', 't3'] as const) {
    const row = report.tables[id]?.rows.find(
      (r) => r && range.start >= r.block.start && range.start < r.block.end,
    );
    if (row && row.label.trim() !== row.spec.label) return `${place}（报告中写作“${row.label.trim()}”）`;
  }
  return place;
}

const T3_KEY_ROWS = [T3_ROW.NEW_REQUESTS, T3_ROW.CARRIED_IN, T3_ROW.OUTCOME_TOTAL, T3_ROW.CARRIED_OUT];

function keyFigures(report: Report): KeyFigures {
  const figures: KeyFigures = {};
  const t3 = report.tables.t3;
  if (t3) {
    const values = t3.values;
    figures.t3 = {
      columns: T3_COLUMNS,
      rows: T3_KEY_ROWS.map((i) => {
        const written = t3.rows[i]?.label.trim();
        return {
          label: T3_ROWS[i].label,
          ...(written && written !== T3_ROWS[i].label ? { written } : {}),
          values: values[i] ?? T3_COLUMNS.map(() => null),
        };
      }),
    };
  }
  const t4 = report.tables.t4;
  if (t4) {
    const values = t4.values;
    figures.t4 = {
      columns: T4_COLUMNS,
      rows: T4_BLOCK_NAMES.map((label, b) => ({
        label,
        values: T4_COLUMNS.map((_, c) => values[b * T4_BLOCK_SIZE + c] ?? null),
      })),
    };
  }
  return figures;
}
