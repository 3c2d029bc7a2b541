import type { Rule, RuleFinding } from '../src/rule.js';
import { S1_SUBITEMS } from '../src/template.js';

// A sub-item is there when its key words are, wherever its numbering or wording puts them (spaces
// a converter left between the characters tolerated): the key words, not the heading's syntax.
const PATTERNS = S1_SUBITEMS.map((item) => ({ item, re: new RegExp(item.key.split('').join('\\s*')) }));

export default {
  id: 'subsection-missing',
  title: '缺少总体情况子项',
  category: 'structure',
  severity: 'warning',
  description:
    '“一、总体情况”通常分为五个子项：（一）主动公开、（二）依申请公开、（三）政府信息管理、（四）政府信息公开平台建设、（五）监督保障。缺少子项说明总体情况不完整。',
  docs: {
    examples: [{ right: '（五）监督保障。本局将政务公开纳入年度考核', wrong: '本局将政务公开纳入年度考核' }],
    fix: '不自动修复：请在“一、总体情况”中补写缺少的子项。',
  },
  check({ report }) {
    const body = report.sectionBody.S1;
    const heading = report.sections.find((s) => s.id === 'S1');
    if (!body || !heading) return [];
    const text = report.norm.slice(body.start, body.end);
    const missing = PATTERNS.filter(({ re }) => !re.test(text)).map(({ item }) => `“${item.caption}”`);
    if (!missing.length) return [];
    // One finding at the heading, listing every absent sub-item.
    const finding: RuleFinding = {
      message: `“一、总体情况”缺少${missing.length > 1 ? `${missing.length}个子项：` : '子项'}${missing.join('、')}`,
      range: heading.range,
    };
    return [finding];
  },
} satisfies Rule;
