import type { Rule, RuleFinding } from '../src/rule.js';
import { SECTIONS, TABLE_NAMES, TABLE_SECTION, type TableId } from '../src/template.js';

export default {
  id: 'table-missing',
  title: '缺少表格',
  category: 'structure',
  severity: 'error',
  description: '第二、三、四部分各有一张固定表格。表格缺失或以图片粘贴时无法核对数据，也不符合模板要求。',
  docs: {
    examples: [
      {
        right:
          '行政复议\t行政诉讼\n结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t未经复议直接起诉\t复议后起诉\n1\t0\t0\t0\t1\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\n',
        wrong: '（表格见附件）\n',
      },
    ],
    fix: '不自动修复：请按模板插入表格并填写数字；以图片粘贴的表格请改为文字表格。',
  },
  check({ report }) {
    const out: RuleFinding[] = [];
    for (const id of ['t2', 't3', 't4'] as TableId[]) {
      const sec = report.sections.find((s) => s.id === TABLE_SECTION[id]);
      if (!sec) continue;
      const t = report.tables[id];
      const ok = !t ? false : t.id === 't4' ? (t.t4?.found.length ?? 0) > 0 : t.rows.some(Boolean);
      const name = SECTIONS.find((s) => s.id === sec.id)!.standard;
      if (!ok)
        out.push({
          message: `“${name}”中没有可识别的${TABLE_NAMES[id]}（可能是粘贴的图片）`,
          range: sec.range,
        });
    }
    return out;
  },
} satisfies Rule;
