// Editor assistance computed from the model: what to offer at a position, what a position means,
// and the outline. Adapters (the language server) only translate these into their protocol.

import { RULES } from '../../rules/index.js';
import type { Range, Report, Row } from '../model.js';
import { type Numbering, numberingOf } from '../parse/grammar.js';
import {
  cellName,
  type RowSpec,
  SECTIONS,
  T2_ROWS,
  T3_APPLICANT_COLUMNS,
  T3_COL,
  T3_GROUPS,
  T3_ROW,
  T3_ROWS,
  T4_BLOCK_NAMES,
  T4_BLOCK_SIZE,
  T4_COL,
  TABLE_NAMES,
  type TableId,
  t4Cell,
} from '../template.js';
import { blankTable, prevailingLayout } from './blank.js';

export interface Suggestion {
  label: string;
  detail: string;
  kind: 'heading' | 'row' | 'group' | 'table';
  sortText: string;
  /** Begins with what was typed, so an editor's own prefix filter keeps what matched here. */
  filterText: string;
  insertText?: string;
}

/**
 * Standard labels and headings to offer at `offset`, the most likely first, that match `typed` (the
 * text typed before the cursor in this cell): its item number (`2.`, `（三）`, `三、`, also written
 * `2、`, `(三)` or in full-width digits), the start of the label, or any part of it (`重复`, `国家秘密`).
 */
export function suggestions(report: Report, offset: number, typed = ''): Suggestion[] {
  const key = typedKey(typed);
  return candidates(report, offset)
    .filter((s) => matches(key, s.label) || (s.kind === 'table' && matches(key, s.filterText)))
    .map((s) => ({ ...s, filterText: typed ? `${typed}${s.label}` : s.filterText }));
}

// Item numbers 三、 （三） 3. are the grammar's itemNumbering (NFKC turns （３） into (3), ３． into 3.);
// 3、 and 3. are the same number.
const typedKey = (s: string) => s.normalize('NFKC').replace(/\s+/g, '');
const sameNumber = (a: Numbering, b: Numbering) => a.value === b.value && a.form === b.form;

function matches(typed: string, label: string): boolean {
  if (!typed) return true;
  const l = typedKey(label);
  if (l.startsWith(typed)) return true;
  const tn = numberingOf(typed);
  const ln = numberingOf(l);
  if (tn && (!ln || !sameNumber(tn, ln))) return false;
  const rest = tn ? typed.slice(tn.text.length) : typed;
  return (ln ? l.slice(ln.text.length) : l).includes(rest);
}

function candidates(report: Report, offset: number): Suggestion[] {
  const out: Suggestion[] = [];
  const table = tableAt(report, offset);
  let rank = 0;
  const push = (label: string, detail: string, kind: Suggestion['kind']) =>
    out.push({
      label,
      detail,
      kind,
      sortText: String(rank++).padStart(3, '0'),
      filterText: label.slice(numberingOf(label.normalize('NFKC'))?.text.length ?? 0) + label,
    });
  if ((table === 't2' || table === 't3') && report.tables[table]!.rows.some(Boolean)) {
    const specs = table === 't2' ? T2_ROWS : T3_ROWS;
    const rows = report.tables[table]!;
    // The row group of the nearest row above the cursor: its missing rows first, then the rest.
    const above = [...rows.rows]
      .filter((r): r is Row => !!r && r.labelRange.start < offset)
      .sort((a, b) => b.labelRange.start - a.labelRange.start)[0];
    const group = groupAt(report, table, offset) ?? above?.spec.group;
    // The group's missing rows, its other rows, then the other missing rows and the rest.
    const missing = (s: RowSpec) => !rows.rows[s.index];
    const inGroup = specs.filter((s) => s.group === group && s.group !== undefined);
    const others = specs.filter((s) => !inGroup.includes(s));
    const ordered = [
      ...inGroup.filter(missing),
      ...inGroup.filter((s) => !missing(s)),
      ...others.filter(missing),
      ...others.filter((s) => !missing(s)),
    ];
    for (const s of ordered)
      push(
        s.label,
        `${TABLE_NAMES[table]}${s.group ? ` · ${s.group}` : ''}${rows.rows[s.index] ? '' : '（本表缺少此行）'}`,
        'row',
      );
    if (table === 't3') for (const g of T3_GROUPS) push(g.label, '表三 分组', 'group');
    return out;
  }
  const present = new Set(report.sections.map((s) => s.id));
  const before = report.sections.filter((s) => s.range.start < offset).pop();
  // In 二、三、四 without a table: the whole blank table, in the document's prevailing layout.
  const tableOf = ({ S2: 't2', S3: 't3', S4: 't4' } as Record<string, TableId>)[before?.id ?? ''];
  if (tableOf) {
    const t = report.tables[tableOf];
    const missing = !t || (t.id === 't4' ? !t.t4?.found.length : !t.rows.some(Boolean));
    if (missing) {
      out.push({
        label: `${TABLE_NAMES[tableOf]}（空白表格）`,
        detail: '插入整张表格，数字均为0',
        kind: 'table',
        sortText: String(rank++).padStart(3, '0'),
        filterText: `${TABLE_NAMES[tableOf]}表格`,
        insertText: blankTable(tableOf, prevailingLayout(report)),
      });
    }
  }
  const next =
    SECTIONS.find((s) => s.id > (before?.id ?? '') && !present.has(s.id)) ??
    SECTIONS.find((s) => !present.has(s.id));
  const ordered = next ? [next, ...SECTIONS.filter((s) => s !== next)] : SECTIONS;
  for (const s of ordered) push(s.standard, present.has(s.id) ? '章节标题（已有）' : '章节标题', 'heading');
  return out;
}

