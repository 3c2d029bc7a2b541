import type { Rule } from '../src/rule.js';
import { arithmeticFindings } from './shared/arithmetic.js';

export default {
  id: 't3-outcome-total',
  title: '表三办理结果总计不符',
  category: 'tables',
  severity: 'error',
  description:
    '表三“（七）总计”每一列应等于“三、本年度办理结果”下（一）至（六）各项之和。一个数填错时只报告这个数一次；能确定正确值时，快速修复会填入算出的值。',
  check({ report }) {
    return arithmeticFindings(report, 't3-outcome-total');
  },
} satisfies Rule;
