// Fictional annual reports for the producer matrix, as a neutral document model every producer
// renders, plus the errors planted in them and what the checker should say about each.
// The bodies, the prose and the numbers are invented; the table labels are the template's.
import {
  SECTIONS,
  type SectionId,
  T2_GROUPS,
  T2_HEADERS,
  T2_ROWS,
  T3_COLUMNS,
  T3_NOTE,
  T3_ROWS,
  T4_BLOCK_NAMES,
  T4_COLUMNS,
} from '../../grammar/src/template.js';

// ------------------------------------------------------------------ document model

export interface DocCell {
  text: string;
  rowspan?: number;
  colspan?: number;
  /** Header or label cell (not a number). */
  header?: boolean;
}
export interface DocRow {
  cells: DocCell[];
  /** Template row index of a 表三 data row. */
  t3Row?: number;
}
export interface DocTable {
  id: 't2' | 't3' | 't4';
  /** Grid column widths in twips (an A4 body is about 9,000). */
  widths: number[];
  /** Rows as HTML writes them: a spanned slot is left out of the rows below/right of its origin. */
  rows: DocRow[];
  /** Index of the first data row (rows before it are header rows). */
  headerRows: number;
}
export type Block =
  | { kind: 'title'; text: string }
  | { kind: 'heading'; text: string; section: SectionId }
  | { kind: 'paragraph'; text: string }
  | { kind: 'table'; table: DocTable };
export interface Doc {
  blocks: Block[];
}

// ------------------------------------------------------------------ reports

export type Val = number | null;
export interface MatrixValues {
  t2: Val[];
  t3: Val[][];
  t4: Val[];
}

export interface MatrixReport {
  /** ASCII id used in file names. */
  id: string;
  body: string;
  year: number;
  title: string;
  /** Paragraphs between the title and 一、 (legal basis, statistics period). */
  preamble: string[];
  headings: Record<SectionId, string>;
  /** Prose after each heading (for S2–S4: before the table). */
  prose: Record<SectionId, string[]>;
  values: MatrixValues;
  /** 表三 template rows left out of the table. */
  omitT3: number[];
  /**
   * Cells typed as two paragraphs (Enter inside the cell): a note under a 表三 value
   * ([row, column, note]) and 表三 labels broken in two ([row, characters on the first line]).
   */
  paragraphs?: { notes: Array<[number, number, string]>; brokenLabels: Array<[number, number]> };
  /**
   * Cells written as something other than their number (`t2:6`, `t3:2:1` → `1O`, `十四`, `6件`):
   * the checker cannot read them, so they are expected as unknown.
   */
  written?: Record<string, string>;
  /** Numbers of 1,000 and more written with thousands separators (`,` or the full-width `，`). */
  thousands?: ',' | '，';
}

const sum = (xs: Val[]) => xs.reduce<number>((a, b) => a + (b ?? 0), 0);

/**
 * 表三 from what a drafter types: 本年新收 and 上年结转 per applicant column, the outcome rows
 * 2..22 (six columns each, null = left blank). Row totals, （七）总计 and 结转下年度 are derived,
 * so the table adds up (a blank counts as nothing, as offices mean it).
 */
function t3Table(
  fresh: Val[],
  carried: Val[],
  outcomes: Record<number, Val[]>,
  blankTotals: number[] = [],
): Val[][] {
  const t3: Val[][] = [];
  const withTotal = (r: number, six: Val[]): Val[] => [
    ...six,
    blankTotals.includes(r) && six.every((x) => x === null) ? null : sum(six),
  ];
  t3[0] = withTotal(0, fresh);
  t3[1] = withTotal(1, carried);
  for (let r = 2; r <= 22; r++) t3[r] = withTotal(r, outcomes[r] ?? [0, 0, 0, 0, 0, 0]);
  // A column left blank throughout stays blank in its totals too.
  const done: Val[] = [0, 1, 2, 3, 4, 5].map((c) => {
    const col = t3.slice(2, 23).map((row) => row[c]);
    return col.every((x) => x === null) ? null : sum(col);
  });
  t3[23] = withTotal(23, done);
  const next: Val[] = [0, 1, 2, 3, 4, 5].map((c) => {
    if (fresh[c] === null && carried[c] === null && done[c] === null) return null;
    const v = (fresh[c] ?? 0) + (carried[c] ?? 0) - (done[c] ?? 0);
    if (v < 0) throw new Error(`表三第${c}列结转为负`);
    return v;
  });
  t3[24] = withTotal(24, next);
  return t3;
}

/** 表四 from the four outcome counts of each block (null = blank); totals derived. */
function t4Table(...blocks: Val[][]): Val[] {
  return blocks.flatMap((b) => [...b, b.every((x) => x === null) ? null : sum(b)]);
}

