// The checking core: text → model → rules → findings with fixes as data.
import { parseConfig, resolveSeverity, type Config } from './config.js';
import type { Edit, Finding, Fix, Report } from './model.js';
import { parse } from './parse.js';
import { RULES } from '../rules/index.js';
import type { LineIndex } from './text.js';

export { RULES } from '../rules/index.js';
export { SEVERITY_LABEL, type Rule, type RuleCategory } from './rule.js';
export { parse } from './parse.js';
export { suggestions, hoverAt, outline, looksLikeReport, locate, type Suggestion, type HoverInfo, type OutlineNode } from './assist.js';
export { parseConfig, resolveSeverity, ConfigError, type Config } from './config.js';
export * from './model.js';
export * from './template.js';
export { LineIndex } from './text.js';
export { blankReport, blankReportParts, blankRows, blankTable, prevailingLayout, type BlankPart, type TableLayout } from './blank.js';
export { fixDocx, type DocxFixResult } from './write-docx.js';
export { readReport, readReportAsync, tooLarge, decodeText, ReadError, DEFAULT_LIMITS, type ReadResult, type ReadLimits } from './read.js';

export interface CheckOptions { year?: number; config?: Config }
export interface CheckResult { report: Report; findings: Finding[]; lines: LineIndex }

/** Checks a report. Never throws: unreadable text yields findings, not exceptions. */
export function check(text: string, options: CheckOptions = {}): CheckResult {
  const report = parse(text, { year: options.year });
  const ctx = { report, lines: report.lines };
  const findings: Finding[] = [];
  for (const rule of RULES) {
    const own = rule.severity;
    if (resolveSeverity(options.config, rule.id, own) === 'off') continue;
    for (const f of rule.check(ctx)) {
      const configured = options.config?.rules[rule.id];
      const severity = configured && configured !== 'off' ? configured : (f.severity ?? own);
      findings.push({
        ruleId: rule.id, severity, message: f.message, range: f.range,
        ...(f.fix ? { fix: f.fix } : {}), ...(f.suggestions?.length ? { suggestions: f.suggestions } : {}), ...(f.parts ? { parts: f.parts } : {}),
      });
    }
  }
  findings.sort((a, b) => a.range.start - b.range.start || a.range.end - b.range.end);
  return { report, findings, lines: report.lines };
}

/** Applies non-overlapping edits (later ones that overlap an earlier one are skipped). */
export function applyEdits(text: string, edits: Edit[]): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  let out = '', pos = 0;
  for (const e of sorted) {
    if (e.start < pos) continue;
    out += text.slice(pos, e.start) + e.newText;
    pos = e.end;
  }
  return out + text.slice(pos);
}

/**
 * The fixes that can be applied together: whole fixes in text order, skipping any whose edits
 * overlap (or insert at the same point as) an earlier one — those wait for the next pass.
 */
export function compatibleFixes(findings: Finding[]): Fix[] {
  const chosen: Fix[] = [];
  let pos = -1;
  for (const f of findings.filter((x) => x.fix).sort((a, b) => a.fix!.edits[0].start - b.fix!.edits[0].start)) {
    const es = [...f.fix!.edits].sort((a, b) => a.start - b.start);
    if (es[0].start < pos || (es[0].start === pos && es[0].end === pos && chosen.length > 0)) continue;
    chosen.push({ ...f.fix!, edits: es });
    pos = es[es.length - 1].end;
  }
  return chosen;
}

/** Applies every fix, re-checking until nothing more can be fixed (as ESLint's --fix does). */
export function fixAll(text: string, options: CheckOptions = {}, passes = 10): string {
  for (let i = 0; i < passes; i++) {
    const fixes = compatibleFixes(check(text, options).findings);
    if (!fixes.length) break;
    const next = applyEdits(text, fixes.flatMap((f) => f.edits));
    if (next === text) break;
    text = next;
  }
  return text;
}

export interface JsonPosition { line: number; column: number; endLine: number; endColumn: number }
export interface JsonFinding extends JsonPosition {
  ruleId: string; severity: string; message: string; where?: string;
  fix?: JsonFix;
  /** Repairs offered one by one, never applied by --fix. */
  suggestions?: JsonFix[];
  /** Each range a grouped finding covers. */
  parts?: JsonPosition[];
}
export interface JsonFix { title: string; edits: Array<JsonPosition & { newText: string }> }
export interface JsonResult {
  file: string; year: number | null; title: string | null;
  sections: Array<{ id: string; line: number; heading: string; standard: boolean }>;
  tables: { t2: Array<number | null> | null; t3: Array<Array<number | null>> | null; t4: Array<number | null> | null };
  findings: JsonFinding[];
}

function pos(lines: LineIndex, start: number, end: number): JsonPosition {
  const a = lines.position(start), b = lines.position(end);
  return { line: a.line, column: a.column, endLine: b.line, endColumn: b.column };
}

function jsonFix(lines: LineIndex, fix: Fix): JsonFix {
  return { title: fix.title, edits: fix.edits.map((e) => ({ ...pos(lines, e.start, e.end), newText: e.newText })) };
}

/** The contract's JSON shape for one checked file (see CLI.md). */
export function toJSON(file: string, { report, findings, lines }: CheckResult, where?: (line: number) => string | undefined): JsonResult {
  const t = report.tables;
  return {
    file,
    year: report.year,
    title: report.title?.text ?? null,
    sections: report.sections.map((s) => ({ id: s.id, line: lines.position(s.range.start).line, heading: s.heading, standard: s.standard })),
    tables: {
      t2: t.t2 ? (t.t2.values as Array<number | null>) : null,
      t3: t.t3 ? (t.t3.values as Array<Array<number | null>>) : null,
      t4: t.t4 ? (t.t4.values as Array<number | null>) : null,
    },
    findings: findings.map((f) => ({
      ruleId: f.ruleId, severity: f.severity, message: f.message, ...pos(lines, f.range.start, f.range.end),
      ...((f.where ?? where?.(lines.position(f.range.start).line)) ? { where: f.where ?? where!(lines.position(f.range.start).line) } : {}),
      ...(f.fix ? { fix: jsonFix(lines, f.fix) } : {}),
      ...(f.suggestions ? { suggestions: f.suggestions.map((x) => jsonFix(lines, x)) } : {}),
      ...(f.parts ? { parts: f.parts.map((r) => pos(lines, r.start, r.end)) } : {}),
    })),
  };
}

export function loadConfig(raw: unknown, source?: string): Config {
  return parseConfig(raw, RULES.map((r) => r.id), source);
}
