// The shape of a rule: one file per rule id under grammar/rules/.
import type { Finding, Fix, Range, Report, Severity } from './model.js';
import type { LineIndex } from './text.js';

export interface RuleContext {
  report: Report;
  lines: LineIndex;
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

export type RuleCategory = 'structure' | 'tables' | 'prose';

export interface Rule {
  id: string;
  /** Chinese title shown in rule lists, SARIF and the editor. */
  title: string;
  /** Where a reviewer looks: the report's structure, its tables, or its prose. */
  category: RuleCategory;
  severity: Severity;
  /** Chinese explanation for hover and docs. */
  description: string;
  check(ctx: RuleContext): RuleFinding[];
}
export type { Finding };
