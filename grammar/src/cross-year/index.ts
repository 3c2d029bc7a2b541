// Cross-year checking: a report against the same body's report of the year before (carried-over
// applications, documents in force, copied prose), and pairing the reports of a folder by body and year.

import { appendBounded, byPosition, type CheckResult, ruleFindings } from '../check.js';
import type { Config } from '../config.js';
import type { Finding, Report } from '../model.js';
import { issuingBody, sameBody } from './body.js';
import { CROSS_YEAR_RULES } from './rules.js';

export { canonical as canonicalBody, issuingBody, normaliseBody, sameBody } from './body.js';
export type { PairContext, PairRule } from './rule.js';
export { CROSS_YEAR_RULES };

/** What pairing reads of a report: its title, year and table values (a checked Report will do). */
export type PairedReport = Pick<Report, 'title' | 'year'> & {
  tables: { [K in keyof Report['tables']]: Pick<NonNullable<Report['tables'][K]>, 'values'> | null };
};

export interface PairInput {
  id: string;
  report: PairedReport;
  /** The body the report is filed under, when the caller knows it better than the title (a list's name). */
  body?: string;
}

/**
 * Each report paired with the same body's report of the year before, when both are among the
 * items. A report with two candidates for last year, or a last year's report two reports of this
 * year claim, stays unpaired: a wrong pair is worse than none. Copies of one report (the same
 * title and the same tables, e.g. a .pdf and its .docx) count as one candidate: the first is used.
 */
export function pairReports(items: PairInput[]): Array<{ current: string; previous: string }> {
  const known = items.flatMap((it) => {
    const body = it.body ?? issuingBody(it.report);
    const year = it.report.year;
    return body && year != null ? [{ id: it.id, body, year, copy: copyKey(it.report, body) }] : [];
  });
  const candidates = new Map<string, typeof known>();
  for (const cur of known) {
    const prev = known.filter((p) => p.year === cur.year - 1 && sameBody(p.body, cur.body));
    candidates.set(cur.id, prev);
  }
  // The distinct reports (copies counted once) that claim each report of last year.
  const claims = new Map<string, Set<string>>();
  for (const cur of known)
    for (const p of candidates.get(cur.id) ?? []) {
      const set = claims.get(p.copy) ?? new Set();
      set.add(cur.copy);
      claims.set(p.copy, set);
    }
  const out: Array<{ current: string; previous: string }> = [];
  for (const cur of known) {
    const prev = candidates.get(cur.id) ?? [];
    if (!prev.length || prev.some((p) => p.copy !== prev[0].copy)) continue;
    if (claims.get(prev[0].copy)?.size !== 1) continue;
    out.push({ current: cur.id, previous: prev[0].id });
  }
  return out;
}

/** What makes two items copies of one report: body, year and every table value. */
function copyKey(report: PairedReport, body: string): string {
  const t = report.tables;
  return JSON.stringify([
    body,
    report.year,
    t.t2?.values ?? null,
    t.t3?.values ?? null,
    t.t4?.values ?? null,
  ]);
}

export interface CrossYearOptions {
  /** Per-rule severity (`.nianbaorc.json`), applied as check() applies it. */
  config?: Config;
}

/**
 * The cross-year findings of this year's report against last year's, shaped as check() shapes its
 * findings (ranges in current's text). None when the years are known and not consecutive.
 */
export function crossYearFindings(
  current: CheckResult,
  previous: CheckResult,
  options: CrossYearOptions = {},
): Finding[] {
  const y = current.report.year,
    py = previous.report.year;
  if (y != null && py != null && py !== y - 1) return [];
  const ctx = {
    current: { report: current.report, lines: current.lines },
    previous: { report: previous.report, lines: previous.lines },
    year: y ?? (py != null ? py + 1 : null),
  };
  const findings: Finding[] = [];
  for (const rule of CROSS_YEAR_RULES)
    appendBounded(
      findings,
      ruleFindings(rule, options.config, () => rule.checkPair(ctx)),
      rule,
    );
  findings.sort(byPosition);
  return findings;
}

/** This year's check result with the cross-year findings merged in, in position order. */
export function withCrossYear(
  current: CheckResult,
  previous: CheckResult,
  options: CrossYearOptions = {},
): CheckResult {
  const extra = crossYearFindings(current, previous, options);
  if (!extra.length) return current;
  const findings = current.findings.concat(extra).sort(byPosition);
  return { ...current, findings };
}
