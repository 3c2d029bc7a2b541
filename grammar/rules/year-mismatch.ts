import type { Rule, RuleFinding } from '../src/rule.js';

export default {
  id: 'year-mismatch',
  title: '年份不一致',
  category: 'prose',
  severity: 'error',
  description: '标题中的年份、统计期限（某年1月1日至12月31日）应是同一个报告年度。年份不一致通常是沿用了上一年的报告没有改全。',
  check({ report }) {
    const out: RuleFinding[] = [];
    const { title, period } = report;
    if (period && period.from !== period.to) out.push({ message: `统计期限的起止年份不一致：${period.from}年1月1日至${period.to}年12月31日`, range: period.range });
    if (title?.year && period && title.year !== period.to) {
      out.push({ message: `标题年份为${title.year}年，但统计期限为${period.to}年`, range: period.range });
    }
    return out;
  },
} satisfies Rule;
