// A blank (zero-filled) table in the document's prevailing table layout.
import type { Report } from '../model.js';
import {
  S1_SUBITEMS,
  SECTIONS,
  T2_GROUPS,
  T2_HEADERS,
  T2_ROWS,
  T3_COLUMNS,
  T3_NOTE,
  T3_ROWS,
  T4_BLOCK_NAMES,
  T4_CELL_COUNT,
  T4_COLUMNS,
  type TableId,
} from '../template.js';

export type TableLayout = 'pipe' | 'tab';

/** The layout most of the document's tables use (pipe rows unless TAB rows prevail). */
export function prevailingLayout(report: Report): TableLayout {
  let pipes = 0,
    tabs = 0;
  for (const t of [report.tables.t2, report.tables.t3, report.tables.t4]) {
    if (!t) continue;
    const s = report.text.slice(t.region.start, t.region.end);
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c === 124) pipes++;
      else if (c === 9) tabs++;
    }
  }
  return tabs > pipes ? 'tab' : 'pipe';
}

/** The rows of a blank table (header rows, group labels, labelled rows of zeros), cell by cell. */
export function blankRows(id: TableId): string[][] {
  const rows: string[][] = [];
  if (id === 't2') {
    T2_GROUPS.forEach((g, gi) => {
      rows.push([g], T2_HEADERS[gi]);
      for (const r of T2_ROWS.filter((x) => x.group === g)) rows.push([r.label, ...Array(r.cells).fill('0')]);
    });
  } else if (id === 't3') {
    rows.push([T3_NOTE, '申请人情况'], T3_COLUMNS);
    let group: string | undefined;
    for (const r of T3_ROWS) {
      const lead = r.group && r.group !== group ? [r.group] : [];
      group = r.group ?? group;
      rows.push([...lead, r.label, ...Array(7).fill('0')]);
    }
  } else {
    rows.push(T4_BLOCK_NAMES, [...T4_COLUMNS, ...T4_COLUMNS, ...T4_COLUMNS], Array(T4_CELL_COUNT).fill('0'));
  }
  return rows;
}

export function blankTable(id: TableId, layout: TableLayout): string {
  return (
    blankRows(id)
      .map((r) => (layout === 'tab' ? r.join('\t') : r.join(' | ') + ' |'))
      .join('\n') + '\n'
  );
}

export type BlankPart = { kind: 'p'; text: string; heading?: boolean } | { kind: 'table'; id: TableId };

/**
 * A whole blank report in the template's order: title, the six headings with S1's sub-items, and
 * the three tables zero-filled, with `（文字描述）` where prose belongs (reported as a placeholder
 * until it is replaced). As parts, so any writer (text, Word) renders the same report.
 */
export function blankReportParts(year: number): BlankPart[] {
  const prose: BlankPart = { kind: 'p', text: '（文字描述）' };
  const out: BlankPart[] = [
    { kind: 'p', text: `XX（单位名称）${year}年政府信息公开工作年度报告` },
    { kind: 'p', text: `本报告统计期限为${year}年1月1日至12月31日。` },
  ];
  const tables: Partial<Record<string, TableId>> = { S2: 't2', S3: 't3', S4: 't4' };
  for (const s of SECTIONS) {
    out.push({ kind: 'p', text: s.standard, heading: true });
    if (s.id === 'S1') for (const sub of S1_SUBITEMS) out.push({ kind: 'p', text: sub.caption }, prose);
    else if (tables[s.id]) out.push({ kind: 'table', id: tables[s.id]! });
    else if (s.id === 'S6') out.push({ kind: 'p', text: '本年度未收取信息处理费。' }, prose);
    else out.push(prose);
  }
  return out;
}

/** The blank report as text, tables in `layout`. */
export function blankReport(year: number, layout: TableLayout = 'tab'): string {
  return (
    blankReportParts(year)
      .map((p) => (p.kind === 'p' ? p.text : blankTable(p.id, layout).trimEnd()))
      .join('\n') + '\n'
  );
}
