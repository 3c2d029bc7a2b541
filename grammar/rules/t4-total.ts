import type { Rule } from '../src/rule.js';
import { arithmeticFindings } from './shared/arithmetic.js';

export default {
  id: 't4-total',
  title: '表四合计不符',
  category: 'tables',
  severity: 'error',
  description:
    '表四每个板块（行政复议、未经复议直接起诉、复议后起诉）的“总计”应等于结果维持、结果纠正、其他结果、尚未审结之和。一个数填错时只报告这个数一次；能确定正确值时，快速修复会填入算出的值。',
  check({ report }) {
    return arithmeticFindings(report, 't4-total');
  },
} satisfies Rule;