const STANDARD = Object.fromEntries(SECTIONS.map((s) => [s.id, s.standard])) as Record<SectionId, string>;

function s1(intro: string, items: [string, string, string, string, string]): string[] {
  const caps = [
    '（一）主动公开',
    '（二）依申请公开',
    '（三）政府信息管理',
    '（四）政府信息公开平台建设',
    '（五）监督保障',
  ];
  return [intro, ...items.map((t, i) => `${caps[i]}${t}`)];
}

// 1. A street office: small numbers, 规章 left blank (it makes none), a blank applicant column,
//    an empty 复议后起诉 block, the offices' own wording of 四 and 五.
function fenglin(): MatrixReport {
  const year = 2024;
  const body = '临川市云溪区枫林街道办事处';
  // Rows the office had nothing for are filled only in 自然人 and 总计; the rest left blank.
  const sparse = (first: number): Val[] => [first, 0, null, null, null, null];
  const t3 = t3Table([21, 3, 0, 1, 0, 2], [2, 0, 0, 0, 0, 0], {
    2: [12, 2, 0, 1, 0, 1],
    3: [3, 0, 0, 0, 0, 0],
    7: [1, 0, 0, 0, 0, 0],
    12: [4, 1, 0, 0, 0, 1],
    13: [1, 0, 0, 0, 0, 0],
    15: [1, 0, 0, 0, 0, 0],
    17: sparse(0),
    18: sparse(0),
    19: sparse(0),
    21: sparse(0),
    22: sparse(0),
  });
  return {
    id: 'fenglin',
    body,
    year,
    title: `${body}${year}年政府信息公开工作年度报告`,
    preamble: [
      `本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和上级政务公开工作要求编制，由总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况等六部分组成。本报告所列数据的统计期限自${year}年1月1日起至${year}年12月31日止。`,
    ],
    headings: {
      ...STANDARD,
      S4: '四、因政府信息公开工作被申请行政复议、提起行政诉讼情况',
      S5: '五、存在问题及整改情况',
    },
    prose: {
      S1: s1(`${year}年，枫林街道围绕辖区群众关心的民生事项，持续推进基层政务公开标准化规范化建设。`, [
        '。全年在区政府门户网站街道专栏发布各类信息316条，其中社区公示、低保救助、征兵优抚等民生信息184条。',
        `。本年度共收到政府信息公开申请${t3[0][6]}件，上年结转${t3[1][6]}件，均在法定期限内答复。`,
        '。街道建立信息发布前审查制度，全年清理过时信息27条。',
        '。街道维护政府网站专栏和“枫林微讯”公众号，开设“社区公开栏”线下点位12个。',
        '。街道将政务公开纳入社区年度考评，组织业务培训3次。',
      ]),
      S2: [],
      S3: [],
      S4: ['本年度未发生因政府信息公开工作被申请行政复议、提起行政诉讼的情况。'],
      S5: [
        '一是部分社区公开栏更新不够及时；二是依申请公开答复文书格式有待统一。下一步，街道将建立公开栏更新台账，制定答复文书范本。',
      ],
      S6: [`${year}年本街道未收取政府信息公开信息处理费。无其他需要报告的事项。`],
    },
    values: {
      t2: [null, null, null, 2, 1, 9, 46, 118, 3, 0],
      t3,
      t4: t4Table([0, 0, 0, 0], [0, 0, 0, 0], [null, null, null, null]),
    },
    omitT3: [],
  };
}

