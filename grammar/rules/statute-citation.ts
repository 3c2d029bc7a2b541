import type { Report } from '../src/model.js';
import type { Rule, RuleFinding } from '../src/rule.js';
import { T2_GROUPS, T2_ROWS } from '../src/template.js';

/** A citation of an article and item as 表二's group headings write it: 第二十条第（一）项. */
const ITEM =
  /第\s*([一二三四五六七八九十]{1,4})\s*条\s*第\s*[（(]\s*([一二三四五六七八九十]{1,3})\s*[）)]\s*项/g;

/**
 * Articles of the 2007 条例 on the annual report that the 2019 revision renumbered, with the 2019
 * article for the same duty: the report's publication (2007 第三十一条 → 2019 第四十九条) and its
 * contents (2007 第三十二条 → 2019 第五十条).
 */
const RENUMBERED: Record<string, { now: string; duty: string }> = {
  三十一: { now: '四十九', duty: '年度报告的公布期限' },
  三十二: { now: '五十', duty: '年度报告的内容' },
};
/** 《中华人民共和国政府信息公开条例》 or its short name, then an article (and the next one joined by 、 or 和). */
const OLD_ARTICLE = /《(?:中华人民共和国)?政府信息公开条例》|《条例》/g;

/** 表二's group heading for a row of the table at `at`: the group of the first row after it. */
function groupAfter(report: Report, at: number): string | undefined {
  const t2 = report.tables.t2;
  if (!t2) return undefined;
  let best: { start: number; group?: string } | undefined;
  for (const row of t2.rows)
    if (row && row.labelRange.start > at && (!best || row.labelRange.start < best.start))
      best = { start: row.labelRange.start, group: row.spec.group };
  return best?.group;
}

export default {
  id: 'statute-citation',
  title: '法条引用有误',
  category: 'language',
  severity: 'warning',
  description:
    '表二的分组标题引用《政府信息公开条例》第二十条的四项：第（一）项（规章、行政规范性文件）、第（五）项（行政许可）、第（六）项（行政处罚、行政强制）、第（八）项（行政事业性收费），条号或项号写错的，自动修复改为模板的写法。正文引用2007年版条例的条号说明年度报告（第三十一条、第三十二条）的，2019年修订后分别为第四十九条、第五十条。',
  docs: {
    examples: [
      { right: '第二十条第（五）项', wrong: '第二十条第（四）项', note: '表二“行政许可”一组的标题。' },
      {
        right: '条例》第五十条编制',
        wrong: '条例》第三十二条编制',
        note: '2007年版条例的第三十二条，2019年修订后为第五十条。',
      },
    ],
    fix: '自动修复：表二分组标题改为模板的写法；引用2007年版条例条号的，改为2019年修订后的条号。',
  },
  check({ report }) {
    const out: RuleFinding[] = [];
    const text = report.norm;
    const t2 = report.tables.t2;
    if (t2) {
      const from = report.sectionBody.S2?.start ?? t2.region.start;
      const region = text.slice(from, t2.region.end);
      for (const m of region.matchAll(ITEM)) {
        const start = from + m.index;
        const range = { start, end: start + m[0].length };
        // A heading is a cell of its own (a line, or between | and TABs); a sentence may cite other items.
        const before = text.slice(text.lastIndexOf('\n', start - 1) + 1, start);
        const nl = text.indexOf('\n', range.end);
        const after = text.slice(range.end, nl < 0 ? text.length : nl);
        if (!/^[\s|]*$/.test(before.split('\t').pop() ?? '') || !/^[\s|]*(?:\t|$)/.test(after)) continue;
        const shown = report.text.slice(range.start, range.end);
        const written = m[0].replace(/\s+/g, '').replace('(', '（').replace(')', '）');
        const expected = groupAfter(report, range.end);
        if (expected) {
          if (written === expected) continue;
          const rows = T2_ROWS.filter((r) => r.group === expected)
            .map((r) => r.label)
            .join('、');
          out.push({
            message: `表二分组标题“${shown}”与模板不符：“${rows}”一组应为“${expected}”`,
            range,
            fix: { title: `改为“${expected}”`, edits: [{ ...range, newText: expected }] },
          });
        } else if (!T2_GROUPS.includes(written))
          out.push({
            message: `表二分组标题“${shown}”与模板不符：应为第二十条第（一）项、第（五）项、第（六）项或第（八）项`,
            range,
          });
      }
    }
    if (report.year != null && report.year >= 2019) {
      const defined = text.includes('政府信息公开条例');
      for (const m of text.matchAll(OLD_ARTICLE)) {
        if (m[0] === '《条例》' && !defined) continue;
        const after = m.index + m[0].length;
        const cited = /^(?:（[^）]{0,16}）)?\s*第([一二三四五六七八九十]{2,4})条/.exec(
          text.slice(after, after + 30),
        );
        if (!cited) continue;
        const old = RENUMBERED[cited[1]];
        if (!old) continue;
        // Only where the sentence is about the annual report: the duty these two articles set.
        const sentence = text.slice(Math.max(0, m.index - 60), after + 80);
        if (!/年度报告|年报|本报告/.test(sentence)) continue;
        const start = after + cited.index + cited[0].indexOf('第');
        const range = { start, end: start + cited[1].length + 2 };
        const now = `第${old.now}条`;
        out.push({
          message: `“第${cited[1]}条”是2007年版《政府信息公开条例》的条号（${old.duty}）；2019年修订后为“${now}”`,
          range,
          fix: { title: `改为“${now}”`, edits: [{ ...range, newText: now }] },
        });
      }
    }
    return out;
  },
} satisfies Rule;
