import type { Rule } from '../src/rule.js';
import { SECTIONS } from '../src/template.js';

export default {
  id: 'section-missing',
  title: '缺少章节',
  category: 'structure',
  severity: 'error',
  description:
    '年度报告必须依次包含六个部分：一、总体情况；二、主动公开政府信息情况；三、收到和处理政府信息公开申请情况；四、政府信息公开行政复议、行政诉讼情况；五、存在的主要问题及改进情况；六、其他需要报告的事项。',
  docs: {
    examples: [
      { right: '五、存在的主要问题及改进情况\n一是部分栏目更新不够及时', wrong: '一是部分栏目更新不够及时' },
    ],
    fix: '不自动修复：缺少的章节要由填报人按模板补写。',
  },
  check({ report }) {
    const found = new Set(report.sections.map((s) => s.id));
    return SECTIONS.filter((s) => !found.has(s.id)).map((s) => {
      const next = report.sections.find((x) => x.id > s.id);
      const at = next ? next.range.start : report.text.length;
      return { message: `缺少第${s.numeral}部分“${s.standard}”`, range: { start: at, end: at } };
    });
  },
} satisfies Rule;
