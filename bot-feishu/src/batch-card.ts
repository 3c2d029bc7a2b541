// The cards of a batch review (a .zip, or several files sent in a row): the progress while it runs
// and the summary — counts as header tags, the reports worst first, the cross-year pairs with
// their findings, the key figures totalled by year. The rows come from the review's summary model
// (cli/review/summary.ts), as the workbook and the page sent with the card do.
import {
  countedRows,
  coverageNote,
  FIGURES,
  figureWhy,
  firstFindings,
  type Review,
  type ReviewRow,
  STATUS_LABEL,
  type Status,
  totalsByYear,
  uncompared,
} from '../../cli/review/summary.js';
import { CARD_BYTES, type Card, card, collapsiblePanel, escape, md, type Tag } from './card.js';

/**
 * A sender's text (a file or folder name, a finding quoting the report) cut to `max` characters,
 * keeping its end (the extension): a card holds 30 KB, and three 20,000-character names would fill
 * it eight times over.
 */
export const clip = (s: string, max = 120): string =>
  s.length <= max ? s : `${s.slice(0, max - 21)}…${s.slice(-20)}`;

export const batchTitle = (name: string) => `年报审阅：${clip(name, 60)}`;

export function batchProgressCard(name: string, done: number, total: number, current?: string): Card {
  const line = current
    ? `正在审阅 ${Math.min(done + 1, total)}/${total}：${clip(current)}`
    : `正在审阅 ${total} 份报告……`;
  return card(batchTitle(name), 'blue', [md(escape(line))], '正在审阅');
}

export function batchStartCard(name: string, what: string): Card {
  return card(batchTitle(name), 'blue', [md(escape(what))], '正在审阅');
}

/** Worst first: unreadable, errors, warnings, clean; then the files not checked (a time limit hit). */
const ORDER: Status[] = ['unreadable', 'errors', 'warnings', 'clean', 'unchecked'];

export function statusCounts(review: Review): Record<Status, number> {
  const c: Record<Status, number> = { unreadable: 0, errors: 0, warnings: 0, clean: 0, unchecked: 0 };
  for (const r of review.rows) c[r.status]++;
  return c;
}

function tags(review: Review): Tag[] {
  const c = statusCounts(review);
  const out: Tag[] = [{ text: `${review.rows.length} 份报告`, color: 'blue' }];
  if (c.unreadable) out.push({ text: `${c.unreadable} 份无法读取`, color: 'grey' });
  if (c.errors) out.push({ text: `${c.errors} 份有错误`, color: 'red' });
  if (c.warnings) out.push({ text: `${c.warnings} 份有警告`, color: 'orange' });
  if (c.clean) out.push({ text: `${c.clean} 份无问题`, color: 'green' });
  if (c.unchecked) out.push({ text: `${c.unchecked} 份未检查`, color: 'grey' });
  if (review.pairs.length) out.push({ text: `${review.pairs.length} 对跨年度对照`, color: 'purple' });
  return out;
}

/** The batch in one sentence. */
export function batchSummary(review: Review): string {
  const c = statusCounts(review);
  const parts = ORDER.filter((s) => c[s]).map((s) => `${STATUS_LABEL[s]} ${c[s]} 份`);
  const accepted = review.rows.reduce((n, r) => n + (r.accepted ?? 0), 0);
  return `共审阅 ${review.rows.length} 份报告：${parts.join('，')}；跨年度对照 ${review.pairs.length} 对${accepted ? `；已核实 ${accepted} 个问题，未列出` : ''}。`;
}

/** The reports worst first: by status, then by errors and warnings, then by name. */
export function worstFirst(rows: ReviewRow[]): ReviewRow[] {
  return [...rows].sort(
    (a, b) =>
      ORDER.indexOf(a.status) - ORDER.indexOf(b.status) ||
      b.counts.error - a.counts.error ||
      b.counts.warning - a.counts.warning ||
      a.file.localeCompare(b.file),
  );
}

function rowLine(r: ReviewRow): string {
  const who = [r.body, r.year ? `${r.year} 年度` : ''].filter(Boolean).join(' · ');
  const counts = [
    r.counts.error ? `${r.counts.error} 个错误` : '',
    r.counts.warning ? `${r.counts.warning} 个警告` : '',
  ].filter(Boolean);
  const head = `- **${escape(clip(r.file))}**${who ? `（${escape(clip(who))}）` : ''}${counts.length ? `：${counts.join('、')}` : ''}`;
  // An unreadable or unchecked file's reason names the file already.
  const detail = r.status === 'clean' ? '' : firstFindings(r).replace(`${r.file}：`, '');
  const unknown = unknownFigures(r);
  return [head, detail ? `　${escape(clip(detail, 300))}` : '', unknown ? `　${escape(unknown)}` : '']
    .filter(Boolean)
    .join('\n');
}

/** A report's unknown key figures as "—", with why ("表二本年制发 —、表二现行有效 —（部分单元格无法读取）"). */
function unknownFigures(r: ReviewRow): string {
  const byWhy = new Map<string, string[]>();
  for (const f of FIGURES) {
    const why = figureWhy(r, f.key);
    if (why) byWhy.set(why, [...(byWhy.get(why) ?? []), `${f.table}${f.label} —`]);
  }
  return [...byWhy].map(([why, figures]) => `${figures.join('、')}（${why}）`).join('；');
}

function panel(title: string, expanded: boolean, lines: string[]): Card {
  return collapsiblePanel(title, expanded, [md(lines.join('\n'))]);
}

const num = (v: number | null) => (v == null ? '—' : String(v));

