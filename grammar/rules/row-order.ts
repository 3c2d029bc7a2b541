import type { Rule, RuleFinding } from '../src/rule.js';
import { TABLE_NAMES } from '../src/template.js';

export default {
  id: 'row-order',
  title: '表格行顺序错误',
  category: 'tables',
  severity: 'warning',
  description: '表格各行应按模板顺序排列、各出现一次。顺序错乱或重复的行容易被误读或重复统计。',
  docs: {
    examples: [{ right: '行政处罚\t6\n行政强制\t0', wrong: '行政强制\t0\n行政处罚\t6' }],
    fix: '不自动修复：请按模板顺序调整各行，删去重复的行。',
  },
  check({ report }) {
    const out: RuleFinding[] = [];
    for (const id of ['t2', 't3'] as const) {
      const t = report.tables[id];
      if (!t || t.unreadable) continue;
      for (const d of t.duplicates)
        out.push({ message: `${TABLE_NAMES[id]}“${d.spec.label}”行重复出现`, range: d.labelRange });
      let max = -1;
      for (const i of t.order) {
        const row = t.rows[i]!;
        if (i < max)
          out.push({
            message: `${TABLE_NAMES[id]}“${row.spec.label}”行的位置不对，应排在更前面`,
            range: row.labelRange,
          });
        max = Math.max(max, i);
      }
    }
    return out;
  },
} satisfies Rule;
