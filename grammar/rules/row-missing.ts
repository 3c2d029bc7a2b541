import type { Rule, RuleFinding } from '../src/rule.js';
import { insertRow } from '../src/layout.js';
import { T2_ROWS, T3_ROWS, TABLE_NAMES } from '../src/template.js';

export default {
  id: 'row-missing',
  title: '缺少表格行',
  category: 'tables',
  severity: 'error',
  description: '表二、表三的每一行都是模板规定的统计项，没有数据也要填0，不能删除。快速修复会按表格原有的排版插入该行并填0。',
  check({ report }) {
    const out: RuleFinding[] = [];
    for (const id of ['t2', 't3'] as const) {
      const t = report.tables[id];
      if (!t || !t.rows.some(Boolean)) continue;
      for (const spec of id === 't2' ? T2_ROWS : T3_ROWS) {
        if (t.rows[spec.index]) continue;
        // The 2019 layout's single （六）其他处理 row is reported as outdated-template.
        if (id === 't3' && t.legacyOther && spec.index >= 20 && spec.index <= 22) continue;
        const edit = insertRow(report.text, t, spec);
        const at = edit ? edit.start : t.region.start;
        out.push({
          message: `${TABLE_NAMES[id]}缺少“${spec.label}”行`,
          range: { start: at, end: at },
          fix: edit ? { title: `插入“${spec.label}”行`, edits: [edit] } : undefined,
        });
      }
    }
    return out;
  },
} satisfies Rule;
