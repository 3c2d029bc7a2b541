import type { Rule } from '../src/rule.js';
import { arithmeticFindings } from './shared/arithmetic.js';

export default {
  id: 't3-outcome-total',
  title: '表三办理结果总计不符',
  category: 'tables',
  severity: 'error',
  description:
    '表三“（七）总计”每一列应等于“三、本年度办理结果”下（一）至（六）各项之和。一个数填错时只报告这个数一次。只有至少两个合计关系（如本行合计和本列合计）都指向同一个数、并给出同一个正确值时，才自动修复为算出的值；否则只提供建议，由填报人核对后决定，问题在改正前一直报告为错误。',
  docs: {
    examples: [
      { right: '（一）予以公开\t1\t1\t0\t0\t0\t0\t2', wrong: '（一）予以公开\t1\t2\t0\t0\t0\t0\t3' },
    ],
    fix: '至少两个合计关系都指向同一个数并给出同一个正确值时，自动修复为算出的值；否则只提供建议，由填报人核对。',
  },
  check({ report }) {
    return arithmeticFindings(report, 't3-outcome-total');
  },
} satisfies Rule;
