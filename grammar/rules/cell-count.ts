import type { Cell } from '../src/model.js';
import type { Rule, RuleFinding } from '../src/rule.js';
import { T4_CELL_COUNT, TABLE_NAMES } from '../src/template.js';

/** Up to this many numbers are listed in full; beyond it the first and last few, the middle elided. */
const LIST_ALL = 18;

/** What was read, so a reviewer sees where the extra or missing numbers come from: `读到25个数：3、1、…、2`. */
function readList(cells: Cell[]): string {
  const raw = cells.map((c) => (c.status === 'blank' || !c.raw ? '空' : c.raw));
  const shown = raw.length <= LIST_ALL ? raw : [...raw.slice(0, 12), '…', ...raw.slice(-4)];
  return `读到${raw.length}个数：${shown.join('、')}`;
}

export default {
  id: 'cell-count',
  title: '单元格数量不符',
  category: 'tables',
  severity: 'error',
  description:
    '每一行的数字个数由模板固定（表二“规章”“行政规范性文件”各3个，其余各1个；表三每行7个；表四共15个）。多出或缺少的数字说明表格被改动或错位。',
  docs: {
    examples: [{ right: '规章\t0\t0\t0', wrong: '规章\t0\t0' }],
    fix: '不自动修复：请对照原表补上缺少的数，或删去多出的数。',
  },
  check({ report }) {
    const out: RuleFinding[] = [];
    for (const id of ['t2', 't3'] as const) {
      if (report.tables[id]?.unreadable) continue;
      for (const row of report.tables[id]?.rows ?? []) {
        if (!row || row.run || row.found === row.spec.cells) continue;
        const at = row.cells.length
          ? { start: row.cells[0].range.start, end: row.cells[row.cells.length - 1].range.end }
          : row.labelRange;
        out.push({
          message: `${TABLE_NAMES[id]}“${row.spec.label}”行应有${row.spec.cells}个数，实际有${row.found}个${row.cells.length === row.found ? `（${readList(row.cells)}）` : ''}`,
          range: at,
        });
      }
    }
    const t4 = report.tables.t4?.t4;
    if (t4 && !t4.run && t4.found.length > 0 && t4.found.length !== T4_CELL_COUNT) {
      const f = t4.found;
      out.push({
        message: `表四应有${T4_CELL_COUNT}个数，实际有${f.length}个（${readList(f)}）`,
        range: { start: f[0].range.start, end: f[f.length - 1].range.end },
      });
    }
    return out;
  },
} satisfies Rule;
