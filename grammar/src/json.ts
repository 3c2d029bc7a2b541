// The CLI's public JSON shape for one checked file (../shared/spec/CLI.md): 1-based lines and columns.
import type { CheckResult } from './check.js';
import type { Fix } from './model.js';
import type { LineIndex } from './text.js';

export interface JsonPosition {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}
export interface JsonFinding extends JsonPosition {
  ruleId: string;
  severity: string;
  message: string;
  where?: string;
  fix?: JsonFix;
  /** Repairs offered one by one, never applied by --fix. */
  suggestions?: JsonFix[];
  /** Each range a grouped finding covers. */
  parts?: JsonPosition[];
}
export interface JsonFix {
  title: string;
  edits: Array<JsonPosition & { newText: string }>;
}
export interface JsonResult {
  file: string;
  year: number | null;
  title: string | null;
  sections: Array<{ id: string; line: number; heading: string; standard: boolean }>;
  tables: {
    t2: Array<number | null> | null;
    t3: Array<Array<number | null>> | null;
    t4: Array<number | null> | null;
  };
  findings: JsonFinding[];
  /** How many findings a baseline file of accepted findings (已核实) left out; absent when none. */
  accepted?: number;
}

function pos(lines: LineIndex, start: number, end: number): JsonPosition {
  const a = lines.position(start),
    b = lines.position(end);
  return { line: a.line, column: a.column, endLine: b.line, endColumn: b.column };
}

function jsonFix(lines: LineIndex, fix: Fix): JsonFix {
  return {
    title: fix.title,
    edits: fix.edits.map((e) => ({ ...pos(lines, e.start, e.end), newText: e.newText })),
  };
}

/** The contract's JSON shape for one checked file (see CLI.md). */
export function toJSON(
  file: string,
  { report, findings, lines }: CheckResult,
  where?: (line: number) => string | undefined,
): JsonResult {
  const t = report.tables;
  return {
    file,
    year: report.year,
    title: report.title?.text ?? null,
    sections: report.sections.map((s) => ({
      id: s.id,
      line: lines.position(s.range.start).line,
      heading: s.heading,
      standard: s.standard,
    })),
    tables: {
      t2: t.t2?.values ?? null,
      t3: t.t3?.values ?? null,
      t4: t.t4?.values ?? null,
    },
    findings: findings.map((f) => ({
      ruleId: f.ruleId,
      severity: f.severity,
      message: f.message,
      ...pos(lines, f.range.start, f.range.end),
      ...((f.where ?? where?.(lines.position(f.range.start).line))
        ? { where: f.where ?? where!(lines.position(f.range.start).line) }
        : {}),
      ...(f.fix ? { fix: jsonFix(lines, f.fix) } : {}),
      ...(f.suggestions ? { suggestions: f.suggestions.map((x) => jsonFix(lines, x)) } : {}),
      ...(f.parts ? { parts: f.parts.map((r) => pos(lines, r.start, r.end)) } : {}),
    })),
  };
}
