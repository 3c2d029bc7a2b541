// What the user sees in Feishu: schema-2.0 cards (and a plain-text rendering for clients that
// cannot show them), rendered from a check's outcome. Decides nothing: the findings, their
// locations and fixes come from the core.
import {
  type JsonFinding,
  type JsonResult,
  RULES,
  type RuleCategory,
  SEVERITY_LABEL,
} from '../../grammar/src/index.js';
import type { CheckedFinding, Corrected } from './check.js';

export type Card = Record<string, unknown>;

const CATEGORY_TITLE: Record<RuleCategory, string> = {
  structure: '章节结构',
  tables: '表格数据',
  prose: '正文表述',
};
/** Feishu refuses cards over 30 KB; stay well inside. */
export const CARD_BYTES = 25 * 1024;

function card(title: string, template: string, elements: Card[], summary: string, subtitle?: string): Card {
  return {
    schema: '2.0',
    config: { update_multi: true, width_mode: 'fill', summary: { content: summary } },
    header: {
      title: { tag: 'plain_text', content: title },
      ...(subtitle ? { subtitle: { tag: 'plain_text', content: subtitle } } : {}),
      template,
    },
    body: { elements },
  };
}

const md = (content: string): Card => ({ tag: 'markdown', content });

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

/**
 * The result card: the report's title and year, counts by severity, the findings grouped by
 * structure / tables / prose with location and suggested fix, and the key figures of 表三/表四.
 * When the card would exceed the size limit, only the first findings are shown (`shown < total`);
 * the caller then attaches the full result as a file.
 */
export function resultCard(
  name: string,
  r: JsonResult,
  found: CheckedFinding[],
  options: { limit?: number; corrected?: Corrected } = {},
): ResultView {
  let limit = Math.min(options.limit ?? 50, r.findings.length);
  for (;;) {
    const c = buildResult(name, r, found, limit, options.corrected);
    if (limit === 0 || Buffer.byteLength(JSON.stringify(c)) <= CARD_BYTES)
      return { card: c, shown: limit, total: r.findings.length };
    limit = Math.floor(limit * 0.7);
  }
}

function counts(r: JsonResult) {
  const n = (s: string) => r.findings.filter((f) => f.severity === s).length;
  return { error: n('error'), warning: n('warning'), info: n('info') };
}

export function summaryText(r: JsonResult): string {
  const c = counts(r);
  if (!r.findings.length) return '未发现问题：章节、表格和合计关系都符合模板。';
  return `共发现 ${c.error} 个错误、${c.warning} 个警告${c.info ? `、${c.info} 个提示` : ''}。`;
}

function subtitle(r: JsonResult): string {
  return [r.title ?? '', r.year ? `${r.year} 年度` : ''].filter(Boolean).join(' · ');
}

function buildResult(
  name: string,
  r: JsonResult,
  found: CheckedFinding[],
  limit: number,
  corrected: Corrected | undefined,
): Card {
  const c = counts(r);
  const template = c.error ? 'red' : c.warning ? 'orange' : 'green';
  const elements: Card[] = [
    md(`**${escape(summaryText(r))}**${corrected ? `\n${correctedNote(corrected)}` : ''}`),
  ];
  const figures = keyFigures(r);
  if (figures) elements.push(md(figures));
  // Errors first, then warnings, then notes (in text order within each): a report with many
  // blanks still shows its real problems when the card is cut.
  const rank: Record<string, number> = { error: 0, warning: 1, info: 2 };
  const shown = r.findings
    .map((f, i) => ({ f, x: found[i], i }))
    .sort((a, b) => (rank[a.f.severity] ?? 3) - (rank[b.f.severity] ?? 3) || a.i - b.i)
    .slice(0, limit);
  for (const cat of ['structure', 'tables', 'prose'] as const) {
    const items = shown.filter(({ x }) => x?.category === cat);
    if (!items.length) continue;
    elements.push(
      { tag: 'hr' },
      md(
        `**${CATEGORY_TITLE[cat]}**（${items.length}）\n${items.map(({ f, x }) => findingLine(f, x)).join('\n')}`,
      ),
    );
  }
  if (limit < r.findings.length)
    elements.push(
      { tag: 'hr' },
      md(`……另有 ${r.findings.length - limit} 个问题未在卡片中列出，完整结果见随后发送的文件。`),
    );
  return card(`年报校对：${name}`, template, elements, summaryText(r), subtitle(r) || undefined);
}

function correctedNote(c: Corrected): string {
  if (c.fileName.endsWith('.docx')) {
    return `已在 Word 文件中修正 ${c.applied} 处，修正后的文件随后发送${c.skipped ? `；另有 ${c.skipped} 处无法写入原文件，请按下列建议手工修改` : ''}。`;
  }
  return '可自动修复的问题已修正，修正后的文本随后以文件发送。';
}

