import type { Row } from '../src/model.js';
import type { Rule, RuleFinding } from '../src/rule.js';
import { TABLE_NAMES } from '../src/template.js';

export default {
  id: 'cells-run-together',
  title: '数字连写',
  category: 'tables',
  severity: 'warning',
  description:
    '网页或复制粘贴时表格被压平，几个单元格的数字连在一起（如“713000074”）。只有按表内合计关系能唯一拆分时才采用该拆分；否则这些单元格无法可靠读取，请核对原表。',
  docs: {
    examples: [{ right: '行政规范性文件\t2\t1\t9', wrong: '行政规范性文件\t219' }],
    fix: '不自动修复：请对照原表，把连在一起的数字分别填入各自的单元格。',
  },
  check({ report }) {
    const out: RuleFinding[] = [];
    for (const id of ['t2', 't3'] as const) {
      const rows = (report.tables[id]?.rows ?? []).filter((r): r is Row => !!r?.run);
      if (!rows.length) continue;
      const bad = rows.filter((r) => r.run!.solutions !== 1);
      const first = rows[0];
      if (!bad.length) {
        out.push({
          severity: 'info',
          message: `${TABLE_NAMES[id]}的数字连写在一起（如“${first.run!.digits}”），已按表内合计关系唯一拆分，请核对`,
          range: first.run!.range,
        });
      }
      for (const r of bad) {
        const why =
          r.run!.solutions === 0
            ? '没有一种拆分能满足合计关系'
            : id === 't2'
              ? '表二没有合计关系可用来拆分'
              : `有${r.run!.solutions}种拆分都满足合计关系`;
        out.push({
          message: `${TABLE_NAMES[id]}“${r.spec.label}”行的数字连写为“${r.run!.digits}”，${why}，无法可靠读取`,
          range: r.run!.range,
        });
      }
    }
    const t4 = report.tables.t4?.t4;
    if (t4?.run) {
      out.push(
        t4.run.solutions === 1
          ? {
              severity: 'info',
              message: `表四的15个数连写为“${t4.run.digits}”，已按各板块合计唯一拆分，请核对`,
              range: t4.run.range,
            }
          : {
              message: `表四的数字连写为“${t4.run.digits}”，无法按合计关系唯一拆分，无法可靠读取`,
              range: t4.run.range,
            },
      );
    }
    return out;
  },
} satisfies Rule;
