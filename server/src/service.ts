// The server's logic without a connection: checks cached per document version, and every feature
// as a function of (document, position). server.ts only wires these to the protocol.

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type CodeAction,
  CodeActionKind,
  type CompletionItem,
  CompletionItemKind,
  type Diagnostic,
  type DocumentSymbol,
  type FoldingRange,
  type Hover,
  type Position,
  SymbolKind,
  type TextEdit,
} from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { findConfigFile, readConfigFile } from '../../cli/config.js';
import {
  type CheckResult,
  type Config,
  ConfigError,
  check,
  compatibleFixes,
  hoverAt,
  loadConfig,
  looksLikeReport,
  type OutlineNode,
  outline,
  suggestions,
} from '../../grammar/src/index.js';
import { toDiagnostic, toLspRange, toOffset, toTextEdits, toWorkspaceEdit } from './convert.js';

export interface Settings {
  rules?: Record<string, string>;
}

/**
 * How long a document's edits must pause before it is checked and its diagnostics pushed (ms):
 * none under 20,000 characters, then 1 ms per 20,000 characters (50 ms for 1 MB), at most 200 ms —
 * longer than the server takes to apply one edit to a document of that size, so a burst of edits
 * already sent is applied in full before the one check.
 */
export function debounceMs(length: number): number {
  return length < 20_000 ? 0 : Math.min(200, Math.round(length / 20_000));
}

export class Service {
  private cache = new Map<string, { version: number; result: CheckResult }>();
  settings: Settings = {};
  /** Problems with configuration files, reported once per file (Chinese). */
  configErrors = new Map<string, string>();

  forget(uri: string) {
    this.cache.delete(uri);
  }
  invalidate() {
    this.cache.clear();
  }

  /** .nianbaorc.json resolved as the CLI does, then the editor's nianbao.rules settings on top. */
  configFor(uri: string): Config | undefined {
    let base: Config = { rules: {} };
    if (uri.startsWith('file:')) {
      const file = findConfigFile(path.dirname(fileURLToPath(uri)));
      if (file) {
        try {
          base = readConfigFile(file);
          this.configErrors.delete(file);
        } catch (e) {
          if (e instanceof ConfigError) this.configErrors.set(file, e.message);
        }
      }
    }
    try {
      const own = this.settings.rules
        ? loadConfig({ rules: this.settings.rules }, 'nianbao.rules 设置')
        : { rules: {} };
      return { rules: { ...base.rules, ...own.rules } };
    } catch (e) {
      if (e instanceof ConfigError) this.configErrors.set('settings', e.message);
      return base;
    }
  }

  result(doc: TextDocument): CheckResult {
    const c = this.cache.get(doc.uri);
    if (c && c.version === doc.version) return c.result;
    const result = check(doc.getText(), { config: this.configFor(doc.uri) });
    this.cache.set(doc.uri, { version: doc.version, result });
    return result;
  }

  /** Documents checked even though they do not look like a report (the "check anyway" command). */
  forced = new Set<string>();

  /** Plain text and Markdown are checked only when they look like a report; nianbao documents always. */
  applies(doc: TextDocument): boolean {
    return (
      doc.languageId === 'nianbao' || this.forced.has(doc.uri) || looksLikeReport(this.result(doc).report)
    );
  }

  diagnostics(doc: TextDocument): Diagnostic[] {
    if (!this.applies(doc)) return [];
    const r = this.result(doc);
    // A grouped finding (the blank cells of a row) marks each of its cells.
    return r.findings.flatMap((f) =>
      f.parts?.length
        ? f.parts.map((range) => toDiagnostic(r.lines, { ...f, range }))
        : [toDiagnostic(r.lines, f)],
    );
  }

