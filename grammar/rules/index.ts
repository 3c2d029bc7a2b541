// Every rule, in the order of TEMPLATE.md §5; the proofreading family (文字) last.
import type { Rule } from '../src/rule.js';
import cellBlank from './cell-blank.js';
import cellCount from './cell-count.js';
import cellInvalid from './cell-invalid.js';
import cellsRunTogether from './cells-run-together.js';
import dateLate from './date-late.js';
import feeStatementMissing from './fee-statement-missing.js';
import narrativeMismatch from './narrative-mismatch.js';
import outdatedTemplate from './outdated-template.js';
import placeholder from './placeholder.js';
import punctuation from './punctuation.js';
import rowLabel from './row-label.js';
import rowMissing from './row-missing.js';
import rowOrder from './row-order.js';
import sectionHeading from './section-heading.js';
import sectionMissing from './section-missing.js';
import sectionOrder from './section-order.js';
import statuteCitation from './statute-citation.js';
import subsectionMissing from './subsection-missing.js';
import t3Balance from './t3-balance.js';
import t3OutcomeTotal from './t3-outcome-total.js';
import t3RowTotal from './t3-row-total.js';
import t4Total from './t4-total.js';
import tableMissing from './table-missing.js';
import tableUnreadable from './table-unreadable.js';
import termTypo from './term-typo.js';
import titleMissing from './title-missing.js';
import yearMismatch from './year-mismatch.js';

export const RULES: Rule[] = [
  sectionMissing,
  sectionOrder,
  sectionHeading,
  subsectionMissing,
  tableMissing,
  rowMissing,
  rowLabel,
  rowOrder,
  cellCount,
  cellInvalid,
  cellBlank,
  cellsRunTogether,
  outdatedTemplate,
  t3RowTotal,
  t3OutcomeTotal,
  t3Balance,
  t4Total,
  yearMismatch,
  narrativeMismatch,
  feeStatementMissing,
  placeholder,
  tableUnreadable,
  titleMissing,
  termTypo,
  punctuation,
  dateLate,
  statuteCitation,
];
