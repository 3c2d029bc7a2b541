// Arithmetic of tables 3 and 4. When one wrong cell breaks several totals, the cell is named once
// (with the rule that pins it down best), instead of one finding per broken total.
import type { Cell, Fix, Range, Report } from '../../src/model.js';
import type { RuleFinding } from '../../src/rule.js';
import {
  cellName,
  T3_APPLICANT_COLUMNS,
  T3_COL,
  T3_COLUMN_COUNT,
  T3_COLUMNS,
  T3_ROW,
  T3_ROW_COUNT,
  T4_BLOCK_NAMES,
  T4_BLOCK_SIZE,
  T4_CELL_COUNT,
  T4_COL,
  T4_COLUMNS,
  t4Cell,
} from '../../src/template.js';

const { NEW_REQUESTS, CARRIED_IN, FIRST_OUTCOME, FIRST_OTHER, LAST_OUTCOME, OUTCOME_TOTAL, CARRIED_OUT } =
  T3_ROW;
const TOTAL = T3_COL.TOTAL;
/** Column indices of the six kinds of applicant. */
const APPLICANTS = Array.from({ length: T3_APPLICANT_COLUMNS }, (_, c) => c);
/** Column indices of a table 4 block's four results (before its 总计). */
const T4_PARTS: number[] = [T4_COL.UPHELD, T4_COL.CORRECTED, T4_COL.OTHER, T4_COL.PENDING];

type RuleId = 't3-row-total' | 't3-outcome-total' | 't3-balance' | 't4-total';
interface Term {
  id: string;
  coef: number;
  cell: Cell;
}
interface Constraint {
  rule: RuleId;
  terms: Term[];
  total: Term | null;
  describe: (res: number) => string;
  at: Range;
}

interface Diagnosis {
  findings: Map<RuleId, RuleFinding[]>;
  corrected: Map<string, number>;
}
const memo = new WeakMap<Report, Diagnosis>();

function diagnosis(report: Report): Diagnosis {
  let m = memo.get(report);
  if (!m) {
    m = diagnose(report);
    memo.set(report, m);
  }
  return m;
}

export function arithmeticFindings(report: Report, rule: RuleId): RuleFinding[] {
  return diagnosis(report).findings.get(rule) ?? [];
}

/** The value the table's own arithmetic says a wrong cell should hold (`t3[0][6]`, `t4[4]`), if it pins one down. */
export function correctedValue(report: Report, cellId: string): number | undefined {
  return diagnosis(report).corrected.get(cellId);
}

const fmt = (n: number) => String(Math.round(n * 100) / 100);

