// The documentation page of each rule (docs/rules/<id>.md), made from the rule's own metadata —
// its title, severity, description, examples and fix — so that page and rule cannot drift apart.
// `npm run docs` writes the pages; a test checks that the committed pages are these.

import type { Rule, RuleCategory, RuleExample } from './rule.js';
import { SEVERITY_LABEL } from './rule.js';

/** Where the pages are, relative to the package (and repository) root. */
export const RULE_DOCS_DIR = 'docs/rules';

/** A rule's page, relative to the package root: docs/rules/<id>.md. */
export function ruleDocPath(id: string): string {
  return `${RULE_DOCS_DIR}/${id}.md`;
}

/** A rule's page under `base` (a URL of the docs/rules folder, with or without its final slash). */
export function ruleDocUrl(id: string, base: string): string {
  return `${base.endsWith('/') ? base : `${base}/`}${encodeURIComponent(id)}.md`;
}

const CATEGORY: Record<RuleCategory, string> = {
  structure: '结构',
  tables: '表格',
  prose: '正文',
  language: '文字',
};

/** The data a page needs: a Rule, or a cross-year rule (which has checkPair instead of check). */
export type DocumentedRule = Omit<Rule, 'check'>;

const HEADER = (id: string) =>
  `<!-- 本页由 npm run docs 根据 grammar/rules/${id}.ts 生成，请改规则的元数据，不要直接改本页 -->`;

/** A fragment as the page shows it: cells separated by “ | ”. */
function fragment(text: string): string {
  const shown = text.replace(/\t/g, ' | ');
  return shown.trim() ? `\`\`\`text\n${shown.replace(/\n$/, '')}\n\`\`\`` : '（这一部分不存在）';
}

function example(e: RuleExample, crossYear: boolean): string {
  const whose = crossYear ? (e.report === 'previous' ? '（上年报告）' : '（本年报告）') : '';
  return [
    `错误${whose}：`,
    '',
    fragment(e.wrong),
    '',
    `正确${whose}：`,
    '',
    fragment(e.right),
    ...(e.note ? ['', e.note] : []),
  ].join('\n');
}

/** The Markdown page of one rule. `crossYear`: the rule compares a report with last year's. */
export function rulePage(rule: DocumentedRule, crossYear = false): string {
  const facts = [
    `默认级别：${SEVERITY_LABEL[rule.severity] ?? rule.severity}`,
    `类别：${CATEGORY[rule.category]}`,
    crossYear ? '需要同一机关上一年度的报告（命令行 --previous）' : null,
  ].filter(Boolean);
  return `${[
    HEADER(rule.id),
    '',
    `# ${rule.id}：${rule.title}`,
    '',
    facts.join(' · '),
    '',
    '## 检查什么、为什么',
    '',
    rule.description,
    '',
    '## 示例',
    '',
    rule.docs.examples.map((e) => example(e, crossYear)).join('\n\n'),
    '',
    '## 如何修复',
    '',
    rule.docs.fix,
    '',
    '## 调整级别',
    '',
    '在 `.nianbaorc.json` 中改变这条规则的级别（off、info、warning、error）：',
    '',
    '```json',
    `{ "rules": { "${rule.id}": "off" } }`,
    '```',
    '',
    '[全部规则](README.md)',
  ].join('\n')}\n`;
}

/** docs/rules/README.md: every rule with its title and default severity. */
export function ruleIndexPage(rules: DocumentedRule[], crossYear: DocumentedRule[]): string {
  const row = (r: DocumentedRule) =>
    `| [${r.id}](${r.id}.md) | ${r.title} | ${SEVERITY_LABEL[r.severity] ?? r.severity} |`;
  return `${[
    '<!-- 本页由 npm run docs 根据 grammar/rules/ 生成，不要直接改本页 -->',
    '',
    '# nianbao 的规则',
    '',
    '每条规则一页：检查什么、为什么、正确与错误的示例、如何修复。',
    '',
    '| 规则 | 标题 | 默认级别 |',
    '| --- | --- | --- |',
    ...rules.map(row),
    '',
    '与同一机关上一年度的报告比对的规则（命令行 `--previous`）：',
    '',
    '| 规则 | 标题 | 默认级别 |',
    '| --- | --- | --- |',
    ...crossYear.map(row),
  ].join('\n')}\n`;
}

/** Every page: path relative to the package root → content. */
export function rulePages(rules: DocumentedRule[], crossYear: DocumentedRule[]): Map<string, string> {
  const pages = new Map<string, string>();
  for (const r of rules) pages.set(ruleDocPath(r.id), rulePage(r));
  for (const r of crossYear) pages.set(ruleDocPath(r.id), rulePage(r, true));
  pages.set(`${RULE_DOCS_DIR}/README.md`, ruleIndexPage(rules, crossYear));
  return pages;
}
