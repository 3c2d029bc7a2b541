import type { Rule, RuleFinding } from '../src/rule.js';

export default {
  id: 'outdated-template',
  title: '使用旧版模板',
  category: 'structure',
  severity: 'error',
  description:
    '2021年起的年度报告应使用国办公开办函〔2021〕30号印发的格式。2019年试行格式中表三“（六）其他处理”只有一行，新格式分为“1.申请人无正当理由逾期不补正……”“2.申请人逾期未按收费通知要求缴纳费用……”“3.其他”三行；更早的格式以“一、概述”开头。只改标题不能让报告符合现行格式，所以不自动修复，只提供改标题的建议。',
  docs: {
    examples: [{ right: '一、总体情况\n', wrong: '一、概述\n' }],
    fix: '不自动修复：请改用现行格式（国办公开办函〔2021〕30号）重新填写；编辑器中只提供改标题的建议。',
  },
  check({ report }) {
    const out: RuleFinding[] = [];
    for (const s of report.sections) {
      if (s.kind === 'outdated')
        out.push({
          message: `“${s.heading}”是2019年以前的旧格式，应为“一、总体情况”并按现行格式编写`,
          range: s.range,
          // Renaming the heading alone would clear the one error that says the whole report
          // follows the old format: offered, never applied by fix-all.
          ...(!s.endGuessed
            ? {
                suggestions: [
                  {
                    title: '将标题改为“一、总体情况”（其余内容仍需按现行格式改写）',
                    edits: [{ ...s.range, newText: '一、总体情况' }],
                  },
                ],
              }
            : {}),
        });
    }
    // A table that cannot be read says so once (table-unreadable); its rows prove nothing.
    const legacy = report.tables.t3?.unreadable ? undefined : report.tables.t3?.legacyOther;
    if (legacy) {
      out.push({
        message:
          '表三“（六）其他处理”只有一行，这是2019年试行格式；现行格式应分为“1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请”“2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请”“3.其他”三行',
        range: legacy.labelRange,
      });
    }
    return out;
  },
} satisfies Rule;
