// check: text → Report → every enabled rule → findings sorted by position. Never throws.

import { RULES } from '../rules/index.js';
import { type Config, resolveSeverity } from './config.js';
import type { Finding, Report } from './model.js';
import { parse } from './parse/index.js';
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
  for (const rule of RULES) {
    const own = rule.severity;
    if (resolveSeverity(options.config, rule.id, own) === 'off') continue;
    for (const f of rule.check(ctx)) {
      const configured = options.config?.rules[rule.id];
      const severity = configured && configured !== 'off' ? configured : (f.severity ?? own);
      findings.push({
        ruleId: rule.id,
        severity,
        message: f.message,
        range: f.range,
        ...(f.fix ? { fix: f.fix } : {}),
        ...(f.suggestions?.length ? { suggestions: f.suggestions } : {}),
        ...(f.parts ? { parts: f.parts } : {}),
      });
    }
  }
  findings.sort((a, b) => a.range.start - b.range.start || a.range.end - b.range.end);
  return { report, findings, lines: report.lines };
}
