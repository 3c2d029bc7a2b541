// What the review says about pairing beyond the pairs themselves: reports of one body and year
// (which one was compared, and why), reports that could not be paired (and why), and, with a
// reviewer's list of bodies, the bodies expected but without a report and the bodies not on it.
import { type JsonResult, sameBody } from '../../grammar/src/index.js';
import { matchUnit, type Unit } from './units.js';

export interface DuplicateGroup {
  body: string;
  year: number;
  /** The report used for the cross-year comparison. */
  used: string;
  /** The other reports of the same body and year. */
  others: string[];
  /** Why `used` was chosen (Chinese). */
  why: string;
}

export interface Unpaired {
  file: string;
  body: string | null;
  year: number | null;
  /** Why no comparison was made (Chinese). */
  reason: string;
}

export interface UnitsOutcome {
  /** How many bodies the list names. */
  expected: number;
  /** Bodies on the list with no report among those read. */
  missing: string[];
  /** Bodies of reports that are not on the list. */
  notListed: string[];
  /** Readable reports whose title (and so body) could not be found. */
  untitled: number;
}

export interface PairingNotes {
  duplicates: DuplicateGroup[];
  unpaired: Unpaired[];
  units?: UnitsOutcome;
}

/** The body a report is filed under: the list's name when the list has it, else the title's. */
export function filedBody(body: string | null, units?: Unit[]): string | null {
  if (!body || !units) return body;
  return matchUnit(body, units) ?? body;
}

/** How many table cells of a result were read (a blank or unreadable cell is null). */
function cellsRead(r: JsonResult): number {
  const t = r.tables;
  const count = (xs: Array<number | null> | null | undefined) => (xs ?? []).filter((x) => x !== null).length;
  return count(t.t2) + (t.t3 ?? []).reduce((a, row) => a + count(row), 0) + count(t.t4);
}

const errorsOf = (r: JsonResult) => r.findings.filter((f) => f.severity === 'error').length;

export interface Candidate {
  id: string;
  body: string;
  year: number;
  result: JsonResult;
}

/**
 * Reports of one body and year grouped; of each group the one used for comparison: the one whose
 * tables were read most completely, then the one with fewest errors, then the first by name.
 */
export function pickDuplicates(items: Candidate[]): { kept: Candidate[]; groups: DuplicateGroup[] } {
  const groups: Candidate[][] = [];
  for (const it of items) {
    const g = groups.find((x) => x[0].year === it.year && sameBody(x[0].body, it.body));
    if (g) g.push(it);
    else groups.push([it]);
  }
  const kept: Candidate[] = [];
  const out: DuplicateGroup[] = [];
  for (const g of groups) {
    if (g.length === 1) {
      kept.push(g[0]);
      continue;
    }
    const ranked = [...g].sort(
      (a, b) =>
        cellsRead(b.result) - cellsRead(a.result) ||
        errorsOf(a.result) - errorsOf(b.result) ||
        a.id.localeCompare(b.id),
    );
    const [best, next] = ranked;
    const same = (a: Candidate, b: Candidate) =>
      JSON.stringify(a.result.tables) === JSON.stringify(b.result.tables);
    const why = g.every((x) => same(x, best))
      ? '各份表格数字相同（同一报告的不同文件），使用文件名排在最前的一份'
      : cellsRead(best.result) > cellsRead(next.result)
        ? `表格读出的数字最多（${cellsRead(best.result)} 个，另一份 ${cellsRead(next.result)} 个）`
        : errorsOf(best.result) < errorsOf(next.result)
          ? `表格读出的数字同样多，错误较少（${errorsOf(best.result)} 个，另一份 ${errorsOf(next.result)} 个）`
          : '表格读出的数字和错误数都相同，使用文件名排在最前的一份';
    kept.push(best);
    out.push({
      body: best.body,
      year: best.year,
      used: best.id,
      others: ranked.slice(1).map((x) => x.id),
      why,
    });
  }
  return { kept, groups: out };
}

/** Why each readable report that is in no pair was not compared. */
export function unpairedOf(
  rows: Array<{ file: string; body: string | null; year: number | null; readable: boolean }>,
  kept: Candidate[],
  duplicates: DuplicateGroup[],
  paired: Set<string>,
  failed: Set<string>,
): Unpaired[] {
  const out: Unpaired[] = [];
  for (const r of rows) {
    if (!r.readable || paired.has(r.file)) continue;
    const dup = duplicates.find((d) => d.others.includes(r.file));
    const reason =
      r.body === null
        ? '未识别标题，无法确定发布机关'
        : r.year === null
          ? '未能确定报告年度'
          : dup
            ? `与“${dup.used}”是同一机关同一年度的报告，跨年度对照使用了后者`
            : failed.has(r.file)
              ? '跨年度对照未能完成'
              : !kept.some((k) => Math.abs(k.year - r.year!) === 1 && sameBody(k.body, r.body!))
                ? `没有该机关相邻年度（${r.year - 1}年或${r.year + 1}年）的报告`
                : '相邻年度有多份可能对应的报告，无法确定与哪一份对照';
    out.push({ file: r.file, body: r.body, year: r.year, reason });
  }
  return out;
}