function totalsTable(review: Review): Card[] {
  const years = totalsByYear(countedRows(review));
  if (!years.length) return [];
  return [
    md('**关键数字合计**（可读取的报告；某项数字无法读取的报告不计入该项合计）'),
    {
      tag: 'table',
      page_size: FIGURES.length,
      row_height: 'auto',
      freeze_first_column: true,
      header_style: { background_style: 'grey', bold: true, lines: 2 },
      columns: [
        { name: 'item', display_name: '项目', data_type: 'text', width: 'auto' },
        ...years.map((y, i) => ({
          name: `y${i}`,
          display_name: `${y.year ? `${y.year} 年度` : '年度不明'}（${y.reports} 份）`,
          data_type: 'text',
          horizontal_align: 'right',
        })),
      ],
      rows: FIGURES.map((f) => ({
        item: `${f.table}${f.label}`,
        ...Object.fromEntries(
          years.map((y, i) => {
            const note = coverageNote(y, f.key);
            return [`y${i}`, note ? `${num(y.figures[f.key])}（${note}）` : num(y.figures[f.key])];
          }),
        ),
      })),
    },
  ];
}

function pairLines(review: Review, limit: number): string[] {
  return review.pairs.slice(0, limit).map((p) => {
    const years = `${p.previousYear ?? '？'} → ${p.currentYear ?? '？'}`;
    const head = `- **${escape(clip(p.body))}**（${years}）：${escape(clip(p.previous))} → ${escape(clip(p.current))}`;
    const found = p.findings.map(
      (f) => `　${f.severity === 'error' ? '错误' : '警告'}：${escape(clip(f.message, 300))}`,
    );
    const jumps = p.changes
      .filter((c) => c.jump)
      .map((c) => `　变化较大：${escape(c.label)} ${num(c.previous)} → ${num(c.current)}`);
    const lines = [...found, ...jumps, ...uncomparedLines(p)];
    return lines.length ? `${head}\n${lines.join('\n')}` : `${head}：未发现问题`;
  });
}

/** The figures a pair could not compare, a line each. */
const uncomparedLines = (p: Review['pairs'][number]) =>
  uncompared(p).map((c) => `　无法对照：${escape(c.label)}（${escape(c.why!)}）`);

/**
 * The summary card. `notes` are lines shown under the summary (files not sent, a time limit hit).
 * Cut to fit Feishu's card size: fewer rows per panel, the rest in the attached workbook.
 */
export function batchCard(name: string, review: Review, notes: string[] = []): Card {
  // Fewer rows until it fits; at the end none (the counts, the totals and the files sent after it).
  for (let limit = 60; ; limit = limit > 3 ? Math.floor(limit * 0.6) : limit - 1) {
    const c = buildBatch(name, review, notes, limit);
    if (limit === 0 || Buffer.byteLength(JSON.stringify(c)) <= CARD_BYTES) return c;
  }
}

function buildBatch(name: string, review: Review, notes: string[], limit: number): Card {
  const counts = statusCounts(review);
  const template =
    counts.errors || counts.unreadable ? 'red' : counts.warnings || counts.unchecked ? 'orange' : 'green';
  const head = [`**${escape(batchSummary(review))}**`, ...notes.map(escape)].join('\n');
  const elements: Card[] = [md(head)];
  const rows = worstFirst(review.rows);
  let cut = false;
  for (const status of ORDER) {
    const of = rows.filter((r) => r.status === status);
    if (!of.length) continue;
    const lines = of.slice(0, limit).map(rowLine);
    if (of.length > limit) {
      lines.push(`……另有 ${of.length - limit} 份，见随后发送的汇总表。`);
      cut = true;
    }
    elements.push(panel(`${STATUS_LABEL[status]}（${of.length}）`, status !== 'clean', lines));
  }
  if (review.pairs.length) {
    const lines = pairLines(review, limit);
    if (review.pairs.length > limit)
      lines.push(`……另有 ${review.pairs.length - limit} 对，见随后发送的汇总表。`);
    elements.push(panel(`跨年度对照（${review.pairs.length}）`, true, lines));
  }
  elements.push(...totalsTable(review));
  if (cut) elements.push(md('完整的逐份结果见随后发送的 Excel 汇总表和网页汇总。'));
  return card(batchTitle(name), template, elements, batchSummary(review), undefined, tags(review));
}

/** The summary as plain text (clients without cards): the reports worst first, then the pairs; the rest in the files. */
export function batchText(name: string, review: Review, notes: string[] = [], limit = 30): string {
  const lines = [batchTitle(name), batchSummary(review), ...notes];
  const rows = worstFirst(review.rows).filter((r) => r.status !== 'clean');
  for (const r of rows.slice(0, limit)) {
    const detail = [firstFindings(r).replace(`${r.file}：`, ''), unknownFigures(r)]
      .filter(Boolean)
      .join('；');
    lines.push(`【${STATUS_LABEL[r.status]}】${clip(r.file)}${detail ? `：${clip(detail, 300)}` : ''}`);
  }
  for (const p of review.pairs.slice(0, limit)) {
    const unknown = uncompared(p).map((c) => `${c.label}无法对照（${c.why}）`);
    const said = [...p.findings.map((f) => f.message), ...unknown];
    lines.push(
      `【跨年度对照】${clip(p.body)}：${clip(p.previous)} → ${clip(p.current)}${said.length ? `：${clip(said.join('；'), 300)}` : '，未发现问题'}`,
    );
  }
  if (rows.length > limit || review.pairs.length > limit)
    lines.push('……完整结果见随后发送的 Excel 汇总表和网页汇总。');
  return lines.join('\n');
}
