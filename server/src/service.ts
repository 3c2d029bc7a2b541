// The server's logic without a connection: checks cached per document version, and every feature
// as a function of (document, position). server.ts only wires these to the protocol.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type CodeAction,
  CodeActionKind,
  type CompletionItem,
  CompletionItemKind,
  type CompletionList,
  type Diagnostic,
  type DocumentSymbol,
  type FoldingRange,
  type Hover,
  type Range as LspRange,
  type Position,
  SymbolKind,
  type TextEdit,
} from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import {
  describeIoError,
  findConfigFile,
  readBaselineFile,
  readConfigFile,
} from '../../grammar/src/config.js';
import {
  addToBaseline,
  applyBaseline,
  BASELINE_FILE_NAME,
  type Baseline,
  type BaselineEntry,
  BaselineError,
  baselineDate,
  baselineKeyOf,
  type CheckResult,
  type Config,
  ConfigError,
  check,
  compatibleFixes,
  emptyBaseline,
  formatBaseline,
  hoverAt,
  LineIndex,
  loadConfig,
  looksLikeReport,
  type OutlineNode,
  outline,
  suggestions,
} from '../../grammar/src/index.js';
import { toDiagnostic, toLspRange, toOffset, toTextEdits, toWorkspaceEdit } from './convert.js';
import { PreviousReports } from './cross-year.js';
import { ACCEPT_FINDING_COMMAND, FIX_ALL_KIND, type Settings } from './protocol.js';

export type { Settings };

