// The checked model of a report: what the text says, with source ranges (offsets into the text).
import type { RowSpec, SectionId } from './template.js';

export interface Range {
  start: number;
  end: number;
}

export interface Section {
  id: SectionId;
  /** The heading as written (trimmed). */
  heading: string;
  range: Range;
  /** Exactly the standard wording and numbering. */
  standard: boolean;
  /** How the title was recognised. */
  kind: 'standard' | 'variant' | 'outdated' | 'misspelled';
  /** The numeral as written (一..六). */
  numeral: string;
  /**
   * The title matched no template wording, only its meaning, and text follows it on its line (a
   * page flattened to one line): its end was taken at punctuation and may include prose.
   */
  endGuessed?: boolean;
}

export type CellStatus = 'ok' | 'blank' | 'invalid';
export interface Cell {
  value: number | null;
  raw: string;
  range: Range;
  status: CellStatus;
}

export interface Row {
  spec: RowSpec;
  /** The label as written. */
  label: string;
  labelRange: Range;
  /** Edit distance between the written and the standard label (0: standard). */
  labelDistance: number;
  /** The label continues after the row's numbers (wrapped PDF text). */
  wrapped?: boolean;
  cells: Cell[];
  /** Cells found (before any run-together split). */
  found: number;
  /** Digits run together, if this row's cells came from one run. */
  run?: DigitRun;
  /** Text block of the row in its table's layout (used to insert rows in the same layout). */
  block: Range;
}

export interface LegacyRow {
  label: string;
  labelRange: Range;
  cells: Cell[];
  block: Range;
}

/** Table 2's ten cells in contract order (see `T2_CELL`); null where the text does not hold them. */
export type T2Values = Array<number | null>;
/** Table 3's 25 rows of 7 cells (see `T3_ROW`, `T3_COL`). */
export type T3Values = Array<Array<number | null>>;
/** Table 4's 15 cells, three blocks of five (see `T4_BLOCK`, `T4_COL`, `t4Cell`). */
export type T4Values = Array<number | null>;

interface TableBase {
  region: Range;
  /** Set when the rows cannot be aligned with the template with confidence: what was read. */
  unreadable?: string;
}

/** A table of labelled rows (表二, 表三). */
interface LabelledTableBase extends TableBase {
  /** Rows by template index (t2: 6 rows, t3: 25 rows); undefined where absent. */
  rows: Array<Row | undefined>;
  /** Row indices in the order they appear (duplicates included). */
  order: number[];
  /** Duplicated rows (second occurrences). */
  duplicates: Row[];
}

export interface T2Table extends LabelledTableBase {
  id: 't2';
  /** The cells as the contract orders them (null where the text does not hold them). */
  values: T2Values;
}

export interface T3Table extends LabelledTableBase {
  id: 't3';
  /** The single （六）其他处理 row of the 2019 trial template. */
  legacyOther?: LegacyRow;
  /** The cells as the contract orders them (null where the text does not hold them). */
  values: T3Values;
}

/** Digits of several cells run together, and how many ways the totals allow to cut them. */
export interface DigitRun {
  digits: string;
  range: Range;
  solutions: number;
}

export interface T4Table extends TableBase {
  id: 't4';
  /** The 15 cells (null unless exactly 15 were read); the numbers found; a run of digits. */
  t4?: { cells: Cell[] | null; found: Cell[]; run?: DigitRun };
  /** The cells as the contract orders them (null where the text does not hold them). */
  values: T4Values;
}

export type LabelledTable = T2Table | T3Table;
export type Table = T2Table | T3Table | T4Table;

export interface Report {
  text: string;
  /** NFKC-normalised text, same length as text. */
  norm: string;
  title?: { text: string; year: number | null; range: Range };
  /** The year of every title-like line before the first section, with the range of the year. */
  titles?: Array<{ year: number; range: Range }>;
  period?: { from: number; to: number; range: Range };
  year: number | null;
  sections: Section[];
  /** Offsets of each section's body: first occurrence of each id. */
  sectionBody: Partial<Record<SectionId, Range>>;
  tables: { t2: T2Table | null; t3: T3Table | null; t4: T4Table | null };
}

export type Severity = 'error' | 'warning' | 'info';
export interface Edit {
  start: number;
  end: number;
  newText: string;
}
export interface Fix {
  title: string;
  edits: Edit[];
}
export interface Finding {
  ruleId: string;
  severity: Severity;
  message: string;
  range: Range;
  /** A repair that is certain: applied by fix-all, --fix and the bot's corrected file. */
  fix?: Fix;
  /** Repairs the user may choose one by one (a guess, such as filling blanks with 0): never applied by fix-all. */
  suggestions?: Fix[];
  /** The ranges a grouped finding covers (each blank cell of a row), for editors to mark each one. */
  parts?: Range[];
  where?: string;
}
