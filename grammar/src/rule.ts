// The shape of a rule: one file per rule id under grammar/rules/.
import type { Finding, Fix, Range, Report, Severity } from './model.js';
import type { LineIndex } from './text.js';

export interface RuleContext { report: Report; lines: LineIndex }
export interface RuleFinding { message: string; range: Range; fix?: Fix; severity?: Severity }

export interface Rule {
  id: string;
  /** Chinese title shown in rule lists, SARIF and the editor. */
  title: string;
  severity: Severity;
  /** Chinese explanation for hover and docs. */
  description: string;
  check(ctx: RuleContext): RuleFinding[];
}
export type { Finding };
