// The rules that compare a report with the same body's report of the year before.
import carryoverMismatch from '../../rules/carryover-mismatch.js';
import proseCopied from '../../rules/prose-copied.js';
import stockMismatch from '../../rules/stock-mismatch.js';
import type { PairRule } from './rule.js';

export const CROSS_YEAR_RULES: PairRule[] = [carryoverMismatch, stockMismatch, proseCopied];
