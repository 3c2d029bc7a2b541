// What the user sees in Feishu: schema-2.0 cards (and a plain-text rendering for clients that
// cannot show them), rendered from a check's outcome. Decides nothing: the findings, their
// locations and fixes come from the core.
import {
  CROSS_YEAR_RULES,
  type JsonFinding,
  type JsonResult,
  RULES,
  type RuleCategory,
  ruleDocUrl,
  SEVERITY_LABEL,
} from '../../grammar/src/index.js';
import type { CheckedFinding, CheckOutcome, Corrected, FigureRow, KeyFigures } from './check.js';

export type Card = Record<string, unknown>;
export type Checked = Extract<CheckOutcome, { ok: true }>;

const CATEGORY_TITLE: Record<RuleCategory, string> = {
  structure: '章节结构',
  tables: '表格数据',
  prose: '正文表述',
  language: '文字',
};
const CATEGORIES = ['structure', 'tables', 'prose', 'language'] as const;
/** Proofreading findings (文字) have a panel of their own, after the template's errors and warnings. */
const isLanguage = (x: CheckedFinding | undefined) => x?.category === 'language';
/** Feishu refuses cards over 30 KB; stay well inside. */
export const CARD_BYTES = 25 * 1024;
/** Feishu takes files of at most 30 MB (im/v1/files): a larger corrected file is not sent. */
export const UPLOAD_LIMIT_BYTES = 30 * 1024 * 1024;

export interface Tag {
  text: string;
  color: string;
}

export function card(
  title: string,
  template: string,
  elements: Card[],
  summary: string,
  subtitle?: string,
  tags: Tag[] = [],
): Card {
  return {
    schema: '2.0',
    config: { update_multi: true, width_mode: 'fill', summary: { content: summary } },
    header: {
      title: { tag: 'plain_text', content: title },
      ...(subtitle ? { subtitle: { tag: 'plain_text', content: subtitle } } : {}),
      ...(tags.length
        ? {
            text_tag_list: tags.map((t) => ({
              tag: 'text_tag',
              text: { tag: 'plain_text', content: t.text },
              color: t.color,
            })),
          }
        : {}),
      template,
    },
    body: { elements },
  };
}

export const md = (content: string): Card => ({ tag: 'markdown', content });

export function progressCard(name: string): Card {
  return card(`年报校对：${name}`, 'blue', [md('正在检查…… 结果会更新在这张卡片上。')], '正在检查');
}

export function errorCard(name: string, message: string): Card {
  return card(`年报校对：${name}`, 'red', [md(escape(message))], '无法检查', '无法检查');
}

export interface ResultView {
  card: Card;
  shown: number;
  total: number;
}

export interface ResultOptions {
  /** Most findings listed (the card is cut further to fit its size limit). */
  limit?: number;
  /** Largest corrected file that is sent. */
  uploadLimit?: number;
}

/**
 * The result card: the report's title and year with the counts as header tags; a sentence that
 * says what was found; 表三/表四's key figures in table components; the findings in collapsible
 * panels — errors open, warnings, grouped blank cells and notes closed — each with its location
 * (the report's own row label where it differs from the template's) and suggested fix. When the
 * card would exceed the size limit, only the first findings are shown (`shown < total`); the
 * caller then attaches the full result as a file.
 */
export function resultCard(name: string, o: Checked, options: ResultOptions = {}): ResultView {
  let limit = Math.min(options.limit ?? 50, o.result.findings.length);
  for (;;) {
    const c = buildResult(name, o, limit, options.uploadLimit ?? UPLOAD_LIMIT_BYTES);
    if (limit === 0 || Buffer.byteLength(JSON.stringify(c)) <= CARD_BYTES)
      return { card: c, shown: limit, total: o.result.findings.length };
    limit = Math.floor(limit * 0.7);
  }
}

function counts(r: JsonResult) {
  const n = (s: string) => r.findings.filter((f) => f.severity === s).length;
  return { error: n('error'), warning: n('warning'), info: n('info') };
}

/** What was found, in one sentence: errors first; never “0 个错误”. */
export function summaryText(r: JsonResult): string {
  const c = counts(r);
  if (!r.findings.length) return '未发现问题：章节、表格和合计关系都符合模板。';
  const rest = [c.warning ? `${c.warning} 个警告` : '', c.info ? `${c.info} 个提示` : ''].filter(Boolean);
  if (c.error) return `共发现 ${[`${c.error} 个错误`, ...rest].join('、')}。`;
  return `未发现错误，有 ${rest.join('、')}。`;
}

