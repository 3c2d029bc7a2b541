import { numberCell, readableRow } from '../src/cross-year/cells.js';
import type { PairRule } from '../src/cross-year/rule.js';
import type { RuleFinding } from '../src/rule.js';
import { T3_COLUMNS } from '../src/template.js';

/** 表三 rows: 一、本年新收, 二、上年结转, （七）总计, 四、结转下年度继续办理. */
const NEW = 0,
  CARRIED_IN = 1,
  HANDLED = 23,
  CARRIED_OUT = 24;

export default {
  id: 'carryover-mismatch',
  title: '上年结转与上年报告不符',
  category: 'tables',
  severity: 'error',
  description:
    '本年表三“二、上年结转政府信息公开申请数量”应等于同一机关上年报告表三“四、结转下年度继续办理”的同一列。需要同一机关上一年度的报告（命令行 --previous，编辑器中为同一工作区文件夹中的上年报告）。不知道哪一年的数填错了，所以不自动修复；本年表三勾稽关系不平且按上年的数改正后能平时，提供按上年报告改正的建议。',
  docs: {
    examples: [
      {
        report: 'previous',
        note: '本年报告表三为“二、上年结转政府信息公开申请数量 | 1 | 0 | 0 | 0 | 0 | 0 | 1”，示例是上年报告的表三。',
        right: '四、结转下年度继续办理\t1\t0\t0\t0\t0\t0\t1',
        wrong: '四、结转下年度继续办理\t2\t0\t0\t0\t0\t0\t2',
      },
    ],
    fix: '不自动修复：不知道哪一年的数填错了。本年表三勾稽关系不平、按上年报告的数改正后能平时，提供按上年报告改正的建议。',
  },
  checkPair({ current, previous }) {
    const here = readableRow(current.report, 't3', CARRIED_IN);
    const there = readableRow(previous.report, 't3', CARRIED_OUT);
    if (!here || !there) return [];
    const out: RuleFinding[] = [];
    let columnsAgree = true;
    for (let c = 0; c < 7; c++) {
      // The 总计 column only when every column of its own is read and agrees (else it repeats
      // that column's finding, or follows from a cell nobody can read).
      if (c === 6 && !columnsAgree) break;
      const cell = numberCell(here, c),
        last = numberCell(there, c);
      if (!cell || !last || cell.value !== last.value) columnsAgree = false;
      if (!cell || !last || cell.value === last.value) continue;
      const f: RuleFinding = {
        message: `表三“上年结转”“${T3_COLUMNS[c]}”为${cell.value}，但上年报告“结转下年度”为${last.value}`,
        range: cell.range,
      };
      if (!here.run && balancesWith(current.report, c, last.value))
        f.suggestions = [
          {
            title: `按上年报告将“上年结转”“${T3_COLUMNS[c]}”改为${last.value}`,
            edits: [{ start: cell.range.start, end: cell.range.end, newText: String(last.value) }],
          },
        ];
      out.push(f);
    }
    return out;
  },
} satisfies PairRule;

/**
 * This year's 勾稽关系 of column c is broken now and holds with the carried-over count set to
 * last year's: the one case where last year's number is the better guess.
 */
function balancesWith(report: Parameters<typeof readableRow>[0], c: number, carried: number): boolean {
  const v = (r: number) => numberCell(readableRow(report, 't3', r), c)?.value;
  const a = v(NEW),
    b = v(CARRIED_IN),
    h = v(HANDLED),
    o = v(CARRIED_OUT);
  if (a == null || b == null || h == null || o == null) return false;
  return a + b !== h + o && a + carried === h + o;
}