function findingLine(f: JsonFinding, x: CheckedFinding | undefined): string {
  // The converted text's line number means nothing to the reader of a Word or PDF file: its own place does.
  const where = [x?.location, f.where ?? `第${f.line}行`].filter(Boolean).join(' · ');
  const fix = x?.fixTitle ? `\n　建议：${escape(x.fixTitle)}` : '';
  return `- **${SEVERITY_LABEL[f.severity] ?? f.severity}** ${escape(f.message)}\n　位置：${escape(where)}${fix}`;
}

const num = (v: number | null | undefined) => (v == null ? '—' : String(v));

/** 表三 新收/结转/办结/结转下年 totals and 表四's three totals, when the tables were read. */
function keyFigures(r: JsonResult): string | null {
  const lines: string[] = [];
  const t3 = r.tables.t3;
  if (t3)
    lines.push(
      `表三（总计列）：本年新收 ${num(t3[0]?.[6])}，上年结转 ${num(t3[1]?.[6])}，办理结果总计 ${num(t3[23]?.[6])}，结转下年度继续办理 ${num(t3[24]?.[6])}`,
    );
  const t4 = r.tables.t4;
  if (t4)
    lines.push(
      `表四（总计）：行政复议 ${num(t4[4])}，未经复议直接起诉 ${num(t4[9])}，复议后起诉 ${num(t4[14])}`,
    );
  return lines.length ? lines.join('\n') : null;
}

/** The whole result as plain text: for old clients, and as the attachment when the card is cut. */
export function resultText(name: string, r: JsonResult, found: CheckedFinding[], limit = Infinity): string {
  const lines = [`年报校对：${name}`];
  const sub = subtitle(r);
  if (sub) lines.push(sub);
  lines.push(summaryText(r));
  const figures = keyFigures(r);
  if (figures) lines.push(figures);
  // Errors first, then warnings, then notes (in text order within each): a report with many
  // blanks still shows its real problems when the card is cut.
  const rank: Record<string, number> = { error: 0, warning: 1, info: 2 };
  const shown = r.findings
    .map((f, i) => ({ f, x: found[i], i }))
    .sort((a, b) => (rank[a.f.severity] ?? 3) - (rank[b.f.severity] ?? 3) || a.i - b.i)
    .slice(0, limit);
  for (const cat of ['structure', 'tables', 'prose'] as const) {
    const items = shown.filter(({ x }) => x?.category === cat);
    if (!items.length) continue;
    lines.push('', `【${CATEGORY_TITLE[cat]}】`);
    for (const { f, x } of items) {
      lines.push(`${SEVERITY_LABEL[f.severity] ?? f.severity}：${f.message}`);
      lines.push(`　位置：${[x?.location, f.where ?? `第${f.line}行`].filter(Boolean).join(' · ')}`);
      if (x?.fixTitle) lines.push(`　建议：${x.fixTitle}`);
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
  '',
  '命令：',
  '· 帮助 —— 显示本说明',
  '· 模板 —— 发送一份空白报告模板（Word 文件，含三张表）',
  '· 规则 —— 列出所有检查规则',
  '',
  '检查内容：六个章节是否齐全、标题是否规范；表二、表三、表四的行是否齐全，数字是否填写，合计与勾稽关系是否平衡；正文数字是否与表格一致；是否仍用旧模板或上一年的数字。可自动修复的问题会附上修正后的文本。',
].join('\n');

export function helpCard(): Card {
  return card('年报校对：使用说明', 'blue', [md(escape(HELP_TEXT))], '使用说明');
}

export function rulesText(): string {
  return RULES.map((r) => `${r.id}（${SEVERITY_LABEL[r.severity]}）${r.title}：${r.description}`).join('\n');
}

export function rulesCard(): Card {
  const groups = (['structure', 'tables', 'prose'] as const).map((cat) =>
    md(
      `**${CATEGORY_TITLE[cat]}**\n${RULES.filter((r) => r.category === cat)
        .map(
          (r) =>
            `- **${escape(r.title)}**（${r.id}，默认${SEVERITY_LABEL[r.severity]}）：${escape(r.description)}`,
        )
        .join('\n')}`,
    ),
  );
  return card('年报校对：检查规则', 'blue', groups, `共 ${RULES.length} 条规则`);
}

/** Markdown in cards treats a few characters as markup; findings quote the report, so neutralise them. */
export function escape(s: string): string {
  return s.replace(/[*_~`<>[\]#]/g, (ch) => `&#${ch.codePointAt(0)};`);
}