function tableAt(report: Report, offset: number): TableId | null {
  for (const id of ['t2', 't3', 't4'] as TableId[]) {
    const t = report.tables[id];
    if (t && offset >= t.region.start && offset <= t.region.end) return id;
  }
  return null;
}

/** The nearest group label written above `offset` in table 3 (e.g. （三）不予公开), if any. */
function groupAt(report: Report, table: 't2' | 't3', offset: number): string | undefined {
  if (table !== 't3') return undefined;
  const t = report.tables.t3!;
  const text = report.norm.slice(t.region.start, offset);
  let best: { at: number; label: string } | undefined;
  for (const g of T3_GROUPS) {
    const k = g.label.normalize('NFKC');
    const at = text.lastIndexOf(k);
    if (at >= 0 && (!best || at > best.at)) best = { at, label: g.label };
  }
  // A data row after the group label that belongs to another group ends it.
  if (best) {
    const after = t.rows.filter(
      (r): r is Row => !!r && r.labelRange.start > t.region.start + best.at && r.labelRange.start < offset,
    );
    if (after.some((r) => r.spec.group !== best!.label && r.spec.group !== '三、本年度办理结果'))
      return undefined;
  }
  return best?.label;
}

export interface HoverInfo {
  range: Range;
  markdown: string;
}

/** What the thing at `offset` means: a heading, a row label or a cell. */
export function hoverAt(report: Report, offset: number): HoverInfo | null {
  const sec = report.sections.find((s) => offset >= s.range.start && offset <= s.range.end);
  if (sec) {
    const spec = SECTIONS.find((s) => s.id === sec.id)!;
    return {
      range: sec.range,
      markdown: sec.standard
        ? `**${spec.standard}**\n\n标题符合模板。`
        : `**${spec.standard}**\n\n规范写法：“${spec.standard}”。\n\n${rule('section-heading')}`,
    };
  }
  for (const id of ['t2', 't3'] as const) {
    const t = report.tables[id];
    for (const row of t?.rows ?? []) {
      if (!row) continue;
      if (offset >= row.labelRange.start && offset <= row.labelRange.end) {
        return {
          range: row.labelRange,
          markdown: `**${TABLE_NAMES[id]}“${row.spec.label}”**${row.spec.group ? `（属于“${row.spec.group}”）` : ''}\n\n本行应有 ${row.spec.cells} 个数。${row.labelDistance ? `\n\n与模板不符，规范写法：“${row.spec.label}”。\n\n${rule('row-label')}` : ''}`,
        };
      }
      const i = row.cells.findIndex((c) => offset >= c.range.start && offset <= c.range.end);
      if (i >= 0) return { range: row.cells[i].range, markdown: cellHover(report, id, row.spec, i) };
    }
  }
  const t4 = report.tables.t4?.t4?.cells;
  const i = t4?.findIndex((c) => offset >= c.range.start && offset <= c.range.end) ?? -1;
  if (t4 && i >= 0) {
    const b = t4Cell(Math.floor(i / T4_BLOCK_SIZE), 0);
    const parts = t4.slice(b, b + T4_COL.TOTAL).map((c) => c.value);
    const sum = parts.every((x) => x != null) ? parts.reduce((a, x) => a! + x!, 0) : null;
    return {
      range: t4[i].range,
      markdown: `**${cellName('t4', i)}**${i % T4_BLOCK_SIZE === T4_COL.TOTAL && sum != null ? `\n\n应等于结果维持、结果纠正、其他结果、尚未审结之和：${sum}` : ''}\n\n${rule('t4-total')}`,
    };
  }
  return null;
}

function cellHover(report: Report, id: 't2' | 't3', spec: RowSpec, i: number): string {
  if (id === 't2') return `**${cellName('t2', spec.offset + i)}**`;
  const v = report.tables.t3!.values;
  const lines = [`**${cellName('t3', spec.index, i)}**`];
  if (i === T3_COL.TOTAL) {
    const row = v[spec.index].slice(0, T3_APPLICANT_COLUMNS);
    if (row.every((x) => x != null))
      lines.push(`应等于本行六类申请人之和：${row.reduce((a, x) => a! + x!, 0)}`);
  }
  if (spec.index === T3_ROW.OUTCOME_TOTAL) {
    const col = v.slice(T3_ROW.FIRST_OUTCOME, T3_ROW.OUTCOME_TOTAL).map((r) => r[i]);
    if (col.every((x) => x != null)) lines.push(`应等于各办理结果之和：${col.reduce((a, x) => a! + x!, 0)}`);
  }
  lines.push(
    rule(
      i === T3_COL.TOTAL
        ? 't3-row-total'
        : spec.index === T3_ROW.OUTCOME_TOTAL
          ? 't3-outcome-total'
          : 't3-balance',
    ),
  );
  return lines.join('\n\n');
}

