import type { Rule, RuleFinding } from '../src/rule.js';
import { oddCells } from './shared/odd-cells.js';

/** A number as written, if the cell holds one at all (negative, decimal, full-width digits). */
const NUMBER = /^[-−－]?\d+(?:\.\d+)?$/;

export default {
  id: 'cell-invalid',
  title: '单元格不是有效数字',
  category: 'tables',
  severity: 'error',
  description:
    '统计表中的数都应是非负整数（表二“行政事业性收费”以万元计，可有小数）。汉字数字、带单位的数（如“一”“6件”）、负数、字母、计数中的小数都是填写错误。',
  check({ report }) {
    const out: RuleFinding[] = [];
    for (const { cell, name } of oddCells(report)) {
      if (cell.status !== 'invalid') continue;
      const raw = cell.raw.normalize('NFKC').trim();
      const why = NUMBER.test(raw) ? '不是有效的数（应为非负整数）' : '不是数字';
      out.push({ message: `${name}为“${cell.raw}”，${why}`, range: cell.range });
    }
    return out;
  },
} satisfies Rule;
