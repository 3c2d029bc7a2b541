// The page: files dropped or picked are read and checked here, in the browser (app.ts), and shown
// as findings (errors first, each at its place in the user's file), the three tables as read, the
// fixes, a corrected .docx to download; several files or a .zip as the folder-review summary.
import {
  fixTitleOf,
  locationOf,
  REPORT_HEADERS,
  type Review,
  reportCells,
  ruleTitle,
  SEVERITY_TEXT,
  toCsv,
  uncompared,
} from '../cli/review/summary.js';
import type { JsonFinding } from '../grammar/src/json.js';
import { T2_ROWS, T3_COLUMNS, T3_ROWS, T4_BLOCK_NAMES, T4_COLUMNS } from '../grammar/src/template.js';
import { checkOne, expand, fixedDocx, type Given, type Outcome, reviewOf } from './app.js';

type Ok = Outcome & { ok: true };

const $ = <T extends HTMLElement>(sel: string) => document.querySelector(sel) as T;

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: Array<Node | string | null | undefined | false>
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  for (const c of children) if (c !== null && c !== undefined && c !== false) e.append(c);
  return e;
}

const RANK: Record<string, number> = { error: 0, warning: 1, info: 2 };
const errorsFirst = (fs: JsonFinding[]) =>
  [...fs].sort((a, b) => (RANK[a.severity] ?? 3) - (RANK[b.severity] ?? 3) || a.line - b.line);

