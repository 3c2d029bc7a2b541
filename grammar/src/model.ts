// The checked model of a report: what the text says, with source ranges (offsets into the text).
import type { RowSpec, SectionId, TableId } from './template.js';

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
  run?: { digits: string; range: Range; solutions: number };
  /** Text block of the row in its table's layout (used to insert rows in the same layout). */
  block: Range;
}

export interface LegacyRow {
  label: string;
  labelRange: Range;
  cells: Cell[];
  block: Range;
}

export interface Table {
  id: TableId;
  region: Range;
  /** Rows by template index (t2: 6 rows, t3: 25 rows); undefined where absent. */
  rows: Array<Row | undefined>;
  /** Row indices in the order they appear (duplicates included). */
  order: number[];
  /** Duplicated rows (second occurrences). */
  duplicates: Row[];
  /** Table 3 only: the single （六）其他处理 row of the 2019 trial template. */
  legacyOther?: LegacyRow;
  /** Table 4 only: the 15 cells; counts of numbers found. */
  t4?: { cells: Cell[] | null; found: Cell[]; run?: { digits: string; range: Range; solutions: number } };
  /** Set when the rows cannot be aligned with the template with confidence: what was read. */
  unreadable?: string;
  /** The cells of the table as the contract orders them (null where the text does not hold them). */
  values: Array<number | null> | Array<Array<number | null>>;
}

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
  tables: { t2: Table | null; t3: Table | null; t4: Table | null };
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