// 2. A city environment bureau: four-digit permits, many applications, lawsuits in every block.
function jiangzhou(): MatrixReport {
  const year = 2023;
  const body = '江州市生态环境局';
  const t3 = t3Table([97, 18, 4, 6, 3, 0], [5, 1, 0, 0, 0, 0], {
    2: [41, 9, 2, 3, 1, 0],
    3: [12, 3, 1, 1, 0, 0],
    4: [1, 0, 0, 0, 0, 0],
    7: [2, 1, 0, 0, 0, 0],
    9: [3, 0, 0, 0, 0, 0],
    10: [1, 0, 0, 0, 0, 0],
    12: [19, 3, 1, 1, 1, 0],
    13: [4, 0, 0, 0, 0, 0],
    14: [2, 0, 0, 0, 0, 0],
    15: [3, 1, 0, 0, 0, 0],
    16: [5, 0, 0, 1, 0, 0],
    17: [1, 0, 0, 0, 0, 0],
    20: [2, 1, 0, 0, 0, 0],
    22: [1, 0, 0, 0, 0, 0],
  });
  return {
    id: 'jiangzhou',
    body,
    year,
    title: `${body}${year}年政府信息公开工作年度报告`,
    preamble: [
      `本报告依据《中华人民共和国政府信息公开条例》第五十条规定编制。报告中所列数据的统计期限为${year}年1月1日至${year}年12月31日。本报告电子版可在“江州市人民政府门户网站”下载。`,
    ],
    headings: {
      ...STANDARD,
      S4: '四、政府信息公开行政复议及行政诉讼情况',
      S5: '五、存在的主要问题及改进措施',
    },
    prose: {
      S1: s1(
        `${year}年，市生态环境局坚持以公开为常态、不公开为例外，围绕污染防治攻坚战做好生态环境信息公开。`,
        [
          '。全年主动公开政府信息2317条，及时公开建设项目环评审批、排污许可、行政处罚和重点排污单位名录等信息。',
          `。本年度共收到政府信息公开申请${t3[0][6]}件，上年结转${t3[1][6]}件，结转下年度继续办理${t3[24][6]}件。`,
          '。严格落实公开属性源头认定，对拟公开信息逐件进行保密审查。',
          '。优化门户网站“环境信息公开”专栏，新增“环评公示”“监测数据”子栏目。',
          '。开展政务公开专题培训两期，将信息公开纳入处室年度绩效考核。',
        ],
      ),
      S2: [],
      S3: [],
      S4: ['本年度因政府信息公开被申请行政复议6件，被提起行政诉讼4件。'],
      S5: [
        '一是部分信息公开时效性有待提高；二是依申请公开办理人员业务水平参差不齐。2024年将健全信息发布协调机制，加强业务培训和案例研讨。',
      ],
      S6: ['本年度未收取信息处理费。本局无其他需要报告的事项。'],
    },
    values: {
      t2: [0, 0, 0, 4, 2, 37, 1024, 356, 12, null],
      t3,
      t4: t4Table([3, 1, 1, 1], [1, 0, 1, 1], [0, 1, 0, 0]),
    },
    omitT3: [],
  };
}

// 3. A county government: hundreds of applications, a fee income with decimals, a wholly blank row.
function nanping(): MatrixReport {
  const year = 2024;
  const body = '南屏县人民政府';
  const t3 = t3Table(
    [268, 31, 2, 5, 6, 0],
    [13, 2, 0, 0, 0, 0],
    {
      2: [96, 11, 1, 2, 2, 0],
      3: [38, 4, 0, 1, 1, 0],
      4: [2, 0, 0, 0, 0, 0],
      5: [1, 0, 0, 0, 0, 0],
      6: [null, null, null, null, null, null],
      7: [6, 1, 0, 0, 0, 0],
      8: [3, 0, 0, 0, 0, 0],
      9: [11, 2, 0, 0, 1, 0],
      10: [4, 0, 0, 0, 0, 0],
      11: [7, 1, 0, 0, 0, 0],
      12: [52, 6, 1, 1, 1, 0],
      13: [14, 2, 0, 0, 0, 0],
      14: [5, 0, 0, 0, 0, 0],
      15: [9, 1, 0, 0, 0, 0],
      16: [12, 0, 0, 1, 0, 0],
      17: [2, 0, 0, 0, 0, 0],
      18: [1, 0, 0, 0, 0, 0],
      19: [3, 1, 0, 0, 0, 0],
      20: [4, 1, 0, 0, 0, 0],
      21: [0, 0, 0, 0, 0, 0],
      22: [5, 1, 0, 0, 1, 0],
    },
    [6],
  );
  return {
    id: 'nanping',
    body,
    year,
    title: `${body}${year}年政府信息公开工作年度报告`,
    preamble: [
      `根据《中华人民共和国政府信息公开条例》规定，现公布南屏县人民政府${year}年政府信息公开工作年度报告。本报告中所列数据的统计期限为${year}年1月1日至${year}年12月31日。如对本报告有疑问，请与南屏县人民政府办公室联系。`,
    ],
    headings: {
      ...STANDARD,
      S5: '五、政府信息公开工作存在的主要问题及改进情况',
      S6: '六、其他事项',
    },
    prose: {
      S1: s1(
        `${year}年，县人民政府认真贯彻落实《条例》，以群众需求为导向，全面推进决策、执行、管理、服务、结果公开。`,
        [
          '。全县通过政府门户网站主动公开政府信息8426条，召开新闻发布会14场，发布政策解读材料96篇。',
          `。本年度共收到政府信息公开申请${t3[0][6]}件，上年结转${t3[1][6]}件，全部依法依规办理。`,
          '。开展行政规范性文件集中清理，废止9件，现行有效163件，全部在门户网站集中公开。',
          '。整合县直部门和乡镇网站栏目，推进政务新媒体规范化管理。',
          '。县政府办公室牵头开展政务公开第三方评估，通报整改问题21个。',
        ],
      ),
      S2: [],
      S3: [],
      S4: ['本年度全县因政府信息公开被申请行政复议11件，被提起行政诉讼7件。'],
      S5: [
        '一是部分乡镇政务公开专业力量不足；二是政策解读的针对性有待增强。下一步将加强基层业务指导，推行“图解＋案例”解读方式。',
      ],
      S6: [
        '本年度县人民政府未收取信息处理费。按照《国务院办公厅政府信息与政务公开办公室关于印发〈中华人民共和国政府信息公开工作年度报告格式〉的通知》要求，县人民政府落实人大代表建议和政协提案办理结果公开工作。',
      ],
    },
    values: {
      t2: [null, null, null, 14, 9, 163, 2345, 1876, 45, 1234.56],
      t3,
      t4: t4Table([6, 2, 1, 2], [2, 1, 0, 2], [1, 0, 0, 1]),
    },
    omitT3: [],
  };
}

