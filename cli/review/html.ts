// The review as one self-contained web page: inline CSS, JS and SVG, nothing fetched, so it
// works opened from disk and sent as an e-mail attachment.
import type { JsonFinding } from '../../grammar/src/index.js';
import { SUMMARY_MARK } from '../files.js';
import { notesHtml } from './notes.js';
import {
  bodyLabel,
  coverageNote,
  FIGURES,
  type FigureKey,
  figureWhy,
  findingsByRule,
  firstFindings,
  fixTitleOf,
  locationOf,
  type Review,
  type ReviewPair,
  type ReviewRow,
  ruleTitle,
  SEVERITY_TEXT,
  STATUS_LABEL,
  type Status,
  totalsByYear,
  uncompared,
  type YearTotal,
} from './summary.js';
import { displayWidth } from './width.js';

const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const num = (v: number | null) => (v === null ? '' : String(v));
const fmtNum = (v: number | null) => (v === null ? '—' : Number.isInteger(v) ? String(v) : v.toFixed(2));

const CSS = `
body{font-family:"Noto Sans CJK SC","Microsoft YaHei","PingFang SC",sans-serif;margin:16px;color:#222;font-size:14px}
h1{font-size:20px}h2{font-size:16px;margin-top:28px}
table{border-collapse:collapse}th,td{border:1px solid #ccc;padding:3px 6px;vertical-align:top}
th{background:#f3f4f6}
#reports td.file,#reports td.body,#reports td.status{white-space:nowrap}
#reports th{min-width:3em}
#reports th{cursor:pointer;user-select:none;position:sticky;top:0}
#reports th[aria-sort=ascending]::after{content:" ▲"}#reports th[aria-sort=descending]::after{content:" ▼"}
td.n{text-align:right;font-variant-numeric:tabular-nums}
.s-errors{color:#b91c1c;font-weight:bold}.s-warnings{color:#b45309}.s-clean{color:#15803d}.s-unreadable{color:#6b7280;font-weight:bold}.s-unchecked{color:#6b7280}
.sev-error{color:#b91c1c}.sev-warning{color:#b45309}.sev-info{color:#1d4ed8}
.filters{margin:8px 0;display:flex;gap:16px;align-items:center;flex-wrap:wrap}
td.first{min-width:18em;max-width:36em}details ol{margin:4px 0;padding-left:20px}
.jump{background:#fef3c7;font-weight:bold}.jump::after{content:" ⚠"}
.pair{margin:8px 0;padding:6px 8px;border:1px solid #ddd;border-radius:4px}.pair summary{cursor:pointer;font-weight:bold}
.pair table{margin:6px 0}
.muted{color:#6b7280}
.unknown{color:#6b7280;cursor:help;text-decoration:underline dotted}.cover{display:block;font-size:12px;color:#6b7280;min-width:8em}
`;

const SCRIPT = `
(function(){
var table=document.getElementById('reports');var body=table.tBodies[0];
var heads=table.tHead.rows[0].cells;
Array.prototype.forEach.call(heads,function(th,i){th.addEventListener('click',function(){
  var dir=th.getAttribute('aria-sort')==='ascending'?'descending':'ascending';
  Array.prototype.forEach.call(heads,function(h){h.removeAttribute('aria-sort')});
  th.setAttribute('aria-sort',dir);var numeric=th.hasAttribute('data-num');
  var rows=Array.prototype.slice.call(body.rows);
  rows.sort(function(a,b){
    var x=a.cells[i].getAttribute('data-v'),y=b.cells[i].getAttribute('data-v');
    var c;
    if(numeric){var p=x===''?-Infinity:+x,q=y===''?-Infinity:+y;c=p-q}
    else c=x.localeCompare(y,'zh-CN');
    return dir==='ascending'?c:-c});
  rows.forEach(function(r){body.appendChild(r)});
})});
var st=document.getElementById('f-status'),ru=document.getElementById('f-rule'),shown=document.getElementById('shown');
function apply(){var n=0;Array.prototype.forEach.call(body.rows,function(r){
  var ok=(!st.value||r.getAttribute('data-status')===st.value)&&(!ru.value||(' '+r.getAttribute('data-rules')+' ').indexOf(' '+ru.value+' ')>=0);
  r.hidden=!ok;if(ok)n++});shown.textContent=n}
st.addEventListener('change',apply);ru.addEventListener('change',apply);apply();
})();
`;

function findingList(findings: JsonFinding[]): string {
  return `<ol>${findings
    .map(
      (f) =>
        `<li><span class="sev-${esc(f.severity)}">${SEVERITY_TEXT[f.severity] ?? esc(f.severity)}</span> ${esc(locationOf(f))}：${esc(f.message)} <span class="muted">[${esc(f.ruleId)}]</span>${fixTitleOf(f) ? ` <span class="muted">建议：${esc(fixTitleOf(f))}</span>` : ''}</li>`,
    )
    .join('')}</ol>`;
}

