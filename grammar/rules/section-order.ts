import type { Rule, RuleFinding } from '../src/rule.js';
import { SECTIONS } from '../src/template.js';

export default {
  id: 'section-order',
  title: '章节顺序错误',
  category: 'structure',
  severity: 'error',
  description: '六个部分应按模板顺序各出现一次。顺序颠倒或重复出现时，读者和上级审核都会误读报告。',
  docs: {
    examples: [
      {
        right:
          '五、存在的主要问题及改进情况\n一是部分栏目更新不够及时；二是政策解读形式较为单一。下一步将建立更新台账，增加图解和短视频解读。\n六、其他需要报告的事项\n本年度未收取信息处理费。',
        wrong:
          '六、其他需要报告的事项\n本年度未收取信息处理费。\n五、存在的主要问题及改进情况\n一是部分栏目更新不够及时；二是政策解读形式较为单一。下一步将建立更新台账，增加图解和短视频解读。',
      },
    ],
    fix: '不自动修复：请按模板顺序调整章节，删去重复的章节。',
  },
  check({ report }) {
    const out: RuleFinding[] = [];
    const seen = new Set<string>();
    let last = '';
    for (const s of report.sections) {
      const spec = SECTIONS.find((x) => x.id === s.id)!;
      if (seen.has(s.id)) out.push({ message: `“${spec.standard}”重复出现`, range: s.range });
      else if (s.id < last) {
        const prev = SECTIONS.find((x) => x.id === last)!;
        out.push({ message: `“${spec.standard}”应在“${prev.standard}”之前`, range: s.range });
      }
      seen.add(s.id);
      if (s.id > last) last = s.id;
    }
    return out;
  },
} satisfies Rule;
