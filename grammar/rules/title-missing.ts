import type { Rule } from '../src/rule.js';

export default {
  id: 'title-missing',
  title: '未识别报告标题',
  category: 'structure',
  severity: 'info',
  description:
    '报告开头应有写明发布机关和年度的标题，如“××局2024年政府信息公开工作年度报告”。找不到标题时，年度按正文（统计期限等）确定，发布机关不从正文语句中猜测，因而无法与该机关其他年度的报告对照。',
  docs: {
    examples: [{ right: '青禾县农业农村局2024年政府信息公开工作年度报告\n', wrong: '' }],
    fix: '不自动修复：请在报告开头写明发布机关和年度的标题。',
  },
  check({ report, lines }) {
    if (report.title) return [];
    // The first line with text: where a title belongs.
    let l = 0;
    while (l < lines.lineCount - 1 && !report.text.slice(lines.starts[l], lines.lineEnd(l)).trim()) l++;
    const range = { start: lines.starts[l], end: lines.lineEnd(l) };
    const year = report.year != null ? `；年度按正文确定为${report.year}年` : '；年度也未能从正文确定';
    return [
      {
        message: `未找到写明发布机关和年度的报告标题（如“××局${report.year ?? 2024}年政府信息公开工作年度报告”）${year}，发布机关未能识别`,
        range,
      },
    ];
  },
} satisfies Rule;