/** A broken configuration: the file (null for the editor's own settings), its message, where in the file. */
export interface ConfigProblem {
  file: string | null;
  message: string;
  range?: LspRange;
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

/** The quick fix that accepts a finding (adds it to the baseline file). */
export const ACCEPT_TITLE = '标记为已核实';

export class Service {
  private cache = new Map<string, { version: number; result: CheckResult }>();
  settings: Settings = {};
  /**
   * Told on every configuration lookup: a problem with a configuration file (or with the
   * nianbao.rules setting), or `null` once that file reads cleanly. The server decides what to show.
   */
  onConfigProblem: (file: string | null, problem: ConfigProblem | null) => void = () => {};

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
      const file = findConfigFile(path.dirname(fileURLToPath(uri)), fs);
      if (file) {
        try {
          base = readConfigFile(file, fs);
          this.onConfigProblem(file, null);
        } catch (e) {
          if (!(e instanceof ConfigError)) throw e;
          this.onConfigProblem(file, problemOf(file, e));
        }
      }
    }
    try {
      const own = this.settings.rules
        ? loadConfig({ rules: this.settings.rules }, 'nianbao.rules 设置')
        : { rules: {} };
      this.onConfigProblem(null, null);
      return { rules: { ...base.rules, ...own.rules } };
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      this.onConfigProblem(null, { file: null, message: e.message });
      return base;
    }
  }

  /** The document's checked result, without the findings its baseline file accepts (已核实). */
  result(doc: TextDocument): CheckResult {
    const c = this.cache.get(doc.uri);
    if (c && c.version === doc.version) return c.result;
    const config = this.configFor(doc.uri);
    const full = this.previous.withPrevious(
      doc.uri,
      check(doc.getText(), { config, source: 'text' }),
      config,
    );
    const { kept } = applyBaseline(full.report, full.findings, this.baselineFor(doc.uri));
    const result = { ...full, findings: kept };
    this.cache.set(doc.uri, { version: doc.version, result });
    return result;
  }

  /** Workspace folders (paths, longest first): where a new baseline file goes. */
  folders: string[] = [];
  /** Told when a baseline file cannot be read (its message), or null once it reads cleanly. */
  onBaselineProblem: (file: string, message: string | null) => void = () => {};

  /** The nearest baseline file above a document (as the CLI finds it); null for unsaved documents or none. */
  baselineFile(uri: string): string | null {
    if (!uri.startsWith('file:')) return null;
    return findConfigFile(path.dirname(fileURLToPath(uri)), fs, BASELINE_FILE_NAME);
  }

  private baselineFor(uri: string): Baseline | undefined {
    const file = this.baselineFile(uri);
    if (!file) return undefined;
    try {
      const b = readBaselineFile(file, fs);
      this.onBaselineProblem(file, null);
      return b;
    } catch (e) {
      if (!(e instanceof BaselineError)) throw e;
      this.onBaselineProblem(file, e.message);
      return undefined;
    }
  }

  /**
   * "标记为已核实": the entry added to the document's baseline file — the nearest one above it, else a
   * new one in its workspace folder (else its own folder). Returns the file written, or a Chinese
   * reason it could not be.
   */
  accept(uri: string, entry: BaselineEntry): { file: string } | { error: string } {
    if (!uri.startsWith('file:')) return { error: '未保存的文档无法记录已核实的问题，请先保存' };
    const own = path.dirname(fileURLToPath(uri));
    const file =
      this.baselineFile(uri) ??
      path.join(
        this.folders.find((f) => own === f || own.startsWith(f + path.sep)) ?? own,
        BASELINE_FILE_NAME,
      );
    let baseline: Baseline;
    try {
      baseline = fs.existsSync(file) ? readBaselineFile(file, fs) : emptyBaseline();
    } catch (e) {
      return { error: e instanceof Error ? e.message : String(e) };
    }
    const { baseline: next } = addToBaseline(baseline, [entry], { date: baselineDate() });
    try {
      fs.writeFileSync(file, formatBaseline(next), 'utf8');
    } catch (e) {
      return { error: `${file}：无法写入已核实问题清单（${describeIoError(e, 'write')}）` };
    }
    this.invalidate();
    return { file };
  }

  /** Last year's reports in the workspace folders, for the cross-year findings. */
  previous = new PreviousReports();

  /** Documents checked even though they do not look like a report (the "check anyway" command). */
  forced = new Set<string>();

  /**
   * Plain text and Markdown are checked only when they look like a report; nianbao documents always;
   * nothing when the nianbao.enable setting is false.
   */
  applies(doc: TextDocument): boolean {
    if (this.settings.enable === false) return false;
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
    if (!this.applies(doc)) return [];
    const r = this.result(doc);
    const from = toOffset(r.lines, range.start),
      to = toOffset(r.lines, range.end);
    const out: CodeAction[] = [];
    const wantQuick =
      !only || only.some((k) => CodeActionKind.QuickFix.startsWith(k) || k === CodeActionKind.QuickFix);
    const wantAll = !only || only.some((k) => FIX_ALL_KIND.startsWith(k));
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
      // A finding checked and accepted by the user: kept in the baseline file, no longer shown.
      const here = doc.uri.startsWith('file:')
        ? r.findings.filter((f) => !(f.range.end < from || f.range.start > to))
        : [];
      for (const f of here) {
        // Several findings at the cursor: each action says which one it accepts.
        const title =
          here.length > 1
            ? `${ACCEPT_TITLE}：${f.message.length > 40 ? `${f.message.slice(0, 40)}…` : f.message}`
            : ACCEPT_TITLE;
        out.push({
          title,
          kind: CodeActionKind.QuickFix,
          diagnostics: [toDiagnostic(r.lines, f)],
          command: {
            title,
            command: ACCEPT_FINDING_COMMAND,
            arguments: [doc.uri, baselineKeyOf(r.report, f)],
          },
        });
      }
    }
    if (wantAll) {
      const edits = this.fixAllEdits(doc);
      if (edits.length)
        out.push({
          title: '修复全部可自动修复的问题',
          kind: FIX_ALL_KIND,
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

  /**
   * The standard labels and headings matching what was typed at `pos` — an item number (`2.`,
   * `（三）`), the label or any part of it. The list is incomplete: the client asks again as the
   * user types, so matching stays the core's (client-side fuzzy filters need word boundaries,
   * which Chinese does not have).
   */
  completion(doc: TextDocument, pos: Position): CompletionList {
    if (!this.applies(doc)) return { isIncomplete: false, items: [] };
    const r = this.result(doc);
    const offset = toOffset(r.lines, pos);
    const lineStart = r.lines.starts[pos.line];
    // Replace what was typed on the line after the last cell separator (Chinese has no word boundaries).
    const before = r.report.text.slice(lineStart, offset);
    const sep = Math.max(before.lastIndexOf('|'), before.lastIndexOf('\t'));
    const typedFrom =
      lineStart + sep + 1 + (before.slice(sep + 1).length - before.slice(sep + 1).trimStart().length);
    const replace = toLspRange(r.lines, { start: typedFrom, end: offset });
    const typed = r.report.text.slice(typedFrom, offset);
    const items = suggestions(r.report, offset, typed).map(
      (s): CompletionItem => ({
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
      }),
    );
    return { isIncomplete: true, items };
  }

  hover(doc: TextDocument, pos: Position): Hover | null {
    if (!this.applies(doc)) return null;
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

/** What is wrong with a configuration file (its message, where in the file), or null (also once deleted). */
export function configProblem(file: string): ConfigProblem | null {
  if (!fs.existsSync(file)) return null;
  try {
    readConfigFile(file, fs);
    return null;
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    return problemOf(file, e);
  }
}

function problemOf(file: string, e: ConfigError): ConfigProblem {
  let range: LspRange | undefined;
  if (e.offset !== undefined) {
    try {
      const lines = new LineIndex(fs.readFileSync(file, 'utf8'));
      const at = lines.position(e.offset);
      const start = { line: at.line - 1, character: at.column - 1 };
      const length = e.ruleId !== undefined ? JSON.stringify(e.ruleId).length : 1;
      range = { start, end: { line: start.line, character: start.character + length } };
    } catch {
      // gone meanwhile: the message alone
    }
  }
  return { file, message: e.message, range };
}