function headerTags(r: JsonResult): Tag[] {
  const c = counts(r);
  const tags: Tag[] = [];
  if (c.error) tags.push({ text: `${c.error} 个错误`, color: 'red' });
  if (c.warning) tags.push({ text: `${c.warning} 个警告`, color: 'orange' });
  if (c.info) tags.push({ text: `${c.info} 个提示`, color: 'blue' });
  return tags.length ? tags : [{ text: '符合模板', color: 'green' }];
}

function subtitle(r: JsonResult): string {
  return [r.title ?? '', r.year ? `${r.year} 年度` : ''].filter(Boolean).join(' · ');
}

interface Item {
  f: JsonFinding;
  x: CheckedFinding | undefined;
  i: number;
}

/** The findings shown, errors first, then warnings, then notes (in text order within each). */
function ranked(o: Checked, limit: number): Item[] {
  const rank: Record<string, number> = { error: 0, warning: 1, info: 2 };
  return o.result.findings
    .map((f, i) => ({ f, x: o.found[i], i }))
    .sort((a, b) => (rank[a.f.severity] ?? 3) - (rank[b.f.severity] ?? 3) || a.i - b.i)
    .slice(0, limit);
}

/** The panels: errors open; warnings, the blank cells grouped by row, and notes closed. */
const PANELS: Array<{
  title: string;
  expanded: boolean;
  take: (f: JsonFinding) => boolean;
  language?: boolean;
}> = [
  { title: '错误', expanded: true, take: (f) => f.severity === 'error' },
  { title: '警告', expanded: false, take: (f) => f.severity === 'warning' && f.ruleId !== 'cell-blank' },
  { title: '空白单元格', expanded: false, take: (f) => f.severity !== 'error' && f.ruleId === 'cell-blank' },
  { title: '提示', expanded: false, take: (f) => f.severity === 'info' && f.ruleId !== 'cell-blank' },
  { title: '文字', expanded: false, take: () => true, language: true },
];

function buildResult(name: string, o: Checked, limit: number, uploadLimit: number): Card {
  const r = o.result;
  const c = counts(r);
  const template = c.error ? 'red' : c.warning ? 'orange' : 'green';
  const note = o.corrected ? `\n${escape(correctedNote(o.corrected, uploadLimit))}` : '';
  const elements: Card[] = [md(`**${escape(summaryText(r))}**${note}`), ...figureTables(o.figures)];
  const shown = ranked(o, limit);
  for (const p of PANELS) {
    const items = shown.filter(({ f, x }) => (p.language ? isLanguage(x) : !isLanguage(x) && p.take(f)));
    if (items.length) elements.push(panel(`${p.title}（${items.length}）`, p.expanded, items, o.writable));
  }
  if (limit < r.findings.length)
    elements.push(md(`……另有 ${r.findings.length - limit} 个问题未在卡片中列出，完整结果见随后发送的文件。`));
  return card(
    `年报校对：${name}`,
    template,
    elements,
    summaryText(r),
    subtitle(r) || undefined,
    headerTags(r),
  );
}

function panel(title: string, expanded: boolean, items: Item[], writable: boolean): Card {
  const groups = CATEGORIES.map((cat) => ({
    cat,
    list: items.filter(({ x }) => (x?.category ?? 'structure') === cat),
  })).filter((g) => g.list.length);
  const docs = ruleLinks(items.map(({ f }) => f.ruleId));
  return collapsiblePanel(title, expanded, [
    ...groups.map((g) =>
      md(`**${CATEGORY_TITLE[g.cat]}**\n${g.list.map(({ f, x }) => findingLine(f, x, writable)).join('\n')}`),
    ),
    ...(docs ? [md(docs)] : []),
  ]);
}

/**
 * 规则说明 with a link to each rule's page, once per rule shown, when the pages are published
 * somewhere the tenant's users can open (NIANBAO_RULES_URL: the URL of the docs/rules folder).
 */
export function ruleLinks(ids: string[], base = process.env.NIANBAO_RULES_URL): string | null {
  if (!base?.trim()) return null;
  const links = [...new Set(ids)].map((id) => {
    const title = ALL_RULES.find((r) => r.id === id)?.title ?? id;
    return `[${escape(title)}](${ruleDocUrl(id, base.trim())})`;
  });
  return links.length ? `规则说明：${links.join(' · ')}` : null;
}

