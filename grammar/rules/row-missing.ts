import { insertRow } from '../src/fix/insert-row.js';
import type { Rule, RuleFinding } from '../src/rule.js';
import { T2_ROWS, T3_ROW, T3_ROWS, TABLE_NAMES } from '../src/template.js';
import { impliedT3Row } from './shared/arithmetic.js';

export default {
  id: 'row-missing',
  title: '缺少表格行',
  category: 'tables',
  severity: 'error',
  description:
    '表二、表三的每一行都是模板规定的统计项，没有数据也要填0，不能删除。表三缺少的行由表内合计关系确定时（每个数由所在列的合计关系算出，本行合计也与算出的各数相符），自动修复按表格原有的排版插入该行并填入算出的数；确定不了时只提供填0插入的建议，由填报人核对，不会自动修复。',
  docs: {
    examples: [
      { right: '2.重复申请\t0\t0\t0\t0\t0\t0\t0\n3.要求提供公开出版物', wrong: '3.要求提供公开出版物' },
    ],
    fix: '表三缺少的行能由表内合计关系确定时，自动修复按表格原有的排版插入该行并填入算出的数；确定不了时只提供“填0插入”的建议，由填报人核对。',
  },
  check({ report }) {
    const out: RuleFinding[] = [];
    for (const id of ['t2', 't3'] as const) {
      const t = report.tables[id];
      if (!t?.rows.some(Boolean) || t.unreadable) continue;
      for (const spec of id === 't2' ? T2_ROWS : T3_ROWS) {
        if (t.rows[spec.index]) continue;
        // The 2019 layout's single （六）其他处理 row is reported as outdated-template.
        if (
          t.id === 't3' &&
          t.legacyOther &&
          spec.index >= T3_ROW.FIRST_OTHER &&
          spec.index <= T3_ROW.LAST_OUTCOME
        )
          continue;
        // Two relations decide each value (its column's and the row's own total, see impliedT3Row):
        // inserting them is a repair, not a guess.
        const implied = id === 't3' ? impliedT3Row(report, spec.index) : null;
        const edit = insertRow(report.text, t, spec, implied ?? undefined);
        const at = edit ? edit.start : t.region.start;
        const finding: RuleFinding = {
          message: `${TABLE_NAMES[id]}缺少“${spec.label}”行`,
          range: { start: at, end: at },
        };
        if (edit && implied)
          finding.fix = {
            title: `插入“${spec.label}”行${implied.some((x) => x > 0) ? `（按合计关系填${implied.join('、')}）` : ''}`,
            edits: [edit],
          };
        else if (edit)
          finding.suggestions = [{ title: `插入“${spec.label}”行并填0（请核对）`, edits: [edit] }];
        out.push(finding);
      }
    }
    return out;
  },
} satisfies Rule;