/** A report's figure: the number, or "—" with why it is unknown. */
function figureTd(r: ReviewRow, key: FigureKey): string {
  const why = figureWhy(r, key);
  if (!why) return `<td class="n" data-v="${num(r.figures[key])}">${fmtNum(r.figures[key])}</td>`;
  return `<td class="n unknown" data-v="" title="${esc(why)}">—</td>`;
}

/** A year's sum of a figure, with the reports it covers when some are left out. */
function totalTd(t: YearTotal, key: FigureKey): string {
  const note = coverageNote(t, key);
  if (!note) return `<td class="n">${fmtNum(t.figures[key])}</td>`;
  return `<td class="n" title="${esc(`合计（${note}）`)}">${fmtNum(t.figures[key])}<span class="cover">（${esc(note)}）</span></td>`;
}

/** The statuses in the order of the filter and of the status column's sort. */
const STATUSES: Status[] = ['errors', 'warnings', 'clean', 'unreadable', 'unchecked'];

function reportRow(r: ReviewRow): string {
  const rules = [...new Set(r.findings.map((f) => f.ruleId))].join(' ');
  const text = (v: string, cls = '') =>
    `<td data-v="${esc(v)}"${cls ? ` class="${cls}"` : ''}>${esc(v)}</td>`;
  const n = (v: number | null) => `<td class="n" data-v="${num(v)}">${fmtNum(v)}</td>`;
  const first = firstFindings(r);
  const all =
    r.findings.length > 0
      ? `<details><summary>全部 ${r.findings.length} 条</summary>${findingList(r.findings)}</details>`
      : '';
  return `<tr data-status="${r.status}" data-rules="${esc(rules)}">${text(r.file, 'file')}${text(bodyLabel(r), 'body')}${n(r.year)}${text(r.format, 'format')}<td data-v="${STATUSES.indexOf(r.status)}" class="status s-${r.status}">${STATUS_LABEL[r.status]}</td>${n(r.counts.error)}${n(r.counts.warning)}${n(r.counts.info)}${FIGURES.map((f) => figureTd(r, f.key)).join('')}<td class="first" data-v="${esc(first)}">${esc(first)}${all}</td></tr>`;
}

