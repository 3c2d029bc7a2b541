import type { Rule, RuleFinding } from '../src/rule.js';

const PATTERNS: Array<[RegExp, string, string?]> = [
  [/\[bookmark:[^\]\n]{0,40}\]/g, '文档转换留下的书签标记', 'bookmark'],
  [
    /(?:共|计)(?:主动)?(?:公开|收到|受理|发布|办理|制发|答复|办结)(?:政府信息|信息|申请)?(?:条|件)(?![\u4e00-\u9fff\d])/g,
    '数字未填写',
  ],
  [/[XxＸｘ×]{1,4}\s*(?:件|条|个|次|人次|万元|年|月|日)/g, '占位符未替换'],
  [/〔\s*〕|\[\s*\]|【\s*】/g, '空的括号'],
  [/[（(]\s*文字描述[^（）()\n]{0,40}[）)]/g, '模板说明文字未删除', '文字描述'],
  [
    /[XxＸｘ×]{2,8}\s*[（(]\s*(?:单位|机关|部门|单位名称|机关名称|部门名称|名称)\s*[）)]/g,
    '模板说明文字未删除',
  ],
];

export default {
  id: 'placeholder',
  title: '未填写的占位符',
  category: 'prose',
  severity: 'warning',
  description:
    '正文中留有未填写的空位（“共主动公开条”“XX件”“XXXX年”“〔〕”）、模板的说明文字（“（文字描述……）”“XX（单位名称）”）或文档转换留下的标记（如“[bookmark: _GoBack]”），发布前应补全或删除。文档转换留下的标记可自动删除；空位和说明文字要由填报人填写，不会自动修复。',
  docs: {
    examples: [{ right: '收到政府信息公开申请3件', wrong: '收到政府信息公开申请XX件' }],
    fix: '文档转换留下的标记（如“[bookmark: _GoBack]”）自动删除；空位和模板说明文字要由填报人填写或删除。',
  },
  check({ report }) {
    const out: RuleFinding[] = [];
    const text = report.norm;
    for (const [re, what, cue] of PATTERNS) {
      if (cue && !text.includes(cue)) continue;
      re.lastIndex = 0;
      for (let m; (m = re.exec(text)); ) {
        const range = { start: m.index, end: m.index + m[0].length };
        const artefact = what === '文档转换留下的书签标记';
        out.push({
          message: `“${report.text.slice(range.start, range.end)}”：${what}`,
          range,
          fix: artefact ? { title: '删除该标记', edits: [{ ...range, newText: '' }] } : undefined,
        });
        if (out.length > 200) return out;
      }
    }
    return out;
  },
} satisfies Rule;