function constraints(report: Report): Constraint[] {
  const out: Constraint[] = [];
  const t3 = report.tables.t3?.unreadable ? null : report.tables.t3;
  if (t3) {
    const cell = (r: number, c: number): Cell | null => {
      const row = t3.rows[r];
      return row && row.cells.length === T3_COLUMN_COUNT && row.cells[c].value != null ? row.cells[c] : null;
    };
    const term = (r: number, c: number, coef: number): Term | null => {
      const x = cell(r, c);
      return x ? { id: `t3[${r}][${c}]`, coef, cell: x } : null;
    };
    for (let r = 0; r < T3_ROW_COUNT; r++) {
      const ts = [term(r, TOTAL, 1), ...APPLICANTS.map((c) => term(r, c, -1))];
      if (ts.some((t) => !t)) continue;
      const total = ts[0]!;
      out.push({
        rule: 't3-row-total',
        terms: ts as Term[],
        total,
        at: total.cell.range,
        describe: () =>
          `${cellName('t3', r, TOTAL)}为${total.cell.value}，但本行各类申请人之和为${fmt(total.cell.value! - residual(ts as Term[]))}`,
      });
    }
    const legacy = t3.legacyOther?.cells.length === T3_COLUMN_COUNT ? t3.legacyOther.cells : null;
    for (let c = 0; c < T3_COLUMN_COUNT; c++) {
      const parts: Array<Term | null> = [];
      for (let r = FIRST_OUTCOME; r <= LAST_OUTCOME; r++) {
        if (r >= FIRST_OTHER && legacy && !t3.rows[r]) continue;
        parts.push(term(r, c, -1));
      }
      if (legacy)
        parts.push(legacy[c].value != null ? { id: `t3[六][${c}]`, coef: -1, cell: legacy[c] } : null);
      const total = term(OUTCOME_TOTAL, c, 1);
      if (total && parts.every(Boolean)) {
        const ts = [total, ...(parts as Term[])];
        out.push({
          rule: 't3-outcome-total',
          terms: ts,
          total,
          at: total.cell.range,
          describe: () =>
            `${cellName('t3', OUTCOME_TOTAL, c)}为${total.cell.value}，但各办理结果之和为${fmt(total.cell.value! - residual(ts))}`,
        });
      }
      const b = [
        term(NEW_REQUESTS, c, 1),
        term(CARRIED_IN, c, 1),
        term(OUTCOME_TOTAL, c, -1),
        term(CARRIED_OUT, c, -1),
      ];
      if (b.every(Boolean)) {
        const ts = b as Term[];
        const [a0, a1, a23, a24] = ts.map((t) => t.cell.value!);
        out.push({
          rule: 't3-balance',
          terms: ts,
          total: null,
          at: ts[0].cell.range,
          describe: () =>
            `表三“${T3_COLUMNS[c]}”列：本年新收${a0}+上年结转${a1}=${a0 + a1}，但办理结果总计${a23}+结转下年度${a24}=${a23 + a24}（第一项加第二项之和应等于第三项加第四项之和）`,
        });
      }
    }
  }
  const t4 = report.tables.t4?.t4?.cells;
  if (t4) {
    for (let b = 0; b < 3; b++) {
      const ts: Term[] = [T4_COL.TOTAL, ...T4_PARTS].map((i) => ({
        id: `t4[${t4Cell(b, i)}]`,
        coef: i === T4_COL.TOTAL ? 1 : -1,
        cell: t4[t4Cell(b, i)],
      }));
      if (ts.some((t) => t.cell.value == null)) continue;
      out.push({
        rule: 't4-total',
        terms: ts,
        total: ts[0],
        at: ts[0].cell.range,
        describe: () =>
          `表四“${T4_BLOCK_NAMES[b]}”总计为${ts[0].cell.value}，但${T4_PARTS.map((i) => T4_COLUMNS[i]).join('、')}之和为${fmt(ts[0].cell.value! - residual(ts))}`,
      });
    }
  }
  return out;
}

function residual(ts: Term[]): number {
  let s = 0;
  for (const t of ts) s += t.coef * t.cell.value!;
  return Math.round(s * 100) / 100;
}

/** Cheap pass over the values: does any total fail? (Most reports add up.) */
function anyFailure(report: Report): boolean {
  const t3 = report.tables.t3?.unreadable ? null : report.tables.t3;
  if (t3) {
    const v = t3.values;
    const legacy =
      t3.legacyOther?.cells.length === T3_COLUMN_COUNT ? t3.legacyOther.cells.map((c) => c.value) : null;
    for (let r = 0; r < T3_ROW_COUNT; r++) {
      const row = v[r];
      if (row.every((x) => x != null) && row[TOTAL] !== APPLICANTS.reduce((s, c) => s + row[c]!, 0))
        return true;
    }
    for (let c = 0; c < T3_COLUMN_COUNT; c++) {
      // A blank or unreadable （六）其他处理 cell leaves the column's sum unknown, never 0.
      let sum = legacy?.[c] ?? 0,
        known = v[OUTCOME_TOTAL][c] != null && (!legacy || legacy[c] != null);
      for (let r = FIRST_OUTCOME; r <= LAST_OUTCOME && known; r++) {
        const x = v[r][c];
        if (x == null) {
          if (!(legacy && r >= FIRST_OTHER)) known = false;
        } else sum += x;
      }
      if (known && sum !== v[OUTCOME_TOTAL][c]) return true;
      const [a, b, t, n] = [v[NEW_REQUESTS][c], v[CARRIED_IN][c], v[OUTCOME_TOTAL][c], v[CARRIED_OUT][c]];
      if (a != null && b != null && t != null && n != null && a + b !== t + n) return true;
    }
  }
  const t4 = report.tables.t4?.values;
  if (t4)
    for (let b = 0; b < T4_CELL_COUNT; b += T4_BLOCK_SIZE) {
      const x = t4.slice(b, b + T4_BLOCK_SIZE);
      if (x.every((y) => y != null) && x[T4_COL.TOTAL] !== T4_PARTS.reduce((s, i) => s + x[i]!, 0))
        return true;
    }
  return false;
}

