import type { Rule } from '../src/rule.js';
import { arithmeticFindings } from './shared/arithmetic.js';

export default {
  id: 't4-total',
  title: '表四合计不符',
  category: 'tables',
  severity: 'error',
  description:
    '表四每个板块（行政复议、未经复议直接起诉、复议后起诉）的“总计”应等于结果维持、结果纠正、其他结果、尚未审结之和。每个板块只有这一个合计关系，无法判断是总计填错还是某个分项填错（例如正文说未发生行政复议，而“结果纠正”误填为2），所以不自动修复：快速修复只作为建议提供“把总计改为各分项之和”，由填报人核对各分项后决定，问题在改正前一直报告为错误。',
  docs: {
    examples: [
      {
        right: '1\t0\t0\t0\t1\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0',
        wrong: '1\t0\t0\t0\t2\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0',
      },
    ],
    fix: '不自动修复：无法判断是总计还是分项填错，只提供“把总计改为各分项之和”的建议，由填报人核对各分项后决定。',
  },
  check({ report }) {
    return arithmeticFindings(report, 't4-total');
  },
} satisfies Rule;
