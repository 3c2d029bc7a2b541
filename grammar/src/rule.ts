// The shape of a rule: one file per rule id under grammar/rules/.
import type { Finding, Fix, Range, Report, Severity } from './model.js';
import type { LineIndex } from './text.js';

/**
 * Where the checked text comes from. Text, Markdown and Word files hold the author's own characters;
 * the text of a PDF, a web page or a .doc file is an extraction whose spacing and character widths
 * are the converter's.
 */
export type Source = 'text' | 'markdown' | 'docx' | 'pdf' | 'html' | 'doc';
/** Whether the characters of a source are the author's (so its punctuation is the author's too). */
export const authoredSource = (s: Source | undefined): boolean =>
  s === 'text' || s === 'markdown' || s === 'docx';

export interface RuleContext {
  report: Report;
  lines: LineIndex;
  /** Where the text comes from, when the caller knows. */
  source?: Source;
}
export interface RuleFinding {
  message: string;
  range: Range;
  fix?: Fix;
  suggestions?: Fix[];
  parts?: Range[];
  severity?: Severity;
}

/** How each severity is named to users. */
export const SEVERITY_LABEL: Readonly<Record<string, string>> = {
  error: '错误',
  warning: '警告',
  info: '提示',
};

/** structure, tables and prose check the template; language proofreads the wording (文字). */
export type RuleCategory = 'structure' | 'tables' | 'prose' | 'language';

export interface Rule {
  id: string;
  /** Chinese title shown in rule lists, SARIF and the editor. */
  title: string;
  /** Where a reviewer looks: the report's structure, its tables, its prose, or its wording. */
  category: RuleCategory;
  severity: Severity;
  /** Chinese explanation for hover and docs. */
  description: string;
  check(ctx: RuleContext): RuleFinding[];
}
export type { Finding };
