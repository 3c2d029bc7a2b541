import type { Rule, RuleFinding } from '../src/rule.js';
import { oddCells } from '../src/cells.js';

export default {
  id: 'cell-blank',
  title: '单元格为空',
  category: 'tables',
  severity: 'warning',
  description: '没有发生的事项应填0。空白或“/”“-”“无”等占位符不等于0，读者无法判断是没有发生还是漏填。',
  check({ report }) {
    const out: RuleFinding[] = [];
    for (const { cell, name } of oddCells(report)) {
      if (cell.status === 'blank') {
        out.push({
          message: `${name}为“${cell.raw}”，没有填数（没有发生应填0）`,
          range: cell.range,
          fix: { title: '填0', edits: [{ ...cell.range, newText: '0' }] },
        });
      }
    }
    return out;
  },
} satisfies Rule;