function download(name: string, bytes: Uint8Array | string, type: string): void {
  const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type }));
  const a = el('a', { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

const baseName = (name: string) => name.split('/').pop() ?? name;

function counts(o: Ok): HTMLElement {
  const c = { error: 0, warning: 0, info: 0 } as Record<string, number>;
  for (const f of o.json.findings) c[f.severity] = (c[f.severity] ?? 0) + 1;
  return el(
    'p',
    { class: 'counts' },
    el('span', { class: 'sev-error', 'data-count': 'error' }, `错误 ${c.error}`),
    el('span', { class: 'sev-warning', 'data-count': 'warning' }, `警告 ${c.warning}`),
    el('span', { class: 'sev-info', 'data-count': 'info' }, `提示 ${c.info}`),
    o.json.findings.length ? '' : el('strong', {}, '未发现问题'),
  );
}

function findingItem(f: JsonFinding): HTMLElement {
  const fix = fixTitleOf(f);
  return el(
    'li',
    { class: `finding sev-${f.severity}`, 'data-rule': f.ruleId, 'data-severity': f.severity },
    el('span', { class: 'badge' }, SEVERITY_TEXT[f.severity] ?? f.severity),
    el('span', { class: 'where' }, locationOf(f)),
    el('span', { class: 'msg' }, f.message),
    el('span', { class: 'rule' }, `${ruleTitle(f.ruleId)}（${f.ruleId}）`),
    fix
      ? el('span', { class: f.fix ? 'fix exact' : 'fix' }, `${f.fix ? '可自动修复' : '建议'}：${fix}`)
      : null,
  );
}

function cell(v: number | null | undefined, bad: boolean): HTMLTableCellElement {
  return el('td', bad ? { class: 'bad', title: '此单元格有问题' } : {}, v == null ? '—' : String(v));
}

function tables(o: Ok): HTMLElement {
  const t = o.json.tables;
  const box = el('div', { class: 'tables' });
  if (t.t2) {
    const tb = el('table', { class: 't2' }, el('caption', {}, '表二（主动公开）'));
    for (const r of T2_ROWS) {
      const tr = el('tr', {}, el('th', {}, r.label));
      for (let i = 0; i < r.cells; i++) tr.append(cell(t.t2[r.offset + i], o.bad.t2.has(r.offset + i)));
      tb.append(tr);
    }
    box.append(tb);
  } else box.append(el('p', { class: 'none' }, '未读到表二'));
  if (t.t3) {
    const tb = el(
      'table',
      { class: 't3' },
      el('caption', {}, '表三（收到和处理政府信息公开申请情况）'),
      el('tr', {}, el('th', {}, ''), ...T3_COLUMNS.map((c) => el('th', {}, c))),
    );
    T3_ROWS.forEach((r, i) => {
      tb.append(
        el(
          'tr',
          {},
          el('th', { title: r.group ?? '' }, r.label),
          ...(t.t3?.[i] ?? []).map((v, j) => cell(v, o.bad.t3.has(`${i},${j}`))),
        ),
      );
    });
    box.append(tb);
  } else box.append(el('p', { class: 'none' }, '未读到表三'));
  if (t.t4) {
    const tb = el(
      'table',
      { class: 't4' },
      el('caption', {}, '表四（行政复议、行政诉讼）'),
      el('tr', {}, el('th', {}, ''), ...T4_COLUMNS.map((c) => el('th', {}, c))),
    );
    T4_BLOCK_NAMES.forEach((name, b) => {
      tb.append(
        el(
          'tr',
          {},
          el('th', {}, name),
          ...T4_COLUMNS.map((_, j) => cell(t.t4?.[b * 5 + j], o.bad.t4.has(b * 5 + j))),
        ),
      );
    });
    box.append(tb);
  } else box.append(el('p', { class: 'none' }, '未读到表四'));
  return box;
}

function fixes(o: Ok): HTMLElement {
  const exact = o.json.findings.filter((f) => f.fix);
  const box = el('div', { class: 'fixes' });
  if (o.format === 'docx') {
    if (!exact.length) box.append(el('p', {}, '没有可自动修复的问题。'));
    else {
      const button = el(
        'button',
        { type: 'button', class: 'download-docx' },
        `下载修正后的 Word 文件（${exact.length} 处可自动修复）`,
      );
      const note = el('span', { class: 'fix-note' });
      button.addEventListener('click', () => {
        const fixed = fixedDocx(o);
        if (!fixed.bytes) {
          note.textContent = fixed.refused ?? '没有可写入的修复';
          return;
        }
        note.textContent = `已修正 ${fixed.applied} 处${fixed.skipped ? `，${fixed.skipped} 处无法写入，请手工修改` : ''}。只改了确定的问题，原文件未变。`;
        download(
          baseName(o.name).replace(/\.docx$/i, '（已修正）.docx'),
          fixed.bytes,
          'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
        );
      });
      box.append(el('p', {}, button, ' ', note));
    }
  } else {
    const print = el('button', { type: 'button', class: 'print' }, '打印问题清单');
    print.addEventListener('click', () => window.print());
    box.append(
      el(
        'p',
        {},
        print,
        ' ',
        exact.length
          ? `${exact.length} 处可自动修复的问题请在原文件中手工修改（只有 Word .docx 文件可下载修正版）。`
          : '',
      ),
    );
  }
  return box;
}

function fileCard(o: Outcome): HTMLElement {
  if (!o.ok)
    return el(
      'section',
      { class: 'file unreadable', 'data-file': o.name },
      el('h2', {}, o.name),
      el('p', { class: 'refusal' }, `无法读取：${o.reason}`),
    );
  const shown = errorsFirst(o.json.findings);
  return el(
    'section',
    { class: 'file', 'data-file': o.name },
    el('h2', {}, o.name),
    o.json.title ? el('p', { class: 'title' }, o.json.title) : null,
    counts(o),
    fixes(o),
    shown.length ? el('ol', { class: 'findings' }, ...shown.map(findingItem)) : null,
    el(
      'details',
      { class: 'read-tables' },
      el('summary', {}, '读到的表二、表三、表四（有问题的单元格标红）'),
      tables(o),
    ),
  );
}

function summary(review: Review, skipped: string[]): HTMLElement {
  const head = el('tr', {}, ...REPORT_HEADERS.map((h) => el('th', {}, h)));
  const rows = review.rows.map((r) =>
    el(
      'tr',
      { class: `status-${r.status}`, 'data-file': r.file },
      ...reportCells(r).map((v) => el('td', {}, v == null ? '' : String(v))),
    ),
  );
  const csv = el('button', { type: 'button' }, '下载汇总表（CSV）');
  csv.addEventListener('click', () => download('年报汇总.csv', toCsv(review), 'text/csv'));
  const box = el(
    'section',
    { class: 'review' },
    el('h2', {}, `汇总：${review.rows.length} 份报告`),
    el('p', {}, csv),
    el('div', { class: 'scroll' }, el('table', { class: 'summary' }, head, ...rows)),
  );
  if (review.pairs.length) {
    const pairs = el(
      'table',
      { class: 'pairs' },
      el('tr', {}, ...['单位', '本年', '上年', '变化较大', '跨年度问题'].map((h) => el('th', {}, h))),
    );
    for (const p of review.pairs) {
      const jumps = p.changes.filter((c) => c.jump).map((c) => `${c.label} ${c.previous}→${c.current}`);
      const why = uncompared(p).map((c) => `${c.label}：${c.why}`);
      pairs.append(
        el(
          'tr',
          {},
          el('td', {}, p.body),
          el('td', {}, `${p.currentYear ?? '?'}年 ${p.current}`),
          el('td', {}, `${p.previousYear ?? '?'}年 ${p.previous}`),
          el('td', {}, [...jumps, ...why].join('；') || '无'),
          el('td', {}, p.findings.map((f) => f.message).join('；') || '无'),
        ),
      );
    }
    box.append(el('h3', {}, '跨年度对照（同一单位相邻两年）'), el('div', { class: 'scroll' }, pairs));
  }
  if (skipped.length)
    box.append(el('p', { class: 'skipped' }, `压缩包中未检查的文件：${skipped.join('、')}`));
  return box;
}

async function run(given: Given[]): Promise<void> {
  const out = $('#results');
  const status = $('#status');
  out.replaceChildren();
  const { files, refused, skipped } = expand(given);
  const outcomes: Outcome[] = [...refused];
  for (const [i, f] of files.entries()) {
    status.textContent = `正在检查 ${i + 1}/${files.length}：${f.name}`;
    outcomes.push(await checkOne(f.name, f.bytes));
  }
  const several = outcomes.length > 1 || given.some((g) => /\.zip$/i.test(g.name));
  if (several) out.append(summary(reviewOf(outcomes), skipped));
  for (const o of outcomes) out.append(fileCard(o));
  status.textContent = `已检查 ${outcomes.length} 个文件。`;
  document.body.dataset.state = 'done';
}

async function take(list: FileList | null): Promise<void> {
  if (!list?.length) return;
  document.body.dataset.state = 'busy';
  const given = await Promise.all(
    [...list].map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) })),
  );
  try {
    await run(given);
  } catch {
    $('#status').textContent = '检查时出错，请重新打开本页面后再试。';
    document.body.dataset.state = 'done';
  }
}

const input = $<HTMLInputElement>('#files');
input.addEventListener('change', () => void take(input.files));
const drop = $('#drop');
drop.addEventListener('dragover', (e) => {
  e.preventDefault();
  drop.classList.add('over');
});
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', (e) => {
  e.preventDefault();
  drop.classList.remove('over');
  void take(e.dataTransfer?.files ?? null);
});
document.body.dataset.state = 'ready';
