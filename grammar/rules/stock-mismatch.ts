import { fmt, numberCell, readableRow } from '../src/cross-year/cells.js';
import type { PairRule } from '../src/cross-year/rule.js';
import type { RuleFinding } from '../src/rule.js';
import { T2_ROWS } from '../src/template.js';

export default {
  id: 'stock-mismatch',
  title: '现行有效件数与上年报告不衔接',
  category: 'tables',
  severity: 'warning',
  description:
    '表二中有“现行有效件数”的每一行（规章、行政规范性文件），本年的现行有效件数一般等于上年报告的现行有效件数加本年制发件数、减本年废止件数。修订、到期自动失效等也会造成差异，请核实后在正文中说明。需要同一机关上一年度的报告。',
  docs: {
    examples: [
      {
        report: 'previous',
        note: '本年报告表二为“行政规范性文件 | 2 | 1 | 9”（本年制发2件、废止1件、现行有效9件），示例是上年报告的表二：上年现行有效件数应为 9 − 2 + 1 = 8。',
        right: '行政规范性文件\t2\t1\t8',
        wrong: '行政规范性文件\t2\t1\t5',
      },
    ],
    fix: '不自动修复：请核实现行有效件数；修订、到期失效等造成的差异请在正文中说明。',
  },
  checkPair({ current, previous }) {
    const out: RuleFinding[] = [];
    for (const spec of T2_ROWS) {
      if (spec.cells !== 3) continue;
      const here = readableRow(current.report, 't2', spec.index);
      const there = readableRow(previous.report, 't2', spec.index);
      const issued = numberCell(here, 0),
        repealed = numberCell(here, 1),
        stock = numberCell(here, 2),
        last = numberCell(there, 2);
      if (!issued || !repealed || !stock || !last) continue;
      const expected = last.value + issued.value - repealed.value;
      if (stock.value === expected) continue;
      out.push({
        message: `表二“${spec.label}”现行有效件数为${fmt(stock.value)}，但上年报告的现行有效件数${fmt(last.value)}加本年制发${fmt(issued.value)}件、减本年废止${fmt(repealed.value)}件应为${fmt(expected)}（如有修订、到期失效等情况，请核实）`,
        range: stock.range,
      });
    }
    return out;
  },
} satisfies PairRule;
