import type { Rule, RuleFinding } from '../src/rule.js';
import { TABLE_NAMES } from '../src/template.js';

export default {
  id: 'table-unreadable',
  title: '表格无法可靠读取',
  category: 'tables',
  severity: 'warning',
  description:
    '表格存在，但其中的行无法可靠地与模板的行对应（常见于转换时被拆散的表格、以图片粘贴的表格）。此时只报告这一条，不再逐行报告缺少的行和数字个数，请对照原表核对。',
  check({ report }) {
    const out: RuleFinding[] = [];
    for (const id of ['t2', 't3'] as const) {
      const t = report.tables[id];
      if (!t?.unreadable) continue;
      const first = t.rows.find(Boolean);
      const at = first ? first.labelRange.start : t.region.start;
      out.push({
        message: `${TABLE_NAMES[id]}无法可靠读取：${t.unreadable}，请核对原表`,
        range: { start: at, end: at },
      });
    }
    return out;
  },
} satisfies Rule;
