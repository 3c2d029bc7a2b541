import type { Rule, RuleFinding } from '../src/rule.js';
import { SECTIONS } from '../src/template.js';

export default {
  id: 'section-order',
  title: '章节顺序错误',
  category: 'structure',
  severity: 'error',
  description: '六个部分应按模板顺序各出现一次。顺序颠倒或重复出现时，读者和上级审核都会误读报告。',
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
