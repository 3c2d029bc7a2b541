import type { Rule, RuleFinding } from '../src/rule.js';
import { TABLE_NAMES } from '../src/template.js';

export default {
  id: 'table-unreadable',
  title: '表格无法可靠读取',
  category: 'tables',
  severity: 'warning',
  description:
    '表格存在，但其中的行无法可靠地与模板的行对应（常见于转换时被拆散的表格、以图片粘贴的表格）。此时只报告这一条，不再逐行报告缺少的行和数字个数，请对照原表核对。',
  docs: {
    examples: [
      {
        right:
          '规章\t0\t0\t0\n行政规范性文件\t2\t1\t9\n第二十条第（五）项\n信息内容\t本年处理决定数量\n行政许可\t14',
        wrong: '规章\t0\n行政规范性文件\t2\n第二十条第（五）项\n信息内容\t本年处理决定数量\n行政许可\t14\t0',
        note: '表格转换时数字错了列：几行的数字个数都不对，无法确定哪个数属于哪一格。',
      },
    ],
    fix: '不自动修复：请对照原表，把表格改为每行一个统计项、各数分列的文字表格。',
  },
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
