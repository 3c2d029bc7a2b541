import type { Rule, RuleFinding } from '../src/rule.js';
import { TABLE_NAMES } from '../src/template.js';

export default {
  id: 'row-label',
  title: '行标签不规范',
  category: 'tables',
  severity: 'warning',
  description:
    '表格行标签应与模板一字不差（如“2.其他法律行政法规禁止公开”）。错别字或漏字会让读者误解统计口径。标签由模板规定，自动修复改为模板的标签。',
  docs: {
    examples: [{ right: '2.其他法律行政法规禁止公开\t', wrong: '2.其他法律法规禁止公开\t' }],
    fix: '自动修复把行标签改为模板的标签。',
  },
  check({ report }) {
    const out: RuleFinding[] = [];
    for (const id of ['t2', 't3'] as const) {
      for (const row of report.tables[id]?.rows ?? []) {
        if (!row || row.labelDistance === 0 || report.tables[id]?.unreadable) continue;
        // A label wrapped over several lines by a PDF converter is garbled by layout, not by its author.
        if (row.wrapped || /[\r\n]/.test(row.label)) continue;
        out.push({
          message: `${TABLE_NAMES[id]}行标签“${row.label.replace(/\s+/g, '')}”与模板不符，应为“${row.spec.label}”`,
          range: row.labelRange,
          fix: { title: `改为“${row.spec.label}”`, edits: [{ ...row.labelRange, newText: row.spec.label }] },
        });
      }
    }
    return out;
  },
} satisfies Rule;