const rule = (id: string) => {
  const r = RULES.find((x) => x.id === id)!;
  return `规则 \`${r.id}\`（${r.title}）：${r.description}`;
};

export interface OutlineNode {
  name: string;
  detail?: string;
  range: Range;
  selection: Range;
  children: OutlineNode[];
}

/** Sections → tables → row groups. */
export function outline(report: Report): OutlineNode[] {
  return report.sections.map((s, i) => {
    const end = i + 1 < report.sections.length ? report.sections[i + 1].range.start : report.text.length;
    const node: OutlineNode = {
      name: s.heading,
      // A non-standard heading shows the template's wording beside it; no internal ids.
      detail: s.standard ? undefined : SECTIONS.find((x) => x.id === s.id)?.standard,
      range: { start: s.range.start, end },
      selection: s.range,
      children: [],
    };
    const id = ({ S2: 't2', S3: 't3', S4: 't4' } as Record<string, TableId>)[s.id];
    const t = id && report.tables[id];
    if (t && t.id === 't4' && report.sectionBody[s.id]?.start === s.range.end) {
      // 表四's three blocks (行政复议, and the two kinds of 行政诉讼), when its 15 cells were read.
      const cells = t.t4?.cells;
      const blocks = cells
        ? T4_BLOCK_NAMES.map((name, b) => {
            const first = cells[b * T4_BLOCK_SIZE],
              last = cells[b * T4_BLOCK_SIZE + T4_BLOCK_SIZE - 1];
            const range = { start: first.range.start, end: last.range.end };
            return { name, range, selection: first.range, children: [] };
          })
        : [];
      node.children.push({ name: TABLE_NAMES.t4, range: t.region, selection: t.region, children: blocks });
    } else if (t && t.id !== 't4' && report.sectionBody[s.id]?.start === s.range.end) {
      const tn: OutlineNode = { name: TABLE_NAMES[id], range: t.region, selection: t.region, children: [] };
      const groups = new Map<string, Row[]>();
      for (const r of t.rows)
        if (r) {
          const g = r.spec.group ?? r.spec.label;
          groups.set(g, [...(groups.get(g) ?? []), r]);
        }
      for (const [g, rows] of groups) {
        const range = { start: rows[0].labelRange.start, end: rows[rows.length - 1].block.end };
        tn.children.push({ name: g, range, selection: rows[0].labelRange, children: [] });
      }
      node.children.push(tn);
    }
    return node;
  });
}

/** Whether a plain-text or Markdown document is an annual report (its title, or two section headings). */
export function looksLikeReport(report: Report): boolean {
  return !!report.title || new Set(report.sections.map((s) => s.id)).size >= 2;
}

/**
 * Where `range` lies in the template's words, for readers without the text beside them (a chat
 * card): the section, and within a table the row and column, e.g.
 * `三、收到和处理政府信息公开申请情况 › 表三“（七）总计”自然人列`. An empty range (an insertion
 * point, as for a missing row) is placed in its table only: the row beside it is not the subject.
 */
export function locate(report: Report, range: Range): string {
  const offset = range.start;
  const parts: string[] = [];
  let section: Report['sections'][number] | undefined;
  for (const s of report.sections) if (s.range.start <= offset) section = s;
  if (section) parts.push(SECTIONS.find((s) => s.id === section!.id)!.standard);
  const cell = cellAt(report, offset, range.end > range.start);
  if (cell) parts.push(cell);
  return parts.join(' › ');
}

function cellAt(report: Report, offset: number, inRow: boolean): string | null {
  for (const id of ['t2', 't3'] as const) {
    const t = report.tables[id];
    if (!t || offset < t.region.start || offset > t.region.end) continue;
    for (const row of inRow ? t.rows : []) {
      if (!row || offset < row.block.start || offset >= row.block.end) continue;
      const i = row.cells.findIndex((c) => offset >= c.range.start && offset <= c.range.end);
      if (i < 0) return `${TABLE_NAMES[id]}“${row.spec.label}”行`;
      return id === 't3' ? cellName('t3', row.spec.index, i) : cellName('t2', row.spec.offset + i);
    }
    return TABLE_NAMES[id];
  }
  const t4 = report.tables.t4;
  if (t4 && offset >= t4.region.start && offset <= t4.region.end) {
    const i = inRow
      ? (t4.t4?.cells?.findIndex((c) => offset >= c.range.start && offset <= c.range.end) ?? -1)
      : -1;
    return i >= 0 ? cellName('t4', i) : TABLE_NAMES.t4;
  }
  return null;
}