// 4. A market regulator: over a thousand applications, big outcome numbers, blanks in 表四.
function binjiang(): MatrixReport {
  const year = 2022;
  const body = '滨江市市场监督管理局';
  const t3 = t3Table([1012, 37, 0, 2, 5, 0], [29, 4, 0, 0, 0, 0], {
    2: [318, 12, 0, 1, 2, 0],
    3: [126, 5, 0, 0, 1, 0],
    4: [0, 0, 0, 0, 0, 0],
    7: [23, 1, 0, 0, 0, 0],
    8: [4, 0, 0, 0, 0, 0],
    9: [17, 0, 0, 0, 0, 0],
    10: [41, 2, 0, 0, 0, 0],
    11: [9, 0, 0, 0, 0, 0],
    12: [207, 9, 0, 1, 1, 0],
    13: [33, 2, 0, 0, 0, 0],
    14: [15, 1, 0, 0, 0, 0],
    15: [88, 3, 0, 0, 0, 0],
    16: [46, 1, 0, 0, 0, 0],
    17: [3, 0, 0, 0, 0, 0],
    18: [12, 0, 0, 0, 0, 0],
    19: [6, 0, 0, 0, 0, 0],
    20: [28, 2, 0, 0, 1, 0],
    21: [0, 0, 0, 0, 0, 0],
    22: [31, 2, 0, 0, 0, 0],
  });
  return {
    id: 'binjiang',
    body,
    year,
    title: `${body}${year}年政府信息公开工作年度报告`,
    preamble: [
      `本年度报告根据《中华人民共和国政府信息公开条例》要求，由滨江市市场监督管理局编制。报告所列数据统计期限为${year}年1月1日至${year}年12月31日。`,
    ],
    headings: {
      ...STANDARD,
      S4: '四、政府信息公开行政复议和行政诉讼情况',
      S5: '五、存在的主要问题和改进情况',
    },
    prose: {
      S1: s1(`${year}年，市市场监管局围绕优化营商环境和食品药品安全监管，扎实推进政务公开工作。`, [
        '方面。全年主动公开各类政府信息5690条，公开食品安全抽检信息1286批次。',
        `方面。本年度共收到政府信息公开申请${t3[0][6]}件，上年结转${t3[1][6]}件，已办结${t3[23][6]}件。`,
        '方面。落实政府信息公开属性源头认定制度，开展历史信息清理。',
        '方面。完善门户网站“信息公开”栏目，统一各分局公开目录。',
        '方面。健全政务公开考核评议机制，对依申请公开答复开展案卷评查。',
      ]),
      S2: [],
      S3: [],
      S4: ['本年度本局因政府信息公开被申请行政复议和提起行政诉讼的情况见下表。'],
      S5: [
        '一是依申请公开数量大幅增长，答复压力加大；二是基层分局公开工作标准不一。下一步将推行答复文书标准化，组织分局业务轮训。',
      ],
      S6: ['本年度未收取信息处理费。'],
    },
    values: {
      t2: [0, 0, 0, 6, 3, 58, 9867, 4321, 137, null],
      t3,
      t4: t4Table([7, 2, 0, 3], [2, null, 1, 1], [1, 1, null, 0]),
    },
    omitT3: [],
  };
}

export const REPORTS: MatrixReport[] = [fenglin(), jiangzhou(), nanping(), binjiang()];

// ------------------------------------------------------------------ planted errors

/** Where an expected finding lands. */
export type Target =
  | { kind: 't3-row'; row: number }
  | { kind: 't4-block'; block: number }
  | { kind: 'section'; section: SectionId }
  | { kind: 'report' }
  | { kind: 'prose'; text: string }
  | { kind: 'cell'; table: 't2' | 't3'; index: number; col?: number };

export interface Expected {
  ruleId: string;
  target: Target;
}

export interface Plant {
  id: string;
  /** Chinese description for reports of the matrix. */
  name: string;
  /** The report with the plant, and what the checker should report (null: nothing). */
  apply(r: MatrixReport): { report: MatrixReport; expected: Expected | null };
}

