// check: text → Report → every enabled rule → findings sorted by position. Never throws.

import { RULES } from '../rules/index.js';
import { type Config, resolveSeverity } from './config.js';
import type { Finding, Report } from './model.js';
import { parse } from './parse/index.js';
import type { RuleFinding, Source } from './rule.js';
import type { LineIndex } from './text.js';

export interface CheckOptions {
  year?: number;
  config?: Config;
  /** Where the text comes from (the reader's format); punctuation is checked only in the author's own text. */
  source?: Source;
}
export interface CheckResult {
  report: Report;
  findings: Finding[];
  lines: LineIndex;
}

/** Checks a report. Never throws: unreadable text yields findings, not exceptions. */
export function check(text: string, options: CheckOptions = {}): CheckResult {
  const report = parse(text, { year: options.year });
  const ctx = { report, lines: report.lines, source: options.source };
  const findings: Finding[] = [];
  for (const rule of RULES) {
    if (rule.category === 'language' && options.config?.language === 'off') continue;
    appendBounded(
      findings,
      ruleFindings(rule, options.config, () => rule.check(ctx)),
      rule,
    );
  }
  findings.sort(byPosition);
  return { report, findings, lines: report.lines };
}

export const byPosition = (a: Finding, b: Finding): number =>
  a.range.start - b.range.start || a.range.end - b.range.end;

/** How many findings of one rule a report lists in full; the rest are counted in one finding. */
export const FINDINGS_PER_RULE = 100;

const RANK: Record<Finding['severity'], number> = { error: 3, warning: 2, info: 1 };

/**
 * Appends one rule's findings, bounded the way linters bound a flood: the first FINDINGS_PER_RULE in
 * position order in full, then a single finding at the next one that counts the rest
 * ("同类问题还有N处"). A document with a row repeated 40,000 times gets a readable answer, and every
 * consumer (JSON, SARIF, the editor, summaries, cards) stays small. Appends one by one: spreading a
 * huge array into push() overflows the stack.
 */
export function appendBounded(
  out: Finding[],
  found: Finding[],
  rule: { id: string; title?: string },
  limit = FINDINGS_PER_RULE,
): void {
  if (found.length > limit) found.sort(byPosition);
  const n = Math.min(found.length, limit);
  for (let i = 0; i < n; i++) out.push(found[i]);
  if (found.length <= limit) return;
  const rest = found.length - limit;
  let severity = found[limit].severity;
  for (let i = limit + 1; i < found.length; i++)
    if (RANK[found[i].severity] > RANK[severity]) severity = found[i].severity;
  out.push({
    ruleId: rule.id,
    severity,
    message: `${rule.title ? `“${rule.title}”` : ''}同类问题还有${rest}处，未逐一列出（已列出前${limit}处，如“${found[limit].message.slice(0, 60)}”）`,
    range: found[limit].range,
  });
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