  codeActions(doc: TextDocument, range: { start: Position; end: Position }, only?: string[]): CodeAction[] {
    const r = this.result(doc);
    const from = toOffset(r.lines, range.start),
      to = toOffset(r.lines, range.end);
    const out: CodeAction[] = [];
    const wantQuick =
      !only || only.some((k) => CodeActionKind.QuickFix.startsWith(k) || k === CodeActionKind.QuickFix);
    const wantAll = !only || only.some((k) => 'source.fixAll.nianbao'.startsWith(k));
    if (wantQuick) {
      for (const f of r.findings) {
        if (f.range.end < from || f.range.start > to) continue;
        if (f.fix) {
          out.push({
            title: f.fix.title,
            kind: CodeActionKind.QuickFix,
            diagnostics: [toDiagnostic(r.lines, f)],
            isPreferred: true,
            edit: toWorkspaceEdit(doc.uri, toTextEdits(r.lines, f.fix)),
          });
        }
        // Suggestions are offered one by one and never preferred (a guess the user must confirm).
        for (const s of f.suggestions ?? []) {
          if (out.some((a) => a.title === s.title)) continue;
          out.push({
            title: s.title,
            kind: CodeActionKind.QuickFix,
            diagnostics: [toDiagnostic(r.lines, f)],
            edit: toWorkspaceEdit(doc.uri, toTextEdits(r.lines, s)),
          });
        }
      }
    }
    if (wantAll) {
      const edits = this.fixAllEdits(doc);
      if (edits.length)
        out.push({
          title: '修复全部可自动修复的问题',
          kind: 'source.fixAll.nianbao',
          edit: toWorkspaceEdit(doc.uri, edits),
        });
    }
    return out;
  }

  /** The fixes that can be applied together (the core decides which), as text edits. */
  fixAllEdits(doc: TextDocument): TextEdit[] {
    const r = this.result(doc);
    return compatibleFixes(r.findings).flatMap((fx) => toTextEdits(r.lines, fx));
  }

  completion(doc: TextDocument, pos: Position): CompletionItem[] {
    const r = this.result(doc);
    const offset = toOffset(r.lines, pos);
    const lineStart = r.lines.starts[pos.line];
    // Replace what was typed on the line after the last cell separator (Chinese has no word boundaries).
    const before = r.report.text.slice(lineStart, offset);
    const sep = Math.max(before.lastIndexOf('|'), before.lastIndexOf('\t'));
    const typedFrom =
      lineStart + sep + 1 + (before.slice(sep + 1).length - before.slice(sep + 1).trimStart().length);
    const replace = toLspRange(r.lines, { start: typedFrom, end: offset });
    return suggestions(r.report, offset).map((s) => ({
      label: s.label,
      detail: s.detail,
      sortText: s.sortText,
      filterText: s.filterText,
      kind:
        s.kind === 'heading'
          ? CompletionItemKind.Module
          : s.kind === 'group'
            ? CompletionItemKind.Folder
            : s.kind === 'table'
              ? CompletionItemKind.Snippet
              : CompletionItemKind.Field,
      textEdit: { range: replace, newText: s.insertText ?? s.label },
    }));
  }

  hover(doc: TextDocument, pos: Position): Hover | null {
    const r = this.result(doc);
    const h = hoverAt(r.report, toOffset(r.lines, pos));
    return h
      ? { contents: { kind: 'markdown', value: h.markdown }, range: toLspRange(r.lines, h.range) }
      : null;
  }

  symbols(doc: TextDocument): DocumentSymbol[] {
    const r = this.result(doc);
    const conv = (n: OutlineNode, kind: SymbolKind): DocumentSymbol => ({
      name: n.name,
      detail: n.detail,
      kind,
      range: toLspRange(r.lines, n.range),
      selectionRange: toLspRange(r.lines, n.selection),
      children: n.children.map((c) =>
        conv(c, kind === SymbolKind.Namespace ? SymbolKind.Struct : SymbolKind.Field),
      ),
    });
    return outline(r.report).map((n) => conv(n, SymbolKind.Namespace));
  }

  folding(doc: TextDocument): FoldingRange[] {
    const r = this.result(doc);
    return outline(r.report)
      .map((n) => {
        const a = toLspRange(r.lines, n.range);
        return {
          startLine: a.start.line,
          endLine: Math.max(a.start.line, a.end.line - (a.end.character === 0 ? 1 : 0)),
        };
      })
      .filter((f) => f.endLine > f.startLine);
  }
}