/** The list against the reports: bodies expected without a report, bodies not on the list. */
export function unitsOutcome(
  rows: Array<{ body: string | null; readable: boolean }>,
  units: Unit[],
): UnitsOutcome {
  const names = new Set(units.map((u) => u.name));
  const seen = new Set<string>();
  const notListed = new Set<string>();
  let untitled = 0;
  for (const r of rows) {
    if (!r.readable) continue;
    if (r.body === null) untitled++;
    else if (names.has(r.body)) seen.add(r.body);
    else notListed.add(r.body);
  }
  return {
    expected: units.length,
    missing: units.map((u) => u.name).filter((n) => !seen.has(n)),
    notListed: [...notListed].sort((a, b) => a.localeCompare(b, 'zh-CN')),
    untitled,
  };
}

// ------------------------------------------------------------------ in the summaries

/** The notes for the one-line text summary: duplicates, and the list's 应报未报 and 不在名单. */
export function notesLine(notes: PairingNotes | undefined): string {
  if (!notes) return '';
  let line = '';
  if (notes.duplicates.length) line += `；同一机关同一年度重复 ${notes.duplicates.length} 组`;
  const u = notes.units;
  if (u) {
    const list = (xs: string[]) => (xs.length > 5 ? `${xs.slice(0, 5).join('、')} 等` : xs.join('、'));
    line += u.missing.length
      ? `；应报未报 ${u.missing.length} 个（${list(u.missing)}）`
      : '；名单中的机关均有报告';
    if (u.notListed.length) line += `；不在名单 ${u.notListed.length} 个（${list(u.notListed)}）`;
    if (u.untitled) line += `；${u.untitled} 份未识别标题`;
  }
  return line;
}

const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * The page's section on duplicates, unpaired reports and the list of bodies: what it found first,
 * then a part for each (the list's 应报未报 and 不在名单, the duplicates, the reports not compared).
 */
export function notesHtml(notes: PairingNotes | undefined): string {
  if (!notes) return '';
  const u = notes.units;
  const found = [
    u ? `应报未报 ${u.missing.length} 个、不在名单 ${u.notListed.length} 个` : '',
    `同一机关同一年度有多份报告 ${notes.duplicates.length} 组`,
    `未能跨年度对照的报告 ${notes.unpaired.length} 份`,
  ].filter(Boolean);
  let html = `<h2 id="notes">重复、未能对照与应报未报</h2>
<p>${found.join('；')}。${u ? '' : '<span class="muted">未提供应报送机关名单（--units），未核对应报未报。</span>'}</p>`;
  if (u) {
    html += `<h3 id="units">名单核对（名单 ${u.expected} 个机关）</h3>
<p>应报未报 ${u.missing.length} 个${u.missing.length ? `：${u.missing.map(esc).join('、')}` : ''}</p>
<p>不在名单 ${u.notListed.length} 个${u.notListed.length ? `：${u.notListed.map(esc).join('、')}` : ''}</p>
${u.untitled ? `<p class="muted">另有 ${u.untitled} 份报告未识别标题，无法与名单对应（见下）。</p>` : ''}`;
  }
  if (notes.duplicates.length)
    html += `<h3 id="duplicates">同一机关同一年度的多份报告（${notes.duplicates.length} 组）</h3>
<table><thead><tr><th>机关</th><th>年度</th><th>用于对照</th><th>其他</th><th>原因</th></tr></thead><tbody>${notes.duplicates
      .map(
        (d) =>
          `<tr><td>${esc(d.body)}</td><td>${d.year}年</td><td>${esc(d.used)}</td><td>${d.others.map(esc).join('<br>')}</td><td>${esc(d.why)}</td></tr>`,
      )
      .join('')}</tbody></table>`;
  if (notes.unpaired.length)
    html += `<h3 id="unpaired">未能跨年度对照的报告（${notes.unpaired.length} 份）</h3>
<table><thead><tr><th>文件</th><th>机关</th><th>年度</th><th>原因</th></tr></thead><tbody>${notes.unpaired
      .map(
        (p) =>
          `<tr><td>${esc(p.file)}</td><td>${esc(p.body ?? '未识别标题')}</td><td>${p.year === null ? '' : `${p.year}年`}</td><td>${esc(p.reason)}</td></tr>`,
      )
      .join('')}</tbody></table>`;
  return html;
}

/** The workbook's sheet of the same notes: one row per note, its kind first. */
export function notesRows(notes: PairingNotes | undefined): Array<Array<string | number | null>> {
  if (!notes) return [];
  return [
    ...(notes.units?.missing ?? []).map((b) => ['应报未报', b, null, '', '名单中有该机关，但没有找到其报告']),
    ...(notes.units?.notListed ?? []).map((b) => ['不在名单', b, null, '', '报告的发布机关不在名单中']),
    ...notes.duplicates.flatMap((d) => [
      ['重复（用于对照）', d.body, d.year, d.used, d.why],
      ...d.others.map((o) => ['重复（未用于对照）', d.body, d.year, o, `同一机关同一年度已有“${d.used}”`]),
    ]),
    ...notes.unpaired.map((p) => ['未能对照', p.body ?? '未识别标题', p.year, p.file, p.reason]),
  ];
}
export const NOTES_HEADERS = ['类别', '机关', '年度', '文件', '说明'];
