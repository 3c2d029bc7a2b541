import type { Rule } from '../src/rule.js';
import { SECTIONS } from '../src/template.js';

export default {
  id: 'section-heading',
  title: '章节标题不规范',
  category: 'structure',
  severity: 'warning',
  description:
    '章节标题应使用模板的规范表述和编号（如“四、政府信息公开行政复议、行政诉讼情况”）。变体或错别字会影响汇总和检索。规范表述由模板规定，能确定标题范围时自动修复改为规范表述。',
  docs: {
    examples: [
      { right: '四、政府信息公开行政复议、行政诉讼情况', wrong: '四、政府信息公开行政复议和行政诉讼情况' },
    ],
    fix: '能确定标题的范围时，自动修复把标题改为模板的规范表述和编号。',
  },
  check({ report }) {
    return report.sections
      .filter((s) => !s.standard && s.kind !== 'outdated')
      .map((s) => {
        const std = SECTIONS.find((x) => x.id === s.id)!.standard;
        return {
          message: `章节标题“${s.heading}”不规范，应为“${std}”`,
          range: s.range,
          // A heading whose end is a guess (run into the prose on one line) is not rewritten: the
          // edit could swallow the prose after it.
          ...(s.endGuessed ? {} : { fix: { title: `改为“${std}”`, edits: [{ ...s.range, newText: std }] } }),
        };
      });
  },
} satisfies Rule;
