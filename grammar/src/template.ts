// Facts of the national template (国办公开办函〔2021〕30号). Ids are a public contract.

export type SectionId = 'S1' | 'S2' | 'S3' | 'S4' | 'S5' | 'S6';

export interface SectionSpec {
  id: SectionId;
  numeral: string;
  /** Standard heading including its numbering, e.g. 一、总体情况 */
  standard: string;
  /** Standard title without numbering. */
  title: string;
  /** Accepted variant titles (reported with `section-heading`). */
  variants: string[];
  /** Titles of outdated templates (reported with `outdated-template`). */
  outdated: string[];
}

export const SECTIONS: SectionSpec[] = [
  { id: 'S1', numeral: '一', standard: '一、总体情况', title: '总体情况', variants: [], outdated: ['概述'] },
  {
    id: 'S2',
    numeral: '二',
    standard: '二、主动公开政府信息情况',
    title: '主动公开政府信息情况',
    variants: [],
    outdated: [],
  },
  {
    id: 'S3',
    numeral: '三',
    standard: '三、收到和处理政府信息公开申请情况',
    title: '收到和处理政府信息公开申请情况',
    variants: [],
    outdated: [],
  },
  {
    id: 'S4',
    numeral: '四',
    standard: '四、政府信息公开行政复议、行政诉讼情况',
    title: '政府信息公开行政复议、行政诉讼情况',
    variants: [
      '因政府信息公开工作被申请行政复议、提起行政诉讼情况',
      '政府信息公开行政复议及行政诉讼情况',
      '政府信息公开行政复议和行政诉讼情况',
    ],
    outdated: [],
  },
  {
    id: 'S5',
    numeral: '五',
    standard: '五、存在的主要问题及改进情况',
    title: '存在的主要问题及改进情况',
    variants: [
      '政府信息公开工作存在的主要问题及改进情况',
      '存在问题及改进情况',
      '存在的主要问题及改进措施',
      '存在的主要问题及明年工作计划',
      '存在的问题及改进情况',
    ],
    outdated: [],
  },
  {
    id: 'S6',
    numeral: '六',
    standard: '六、其他需要报告的事项',
    title: '其他需要报告的事项',
    variants: ['其他事项'],
    outdated: [],
  },
];

export const NUMERALS = '一二三四五六七八九十';

/** S1's five sub-items: the keyword that identifies each and its standard caption. */
export const S1_SUBITEMS = [
  { caption: '（一）主动公开', key: '主动公开' },
  { caption: '（二）依申请公开', key: '依申请公开' },
  { caption: '（三）政府信息管理', key: '政府信息管理' },
  { caption: '（四）政府信息公开平台建设', key: '平台建设' },
  { caption: '（五）监督保障', key: '监督保障' },
];

export type TableId = 't2' | 't3' | 't4';

/** A labelled data row of table 2 or table 3. */
export interface RowSpec {
  table: 't2' | 't3';
  /** Index of the row in the template (t3: 0..24; t2: 0..5). */
  index: number;
  label: string;
  /** Label of the group row this row sits under (no numbers of its own), if any. */
  group?: string;
  /** Number of numeric cells. */
  cells: number;
  /** First cell id offset (t2 only: t2[offset]..). */
  offset: number;
  /** Decimal values allowed (t2 行政事业性收费). */
  decimal?: boolean;
}

export const T2_GROUPS = [
  '第二十条第（一）项',
  '第二十条第（五）项',
  '第二十条第（六）项',
  '第二十条第（八）项',
];
export const T2_HEADERS = [
  ['信息内容', '本年制发件数', '本年废止件数', '现行有效件数'],
  ['信息内容', '本年处理决定数量'],
  ['信息内容', '本年处理决定数量'],
  ['信息内容', '本年收费金额（单位：万元）'],
];

export const T2_ROWS: RowSpec[] = [
  { table: 't2', index: 0, label: '规章', group: T2_GROUPS[0], cells: 3, offset: 0 },
  { table: 't2', index: 1, label: '行政规范性文件', group: T2_GROUPS[0], cells: 3, offset: 3 },
  { table: 't2', index: 2, label: '行政许可', group: T2_GROUPS[1], cells: 1, offset: 6 },
  { table: 't2', index: 3, label: '行政处罚', group: T2_GROUPS[2], cells: 1, offset: 7 },
  { table: 't2', index: 4, label: '行政强制', group: T2_GROUPS[2], cells: 1, offset: 8 },
  { table: 't2', index: 5, label: '行政事业性收费', group: T2_GROUPS[3], cells: 1, offset: 9, decimal: true },
];

export const T2_COLUMNS = ['本年制发件数', '本年废止件数', '现行有效件数'];

export const T3_COLUMNS = ['自然人', '商业企业', '科研机构', '社会公益组织', '法律服务机构', '其他', '总计'];
export const T3_NOTE = '（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）';

const G_RESULT = '三、本年度办理结果';
const G3 = '（三）不予公开';
const G4 = '（四）无法提供';
const G5 = '（五）不予处理';
const G6 = '（六）其他处理';

