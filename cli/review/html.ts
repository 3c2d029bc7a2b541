// The review as one self-contained web page: inline CSS, JS and SVG, nothing fetched, so it
// works opened from disk and sent as an e-mail attachment. The reports and the cross-year pairs
// travel as JSON, what each shows worked out here (labels, reasons, changes); the page's script
// draws them a page at a time, sorts and filters the reports on that data, and adds a report's
// full list of findings when it is opened. Thousands of reports open in a moment.
import type { JsonFinding } from '../../grammar/src/index.js';
import { SUMMARY_MARK } from '../files.js';
import { notesHtml } from './notes.js';
import {
  bodyLabel,
  countedRows,
  coverageNote,
  FIGURES,
  type FigureKey,
  figureWhy,
  findingsByRule,
  firstFindings,
  fixTitleOf,
  listedFindings,
  locationOf,
  moreFindings,
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
.filters,.pager{margin:8px 0;display:flex;gap:16px;align-items:center;flex-wrap:wrap}
td.first{min-width:18em;max-width:36em}details ol{margin:4px 0;padding-left:20px}
.jump{background:#fef3c7;font-weight:bold}.jump::after{content:" ⚠"}
.pair{margin:8px 0;padding:6px 8px;border:1px solid #ddd;border-radius:4px}.pair summary{cursor:pointer;font-weight:bold}
.pair table{margin:6px 0}
.muted{color:#6b7280}
.unknown{color:#6b7280;cursor:help;text-decoration:underline dotted}.cover{display:block;font-size:12px;color:#6b7280;min-width:8em}
`;

/** Reports per page of the table, and cross-year pairs per page of theirs. */
const PAGE_ROWS = 200;
const PAGE_PAIRS = 100;

/** The statuses in the order of the filter and of the status column's sort. */
const STATUSES: Status[] = ['errors', 'warnings', 'clean', 'unreadable', 'unchecked'];

/** The columns of the per-report table (the script's rows draw their cells in this order). */
const COLUMNS: Array<{ head: string; numeric: boolean }> = [
  { head: '文件', numeric: false },
  { head: '机关', numeric: false },
  { head: '年度', numeric: true },
  { head: '格式', numeric: false },
  { head: '状态', numeric: true },
  { head: '错误', numeric: true },
  { head: '警告', numeric: true },
  { head: '提示', numeric: true },
  ...FIGURES.map((f) => ({ head: `${f.table}${f.label}`, numeric: true })),
  { head: '主要问题', numeric: false },
];

/** A finding as the page lists it. */
const pageFinding = (f: JsonFinding) => ({
  severity: f.severity,
  where: locationOf(f),
  message: f.message,
  ruleId: f.ruleId,
  fix: fixTitleOf(f),
});

/** A report as the page's script draws it; `why`, when some figure is unknown, gives each figure's reason or null. */
function pageRow(r: ReviewRow) {
  const why = FIGURES.map((f) => figureWhy(r, f.key));
  const { shown, more } = listedFindings(r);
  return {
    file: r.file,
    body: bodyLabel(r),
    year: r.year,
    format: r.format,
    status: r.status,
    counts: [r.counts.error, r.counts.warning, r.counts.info],
    figures: FIGURES.map((f) => r.figures[f.key]),
    ...(why.some(Boolean) ? { why } : {}),
    first: firstFindings(r),
    rules: [...new Set(r.findings.map((f) => f.ruleId))],
    total: r.findings.length,
    // At most LISTED_FINDINGS of them, and a line for the rest: the page stays small enough to open and send.
    findings: shown.map(pageFinding),
    ...(more ? { more: moreFindings(more) } : {}),
  };
}

const pairNoted = (p: ReviewPair) =>
  p.findings.length > 0 || p.changes.some((c) => c.jump) || uncompared(p).length > 0;

/** A cross-year pair as the page's script draws it: open when it has something to say. */
function pagePair(p: ReviewPair) {
  const unknown = uncompared(p);
  const jumps = p.changes.filter((c) => c.jump).length;
  const notes = [
    p.findings.length ? `${p.findings.length} 个跨年度问题` : '',
    jumps ? `${jumps} 项变化较大` : '',
    unknown.length ? `${unknown.length} 项无法对照` : '',
  ].filter(Boolean);
  return {
    open: notes.length > 0,
    title: `${p.body}：${p.previousYear ?? '?'}年 → ${p.currentYear ?? '?'}年${notes.length ? `（${notes.join('，')}）` : '（衔接一致）'}`,
    files: `${p.previous} → ${p.current}`,
    years: [`${p.previousYear ?? ''}年`, `${p.currentYear ?? ''}年`],
    changes: p.changes.map((c) => {
      const d = c.previous !== null && c.current !== null ? c.current - c.previous : null;
      return {
        label: c.label,
        previous: c.previous,
        current: c.current,
        // The change; "无法对照" when either side is unknown.
        delta: c.why ? '无法对照' : d === null ? '—' : `${d > 0 ? '+' : ''}${fmtNum(d)}`,
        jump: c.jump,
        why: c.why ?? null,
      };
    }),
    findings: p.findings.map(pageFinding),
    verdict: pairVerdict(p),
  };
}

/** What a pair says beside its findings: the figures it could not compare, else that the years agree. */
function pairVerdict(p: ReviewPair): string {
  const unknown = uncompared(p);
  if (unknown.length) return `未能对照的数字：${unknown.map((c) => `${c.label}（${c.why}）`).join('；')}。`;
  return p.findings.length ? '' : '两年的报告衔接一致，未发现跨年度问题。';
}

/**
 * JSON to sit inside a <script> element: `<`, `>` and `&` escaped so that no text (a file named
 * `</script>…`) can end the element or open a comment, and U+2028/2029 escaped as well.
 */
export const scriptJson = (value: unknown): string =>
  JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );

/** The controls of a paged list (`name`: reports or pairs); the script fills them in. */
const pager = (name: string) =>
  `<div class="pager"><button type="button" id="${name}-prev" disabled>上一页</button><span id="${name}-range"></span><button type="button" id="${name}-next" disabled>下一页</button></div>`;

// The page's script. `data` is { labels, rows, pairs } (see pageRow, pagePair); the table shows
// a page of `shown`: the rows passing the filters, in the current `order`.
const SCRIPT = `
(function(){
var data=JSON.parse(document.getElementById('page-data').textContent),rows=data.rows,L=data.labels;
function esc(s){return String(s).replace(/&/g,'&amp;').replace(/</g,'&lt;').replace(/>/g,'&gt;').replace(/"/g,'&quot;')}
function num(v){return v===null?'—':Number.isInteger(v)?String(v):v.toFixed(2)}
function td(cls,html,title){return '<td class="'+cls+'"'+(title?' title="'+esc(title)+'"':'')+'>'+html+'</td>'}
// A figure: the number, or "—" with why it is unknown as its tooltip.
function figure(v,why){return why?td('n unknown','—',why):td('n',num(v))}
function findingList(fs){return '<ol>'+fs.map(function(f){
  return '<li><span class="sev-'+esc(f.severity)+'">'+esc(L.severity[f.severity]||f.severity)+'</span> '+esc(f.where)+'：'+esc(f.message)+
    ' <span class="muted">['+esc(f.ruleId)+']</span>'+(f.fix?' <span class="muted">建议：'+esc(f.fix)+'</span>':'')+'</li>'}).join('')+'</ol>'}
// A report's row; its full findings are added when its list is first opened.
function reportRow(i){var r=rows[i];
  return '<tr data-i="'+i+'">'+td('file',esc(r.file))+td('body',esc(r.body))+td('n',num(r.year))+td('format',esc(r.format))+
    td('status s-'+r.status,esc(L.status[r.status]))+r.counts.map(function(n){return td('n',num(n))}).join('')+
    r.figures.map(function(v,k){return figure(v,r.why&&r.why[k])}).join('')+
    td('first',esc(r.first)+(r.total?'<details><summary>全部 '+r.total+' 条</summary></details>':''))+'</tr>'}
function pairBlock(p){
  var changes=p.changes.map(function(c){
    var side=function(v){return figure(v,v===null&&c.why)};
    return '<tr'+(c.jump?' class="jump-row"':'')+'><td>'+esc(c.label)+'</td>'+side(c.previous)+side(c.current)+
      (c.why?td('n unknown','无法对照',c.why):td(c.jump?'n jump':'n',esc(c.delta)))+'</tr>'}).join('');
  return '<details class="pair"'+(p.open?' open':'')+'><summary>'+esc(p.title)+'</summary><p class="muted">'+esc(p.files)+'</p>'+
    '<table class="changes"><thead><tr><th>指标</th><th>'+esc(p.years[0])+'</th><th>'+esc(p.years[1])+'</th><th>变化</th></tr></thead><tbody>'+changes+'</tbody></table>'+
    (p.findings.length?findingList(p.findings):'')+(p.verdict?'<p class="muted">'+esc(p.verdict)+'</p>':'')+'</details>'}
// A list drawn a page at a time into box; the function returned shows a new list from its first page.
function paged(name,size,unit,box,draw){
  var range=document.getElementById(name+'-range'),prev=document.getElementById(name+'-prev'),next=document.getElementById(name+'-next');
  var items=[],page=0;
  function show(){
    var from=page*size,to=Math.min(items.length,from+size),html='';
    for(var k=from;k<to;k++)html+=draw(items[k]);
    box.innerHTML=html;
    range.textContent=items.length?'第 '+(from+1)+'–'+to+' '+unit+'，共 '+items.length.toLocaleString('en-US')+' '+unit:'没有符合条件的报告';
    prev.disabled=page===0;next.disabled=to>=items.length;
  }
  prev.addEventListener('click',function(){page--;show()});
  next.addEventListener('click',function(){page++;show()});
  return function(list){items=list;page=0;show()};
}
var table=document.getElementById('reports'),body=table.tBodies[0],heads=table.tHead.rows[0].cells;
var st=document.getElementById('f-status'),ru=document.getElementById('f-rule'),count=document.getElementById('shown');
var showRows=paged('reports',${PAGE_ROWS},'份',body,reportRow);
// Each row's values in the columns' order, to sort by (an unknown figure is null, sorted first).
var values=rows.map(function(r){
  return [r.file,r.body,r.year,r.format,L.order.indexOf(r.status)].concat(r.counts,r.figures.map(function(v,k){return r.why&&r.why[k]?null:v}),[r.first])});
var order=rows.map(function(_,i){return i});
var collate=new Intl.Collator('zh-CN').compare;
function apply(){
  var s=st.value,rule=ru.value;
  var shown=order.filter(function(i){var r=rows[i];
    return(!s||r.status===s)&&(!rule||r.rules.indexOf(rule)>=0)});
  count.textContent=shown.length;showRows(shown);
}
Array.prototype.forEach.call(heads,function(th,c){th.addEventListener('click',function(){
  var dir=th.getAttribute('aria-sort')==='ascending'?'descending':'ascending',up=dir==='ascending'?1:-1;
  Array.prototype.forEach.call(heads,function(h){h.removeAttribute('aria-sort')});
  th.setAttribute('aria-sort',dir);
  var numeric=th.hasAttribute('data-num');
  order=order.slice().sort(function(a,b){
    var x=values[a][c],y=values[b][c];
    if(numeric)return up*((x===null?-Infinity:x)-(y===null?-Infinity:y))||0;
    return up*collate(x,y)});
  apply();
})});
st.addEventListener('change',apply);ru.addEventListener('change',apply);
body.addEventListener('click',function(e){
  var s=e.target.closest('summary');if(!s)return;var d=s.parentNode;
  if(!d.querySelector('ol')){var r=rows[+d.closest('tr').getAttribute('data-i')];d.insertAdjacentHTML('beforeend',findingList(r.findings)+(r.more?'<p class="muted">'+esc(r.more)+'</p>':''))}
});
apply();
var box=document.getElementById('pairs');
if(box)paged('pairs',${PAGE_PAIRS},'对',box,pairBlock)(data.pairs);
})();
`;

/** A year's sum of a figure, with the reports it covers when some are left out. */
function totalTd(t: YearTotal, key: FigureKey): string {
  const note = coverageNote(t, key);
  if (!note) return `<td class="n">${fmtNum(t.figures[key])}</td>`;
  return `<td class="n" title="${esc(`合计（${note}）`)}">${fmtNum(t.figures[key])}<span class="cover">（${esc(note)}）</span></td>`;
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
  const rows = totalsByYear(countedRows(review));
  if (!rows.length) return '<p>没有可汇总的报告。</p>';
  return `<table id="totals"><thead><tr><th>年度</th><th>报告数</th>${FIGURES.map((f) => `<th>${f.table}${esc(f.label)}</th>`).join('')}</tr></thead><tbody>${rows
    .map(
      (t) =>
        `<tr><td>${t.year === null ? '年度不明' : `${t.year}年`}</td><td class="n">${t.reports}</td>${FIGURES.map((f) => totalTd(t, f.key)).join('')}</tr>`,
    )
    .join('')}</tbody></table>`;
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
  const data = {
    labels: { status: STATUS_LABEL, order: STATUSES, severity: SEVERITY_TEXT },
    rows: review.rows.map(pageRow),
    // Those with cross-year findings or large changes first.
    pairs: [...review.pairs].sort((a, b) => Number(pairNoted(b)) - Number(pairNoted(a))).map(pagePair),
  };
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
<noscript><p>本页的报告列表和跨年度对照由页面脚本显示，请在允许运行脚本的浏览器中打开。</p></noscript>
<div class="filters"><label>状态 <select id="f-status"><option value="">全部</option>${statusOptions}</select></label><label>规则 <select id="f-rule"><option value="">全部</option>${ruleOptions}</select></label><span>显示 <b id="shown">${review.rows.length}</b> / ${review.rows.length} 份</span><span class="muted">点击表头排序</span></div>
<table id="reports"><thead><tr>${COLUMNS.map((c) => `<th${c.numeric ? ' data-num' : ''}>${esc(c.head)}</th>`).join('')}</tr></thead>
<tbody></tbody></table>
${pager('reports')}
<h2>跨年度对照（${review.pairs.length} 对）</h2>
<p class="muted">同一机关相邻两个年度的报告：关键数字并列，变化达 50% 且不少于 10 的标出 ⚠；有跨年度问题或较大变化的排在前面并展开。</p>
${review.pairs.length ? `<div id="pairs"></div>\n${pager('pairs')}` : '<p>没有找到同一机关相邻年度的报告。</p>'}
${notesHtml(review.notes)}
<script type="application/json" id="page-data">${scriptJson(data)}</script>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