const clone = (r: MatrixReport): MatrixReport => structuredClone(r);

/** Per report: which 表三 row to delete, which row to break, which 表四 block, which heading to reword. */
const PLANT_AT: Record<
  string,
  {
    deleteRow: number;
    breakRow: number;
    t4Block: number;
    reword: [SectionId, string];
    /** The 表三 row and the 表二 cell a value is miswritten in. */
    badT3Row: number;
    badT2Cell: number;
    /** How a number is miswritten in a word and with a unit in this report. */
    word: (v: number) => string;
    unit: (v: number) => string;
  }
> = {
  fenglin: {
    deleteRow: 16,
    breakRow: 12,
    t4Block: 0,
    reword: ['S2', '二、主动公开政府信息工作情况'],
    badT3Row: 2,
    badT2Cell: 4,
    word: chineseNumber,
    unit: (v) => `${v}件`,
  },
  jiangzhou: {
    deleteRow: 13,
    breakRow: 2,
    t4Block: 1,
    reword: ['S3', '三、收到和处理政府信息公开申请的情况'],
    badT3Row: 12,
    badT2Cell: 6,
    word: () => '若干',
    unit: (v) => `${v}项`,
  },
  nanping: {
    deleteRow: 20,
    breakRow: 9,
    t4Block: 2,
    reword: ['S2', '二、主动公开政府信息情况统计'],
    badT3Row: 3,
    badT2Cell: 9,
    word: chineseNumber,
    unit: (v) => (Number.isInteger(v) ? `${v} 件` : `${v}万元`),
  },
  binjiang: {
    deleteRow: 4,
    breakRow: 15,
    t4Block: 0,
    reword: ['S3', '三、收到及处理政府信息公开申请情况'],
    badT3Row: 0,
    badT2Cell: 5,
    word: () => '一千余',
    unit: (v) => `${v}个`,
  },
};

const CN = '〇一二三四五六七八九';
/** A number below 10,000 in Chinese numerals, as a drafter might type it (十四, 一百零三). */
function chineseNumber(x: number): string {
  const v = Math.round(x);
  if (v < 10) return v === 0 ? '零' : CN[v];
  if (v < 20) return `十${v % 10 ? CN[v % 10] : ''}`;
  const units = ['', '十', '百', '千'];
  const ds = String(v).split('').map(Number);
  let out = '';
  ds.forEach((d, i) => {
    const u = units[ds.length - 1 - i];
    if (d) out += CN[d] + u;
    else if (!out.endsWith('零') && ds.slice(i).some((x) => x)) out += '零';
  });
  return out;
}

/** A number with letters for look-alike digits: O for 0, l for 1 (1O, 2O3, l2); null if it has neither. */
function letterDigits(v: number): string | null {
  const s = String(v);
  if (s.includes('0')) return s.replace(/0/g, 'O');
  if (s.includes('1')) return s.replace('1', 'l');
  return null;
}

type Miswrite = 'letter' | 'word' | 'unit';

/** A 表二 or 表三 cell written as something other than its number: one cell-invalid at that cell. */
function miswritten(table: 't2' | 't3', how: Miswrite, name: string): Plant {
  return {
    id: `${table}-${how}`,
    name,
    apply(r) {
      const out = clone(r);
      const at = PLANT_AT[r.id];
      const write = (v: number) =>
        how === 'letter' ? letterDigits(v) : how === 'word' ? at.word(v) : at.unit(v);
      if (table === 't2') {
        const v = r.values.t2[at.badT2Cell] ?? 0;
        const text = write(v) ?? 'O';
        out.written = { ...out.written, [`t2:${at.badT2Cell}`]: text };
        return {
          report: out,
          expected: { ruleId: 'cell-invalid', target: { kind: 'cell', table, index: at.badT2Cell } },
        };
      }
      const row = r.values.t3[at.badT3Row];
      // The first of the six applicant columns holding a number the way can miswrite.
      const col = row.findIndex((v, c) => c < 6 && v !== null && write(v) !== null);
      out.written = { ...out.written, [`t3:${at.badT3Row}:${col}`]: write(row[col]!)! };
      return {
        report: out,
        expected: { ruleId: 'cell-invalid', target: { kind: 'cell', table, index: at.badT3Row, col } },
      };
    },
  };
}

/**
 * Numbers of 1,000 and more in 表二 and 表三 written with thousands separators, and a fee income
 * with decimals: the report stays clean. 表三's 自然人 column gains a thousand granted
 * applications so that every report has such numbers (its prose follows).
 */