function diagnose(report: Report): Diagnosis {
  const corrected = new Map<string, number>();
  if (!anyFailure(report)) return { findings: new Map(), corrected };
  const cs = constraints(report);
  const failing = cs.filter((c) => residual(c.terms) !== 0);
  const out = new Map<RuleId, RuleFinding[]>();
  const push = (rule: RuleId, f: RuleFinding) => {
    const l = out.get(rule) ?? [];
    l.push(f);
    out.set(rule, l);
  };
  if (!failing.length) return { findings: out, corrected };
  // A cell explains its failing constraints when every constraint it is in fails and all of them
  // ask for the same correction. Only then is the value pinned down and written by fix-all, and
  // only when at least two relations agree on it: a cell in one relation alone (a 表四 cell, a
  // 表三 cell whose row or column has an unreadable cell) could as well be right while another
  // cell of that relation is wrong.
  const byCell = new Map<string, { cell: Cell; cons: Array<{ c: Constraint; coef: number }> }>();
  for (const c of cs)
    for (const t of c.terms) {
      const e = byCell.get(t.id) ?? { cell: t.cell, cons: [] };
      e.cons.push({ c, coef: t.coef });
      byCell.set(t.id, e);
    }
  const explains = new Map<string, number>(); // cell id → corrected value
  for (const [id, e] of byCell) {
    if (e.cons.length < 2 || e.cons.some(({ c }) => !failing.includes(c))) continue;
    const deltas = e.cons.map(({ c, coef }) => -residual(c.terms) / coef);
    if (deltas.some((d) => Math.abs(d - deltas[0]) > 1e-9)) continue;
    const v = e.cell.value! + deltas[0];
    if (v < 0) continue;
    explains.set(id, v);
  }
  const done = new Set<Constraint>();
  const touched = new Set<Cell>();
  for (const c of failing) {
    if (done.has(c)) continue;
    const culprits = c.terms.filter((t) => explains.has(t.id));
    if (culprits.length === 1) {
      const t = culprits[0];
      const e = byCell.get(t.id)!;
      const v = explains.get(t.id)!;
      // The rule that pins the cell down best: the one where it is the total, else the first.
      const main = e.cons.find(({ c }) => c.total?.id === t.id)?.c ?? e.cons[0].c;
      e.cons.forEach(({ c }) => done.add(c));
      const where = cellLabel(t.id);
      const others = e.cons.length > 1 ? `；改为${fmt(v)}可使${e.cons.length}处合计关系都成立` : '';
      const isTotal = main.total?.id === t.id;
      // A total is named by its own relation (as when no single cell explains it); a part by its
      // value and the one it should hold.
      push(main.rule, {
        message: isTotal
          ? `${main.describe(residual(main.terms))}${others}`
          : `${where}为${t.cell.value}，应为${fmt(v)}（${main.describe(residual(main.terms))}${others}）`,
        range: t.cell.range,
        fix: {
          title: `将${where}改为${fmt(v)}`,
          edits: [{ start: t.cell.range.start, end: t.cell.range.end, newText: fmt(v) }],
        },
      });
      touched.add(t.cell);
      corrected.set(t.id, v);
    }
  }
  for (const c of failing) {
    if (done.has(c)) continue;
    // No cell is pinned down by two relations (表四 has one relation per block; in 表三 two cells
    // are wrong, or the cell's other relations hold or cannot be read). Which side is wrong is a
    // guess: the sum of the parts is offered for the total, never applied by fix-all, and the
    // finding stays until a person decides.
    let suggestion: Fix | undefined;
    if (c.total && !touched.has(c.total.cell)) {
      const v = c.total.cell.value! - residual(c.terms);
      if (v >= 0) {
        const edits = [{ start: c.total.cell.range.start, end: c.total.cell.range.end, newText: fmt(v) }];
        suggestion = { title: `将${cellLabel(c.total.id)}改为${fmt(v)}（请先核对各分项）`, edits };
        touched.add(c.total.cell);
      }
    }
    push(c.rule, {
      message: c.describe(residual(c.terms)),
      range: c.at,
      ...(suggestion ? { suggestions: [suggestion] } : {}),
    });
  }
  return { findings: out, corrected };
}

