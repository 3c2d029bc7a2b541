import type { Rule, RuleFinding } from '../src/rule.js';
import { nearMisses, overlaps, rewrittenRanges } from './shared/vocabulary.js';

export default {
  id: 'term-typo',
  title: '模板用语错别字',
  category: 'language',
  severity: 'warning',
  description:
    '模板的固定用语（章节和小标题、表格的行列标签，以及“政府信息公开”“依申请公开”“不予公开”“行政复议”“行政诉讼”“信息处理费”“现行有效件数”等反复使用的说法）写错了一两个字：同音或形近字（“不子公开”“本年废纸件数”“行政复义”）、多一个字（“行政法复议”）或少一个字（“政府信公开申请”）。用语由模板规定，自动修复改为模板的写法；本身是另一个正常说法的（如“不予受理”“给予公开”）不报。',
  docs: {
    examples: [
      { right: '收到政府信息公开申请3件', wrong: '收到政府信息公开申情3件' },
      { right: '本年废止件数', wrong: '本年废纸件数', note: '表二的列标题：同音字“纸”写成了“止”的位置。' },
    ],
    fix: '自动修复：改为模板的写法（用语由模板规定）。本身是另一个正常说法的（如“不予受理”“给予公开”）不报告，也不修改。',
  },
  check({ report }) {
    const out: RuleFinding[] = [];
    const skip = rewrittenRanges(report);
    for (const m of nearMisses(report.norm)) {
      if (overlaps(skip, m.start, m.end)) continue;
      const written = report.text.slice(m.start, m.end);
      out.push({
        message: `“${written}”疑为模板用语“${m.term}”之误`,
        range: { start: m.start, end: m.end },
        fix: { title: `改为“${m.term}”`, edits: [{ start: m.start, end: m.end, newText: m.term }] },
      });
    }
    return out;
  },
} satisfies Rule;
