// One report checked for the bot: read the bytes (any supported format), check, and prepare what
// the reply needs — the contract's JSON, each finding's location and category, the corrected text
// when there are fixes. Runs in a worker thread (worker.ts) so a long check never delays the
// acknowledgement of other events. Pure core calls: no SDK, no network.
import path from 'node:path';
import {
  check,
  compatibleFixes,
  DEFAULT_LIMITS,
  fixAll,
  fixDocx,
  type JsonResult,
  locate,
  looksLikeReport,
  ReadError,
  RULES,
  type RuleCategory,
  readReportAsync,
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

/** The corrected report: the .docx itself where the fixes could be written into it, else text. */
export interface Corrected {
  fileName: string;
  bytes: Uint8Array;
  applied: number;
  skipped: number;
}

export interface CheckedFinding {
  category: RuleCategory;
  location: string;
  fixTitle?: string;
}

export type CheckOutcome =
  | { ok: true; result: JsonResult; found: CheckedFinding[]; corrected?: Corrected }
  | { ok: false; reason: 'unreadable' | 'not-a-report'; message: string };

const CATEGORY = new Map(RULES.map((r) => [r.id, r.category]));
const TEXT_EXT = new Set(['.txt', '.md', '.markdown']);

export async function checkReport(task: CheckTask): Promise<CheckOutcome> {
  let text: string;
  let where: ((line: number) => string | undefined) | undefined;
  if (task.text != null) text = task.text;
  else {
    try {
      const read = await readReportAsync(task.bytes!, task.fileName, {
        maxBytes: task.maxBytes,
        timeoutMs: task.timeoutMs,
      });
      text = read.text;
      where = read.where;
    } catch (e) {
      if (e instanceof ReadError) return { ok: false, reason: 'unreadable', message: e.message };
      return {
        ok: false,
        reason: 'unreadable',
        message: `无法读取“${task.fileName}”：文件已损坏或格式不受支持`,
      };
    }
  }
  const checked = check(text);
  if (!looksLikeReport(checked.report)) {
    return {
      ok: false,
      reason: 'not-a-report',
      message: `“${task.fileName}”看起来不是政府信息公开工作年度报告：没有找到报告的章节标题（如“一、总体情况”）和统计表。`,
    };
  }
  const result = toJSON(task.fileName, checked, where);
  const found = checked.findings.map((f) => ({
    category: CATEGORY.get(f.ruleId) ?? 'structure',
    location: locate(checked.report, f.range),
    ...(f.fix ? { fixTitle: f.fix.title } : {}),
  }));
  let corrected: Corrected | undefined;
  const fixes = compatibleFixes(checked.findings);
  if (fixes.length) {
    const ext = path.extname(task.fileName).toLowerCase();
    const base = path.basename(task.fileName, path.extname(task.fileName)) || '年报';
    if (ext === '.docx' && task.bytes) {
      const fixed = fixDocx(task.bytes, fixes, DEFAULT_LIMITS);
      if (fixed.applied)
        corrected = {
          fileName: `${base}（已修正）.docx`,
          bytes: fixed.bytes,
          applied: fixed.applied,
          skipped: fixed.skipped,
        };
    }
    if (!corrected) {
      const fileName = TEXT_EXT.has(ext) ? `${base}（已修正）${ext}` : `${base}（已修正文本）.txt`;
      corrected = {
        fileName,
        bytes: new TextEncoder().encode(fixAll(text)),
        applied: fixes.length,
        skipped: 0,
      };
    }
  }
  return { ok: true, result, found, ...(corrected ? { corrected } : {}) };
}
