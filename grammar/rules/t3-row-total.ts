import type { Rule } from '../src/rule.js';
import { arithmeticFindings } from './shared/arithmetic.js';

export default {
  id: 't3-row-total',
  title: '表三行合计不符',
  category: 'tables',
  severity: 'error',
  description:
    '表三每一行的“总计”应等于自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他六列之和。一个数填错时只报告这个数一次。只有至少两个合计关系（如本行合计和本列合计）都指向同一个数、并给出同一个正确值时，才自动修复为算出的值；否则只提供建议，由填报人核对后决定，问题在改正前一直报告为错误。',
  docs: {
    examples: [
      {
        right: '四、结转下年度继续办理\t1\t0\t0\t0\t0\t0\t1',
        wrong: '四、结转下年度继续办理\t1\t0\t0\t0\t0\t0\t9',
      },
    ],
    fix: '至少两个合计关系都指向同一个数并给出同一个正确值时，自动修复为算出的值；否则只提供建议，由填报人核对。',
  },
  check({ report }) {
    return arithmeticFindings(report, 't3-row-total');
  },
} satisfies Rule;