/** What happens to the corrected file, in one sentence. */
export function correctedNote(c: Corrected, uploadLimit = UPLOAD_LIMIT_BYTES): string {
  if (c.bytes.length > uploadLimit)
    return `修正后的文件有 ${mb(c.bytes.length)}，超过飞书文件上传上限 ${mb(uploadLimit)}，未发送；请按下列建议手工修改。`;
  if (c.kind === 'text')
    return `${c.refused}；可自动修复的问题已在提取的文本中修正，修正后的文本随后以 .txt 文件发送。`;
  if (c.fileName.endsWith('.docx'))
    return `已在 Word 文件中修正 ${c.applied} 处，修正后的文件随后发送${c.skipped ? `；另有 ${c.skipped} 处无法写入原文件，请按下列建议手工修改` : ''}。`;
  return '可自动修复的问题已修正，修正后的文本随后以文件发送。';
}

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;

function place(f: JsonFinding, x: CheckedFinding | undefined): string {
  // The converted text's line number means nothing to the reader of a Word or PDF file: its own place does.
  return [x?.location, f.where ?? `第${f.line}行`].filter(Boolean).join(' · ');
}

function findingLine(f: JsonFinding, x: CheckedFinding | undefined, writable: boolean): string {
  const fix = x?.fixTitle ? `\n　建议：${escape(x.fixTitle)}${writable ? '（可自动修复）' : ''}` : '';
  return `- **${SEVERITY_LABEL[f.severity] ?? f.severity}** ${escape(f.message)}\n　位置：${escape(place(f, x))}${fix}`;
}

const num = (v: number | null | undefined) => (v == null ? '—' : String(v));
const rowLabel = (row: FigureRow) => (row.written ? `${row.label}（报告中写作“${row.written}”）` : row.label);

/** 表三's key rows and 表四's blocks as card tables (the values as read; — where unread). */
function figureTables(figures: KeyFigures): Card[] {
  const out: Card[] = [];
  const add = (title: string, t: { columns: readonly string[]; rows: FigureRow[] }) =>
    out.push(md(`**${title}**`), {
      tag: 'table',
      page_size: t.rows.length,
      row_height: 'auto',
      freeze_first_column: true,
      header_style: { background_style: 'grey', bold: true, lines: 2 },
      columns: [
        { name: 'item', display_name: '项目', data_type: 'text', width: 'auto' },
        ...t.columns.map((display, i) => ({
          name: `c${i}`,
          display_name: display,
          data_type: 'text',
          horizontal_align: 'right',
        })),
      ],
      rows: t.rows.map((row) => ({
        item: rowLabel(row),
        ...Object.fromEntries(row.values.map((v, i) => [`c${i}`, num(v)])),
      })),
    });
  if (figures.t3) add('表三 申请数量与办理结果', figures.t3);
  if (figures.t4) add('表四 行政复议、行政诉讼', figures.t4);
  return out;
}

/** 表三 新收/结转/办结/结转下年 totals and 表四's three totals, as text lines. */
function figureLines(figures: KeyFigures): string[] {
  const lines: string[] = [];
  if (figures.t3) {
    const total = figures.t3.columns.length - 1;
    const [n, c, t, o] = figures.t3.rows;
    lines.push(
      `表三（总计列）：本年新收 ${num(n.values[total])}，上年结转 ${num(c.values[total])}，办理结果总计 ${num(t.values[total])}，结转下年度继续办理 ${num(o.values[total])}`,
    );
  }
  if (figures.t4) {
    const total = figures.t4.columns.length - 1;
    lines.push(
      `表四（总计）：${figures.t4.rows.map((r) => `${r.label} ${num(r.values[total])}`).join('，')}`,
    );
  }
  return lines;
}

