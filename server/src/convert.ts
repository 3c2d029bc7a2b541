// Conversions between the core's offsets and findings and LSP objects: the one place for them.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Diagnostic, Range as LspRange, TextEdit, WorkspaceEdit } from 'vscode-languageserver';
import { DiagnosticSeverity } from 'vscode-languageserver';
import {
  CROSS_YEAR_RULES,
  type Finding,
  type Fix,
  type LineIndex,
  type Range,
  RULE_DOCS_DIR,
  RULES,
  ruleDocUrl,
} from '../../grammar/src/index.js';

/** Rules of the proofreading family: their diagnostics carry the source “nianbao·文字”, apart from the template's. */
const LANGUAGE_RULES = new Set(
  [...RULES, ...CROSS_YEAR_RULES].filter((r) => r.category === 'language').map((r) => r.id),
);
/** The diagnostics' source: proofreading (文字) shows apart from structure and arithmetic. */
export const diagnosticSource = (ruleId: string): string =>
  LANGUAGE_RULES.has(ruleId) ? 'nianbao·文字' : 'nianbao';

/** LSP positions are 0-based lines and UTF-16 columns — the core's offsets are UTF-16 already. */
export function toLspRange(lines: LineIndex, r: Range): LspRange {
  const a = lines.position(r.start),
    b = lines.position(r.end);
  return {
    start: { line: a.line - 1, character: a.column - 1 },
    end: { line: b.line - 1, character: b.column - 1 },
  };
}

export function toOffset(lines: LineIndex, p: { line: number; character: number }): number {
  return lines.offset(p.line + 1, p.character + 1);
}

const SEVERITY = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
} as const;

/**
 * The rule pages that ship with the package (docs/rules/ beside dist/ or the sources), as a file:
 * URL; null when the server runs without them (a bundle copied elsewhere).
 */
function shippedRuleDocs(): string | null {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const docs = path.join(dir, RULE_DOCS_DIR);
    if (fs.existsSync(path.join(docs, 'README.md'))) return pathToFileURL(docs).href + '/';
    dir = path.dirname(dir);
  }
  return null;
}

let ruleDocsBase: string | null = shippedRuleDocs();

/** Where diagnostics link to (nianbao.rulesDocsUrl): a URL of the docs/rules folder; unset: the pages shipped. */
export function setRuleDocsBase(base: string | undefined): void {
  ruleDocsBase = base?.trim() ? base.trim() : shippedRuleDocs();
}

export function toDiagnostic(lines: LineIndex, f: Finding): Diagnostic {
  return {
    range: toLspRange(lines, f.range),
    severity: SEVERITY[f.severity],
    source: diagnosticSource(f.ruleId),
    code: f.ruleId,
    ...(ruleDocsBase ? { codeDescription: { href: ruleDocUrl(f.ruleId, ruleDocsBase) } } : {}),
    message: f.message,
  };
}

export function toTextEdits(lines: LineIndex, fix: Fix): TextEdit[] {
  return fix.edits.map((e) => ({ range: toLspRange(lines, e), newText: e.newText }));
}

export function toWorkspaceEdit(uri: string, edits: TextEdit[]): WorkspaceEdit {
  return { changes: { [uri]: edits } };
}
