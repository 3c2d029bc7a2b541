import type { Report } from '../src/model.js';
import type { Rule, RuleFinding } from '../src/rule.js';

/**
 * The year the overview describes: `2023年，本局…` statements of S1 that are not comparisons
 * (较2023年, 比上年) or dates of documents cited. Only a year stated at least twice counts.
 */
function describedYears(report: Report): Map<number, number[]> {
  const body = report.sectionBody.S1;
  const out = new Map<number, number[]>();
  if (!body) return out;
  const text = report.norm.slice(body.start, Math.min(body.end, body.start + 20000));
  for (const m of text.matchAll(/(20\d\d)\s*年(?!\s*\d{1,2}\s*月)(?!度?报告)/g)) {
    const before = text.slice(Math.max(0, m.index - 2), m.index);
    if (/[较比与同自从至到截止于〔[（(]|截至|同比|相比/.test(before)) continue;
    const l = out.get(+m[1]) ?? [];
    l.push(body.start + m.index);
    out.set(+m[1], l);
  }
  return out;
}

export default {
  id: 'year-mismatch',
  title: '年份不一致',
  category: 'prose',
  severity: 'error',
  description:
    '标题中的年份、统计期限（某年1月1日至12月31日）和正文所述的年份应是同一个报告年度。年份不一致通常是沿用了上一年的报告没有改全。',
  docs: {
    examples: [
      { right: '统计期限为2024年1月1日至2024年12月31日', wrong: '统计期限为2023年1月1日至2023年12月31日' },
    ],
    fix: '不自动修复：请把标题、统计期限和正文中的年份统一为报告年度。',
  },
  check({ report }) {
    const out: RuleFinding[] = [];
    const { title, period } = report;
    if (period && period.from !== period.to)
      out.push({
        message: `统计期限的起止年份不一致：${period.from}年1月1日至${period.to}年12月31日`,
        range: period.range,
      });
    // Two title lines (a repeated title, a cover and a heading) that name different years.
    const titles = report.titles ?? [];
    const other = titles.find((t) => title?.year && t.year !== title.year);
    if (title?.year && other) {
      out.push({ message: `标题中的年份不一致：${title.year}年和${other.year}年`, range: other.range });
    }
    if (title?.year && period && title.year !== period.to) {
      out.push({ message: `标题年份为${title.year}年，但统计期限为${period.to}年`, range: period.range });
    }
    // The overview describes another year than the title (and never the title's own year).
    const year = title?.year ?? period?.to;
    if (year) {
      const described = describedYears(report);
      if (!described.has(year)) {
        for (const [y, at] of described) {
          if (y === year || at.length < 2 || y > year || y < year - 3) continue;
          out.push({
            message: `标题年份为${year}年，但“一、总体情况”所述为${y}年（出现${at.length}次，没有提到${year}年）`,
            range: { start: at[0], end: at[0] + 5 },
          });
          break;
        }
      }
    }
    return out;
  },
} satisfies Rule;
