import type { Rule } from '../src/rule.js';
import { arithmeticFindings } from './shared/arithmetic.js';

export default {
  id: 't3-balance',
  title: '表三勾稽关系不平',
  category: 'tables',
  severity: 'error',
  description:
    '表三表头注明的勾稽关系：第一项（本年新收）加第二项（上年结转）之和，等于第三项（办理结果总计）加第四项（结转下年度继续办理）之和。一个数填错时只报告这个数一次。只有至少两个合计关系（如本行合计和本列合计）都指向同一个数、并给出同一个正确值时，才自动修复为算出的值；否则只提供建议，由填报人核对后决定，问题在改正前一直报告为错误。',
  docs: {
    examples: [
      {
        right: '二、上年结转政府信息公开申请数量\t1\t0\t0\t0\t0\t0\t1',
        wrong: '二、上年结转政府信息公开申请数量\t2\t0\t0\t0\t0\t0\t2',
      },
    ],
    fix: '至少两个合计关系都指向同一个数并给出同一个正确值时，自动修复为算出的值；否则只提供建议，由填报人核对。',
  },
  check({ report }) {
    return arithmeticFindings(report, 't3-balance');
  },
} satisfies Rule;
