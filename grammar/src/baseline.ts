// Accepted findings (已核实): a baseline file lists findings a reviewer has checked and accepted, and
// every adapter leaves them out. A finding is known by what survives editing — the issuing body, the
// year, the rule, its place in the template (table, row and column, else the section) — never by
// its line; and by what it says (its message with the figures, the cell's text), so that an
// accepted finding whose values change is reported again. Pure: no file system here.
import { issuingBody } from './cross-year/body.js';
import type { Finding, Range, Report } from './model.js';
import { cellName, SECTIONS, T2_ROWS, T3_ROWS, TABLE_NAMES } from './template.js';

/** The baseline file's name, looked for next to a checked file and in its ancestors. */
export const BASELINE_FILE_NAME = '.nianbao-baseline.json';
export const BASELINE_VERSION = 1;

/** One accepted finding, as the file holds it. */
export interface BaselineEntry {
  /** The issuing body named by the report's title (normalised), or null when the title names none. */
  body: string | null;
  year: number | null;
  /** The rule id. */
  rule: string;
  /**
   * Where in the template: `t3.r23.c0` (表三 row 23, column 0, template indices), `t3.r23` (a row),
   * `t2.r3.c1`, `t4.c4` (表四 cell 4), `t3` (a table), `S5` (a section), '' (before the first section).
   */
  at: string;
  /** The same place in words (for the reader; not compared). */
  place: string;
  /** The text of the cell the finding is on, as written ('' when not on a cell). */
  value: string;
  /** The finding's message, with its figures. */
  message: string;
  /** The reviewer's note (why it is accepted). */
  note?: string;
  /** When it was accepted (YYYY-MM-DD). */
  date?: string;
}

export interface Baseline {
  version: number;
  entries: BaselineEntry[];
}

/** What is wrong with a baseline file (Chinese, naming the file). */
export class BaselineError extends Error {}

export const emptyBaseline = (): Baseline => ({ version: BASELINE_VERSION, entries: [] });

/** The place of an offset in the template: its id and its name in words. */
function placeOf(report: Report, range: Range): { at: string; place: string; value: string } {
  const offset = range.start;
  for (const id of ['t2', 't3'] as const) {
    const t = report.tables[id];
    if (!t || offset < t.region.start || offset > t.region.end) continue;
    for (const row of t.rows) {
      if (!row || offset < row.block.start || offset >= row.block.end) continue;
      const i = row.cells.findIndex(
        (c) => offset >= c.range.start && offset < Math.max(c.range.end, c.range.start + 1),
      );
      const r = row.spec.index;
      const label = (id === 't3' ? T3_ROWS : T2_ROWS)[r].label;
      if (i < 0) return { at: `${id}.r${r}`, place: `${TABLE_NAMES[id]}“${label}”行`, value: '' };
      return {
        at: `${id}.r${r}.c${i}`,
        place: id === 't3' ? cellName('t3', r, i) : cellName('t2', row.spec.offset + i),
        value: row.cells[i].raw,
      };
    }
    return { at: id, place: TABLE_NAMES[id], value: '' };
  }
  const t4 = report.tables.t4;
  if (t4 && offset >= t4.region.start && offset <= t4.region.end) {
    const cells = t4.t4?.cells ?? [];
    const i = cells.findIndex(
      (c) => offset >= c.range.start && offset < Math.max(c.range.end, c.range.start + 1),
    );
    return i >= 0
      ? { at: `t4.c${i}`, place: cellName('t4', i), value: cells[i].raw }
      : { at: 't4', place: TABLE_NAMES.t4, value: '' };
  }
  let section: Report['sections'][number] | undefined;
  for (const s of report.sections) if (s.range.start <= offset) section = s;
  if (!section) return { at: '', place: '标题及开头', value: '' };
  return { at: section.id, place: SECTIONS.find((s) => s.id === section!.id)!.standard, value: '' };
}

/** The baseline entry that would accept this finding of this report (without note or date). */
export function keyOf(report: Report, finding: Finding): BaselineEntry {
  const { at, place, value } = placeOf(report, finding.range);
  return {
    body: issuingBody(report),
    year: report.year,
    rule: finding.ruleId,
    at,
    place,
    value,
    message: finding.message.replace(/\s+/g, ' ').trim(),
  };
}

