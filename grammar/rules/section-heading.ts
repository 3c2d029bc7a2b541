import type { Range } from '../src/model.js';
import type { Rule } from '../src/rule.js';
import { SECTIONS } from '../src/template.js';

/**
 * A heading standing alone on its lines (blank around it; no gap inside but after its numbering or
 * where it wraps onto the next line).
 * Only then is its extent certain; a heading run into the prose on one line (a page flattened to
 * a single line) has no end a fix could trust, and rewriting it would swallow the prose.
 */
export function headingAlone(text: string, range: Range): boolean {
  const before = text.slice(text.lastIndexOf('\n', range.start - 1) + 1, range.start);
  const nl = text.indexOf('\n', range.end);
  const after = text.slice(range.end, nl < 0 ? text.length : nl);
  const inside = text
    .slice(range.start, range.end)
    .trim()
    .replace(/^[^、.．，,]{1,4}[、.．，,]\s*/, '')
    .replace(/[ \t\u3000]*\r?\n[ \t\u3000]*/g, '');
  return !/\S/.test(before) && !/\S/.test(after) && !/\s/.test(inside);
}

export default {
  id: 'section-heading',
  title: '章节标题不规范',
  category: 'structure',
  severity: 'warning',
  description:
    '章节标题应使用模板的规范表述和编号（如“四、政府信息公开行政复议、行政诉讼情况”）。变体或错别字会影响汇总和检索。规范表述由模板规定，标题单独成行时自动修复改为规范表述。',
  check({ report }) {
    return report.sections
      .filter((s) => !s.standard && s.kind !== 'outdated')
      .map((s) => {
        const std = SECTIONS.find((x) => x.id === s.id)!.standard;
        return {
          message: `章节标题“${s.heading}”不规范，应为“${std}”`,
          range: s.range,
          ...(headingAlone(report.text, s.range)
            ? { fix: { title: `改为“${std}”`, edits: [{ ...s.range, newText: std }] } }
            : {}),
        };
      });
  },
} satisfies Rule;