const THOUSANDS: Plant = {
  id: 'thousands',
  name: '千位分隔符（1,012、4,166.21）',
  apply(r) {
    const out = clone(r);
    const t3 = out.values.t3;
    const before = { fresh: t3[0][6]!, done: t3[23][6]! };
    for (const row of [0, 2, 23]) {
      t3[row][0] = (t3[row][0] ?? 0) + 1000;
      t3[row][6] = (t3[row][6] ?? 0) + 1000;
    }
    out.prose.S1 = out.prose.S1.map((p) =>
      p
        .replace(`申请${before.fresh}件`, `申请${t3[0][6]}件`)
        .replace(`已办结${before.done}件`, `已办结${t3[23][6]}件`),
    );
    out.values.t2[9] = 4166.21;
    out.thousands = r.id === 'nanping' ? '，' : ',';
    return { report: out, expected: null };
  },
};

export const PLANTS: Plant[] = [
  {
    id: 'row-deleted',
    name: '删去表三一行',
    apply(r) {
      const out = clone(r);
      const row = PLANT_AT[r.id].deleteRow;
      out.omitT3 = [...out.omitT3, row];
      return { report: out, expected: { ruleId: 'row-missing', target: { kind: 't3-row', row } } };
    },
  },
  {
    id: 'cell-changed',
    name: '改动表三一个单元格（行合计不符）',
    apply(r) {
      const out = clone(r);
      const row = PLANT_AT[r.id].breakRow;
      out.values.t3[row][0] = (out.values.t3[row][0] ?? 0) + 10;
      return { report: out, expected: { ruleId: 't3-row-total', target: { kind: 't3-row', row } } };
    },
  },
  {
    id: 't4-total-changed',
    name: '改动表四一个总计',
    apply(r) {
      const out = clone(r);
      const block = PLANT_AT[r.id].t4Block;
      out.values.t4[block * 5 + 4] = (out.values.t4[block * 5 + 4] ?? 0) + 1;
      return { report: out, expected: { ruleId: 't4-total', target: { kind: 't4-block', block } } };
    },
  },
  {
    id: 'heading-reworded',
    name: '改写一个章节标题（保留关键词）',
    apply(r) {
      const out = clone(r);
      const [section, text] = PLANT_AT[r.id].reword;
      out.headings[section] = text;
      return { report: out, expected: { ruleId: 'section-heading', target: { kind: 'section', section } } };
    },
  },
  {
    id: 'title-year',
    name: '标题年份改错',
    apply(r) {
      const out = clone(r);
      out.title = out.title.replace(`${r.year}年`, `${r.year - 1}年`);
      return { report: out, expected: { ruleId: 'year-mismatch', target: { kind: 'report' } } };
    },
  },
  {
    id: 'prose-count',
    name: '正文申请数改错',
    apply(r) {
      const out = clone(r);
      const n = r.values.t3[0][6]!;
      const wrong = n + 7;
      out.prose.S1 = out.prose.S1.map((p) => p.replace(`申请${n}件`, `申请${wrong}件`));
      return {
        report: out,
        expected: { ruleId: 'narrative-mismatch', target: { kind: 'prose', text: `${wrong}件` } },
      };
    },
  },
  THOUSANDS,
  miswritten('t3', 'letter', '表三单元格中字母代替数字（O 作 0、l 作 1）'),
  miswritten('t3', 'word', '表三单元格中写汉字（十四、若干）'),
  miswritten('t3', 'unit', '表三单元格中带单位（6件、3 件）'),
  miswritten('t2', 'letter', '表二单元格中字母代替数字'),
  miswritten('t2', 'word', '表二单元格中写汉字'),
  miswritten('t2', 'unit', '表二单元格中带单位（1024项、1234.56万元）'),
];

export interface Variant {
  /** `<report>` or `<report>.<plant>`. */
  id: string;
  report: MatrixReport;
  plant: Plant | null;
  expected: Expected | null;
  /** The producers that render the variant (all when absent). */
  producers?: string[];
}

/** Producers whose documents keep a cell's paragraphs apart (a Word file and its .doc conversion). */
const PARAGRAPH_PRODUCERS = ['docx', 'lo-doc'];

/** Whether a producer renders a variant. */
export const rendersFor = (v: Variant, producer: string): boolean =>
  !v.producers || v.producers.includes(producer);

/**
 * The report with some 表三 cells typed as two paragraphs: a value with a note under it (the note
 * holds a number of its own) and labels broken by Enter, as drafters lay out a narrow column.
 */
function withParagraphs(r: MatrixReport): MatrixReport {
  const out = clone(r);
  const t3 = r.values.t3;
  out.paragraphs = {
    notes: [
      [0, 0, `（含${Math.min(1, t3[0][0] ?? 0)}件转办）`],
      [2, 6, '（含网上答复）'],
      [12, 1, '（已告知获取途径）'],
    ],
    brokenLabels: [
      [0, 8],
      [2, 4],
      [12, 6],
      [20, 10],
    ],
  };
  return out;
}