/** The fields that decide whether an entry accepts a finding. */
const identity = (e: BaselineEntry): string =>
  JSON.stringify([e.body, e.year, e.rule, e.at, e.value, e.message]);

/**
 * The findings split: those the baseline does not accept (kept, in their order) and those it
 * accepts. An empty or absent baseline keeps every finding.
 */
export function apply<F extends Finding>(
  report: Report,
  findings: F[],
  baseline: Baseline | null | undefined,
): { kept: F[]; accepted: F[] } {
  if (!baseline?.entries.length) return { kept: findings, accepted: [] };
  const known = new Set(baseline.entries.map(identity));
  const kept: F[] = [];
  const accepted: F[] = [];
  for (const f of findings) (known.has(identity(keyOf(report, f))) ? accepted : kept).push(f);
  return { kept, accepted };
}

/** The baseline with the entries added (those already in it are not repeated); how many were new. */
export function add(
  baseline: Baseline,
  entries: BaselineEntry[],
  extra: { note?: string; date?: string } = {},
): { baseline: Baseline; added: number } {
  const seen = new Set(baseline.entries.map(identity));
  const out = [...baseline.entries];
  for (const e of entries) {
    const id = identity(e);
    if (seen.has(id)) continue;
    seen.add(id);
    out.push({
      ...e,
      ...(extra.note !== undefined ? { note: extra.note } : {}),
      ...(extra.date !== undefined ? { date: extra.date } : {}),
    });
  }
  return {
    baseline: { version: baseline.version, entries: out },
    added: out.length - baseline.entries.length,
  };
}

/** A date as the file writes it: YYYY-MM-DD (local time). */
export function baselineDate(d = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

/** The baseline file's text: readable JSON, one field a line. */
export function formatBaseline(baseline: Baseline): string {
  return `${JSON.stringify(baseline, null, 2)}\n`;
}

/** Parses and validates a baseline file's text; throws BaselineError (Chinese, naming `source`). */
export function parseBaseline(text: string, source: string): Baseline {
  let raw: unknown;
  try {
    raw = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch {
    throw new BaselineError(`${source}：已核实问题清单不是有效的 JSON`);
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    throw new BaselineError(`${source}：已核实问题清单应为 JSON 对象（含 version 和 entries）`);
  const { version, entries } = raw as { version?: unknown; entries?: unknown };
  if (version !== BASELINE_VERSION)
    throw new BaselineError(
      `${source}：已核实问题清单的版本应为 ${BASELINE_VERSION}，而不是 ${JSON.stringify(version ?? null)}`,
    );
  if (!Array.isArray(entries)) throw new BaselineError(`${source}：已核实问题清单的“entries”应为数组`);
  const out: BaselineEntry[] = [];
  entries.forEach((e, i) => {
    const bad = (what: string) => new BaselineError(`${source}：第 ${i + 1} 条已核实问题${what}`);
    if (e === null || typeof e !== 'object' || Array.isArray(e)) throw bad('应为对象');
    const x = e as Record<string, unknown>;
    if (typeof x.rule !== 'string' || !x.rule) throw bad('缺少规则（rule）');
    if (typeof x.message !== 'string') throw bad('缺少问题说明（message）');
    if (x.body !== null && x.body !== undefined && typeof x.body !== 'string')
      throw bad('的机关（body）应为文字或 null');
    if (x.year !== null && x.year !== undefined && !Number.isInteger(x.year))
      throw bad('的年度（year）应为整数或 null');
    for (const k of ['at', 'place', 'value', 'note', 'date'])
      if (x[k] !== undefined && typeof x[k] !== 'string') throw bad(`的“${k}”应为文字`);
    out.push({
      body: (x.body as string | null | undefined) ?? null,
      year: (x.year as number | null | undefined) ?? null,
      rule: x.rule,
      at: (x.at as string | undefined) ?? '',
      place: (x.place as string | undefined) ?? '',
      value: (x.value as string | undefined) ?? '',
      message: x.message.replace(/\s+/g, ' ').trim(),
      ...(typeof x.note === 'string' ? { note: x.note } : {}),
      ...(typeof x.date === 'string' ? { date: x.date } : {}),
    });
  });
  return { version: BASELINE_VERSION, entries: out };
}