function chart(review: Review): string {
  const data = findingsByRule(review.rows);
  if (!data.length) return '<p>没有发现任何问题。</p>';
  const max = Math.max(...data.map((d) => d.count));
  const labels = data.map((d) => `${d.title}（${d.ruleId}）`);
  const bar = 22,
    labelW = Math.max(...labels.map((l) => displayWidth(l))) * 6.5 + 16,
    plotW = 420,
    h = data.length * bar + 10;
  const bars = data
    .map((d, i) => {
      const w = Math.max(1, Math.round((d.count / max) * plotW));
      const y = 5 + i * bar;
      return `<g><title>${esc(d.ruleId)}：${d.count}</title><text x="${labelW - 6}" y="${y + 15}" text-anchor="end" font-size="12">${esc(labels[i])}</text><rect x="${labelW}" y="${y + 3}" width="${w}" height="${bar - 6}" fill="#2563eb"/><text x="${labelW + w + 4}" y="${y + 15}" font-size="12">${d.count}</text></g>`;
    })
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="各规则问题数" width="${labelW + plotW + 60}" height="${h}" font-family="sans-serif">${bars}</svg>`;
}

function totals(review: Review): string {
  const rows = totalsByYear(review.rows);
  if (!rows.length) return '<p>没有可汇总的报告。</p>';
  return `<table id="totals"><thead><tr><th>年度</th><th>报告数</th>${FIGURES.map((f) => `<th>${f.table}${esc(f.label)}</th>`).join('')}</tr></thead><tbody>${rows
    .map(
      (t) =>
        `<tr><td>${t.year === null ? '年度不明' : `${t.year}年`}</td><td class="n">${t.reports}</td>${FIGURES.map((f) => totalTd(t, f.key)).join('')}</tr>`,
    )
    .join('')}</tbody></table>`;
}

const pairNoted = (p: ReviewPair) =>
  p.findings.length > 0 || p.changes.some((c) => c.jump) || uncompared(p).length > 0;

/** The change of one figure between the two years; "无法对照" when either side is unknown. */
function deltaTd(c: ReviewPair['changes'][number]): string {
  if (c.why) return `<td class="n unknown" title="${esc(c.why)}">无法对照</td>`;
  const d = c.previous !== null && c.current !== null ? c.current - c.previous : null;
  const delta = d === null ? '—' : `${d > 0 ? '+' : ''}${fmtNum(d)}`;
  return `<td class="n${c.jump ? ' jump' : ''}">${delta}</td>`;
}
const sideTd = (v: number | null, why?: string) =>
  v === null && why ? `<td class="n unknown" title="${esc(why)}">—</td>` : `<td class="n">${fmtNum(v)}</td>`;

function pairBlock(p: ReviewPair): string {
  const changes = p.changes
    .map(
      (c) =>
        `<tr${c.jump ? ' class="jump-row"' : ''}><td>${esc(c.label)}</td>${sideTd(c.previous, c.why)}${sideTd(c.current, c.why)}${deltaTd(c)}</tr>`,
    )
    .join('');
  const unknown = uncompared(p);
  const findings = `${p.findings.length ? findingList(p.findings) : ''}${pairVerdict(p)}`;
  const jumps = p.changes.filter((c) => c.jump).length;
  const notes = [
    p.findings.length ? `${p.findings.length} 个跨年度问题` : '',
    jumps ? `${jumps} 项变化较大` : '',
    unknown.length ? `${unknown.length} 项无法对照` : '',
  ].filter(Boolean);
  return `<details class="pair"${notes.length ? ' open' : ''}><summary>${esc(p.body)}：${p.previousYear ?? '?'}年 → ${p.currentYear ?? '?'}年${notes.length ? `（${notes.join('，')}）` : '（衔接一致）'}</summary><p class="muted">${esc(p.previous)} → ${esc(p.current)}</p><table class="changes"><thead><tr><th>指标</th><th>${p.previousYear ?? ''}年</th><th>${p.currentYear ?? ''}年</th><th>变化</th></tr></thead><tbody>${changes}</tbody></table>${findings}</details>`;
}

/** What the pair says beside its findings: the figures it could not compare, else that the years agree. */
function pairVerdict(p: ReviewPair): string {
  const unknown = uncompared(p);
  if (unknown.length)
    return `<p class="muted">未能对照的数字：${unknown.map((c) => `${esc(c.label)}（${esc(c.why!)}）`).join('；')}。</p>`;
  return p.findings.length ? '' : '<p class="muted">两年的报告衔接一致，未发现跨年度问题。</p>';
}

export function toHtml(review: Review, generated = new Date()): string {
  const counts = { error: 0, warning: 0, info: 0 };
  for (const r of review.rows) {
    counts.error += r.counts.error;
    counts.warning += r.counts.warning;
    counts.info += r.counts.info;
  }
  const byStatus = (s: Status) => review.rows.filter((r) => r.status === s).length;
  const rules = findingsByRule(review.rows);
  const statusOptions = STATUSES.filter((s) => s !== 'unchecked' || byStatus(s))
    .map((s) => `<option value="${s}">${STATUS_LABEL[s]}（${byStatus(s)}）</option>`)
    .join('');
  const ruleOptions = rules
    .map((r) => `<option value="${esc(r.ruleId)}">${esc(ruleTitle(r.ruleId))}（${r.count}）</option>`)
    .join('');
  const heads = [
    ['文件', false],
    ['机关', false],
    ['年度', true],
    ['格式', false],
    ['状态', true],
    ['错误', true],
    ['警告', true],
    ['提示', true],
    ...FIGURES.map((f) => [`${f.table}${f.label}`, true] as const),
    ['主要问题', false],
  ] as const;
  return `<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
${SUMMARY_MARK}
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>政府信息公开工作年度报告审阅汇总</title>
<style>${CSS}</style>
</head>
<body>
<h1>政府信息公开工作年度报告审阅汇总</h1>
<p>共 ${review.rows.length} 份报告：有错误 ${byStatus('errors')} 份，有警告 ${byStatus('warnings')} 份，无问题 ${byStatus('clean')} 份，无法读取 ${byStatus('unreadable')} 份${byStatus('unchecked') ? `，未检查 ${byStatus('unchecked')} 份` : ''}；共 ${counts.error} 个错误、${counts.warning} 个警告、${counts.info} 个提示；跨年度对照 ${review.pairs.length} 对。<span class="muted">生成时间：${esc(generated.toLocaleString('zh-CN', { hour12: false }))}</span></p>
<h2>关键数字合计</h2>
${totals(review)}
<h2>各规则问题数</h2>
${chart(review)}
<h2>各报告</h2>
<div class="filters"><label>状态 <select id="f-status"><option value="">全部</option>${statusOptions}</select></label><label>规则 <select id="f-rule"><option value="">全部</option>${ruleOptions}</select></label><span>显示 <b id="shown">${review.rows.length}</b> / ${review.rows.length} 份</span><span class="muted">点击表头排序</span></div>
<table id="reports"><thead><tr>${heads.map(([h, n]) => `<th${n ? ' data-num' : ''}>${esc(h)}</th>`).join('')}</tr></thead>
<tbody>
${review.rows.map(reportRow).join('\n')}
</tbody></table>
<h2>跨年度对照（${review.pairs.length} 对）</h2>
<p class="muted">同一机关相邻两个年度的报告：关键数字并列，变化达 50% 且不少于 10 的标出 ⚠；有跨年度问题或较大变化的排在前面并展开。</p>
${
  [...review.pairs]
    .sort((a, b) => Number(pairNoted(b)) - Number(pairNoted(a)))
    .map(pairBlock)
    .join('\n') || '<p>没有找到同一机关相邻年度的报告。</p>'
}
${notesHtml(review.notes)}
<script>${SCRIPT}</script>
</body>
</html>
`;
}
