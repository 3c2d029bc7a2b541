import type { Rule } from '../src/rule.js';

export default {
  id: 'fee-statement-missing',
  title: '未说明信息处理费',
  category: 'prose',
  severity: 'warning',
  description:
    '“六、其他需要报告的事项”应说明本年度是否收取信息处理费（依据《政府信息公开信息处理费管理办法》），例如“本年度未收取信息处理费”。',
  docs: {
    examples: [{ right: '本年度未收取信息处理费。', wrong: '本年度无其他需要报告的事项。' }],
    fix: '不自动修复：请在“六、其他需要报告的事项”中写明本年度是否收取信息处理费。',
  },
  check({ report }) {
    const s = report.sections.find((x) => x.id === 'S6');
    const body = report.sectionBody.S6;
    if (!s || !body) return [];
    const text = report.norm.slice(body.start, Math.min(body.end, body.start + 5000));
    if (/处理费|收取[^。]{0,20}费|收费/.test(text)) return [];
    return [
      {
        message: '“六、其他需要报告的事项”没有说明是否收取信息处理费（如“本年度未收取信息处理费”）',
        range: s.range,
      },
    ];
  },
} satisfies Rule;