const t3Labels: Array<[string, string | undefined]> = [
  ['一、本年新收政府信息公开申请数量', undefined],
  ['二、上年结转政府信息公开申请数量', undefined],
  ['（一）予以公开', G_RESULT],
  ['（二）部分公开（区分处理的，只计这一情形，不计其他情形）', G_RESULT],
  ['1.属于国家秘密', G3],
  ['2.其他法律行政法规禁止公开', G3],
  ['3.危及“三安全一稳定”', G3],
  ['4.保护第三方合法权益', G3],
  ['5.属于三类内部事务信息', G3],
  ['6.属于四类过程性信息', G3],
  ['7.属于行政执法案卷', G3],
  ['8.属于行政查询事项', G3],
  ['1.本机关不掌握相关政府信息', G4],
  ['2.没有现成信息需要另行制作', G4],
  ['3.补正后申请内容仍不明确', G4],
  ['1.信访举报投诉类申请', G5],
  ['2.重复申请', G5],
  ['3.要求提供公开出版物', G5],
  ['4.无正当理由大量反复申请', G5],
  ['5.要求行政机关确认或重新出具已获取信息', G5],
  ['1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请', G6],
  ['2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请', G6],
  ['3.其他', G6],
  ['（七）总计', G_RESULT],
  ['四、结转下年度继续办理', undefined],
];

export const T3_ROWS: RowSpec[] = t3Labels.map(([label, group], index) => ({
  table: 't3',
  index,
  label,
  group,
  cells: 7,
  offset: 0,
}));

/** Group rows of table 3 (no numbers of their own), with their parent group. */
export const T3_GROUPS: Array<{ label: string; parent?: string }> = [
  { label: G_RESULT },
  { label: G3, parent: G_RESULT },
  { label: G4, parent: G_RESULT },
  { label: G5, parent: G_RESULT },
  { label: G6, parent: G_RESULT },
];
export const T3_LEGACY_OTHER = G6;

export const T4_BLOCKS = ['行政复议', '行政诉讼·未经复议直接起诉', '行政诉讼·复议后起诉'];
export const T4_BLOCK_NAMES = ['行政复议', '未经复议直接起诉', '复议后起诉'];
export const T4_COLUMNS = ['结果维持', '结果纠正', '其他结果', '尚未审结', '总计'];

/** Table 2's ten cells in contract order (`t2[0]`..`t2[9]`). */
export const T2_CELL = {
  REGULATIONS_ISSUED: 0,
  REGULATIONS_REPEALED: 1,
  REGULATIONS_IN_FORCE: 2,
  NORMATIVE_ISSUED: 3,
  NORMATIVE_REPEALED: 4,
  NORMATIVE_IN_FORCE: 5,
  LICENSING: 6,
  PENALTY: 7,
  COERCION: 8,
  FEES: 9,
} as const;
export const T2_CELL_COUNT = 10;

/** Row indices of table 3 that the code refers to by meaning. */
export const T3_ROW = {
  /** 一、本年新收政府信息公开申请数量 */
  NEW_REQUESTS: 0,
  /** 二、上年结转政府信息公开申请数量 */
  CARRIED_IN: 1,
  /** （一）予以公开: the first outcome row. */
  FIRST_OUTCOME: 2,
  /** 1.申请人无正当理由逾期不补正…: the first of the three （六）其他处理 rows (one row in 2019). */
  FIRST_OTHER: 20,
  /** 3.其他: the last outcome row. */
  LAST_OUTCOME: 22,
  /** （七）总计 */
  OUTCOME_TOTAL: 23,
  /** 四、结转下年度继续办理 */
  CARRIED_OUT: 24,
} as const;
export const T3_ROW_COUNT = 25;
/** Table 3's columns: six kinds of applicant, then 总计. */
export const T3_COL = { NATURAL_PERSON: 0, TOTAL: 6 } as const;
export const T3_APPLICANT_COLUMNS = 6;
export const T3_COLUMN_COUNT = 7;

/** Table 4's blocks (five cells each: `t4[block * 5 + column]`). */
export const T4_BLOCK = { REVIEW: 0, SUIT_DIRECT: 1, SUIT_AFTER_REVIEW: 2 } as const;
/** Table 4's columns within a block. */
export const T4_COL = { UPHELD: 0, CORRECTED: 1, OTHER: 2, PENDING: 3, TOTAL: 4 } as const;
export const T4_BLOCK_SIZE = 5;
export const T4_CELL_COUNT = 15;
/** The index of a table 4 cell in contract order. */
export const t4Cell = (block: number, column: number): number => block * T4_BLOCK_SIZE + column;

/**
 * Human name of a cell in the template's words, the same in every message and fix title:
 * 表三“（七）总计”行“自然人”列, 表四“复议后起诉”总计, 表二“规章”行“本年制发件数”列, 表二“行政许可”.
 */
export function cellName(table: TableId, r: number, c = 0): string {
  if (table === 't3') return `表三“${T3_ROWS[r].label}”行“${T3_COLUMNS[c]}”列`;
  if (table === 't4')
    return `表四“${T4_BLOCK_NAMES[Math.floor(r / T4_BLOCK_SIZE)]}”${T4_COLUMNS[r % T4_BLOCK_SIZE]}`;
  const row = T2_ROWS.find((x) => r >= x.offset && r < x.offset + x.cells)!;
  return row.cells > 1 ? `表二“${row.label}”行“${T2_COLUMNS[r - row.offset]}”列` : `表二“${row.label}”`;
}

export const TABLE_NAMES: Record<TableId, string> = { t2: '表二', t3: '表三', t4: '表四' };
export const TABLE_SECTION: Record<TableId, SectionId> = { t2: 'S2', t3: 'S3', t4: 'S4' };