/** The whole result as plain text: for old clients, and as the attachment when the card is cut. */
export function resultText(
  name: string,
  o: Checked,
  limit = Infinity,
  uploadLimit = UPLOAD_LIMIT_BYTES,
): string {
  const r = o.result;
  const lines = [`年报校对：${name}`];
  const sub = subtitle(r);
  if (sub) lines.push(sub);
  lines.push(summaryText(r));
  if (o.corrected) lines.push(correctedNote(o.corrected, uploadLimit));
  lines.push(...figureLines(o.figures));
  const shown = ranked(o, limit);
  for (const cat of CATEGORIES) {
    const items = shown.filter(({ x }) => x?.category === cat);
    if (!items.length) continue;
    lines.push('', `【${CATEGORY_TITLE[cat]}】`);
    for (const { f, x } of items) {
      lines.push(`${SEVERITY_LABEL[f.severity] ?? f.severity}：${f.message}`);
      lines.push(`　位置：${place(f, x)}`);
      if (x?.fixTitle) lines.push(`　建议：${x.fixTitle}${o.writable ? '（可自动修复）' : ''}`);
      lines.push(`　规则：${f.ruleId}`);
    }
  }
  if (limit < r.findings.length)
    lines.push('', `……另有 ${r.findings.length - limit} 个问题，完整结果见随后发送的文件。`);
  return lines.join('\n');
}

export const HELP_TEXT = [
  '把政府信息公开工作年度报告发给我，我按国家模板（国办公开办函〔2021〕30号）检查：',
  '· 发送文件：.docx .doc .pdf .txt .md .html（.wps 需为 Word 97-2003 格式）',
  '· 或直接粘贴报告全文（文本或富文本消息）',
  '· 在群里：回复报告文件并 @我，例如“@年报校对 检查”',
  '· 一次审阅多份：发送 .zip 压缩包，或接连发送几个报告文件，得到一张汇总卡片和 Excel、网页汇总',
  '',
  '命令：',
  '· 帮助 —— 显示本说明',
  '· 模板 —— 发送一份空白报告模板（Word 文件，含三张表）',
  '· 规则 —— 列出所有检查规则',
  '',
  '检查内容：六个章节是否齐全、标题是否规范；表二、表三、表四的行是否齐全，数字是否填写，合计与勾稽关系是否平衡；正文数字是否与表格一致；是否仍用旧模板或上一年的数字；另在“文字”中列出模板用语的错别字、中文里的半角标点、成文日期是否超过期限和法条引用。有能确定改法的问题时，发回修正后的文件：Word .docx 和文本文件直接修改，PDF、.doc 和网页发回修正后的文本。',
].join('\n');

export function helpCard(): Card {
  return card('年报校对：使用说明', 'blue', [md(escape(HELP_TEXT))], '使用说明');
}

/** Every rule a user can meet: those of one report and those comparing it with last year's. */
const ALL_RULES = [...RULES, ...CROSS_YEAR_RULES];

export function rulesText(): string {
  return ALL_RULES.map((r) => `${r.id}（${SEVERITY_LABEL[r.severity]}）${r.title}：${r.description}`).join(
    '\n',
  );
}

export function rulesCard(): Card {
  const groups = CATEGORIES.map((cat) =>
    md(
      `**${CATEGORY_TITLE[cat]}**\n${ALL_RULES.filter((r) => r.category === cat)
        .map(
          (r) =>
            `- **${escape(r.title)}**（${r.id}，默认${SEVERITY_LABEL[r.severity]}）：${escape(r.description)}`,
        )
        .join('\n')}`,
    ),
  );
  return card('年报校对：检查规则', 'blue', groups, `共 ${ALL_RULES.length} 条规则`);
}

/** Markdown in cards treats a few characters as markup; findings quote the report, so neutralise them. */
export function escape(s: string): string {
  return s.replace(/[*_~`<>[\]#]/g, (ch) => `&#${ch.codePointAt(0)};`);
}

/**
 * Text for a plain text message. Feishu reads `<at user_id="all">` (and style tags such as `<b>`) in
 * the text of a text message, and file names, titles and findings are the sender's: angle brackets
 * become their full-width forms, so a file named `<at user_id="all">…` is shown, never mentions anyone.
 */
export function plainText(s: string): string {
  return s.replace(/[<>]/g, (ch) => (ch === '<' ? '＜' : '＞'));
}

/** A Feishu card 2.0 collapsible panel with a bold title, open or closed. */
export function collapsiblePanel(title: string, expanded: boolean, elements: Card[]): Card {
  return {
    tag: 'collapsible_panel',
    expanded,
    header: {
      title: { tag: 'markdown', content: `**${title}**` },
      vertical_align: 'center',
      icon: { tag: 'standard_icon', token: 'down-small-ccm_outlined', size: '16px 16px' },
      icon_position: 'right',
      icon_expanded_angle: -180,
    },
    border: { color: 'grey', corner_radius: '5px' },
    vertical_spacing: '8px',
    padding: '8px 8px 8px 8px',
    elements,
  };
}
