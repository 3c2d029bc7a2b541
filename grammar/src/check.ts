// check: text → Report → every enabled rule → findings sorted by position. Never throws.

import { RULES } from '../rules/index.js';
import { type Config, resolveSeverity } from './config.js';
import type { Finding, Report } from './model.js';
import { parse } from './parse/index.js';
import type { RuleFinding } from './rule.js';
import type { LineIndex } from './text.js';

export interface CheckOptions {
  year?: number;
  config?: Config;
}
export interface CheckResult {
  report: Report;
  findings: Finding[];
  lines: LineIndex;
}

/** Checks a report. Never throws: unreadable text yields findings, not exceptions. */
export function check(text: string, options: CheckOptions = {}): CheckResult {
  const report = parse(text, { year: options.year });
  const ctx = { report, lines: report.lines };
  const findings: Finding[] = [];
  for (const rule of RULES) findings.push(...ruleFindings(rule, options.config, () => rule.check(ctx)));
  findings.sort((a, b) => a.range.start - b.range.start || a.range.end - b.range.end);
  return { report, findings, lines: report.lines };
}

/**
 * One rule's findings as the user gets them: none when the configuration turns the rule off, each with
 * the configured severity (else the finding's own, else the rule's).
 */
export function ruleFindings(
  rule: { id: string; severity: Finding['severity'] },
  config: Config | undefined,
  run: () => Iterable<RuleFinding>,
): Finding[] {
  if (resolveSeverity(config, rule.id, rule.severity) === 'off') return [];
  const configured = config?.rules[rule.id];
  const out: Finding[] = [];
  for (const f of run()) {
    out.push({
      ruleId: rule.id,
      severity: configured && configured !== 'off' ? configured : (f.severity ?? rule.severity),
      message: f.message,
      range: f.range,
      ...(f.fix ? { fix: f.fix } : {}),
      ...(f.suggestions?.length ? { suggestions: f.suggestions } : {}),
      ...(f.parts ? { parts: f.parts } : {}),
    });
  }
  return out;
}