export function variants(): Variant[] {
  const out: Variant[] = [];
  for (const r of REPORTS) {
    out.push({ id: r.id, report: r, plant: null, expected: null });
    for (const p of PLANTS) {
      const { report, expected } = p.apply(r);
      out.push({ id: `${r.id}.${p.id}`, report, plant: p, expected });
    }
    out.push({
      id: `${r.id}.cell-paragraphs`,
      report: withParagraphs(r),
      plant: null,
      expected: null,
      producers: PARAGRAPH_PRODUCERS,
    });
  }
  return out;
}

// ------------------------------------------------------------------ expected readings

/** The cells the checker should read: the printed values, null where blank or left out. */
export function expectedCells(r: MatrixReport): MatrixValues {
  const w = r.written ?? {};
  const t3 = r.values.t3.map((row, i) =>
    r.omitT3.includes(i) ? row.map(() => null) : row.map((v, c) => (`t3:${i}:${c}` in w ? null : v)),
  );
  return { t2: r.values.t2.map((v, i) => (`t2:${i}` in w ? null : v)), t3, t4: [...r.values.t4] };
}

/** Warnings a clean reading of the report legitimately gives. */
export interface ExpectedWarnings {
  /** Sections whose heading is not the standard wording. */
  headings: SectionId[];
  /** Blank cells by table: t2/t4 cell ids, t3 [row, col]. */
  blanks: { t2: number[]; t3: Array<[number, number]>; t4: number[] };
}

export function expectedWarnings(r: MatrixReport): ExpectedWarnings {
  const headings = SECTIONS.filter((s) => r.headings[s.id] !== s.standard).map((s) => s.id);
  const cells = expectedCells(r);
  const t3: Array<[number, number]> = [];
  r.values.t3.forEach((row, i) => {
    if (!r.omitT3.includes(i))
      row.forEach((v, c) => {
        if (v === null) t3.push([i, c]);
      });
  });
  return {
    headings,
    blanks: {
      t2: cells.t2.flatMap((v, i) => (v === null ? [i] : [])),
      t3,
      t4: cells.t4.flatMap((v, i) => (v === null ? [i] : [])),
    },
  };
}

// ------------------------------------------------------------------ the report as a document

const h = (text: string, extra: Partial<DocCell> = {}): DocCell => ({ text, header: true, ...extra });

/** How the report writes a cell's value: as written by a plant, with separators, or plainly. */
function cellWriter(r: MatrixReport) {
  const fmt = (key: string, v: Val): string => {
    const w = r.written?.[key];
    if (w !== undefined) return w;
    if (v === null) return '';
    if (!r.thousands || Math.abs(v) < 1000) return String(v);
    const [int, frac] = String(v).split('.');
    return int.replace(/\B(?=(\d{3})+$)/g, r.thousands) + (frac ? `.${frac}` : '');
  };
  return (key: string, v: Val, extra: Partial<DocCell> = {}): DocCell => ({ text: fmt(key, v), ...extra });
}

function table2(r: MatrixReport): DocTable {
  const v = r.values;
  const n = cellWriter(r);
  const rows: DocRow[] = [];
  T2_GROUPS.forEach((g, gi) => {
    rows.push({ cells: [h(g, { colspan: 4 })] });
    const heads = T2_HEADERS[gi];
    rows.push({
      cells: heads.length === 4 ? heads.map((x) => h(x)) : [h(heads[0]), h(heads[1], { colspan: 3 })],
    });
    for (const row of T2_ROWS.filter((x) => x.group === g)) {
      const vals = v.t2.slice(row.offset, row.offset + row.cells);
      rows.push({
        cells: [
          h(row.label),
          ...(row.cells === 3
            ? vals.map((x, i) => n(`t2:${row.offset + i}`, x))
            : [n(`t2:${row.offset}`, vals[0], { colspan: 3 })]),
        ],
      });
    }
  });
  return { id: 't2', widths: [2700, 2100, 2100, 2100], rows, headerRows: 0 };
}

/** Rows of each group of 表三 (the group cell spans them). */
const GROUP_SPANS: Array<{ label: string; first: number; last: number }> = [
  { label: '（三）不予公开', first: 4, last: 11 },
  { label: '（四）无法提供', first: 12, last: 14 },
  { label: '（五）不予处理', first: 15, last: 19 },
  { label: '（六）其他处理', first: 20, last: 22 },
];