function cellLabel(id: string): string {
  let m = /^t3\[(\d+)\]\[(\d+)\]$/.exec(id);
  if (m) return cellName('t3', +m[1], +m[2]);
  m = /^t3\[六\]\[(\d+)\]$/.exec(id);
  if (m) return `表三“（六）其他处理”行“${T3_COLUMNS[+m[1]]}”列`;
  m = /^t4\[(\d+)\]$/.exec(id);
  return m ? cellName('t4', +m[1]) : id;
}

/**
 * The values a missing 表三 row must hold for the table's own totals to stand, when the other
 * rows decide them (the outcome rows by （七）总计, the rest by the balance); null where they do not.
 *
 * Each value is backed by two relations: its column's relation (outcome total or balance) gives
 * it, and the row's own total must agree with the row so derived. Seven column relations and the
 * row total are eight equations for seven values, so one wrong cell anywhere in the other rows
 * shifts one column only and breaks the row total: the row is then not implied (a suggestion to
 * fill 0, never applied). A missing （七）总计 row is given by the sum of the outcomes and must
 * also satisfy the balance of every column where the balance can be read.
 */
export function impliedT3Row(report: Report, r: number): number[] | null {
  const t3 = report.tables.t3;
  if (!t3 || t3.legacyOther) return null;
  const v = (row: number, c: number) => {
    const x = t3.rows[row];
    return x && x.cells.length === T3_COLUMN_COUNT ? x.cells[c].value : null;
  };
  const out: number[] = [];
  for (let c = 0; c < T3_COLUMN_COUNT; c++) {
    let x: number | null = null;
    if (r >= FIRST_OUTCOME && r <= OUTCOME_TOTAL) {
      let sum = 0,
        known = true;
      for (let k = FIRST_OUTCOME; k <= LAST_OUTCOME && known; k++) {
        if (k === r) continue;
        const y = v(k, c);
        if (y == null) known = false;
        else sum += y;
      }
      const total = v(OUTCOME_TOTAL, c);
      if (known) x = r === OUTCOME_TOTAL ? sum : total == null ? null : total - sum;
      if (r === OUTCOME_TOTAL && x != null) {
        const [a, b, n] = [v(NEW_REQUESTS, c), v(CARRIED_IN, c), v(CARRIED_OUT, c)];
        if (a != null && b != null && n != null && a + b !== x + n) return null;
      }
    } else {
      const [a, b, t, n] = [v(NEW_REQUESTS, c), v(CARRIED_IN, c), v(OUTCOME_TOTAL, c), v(CARRIED_OUT, c)];
      if (r === NEW_REQUESTS && b != null && t != null && n != null) x = t + n - b;
      if (r === CARRIED_IN && a != null && t != null && n != null) x = t + n - a;
      if (r === CARRIED_OUT && a != null && b != null && t != null) x = a + b - t;
    }
    if (x == null || x < 0) return null;
    out.push(x);
  }
  return out[TOTAL] === APPLICANTS.reduce((s, c) => s + out[c], 0) ? out : null;
}
