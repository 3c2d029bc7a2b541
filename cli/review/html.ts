// The review as one self-contained web page: inline CSS, JS and SVG, nothing fetched, so it
// works opened from disk and sent as an e-mail attachment. The reports, the cross-year pairs, each
// body's history and the ranking of units travel as JSON, what each shows worked out here (labels,
// reasons, signed changes, links); the page's script draws them a page at a time, sorts and filters
// on that data, and adds a report's full list of findings when it is opened. Thousands of reports
// open in a moment. Reports are listed worst first; printed (A4 landscape) the page shows every
// report with its findings, the columns wrapped to the page's width, without its controls.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { JsonFinding } from '../../grammar/src/index.js';
import { SUMMARY_MARK } from '../files.js';
import { type BodyHistory, histories, ranking, signedChange, type UnitRank } from './history.js';
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
  moreFindings,
  type Review,
  type ReviewPair,
  type ReviewRow,
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
h1{font-size:20px}h2{font-size:16px;margin-top:28px}h3{font-size:14px;margin-top:18px}
table{border-collapse:collapse}th,td{border:1px solid #ccc;padding:3px 6px;vertical-align:top}
th{background:#f3f4f6}
.grid th{cursor:pointer;user-select:none;position:sticky;top:0;z-index:2}
.grid th[aria-sort=ascending]::after{content:" ▲"}.grid th[aria-sort=descending]::after{content:" ▼"}
#reports{border-collapse:separate;border-spacing:0;border-left:1px solid #ccc;border-top:1px solid #ccc}#reports th,#reports td{border-width:0 1px 1px 0}#reports th{min-width:3em}
#reports td.year,#reports td.status,#reports td.format{white-space:nowrap}
#reports th:first-child,#reports td.body{position:sticky;left:0;box-shadow:inset -2px 0 #9ca3af}
#reports td.body{background:#fff;z-index:1;min-width:7em;max-width:12em}
#reports th:first-child{z-index:3}
#reports td.file{min-width:9em;max-width:16em;overflow-wrap:anywhere}
td.n{text-align:right;font-variant-numeric:tabular-nums}
.s-errors{color:#b91c1c;font-weight:bold}.s-warnings{color:#b45309}.s-clean{color:#15803d}.s-unreadable{color:#6b7280;font-weight:bold}.s-unchecked{color:#6b7280}
.sev-error{color:#b91c1c}.sev-warning{color:#b45309}.sev-info{color:#1d4ed8}
.filters,.pager{margin:8px 0;display:flex;gap:16px;align-items:center;flex-wrap:wrap}
td.first{min-width:18em;max-width:32em}details ol{margin:4px 0;padding-left:20px}
.rule{border-bottom:1px dotted #9ca3af;cursor:help}
.jump{background:#fef3c7;font-weight:bold}.jump::after{content:" ⚠"}
.pair,.history{margin:8px 0;padding:6px 8px;border:1px solid #ddd;border-radius:4px}.pair summary,.history summary{cursor:pointer;font-weight:bold}
.pair table,.history table{margin:6px 0}
.muted{color:#6b7280}.toc{display:flex;gap:14px;flex-wrap:wrap}
.unknown{color:#6b7280;cursor:help;text-decoration:underline dotted}.cover{display:block;font-size:12px;color:#6b7280;min-width:8em}
.print-only{display:none}
@media print{
@page{size:A4 landscape;margin:8mm}
body{margin:0;font-size:7.5pt;color:#000}
h1{font-size:13pt;margin:0 0 4px}h2{font-size:11pt;break-before:page;break-after:avoid;margin-top:0}h2.lead{break-before:auto;margin-top:8px}h3{font-size:9pt;break-after:avoid}
.filters,.pager,.toc,.screen-only,noscript{display:none!important}
.print-only{display:block}
table{width:100%}thead{display:table-header-group}tr{break-inside:avoid}
th,td{padding:1px 3px;overflow-wrap:anywhere}
.grid th{position:static}.grid th[aria-sort]::after{content:none}
#reports{table-layout:fixed}
#reports th,#reports td,#reports th:first-child,#reports td.body{position:static;white-space:normal;min-width:0;max-width:none;box-shadow:none}#reports tr{break-inside:auto}
#reports col.c-body{width:8%}#reports col.c-year{width:3.5%}#reports col.c-status{width:4.5%}#reports col.c-first{width:31%}
#reports col.c-file{width:9%}#reports col.c-count{width:3%}#reports col.c-format{width:3%}#reports col.c-figure{width:3.2%}
details>summary{list-style:none}details>summary::-webkit-details-marker{display:none}
a{color:inherit;text-decoration:none}.rule{border:none}
.pair,.history{break-inside:avoid;padding:2px 4px}
svg{max-width:100%;height:auto}.cover{font-size:6.5pt;min-width:0}
}
`;

/** Reports per page of the table, units per page of the ranking, pairs and bodies per page of theirs. */
const PAGE_ROWS = 200;
const PAGE_PAIRS = 100;

/**
 * The statuses worst first: the order of the filter, of the status column's sort and of the
 * reports by default. A file that could not be read comes right after the reports with errors —
 * the reviewer must ask for a readable copy before anything else can be said of it; a file the run
 * stopped before comes after those with warnings (run the review again), the clean ones last.
 */
const STATUSES: Status[] = ['errors', 'unreadable', 'warnings', 'unchecked', 'clean'];

/** The columns of the per-report table (the script's rows draw their cells in this order). */
const COLUMNS: Array<{ head: string; numeric: boolean; col: string }> = [
  { head: '机关', numeric: false, col: 'body' },
  { head: '年度', numeric: true, col: 'year' },
  { head: '状态', numeric: true, col: 'status' },
  { head: '主要问题', numeric: false, col: 'first' },
  { head: '文件', numeric: false, col: 'file' },
  { head: '错误', numeric: true, col: 'count' },
  { head: '警告', numeric: true, col: 'count' },
  { head: '提示', numeric: true, col: 'count' },
  { head: '格式', numeric: false, col: 'format' },
  ...FIGURES.map((f) => ({ head: `${f.table}${f.label}`, numeric: true, col: 'figure' })),
];

const RANK_COLUMNS: Array<{ head: string; numeric: boolean; title?: string }> = [
  { head: '排名', numeric: true },
  { head: '机关', numeric: false },
  { head: '报告数', numeric: true },
  { head: '年度', numeric: false },
  { head: '错误', numeric: true },
  { head: '警告', numeric: true },
  { head: '提示', numeric: true },
  { head: '无法读取', numeric: true },
  {
    head: '完整度',
    numeric: true,
    title: '可读取的报告中，关键数字读出的比例（无法读取的单元格和未读到的表不计）',
  },
];

/** Text formats: their lines are the file's own, so 第N行 is a place the reader finds. */
const TEXT_FORMATS = new Set(['txt', 'text', 'md', 'markdown']);

/**
 * Where a finding is, as the reader of the file finds it: the original's own place (第2个表格
 * 第5行, 第3段, 第4页), else, for a text file, its line; nothing for a Word, PDF or web file
 * without one (the line of the extracted text would send a Word user to the wrong place).
 */
function placeOf(f: JsonFinding, format: string): string {
  return f.where ?? (TEXT_FORMATS.has(format) ? `第${f.line}行` : '');
}

/** The page of a PDF a finding is on (its place starts 第N页). */
function pdfPage(f: JsonFinding, format: string): number | undefined {
  const m = format === 'pdf' ? /^第(\d+)页/.exec(f.where ?? '') : null;
  return m ? Number(m[1]) : undefined;
}

/**
 * The link from the page to a file: its path relative to the page's folder, each segment
 * URL-encoded (a file URL when there is no relative path, another drive); none without the page's path.
 */
function linkTo(file: string, page: string | undefined): string | undefined {
  if (!page) return undefined;
  const target = path.resolve(file);
  const rel = path.relative(path.dirname(path.resolve(page)), target);
  if (!rel || path.isAbsolute(rel)) return pathToFileURL(target).href;
  return rel.split(path.sep).map(encodeURIComponent).join('/');
}

/** A finding as the page lists it. */
const pageFinding = (f: JsonFinding, format: string) => {
  const page = pdfPage(f, format);
  return {
    severity: f.severity,
    where: placeOf(f, format),
    message: f.message,
    ruleId: f.ruleId,
    fix: fixTitleOf(f),
    ...(page ? { page } : {}),
  };
};

const RANK: Record<string, number> = { error: 0, warning: 1, info: 2 };

/** The finding the 主要问题 column names first (errors first, then in line order). */
function firstFinding(r: ReviewRow): JsonFinding | undefined {
  let best: JsonFinding | undefined;
  for (const f of r.findings)
    if (
      !best ||
      (RANK[f.severity] ?? 3) - (RANK[best.severity] ?? 3) < 0 ||
      ((RANK[f.severity] ?? 3) === (RANK[best.severity] ?? 3) && f.line < best.line)
    )
      best = f;
  return best;
}

/** A report as the page's script draws it; `why`, when some figure is unknown, gives each figure's reason or null. */
function pageRow(r: ReviewRow, page: string | undefined) {
  const why = FIGURES.map((f) => figureWhy(r, f.key));
  const { shown, more } = listedFindings(r);
  const first = firstFinding(r);
  const firstPage = first && pdfPage(first, r.format);
  const href = linkTo(r.file, page);
  return {
    file: r.file,
    ...(href ? { href } : {}),
    ...(href && firstPage ? { page: firstPage } : {}),
    body: bodyLabel(r),
    year: r.year,
    format: r.format,
    status: r.status,
    counts: [r.counts.error, r.counts.warning, r.counts.info],
    figures: FIGURES.map((f) => r.figures[f.key]),
    ...(why.some(Boolean) ? { why } : {}),
    // Findings a baseline file accepts are not listed; the page says how many.
    first: [firstFindings(r), r.accepted ? `另有 ${r.accepted} 个已核实的问题未列出` : '']
      .filter(Boolean)
      .join('；'),
    rules: [...new Set(r.findings.map((f) => f.ruleId))],
    total: r.findings.length,
    // At most LISTED_FINDINGS of them, and a line for the rest: the page stays small enough to open and send.
    findings: shown.map((f) => pageFinding(f, r.format)),
    ...(more ? { more: moreFindings(more) } : {}),
  };
}

/**
 * The reports worst first: by status (STATUSES), then most errors, most warnings, most notes,
 * then by body, year and file.
 */
export function worstFirst(rows: ReviewRow[]): ReviewRow[] {
  const collate = new Intl.Collator('zh-CN').compare;
  return [...rows].sort(
    (a, b) =>
      STATUSES.indexOf(a.status) - STATUSES.indexOf(b.status) ||
      b.counts.error - a.counts.error ||
      b.counts.warning - a.counts.warning ||
      b.counts.info - a.counts.info ||
      collate(bodyLabel(a), bodyLabel(b)) ||
      (a.year ?? 0) - (b.year ?? 0) ||
      collate(a.file, b.file),
  );
}

const pairNoted = (p: ReviewPair) =>
  p.findings.length > 0 || p.changes.some((c) => c.jump) || uncompared(p).length > 0;

/** A cross-year pair as the page's script draws it: open when it has something to say. */
function pagePair(p: ReviewPair, formatOf: (file: string) => string) {
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
    changes: p.changes.map((c) => ({
      label: c.label,
      previous: c.previous,
      current: c.current,
      // The signed change; "无法对照" when either side is unknown.
      delta: c.why ? '无法对照' : signedChange(c.previous, c.current),
      jump: c.jump,
      why: c.why ?? null,
    })),
    findings: p.findings.map((f) => pageFinding(f, formatOf(p.current))),
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
 * A body's history as the page's script draws it: each year's report by its index in the page's
 * rows (its status, counts and figures are the row's), and for each year after the first the step
 * from the year before when the two are neighbours (the signed changes are drawn from the figures).
 */
function pageHistory(h: BodyHistory, indexOf: (file: string) => number, formatOf: (file: string) => string) {
  const found = h.steps.reduce((n, s) => n + (s.pair?.findings.length ?? 0), 0);
  const notCompared = h.steps.filter((s) => !s.pair).length;
  const jumps = h.steps.reduce((n, s) => n + (s.pair?.changes.filter((c) => c.jump).length ?? 0), 0);
  const first = h.years[0].year;
  const last = h.years[h.years.length - 1].year;
  const notes = [
    found ? `${found} 个跨年度问题` : '',
    jumps ? `${jumps} 项变化较大` : '',
    notCompared ? `${notCompared} 对未能对照` : '',
    h.gaps.length ? `缺 ${h.gaps.map((y) => `${y}年`).join('、')}` : '',
  ].filter(Boolean);
  return {
    found,
    open: found > 0,
    title: `${h.body}：${first === last ? `${first}年` : `${first}–${last}年`}，${h.years.length} 份报告${notes.length ? `（${notes.join('，')}）` : ''}`,
    years: h.years.map((y) => ({
      year: y.year,
      i: indexOf(y.file),
      ...(y.others.length ? { others: y.others.map(indexOf) } : {}),
    })),
    steps: h.years.map((y) => {
      const s = h.steps.find((x) => x.to === y.year);
      if (!s) return null;
      const jumps = FIGURES.flatMap((f, i) =>
        s.pair?.changes.find((c) => c.key === f.key)?.jump ? [i] : [],
      );
      return {
        from: s.from,
        to: s.to,
        // Which figures changed much.
        ...(jumps.length ? { jumps } : {}),
        ...(s.pair
          ? { findings: s.pair.findings.map((f) => pageFinding(f, formatOf(s.pair!.current))) }
          : {}),
        ...(s.why ? { why: s.why } : {}),
      };
    }),
    ...(h.gaps.length ? { gaps: h.gaps } : {}),
  };
}

/** A unit of the ranking as the page's script draws it. */
const pageUnit = (u: UnitRank, i: number) => ({
  rank: i + 1,
  body: u.body,
  reports: u.reports,
  years: u.years.map((y) => `${y}`).join('、'),
  counts: [u.errors, u.warnings, u.infos, u.unreadable],
  completeness: u.completeness,
});

/**
 * JSON to sit inside a <script> element: `<`, `>` and `&` escaped so that no text (a file named
 * `</script>…`) can end the element or open a comment, and U+2028/2029 escaped as well.
 */
export const scriptJson = (value: unknown): string =>
  JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );

/** The controls of a paged list (`name`: reports, pairs, history, ranking); the script fills them in. */
const pager = (name: string) =>
  `<div class="pager"><button type="button" id="${name}-prev" disabled>上一页</button><span id="${name}-range"></span><button type="button" id="${name}-next" disabled>下一页</button></div>`;

// The page's script. `data` is { labels, rows, pairs, history, ranking } (see pageRow, pagePair,
// pageHistory, pageUnit); each table or list shows a page of its items, in its current order. When
// the page is printed every item is drawn (the reports with their findings open), and the pages
// come back afterwards.
const SCRIPT = `
(function(){
var data=JSON.parse(document.getElementById('page-data').textContent),rows=data.rows,L=data.labels;
function esc(s){return String(s).replace(/&/g,'&amp;').replace(/</g,'&lt;').replace(/>/g,'&gt;').replace(/"/g,'&quot;')}
function num(v){return v===null?'—':Number.isInteger(v)?String(v):v.toFixed(2)}
function td(cls,html,title){return '<td class="'+cls+'"'+(title?' title="'+esc(title)+'"':'')+'>'+html+'</td>'}
function link(href,html){return href?'<a href="'+esc(href)+'">'+html+'</a>':html}
// A figure: the number, or "—" with why it is unknown as its tooltip.
function figure(v,why){return why?td('n unknown','—',why):td('n',num(v))}
// A rule by its Chinese name, its id in the tooltip.
function rule(id){return '<span class="rule" title="'+esc(id)+'">'+esc(L.rules[id]||id)+'</span>'}
function findingList(fs,href){return '<ol>'+fs.map(function(f){
  var where=f.where?link(href&&f.page?href+'#page='+f.page:'',esc(f.where))+'：':'';
  return '<li><span class="sev-'+esc(f.severity)+'">'+esc(L.severity[f.severity]||f.severity)+'</span> '+where+esc(f.message)+
    ' <span class="muted">['+rule(f.ruleId)+']</span>'+(f.fix?' <span class="muted">建议：'+esc(f.fix)+'</span>':'')+'</li>'}).join('')+'</ol>'}
function fullList(r){return findingList(r.findings,r.href)+(r.more?'<p class="muted">'+esc(r.more)+'</p>':'')}
function fileCell(r){
  if(!r.href)return td('file',esc(r.file));
  return td('file',link(r.href+(r.page?'#page='+r.page:''),esc(r.file))+(r.page?' <span class="muted">（第'+r.page+'页）</span>':''),r.page?'打开文件第'+r.page+'页（第一个问题所在页）':'打开文件')}
// A report's row; its full findings are added when its list is first opened (printed: all open).
function reportRow(i,all){var r=rows[i];
  return '<tr data-i="'+i+'">'+td('body',esc(r.body))+td('n year',num(r.year))+td('status s-'+r.status,esc(L.status[r.status]))+
    td('first',esc(r.first)+(r.total?'<details'+(all?' open':'')+'><summary>全部 '+r.total+' 条</summary>'+(all?fullList(r):'')+'</details>':''))+
    fileCell(r)+r.counts.map(function(n){return td('n',num(n))}).join('')+td('format',esc(r.format))+
    r.figures.map(function(v,k){return figure(v,r.why&&r.why[k])}).join('')+'</tr>'}
function pairBlock(p){
  var changes=p.changes.map(function(c){
    var side=function(v){return figure(v,v===null&&c.why)};
    return '<tr'+(c.jump?' class="jump-row"':'')+'><td>'+esc(c.label)+'</td>'+side(c.previous)+side(c.current)+
      (c.why?td('n unknown','无法对照',c.why):td(c.jump?'n jump':'n',esc(c.delta)))+'</tr>'}).join('');
  return '<details class="pair"'+(p.open?' open':'')+'><summary>'+esc(p.title)+'</summary><p class="muted">'+esc(p.files)+'</p>'+
    '<table class="changes"><thead><tr><th>指标</th><th>'+esc(p.years[0])+'</th><th>'+esc(p.years[1])+'</th><th>变化</th></tr></thead><tbody>'+changes+'</tbody></table>'+
    (p.findings.length?findingList(p.findings):'')+(p.verdict?'<p class="muted">'+esc(p.verdict)+'</p>':'')+'</details>'}
// A body over its years: a column per year, and the signed change after each year compared with the
// one before; a closed one gets its content when first opened (printed: all drawn, as on screen).
var history=data.history;
function historyBlock(k,all){var h=history[k];
  return '<details class="history" data-k="'+k+'"'+(h.open?' open':'')+'><summary>'+esc(h.title)+'</summary>'+(h.open||all?historyContent(h):'')+'</details>'}
// The signed change between two figures ("+12", "−3", "0"), "—" when either is unknown.
function change(a,b){if(a===null||b===null)return '—';var d=b-a;return d>0?'+'+num(d):d<0?'−'+num(-d):'0'}
function historyContent(h){
  var ys=h.years.map(function(y){return rows[y.i]});
  function files(y){return rows[y.i].file+(y.others?'（同年另有：'+y.others.map(function(i){return rows[i].file}).join('、')+'）':'')}
  var head='<th>指标</th>',status='<td>状态</td>',counts='<td>错误 / 警告 / 提示</td>';
  h.years.forEach(function(y,k){var s=h.steps[k],r=ys[k];
    head+='<th title="'+esc(files(y))+'">'+y.year+'年</th>'+(s?'<th>变化</th>':'');
    status+=td('status s-'+r.status,esc(L.status[r.status]))+(s?'<td></td>':'');
    counts+=td('n',r.counts.join(' / '))+(s?'<td></td>':'')});
  var body=L.figures.map(function(label,i){
    return '<tr><td>'+esc(label)+'</td>'+ys.map(function(r,k){var s=h.steps[k],v=r.figures[i];
      return figure(v,r.why&&r.why[i])+(s?td(s.jumps&&s.jumps.indexOf(i)>=0?'n jump':'n',change(ys[k-1].figures[i],v)):'')}).join('')+'</tr>'}).join('');
  var steps=h.steps.map(function(s,k){if(!s)return '';
    var head=s.from+'年 → '+s.to+'年：';
    if(s.why)return '<p class="muted">'+esc(head+'未能对照（'+s.why+'）')+'</p>';
    return s.findings.length?'<p>'+esc(head+s.findings.length+' 个跨年度问题')+'</p>'+findingList(s.findings,ys[k].href):'<p class="muted">'+esc(head+'衔接一致，未发现跨年度问题')+'</p>'}).join('');
  return '<div><p class="muted">'+esc(h.years.map(function(y){return y.year+'年：'+files(y)}).join('；'))+'</p>'+
    '<table><thead><tr>'+head+'</tr></thead><tbody><tr>'+status+'</tr><tr>'+counts+'</tr>'+body+'</tbody></table>'+steps+
    (h.gaps?'<p class="muted">'+esc('缺少 '+h.gaps.join('年、')+'年的报告，相隔的年度不对照。')+'</p>':'')+'</div>'}
function unitRow(u){
  return '<tr>'+td('n',u.rank)+td('body',esc(u.body))+td('n',u.reports)+td('years',esc(u.years))+u.counts.map(function(n){return td('n',n)}).join('')+
    (u.completeness===null?td('n unknown','—','没有可读取的报告'):td('n',(Math.floor(u.completeness*1000)/10)+'%'))+'</tr>'}
// A list drawn a page at a time into box: set() shows a new list from its first page, redraw() the
// page shown, all() every item (for printing).
var lists=[];
function paged(name,size,unit,empty,box,draw){
  var range=document.getElementById(name+'-range'),prev=document.getElementById(name+'-prev'),next=document.getElementById(name+'-next');
  var items=[],page=0;
  function show(){
    var from=page*size,to=Math.min(items.length,from+size),html='';
    for(var k=from;k<to;k++)html+=draw(items[k],false);
    box.innerHTML=html;
    range.textContent=items.length?'第 '+(from+1)+'–'+to+' '+unit+'，共 '+items.length.toLocaleString('en-US')+' '+unit:empty;
    prev.disabled=page===0;next.disabled=to>=items.length;
  }
  prev.addEventListener('click',function(){page--;show()});
  next.addEventListener('click',function(){page++;show()});
  var list={set:function(l){items=l;page=0;show()},redraw:show,all:function(){
    var html='';for(var k=0;k<items.length;k++)html+=draw(items[k],true);box.innerHTML=html}};
  lists.push(list);return list;
}
var collate=new Intl.Collator('zh-CN').compare;
// A table whose header cells sort it (a stable sort of the order shown, numbers with unknown first);
// values[i][c] is row i's value in column c; apply() draws the rows passing keep, in order.
function sortable(table,list,values,keep,after){
  var heads=table.tHead.rows[0].cells,order=values.map(function(_,i){return i});
  function apply(){var shown=keep?order.filter(keep):order;list.set(shown);if(after)after(shown)}
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
  return apply;
}
var table=document.getElementById('reports');
var st=document.getElementById('f-status'),ru=document.getElementById('f-rule'),count=document.getElementById('shown'),note=document.getElementById('print-note');
var reports=paged('reports',${PAGE_ROWS},'份','没有符合条件的报告',table.tBodies[0],reportRow);
// Each row's values in the columns' order, to sort by (an unknown figure is null, sorted first).
var values=rows.map(function(r){
  return [r.body,r.year,L.order.indexOf(r.status),r.first,r.file].concat(r.counts,[r.format],r.figures.map(function(v,k){return r.why&&r.why[k]?null:v}))});
var applyReports=sortable(table,reports,values,function(i){var r=rows[i],s=st.value,rule=ru.value;
  return(!s||r.status===s)&&(!rule||r.rules.indexOf(rule)>=0)},function(shown){
  count.textContent=shown.length;
  var f=[st.value?'状态：'+L.status[st.value]:'',ru.value?'规则：'+(L.rules[ru.value]||ru.value):''].filter(Boolean);
  note.textContent=f.length?'按筛选条件（'+f.join('；')+'）列出 '+shown.length+' 份报告，共 '+rows.length+' 份。':'列出全部 '+rows.length+' 份报告。'});
st.addEventListener('change',applyReports);ru.addEventListener('change',applyReports);
table.tBodies[0].addEventListener('click',function(e){
  var s=e.target.closest('summary');if(!s)return;var d=s.parentNode;
  if(!d.querySelector('ol')){var r=rows[+d.closest('tr').getAttribute('data-i')];d.insertAdjacentHTML('beforeend',fullList(r))}
});
applyReports();
var box=document.getElementById('pairs');
if(box)paged('pairs',${PAGE_PAIRS},'对','',box,pairBlock).set(data.pairs);
box=document.getElementById('history');
if(box){paged('history',${PAGE_PAIRS},'个机关','',box,historyBlock).set(history.map(function(_,k){return k}));
  box.addEventListener('click',function(e){
    var s=e.target.closest('summary');if(!s)return;var d=s.parentNode;
    if(d.children.length<2)d.insertAdjacentHTML('beforeend',historyContent(history[+d.getAttribute('data-k')]))})}
var ranks=document.getElementById('ranking');
if(ranks){var units=data.ranking;
  sortable(ranks,paged('ranking',${PAGE_ROWS},'个机关','',ranks.tBodies[0],function(i){return unitRow(units[i])}),
    units.map(function(u){return [u.rank,u.body,u.reports,u.years].concat(u.counts,[u.completeness])}))()}
var printing=false;
function beforePrint(){if(printing)return;printing=true;lists.forEach(function(l){l.all()})}
function afterPrint(){if(!printing)return;printing=false;lists.forEach(function(l){l.redraw()})}
window.addEventListener('beforeprint',beforePrint);window.addEventListener('afterprint',afterPrint);
var media=window.matchMedia&&window.matchMedia('print');
if(media&&media.addEventListener)media.addEventListener('change',function(e){if(e.matches)beforePrint();else afterPrint()});
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
  // The proofreading family (listed last) is marked apart from structure and arithmetic.
  const labels = data.map((d) => (d.category === 'language' ? `文字·${d.title}` : d.title));
  const bar = 22,
    labelW = Math.max(...labels.map((l) => displayWidth(l))) * 6.5 + 16,
    plotW = 420,
    h = data.length * bar + 10;
  const bars = data
    .map((d, i) => {
      const w = Math.max(1, Math.round((d.count / max) * plotW));
      const y = 5 + i * bar;
      return `<g><title>${esc(d.ruleId)}：${d.count}</title><text x="${labelW - 6}" y="${y + 15}" text-anchor="end" font-size="12">${esc(labels[i])}</text><rect x="${labelW}" y="${y + 3}" width="${w}" height="${bar - 6}" fill="${d.category === 'language' ? '#7c3aed' : '#2563eb'}"/><text x="${labelW + w + 4}" y="${y + 15}" font-size="12">${d.count}</text></g>`;
    })
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="各规则问题数" width="${labelW + plotW + 60}" height="${h}" viewBox="0 0 ${labelW + plotW + 60} ${h}" font-family="sans-serif">${bars}</svg>`;
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

const heads = (cols: Array<{ head: string; numeric: boolean; title?: string }>) =>
  cols
    .map(
      (c) =>
        `<th${c.numeric ? ' data-num' : ''}${c.title ? ` title="${esc(c.title)}"` : ''}>${esc(c.head)}</th>`,
    )
    .join('');

export interface HtmlOptions {
  /** Where the page is written: each report gets a link relative to it. Without it (a page sent away), no links. */
  page?: string;
  generated?: Date;
}

export function toHtml(review: Review, options: HtmlOptions = {}): string {
  const { page, generated = new Date() } = options;
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
    .map((r) => `<option value="${esc(r.ruleId)}">${esc(r.title)}（${r.count}）</option>`)
    .join('');
  const formats = new Map(review.rows.map((r) => [r.file, r.format]));
  const formatOf = (file: string) => formats.get(file) ?? '';
  const rows = worstFirst(review.rows);
  const index = new Map(rows.map((r, i) => [r.file, i]));
  const history = histories(review)
    .map((h) => pageHistory(h, (file) => index.get(file) ?? -1, formatOf))
    // Those with cross-year findings first, most first; the rest by name.
    .sort((a, b) => b.found - a.found);
  const units = ranking(review).map(pageUnit);
  const data = {
    labels: {
      status: STATUS_LABEL,
      order: STATUSES,
      severity: SEVERITY_TEXT,
      rules: Object.fromEntries(rules.map((r) => [r.ruleId, r.title])),
      figures: FIGURES.map((f) => `${f.table}${f.label}`),
    },
    rows: rows.map((r) => pageRow(r, page)),
    // Those with cross-year findings or large changes first.
    pairs: [...review.pairs]
      .sort((a, b) => Number(pairNoted(b)) - Number(pairNoted(a)))
      .map((p) => pagePair(p, formatOf)),
    history,
    ranking: units,
  };
  const shownStatuses = STATUSES.filter((s) => s !== 'unchecked' || byStatus(s))
    .map((s) => STATUS_LABEL[s])
    .join('、');
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
<nav class="toc"><a href="#s-reports">各报告</a><a href="#s-rules">各规则问题数</a><a href="#s-totals">关键数字合计</a><a href="#s-pairs">跨年度对照</a><a href="#s-history">各机关历年情况</a><a href="#s-ranking">各机关排名</a><a href="#notes">重复、未能对照与应报未报</a></nav>
<h2 id="s-reports" class="lead">各报告</h2>
<p class="muted">问题严重的在前：依次为${shownStatuses}，同一状态中错误、警告多的在前。${page ? '点击文件名打开报告（PDF 打开第一个问题所在页）；' : ''}问题的位置按原文件：Word 和网页为第几个表格第几行、第几段，PDF 为第几页。</p>
<p class="print-only" id="print-note"></p>
<noscript><p>本页的报告列表、跨年度对照、历年情况和排名由页面脚本显示，请在允许运行脚本的浏览器中打开。</p></noscript>
<div class="filters"><label>状态 <select id="f-status"><option value="">全部</option>${statusOptions}</select></label><label>规则 <select id="f-rule"><option value="">全部</option>${ruleOptions}</select></label><span>显示 <b id="shown">${review.rows.length}</b> / ${review.rows.length} 份</span><span class="muted">点击表头排序</span></div>
<table id="reports" class="grid"><colgroup>${COLUMNS.map((c) => `<col class="c-${c.col}">`).join('')}</colgroup><thead><tr>${heads(COLUMNS)}</tr></thead>
<tbody></tbody></table>
${pager('reports')}
<h2 id="s-rules">各规则问题数</h2>
${chart(review)}
<h2 id="s-totals">关键数字合计</h2>
${totals(review)}
<h2 id="s-pairs">跨年度对照（${review.pairs.length} 对）</h2>
<p class="muted">同一机关相邻两个年度的报告：关键数字并列，变化达 50% 且不少于 10 的标出 ⚠；有跨年度问题或较大变化的排在前面并展开。</p>
${review.pairs.length ? `<div id="pairs"></div>\n${pager('pairs')}` : '<p>没有找到同一机关相邻年度的报告。</p>'}
<h2 id="s-history">各机关历年情况（${history.length} 个机关）</h2>
<p class="muted">每个机关各年度的状态、问题数和关键数字，相邻年度之间的变化（“+”为增加，“−”为减少）和跨年度问题；有跨年度问题的机关排在前面并展开。同一年度有多份报告的，用对照所用的一份。</p>
${history.length ? `<div id="history"></div>\n${pager('history')}` : '<p>没有识别出机关和年度的报告。</p>'}
<h2 id="s-ranking">各机关排名（${units.length} 个机关）</h2>
<p class="muted">按错误数、警告数从多到少，完整度（关键数字读出的比例）从低到高排列；点击表头可按其他列排序。未识别标题的报告不计入。</p>
${units.length ? `<table id="ranking" class="grid"><thead><tr>${heads(RANK_COLUMNS)}</tr></thead><tbody></tbody></table>\n${pager('ranking')}` : '<p>没有识别出机关的报告。</p>'}
${notesHtml(review.notes)}
<script type="application/json" id="page-data">${scriptJson(data)}</script>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