function table3(r: MatrixReport): DocTable {
  const v = r.values,
    omit = r.omitT3,
    paragraphs = r.paragraphs;
  const n = cellWriter(r);
  const label = (row: number, text: string) => {
    const at = paragraphs?.brokenLabels.find(([rr]) => rr === row)?.[1];
    return at === undefined ? text : `${text.slice(0, at)}\n${text.slice(at)}`;
  };
  const value = (row: number, col: number, x: Val) => {
    const cell = n(`t3:${row}:${col}`, x);
    const note = paragraphs?.notes.find(([rr, c]) => rr === row && c === col)?.[2];
    return note && x !== null ? { ...cell, text: `${cell.text}\n${note}` } : cell;
  };
  const present = (i: number) => !omit.includes(i);
  const rows: DocRow[] = [
    { cells: [h(T3_NOTE, { rowspan: 3, colspan: 3 }), h('申请人情况', { colspan: 7 })] },
    {
      cells: [
        h(T3_COLUMNS[0], { rowspan: 2 }),
        h('法人或其他组织', { colspan: 5 }),
        h(T3_COLUMNS[6], { rowspan: 2 }),
      ],
    },
    { cells: T3_COLUMNS.slice(1, 6).map((x) => h(x)) },
  ];
  const resultRows = T3_ROWS.filter((r) => r.group !== undefined && present(r.index)).length;
  let resultOpened = false;
  for (const spec of T3_ROWS) {
    if (!present(spec.index)) continue;
    const cells: DocCell[] = [];
    const values = v.t3[spec.index].map((x, c) => value(spec.index, c, x));
    if (!spec.group) {
      cells.push(h(label(spec.index, spec.label), { colspan: 3 }));
    } else {
      if (!resultOpened) {
        cells.push(h('三、本年度办理结果', { rowspan: resultRows }));
        resultOpened = true;
      }
      const g = GROUP_SPANS.find((x) => spec.index >= x.first && spec.index <= x.last);
      if (!g) cells.push(h(label(spec.index, spec.label), { colspan: 2 }));
      else {
        const members = [];
        for (let i = g.first; i <= g.last; i++) if (present(i)) members.push(i);
        if (members[0] === spec.index) cells.push(h(g.label, { rowspan: members.length }));
        cells.push(h(label(spec.index, spec.label)));
      }
    }
    rows.push({ cells: [...cells, ...values], t3Row: spec.index });
  }
  return { id: 't3', widths: [560, 1000, 1900, ...Array(7).fill(791)], rows, headerRows: 3 };
}

function table4(v: MatrixValues): DocTable {
  const n = (x: Val): DocCell => ({ text: x === null ? '' : String(x) });
  return {
    id: 't4',
    widths: Array(15).fill(600),
    rows: [
      { cells: [h('行政复议', { colspan: 5 }), h('行政诉讼', { colspan: 10 })] },
      {
        cells: [
          ...T4_COLUMNS.map((x) => h(x, { rowspan: 2 })),
          h(T4_BLOCK_NAMES[1], { colspan: 5 }),
          h(T4_BLOCK_NAMES[2], { colspan: 5 }),
        ],
      },
      { cells: [...T4_COLUMNS, ...T4_COLUMNS].map((x) => h(x)) },
      { cells: v.t4.map((x) => n(x)) },
    ],
    headerRows: 3,
  };
}

/** The report as the document model every producer renders. */
export function toDoc(r: MatrixReport): Doc {
  const blocks: Block[] = [{ kind: 'title', text: r.title }];
  for (const p of r.preamble) blocks.push({ kind: 'paragraph', text: p });
  for (const s of SECTIONS) {
    blocks.push({ kind: 'heading', text: r.headings[s.id], section: s.id });
    for (const p of r.prose[s.id]) blocks.push({ kind: 'paragraph', text: p });
    if (s.id === 'S2') blocks.push({ kind: 'table', table: table2(r) });
    if (s.id === 'S3') blocks.push({ kind: 'table', table: table3(r) });
    if (s.id === 'S4') blocks.push({ kind: 'table', table: table4(r.values) });
  }
  return { blocks };
}

// ------------------------------------------------------------------ grid helpers

export interface Slot {
  /** The cell occupying this slot. */
  cell: DocCell;
  /** Row and column of the cell's origin. */
  row: number;
  col: number;
  origin: boolean;
}

/** The table's full grid: every slot, with spans resolved (as Word's vMerge/gridSpan see it). */
export function grid(t: DocTable): Slot[][] {
  const out: Slot[][] = t.rows.map(() => []);
  t.rows.forEach((row, r) => {
    let c = 0;
    for (const cell of row.cells) {
      while (out[r][c]) c++;
      const rs = cell.rowspan ?? 1,
        cs = cell.colspan ?? 1;
      for (let i = 0; i < rs; i++)
        for (let j = 0; j < cs; j++) {
          out[r + i] ??= [];
          out[r + i][c + j] = { cell, row: r, col: c, origin: i === 0 && j === 0 };
        }
      c += cs;
    }
  });
  const width = t.widths.length;
  out.forEach((row, r) => {
    if (row.length !== width || row.some((x) => !x)) throw new Error(`${t.id} 第${r}行网格不完整`);
  });
  return out;
}
