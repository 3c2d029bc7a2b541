import type { Rule, RuleFinding } from '../src/rule.js';
import { oddCells } from './shared/odd-cells.js';

export default {
  id: 'cell-invalid',
  title: '单元格不是有效数字',
  category: 'tables',
  severity: 'error',
  description:
    '统计表中的数都应是非负整数（表二“行政事业性收费”以万元计，可有小数）。负数、字母、计数中的小数都是填写错误。',
  check({ report }) {
    const out: RuleFinding[] = [];
    for (const { cell, name } of oddCells(report)) {
      if (cell.status === 'invalid')
        out.push({ message: `${name}“${cell.raw}”不是有效的数（应为非负整数）`, range: cell.range });
    }
    return out;
  },
} satisfies Rule;
