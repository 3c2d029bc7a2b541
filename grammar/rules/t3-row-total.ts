import type { Rule } from '../src/rule.js';
import { arithmeticFindings } from './shared/arithmetic.js';

export default {
  id: 't3-row-total',
  title: '表三行合计不符',
  category: 'tables',
  severity: 'error',
  description:
    '表三每一行的“总计”应等于自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他六列之和。一个数填错时只报告这个数一次；能确定正确值时，快速修复会填入算出的值。',
  check({ report }) {
    return arithmeticFindings(report, 't3-row-total');
  },
} satisfies Rule;
