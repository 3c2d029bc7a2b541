// The shape of a cross-year rule: the data of a Rule (id, Chinese title, severity, explanation)
// and a check over two reports of one body, this year's and last year's.
import type { Rule, RuleContext, RuleFinding } from '../rule.js';

export interface PairContext {
  /** This year's report: findings point into its text. */
  current: RuleContext;
  /** The same body's report of the year before. */
  previous: RuleContext;
  /** This year's report year, when known (else last year's + 1). */
  year: number | null;
}

export interface PairRule extends Omit<Rule, 'check'> {
  checkPair(ctx: PairContext): RuleFinding[];
}
