// The result card a user sees in Feishu: rendered from the CLI's JSON result, deciding nothing.
import type { JsonResult } from '../../grammar/src/index.js';

const LEVEL: Record<string, string> = { error: '错误', warning: '警告', info: '提示' };
const MAX_ITEMS = 30;

/** An interactive card (JSON 1.0 card schema) listing the findings of one checked report. */
export function resultCard(name: string, r: JsonResult): Record<string, unknown> {
  const count = (s: string) => r.findings.filter((f) => f.severity === s).length;
  const errors = count('error'), warnings = count('warning'), infos = count('info');
  const template = errors ? 'red' : warnings ? 'orange' : 'green';
  const summary = r.findings.length
    ? `共发现 ${errors} 个错误、${warnings} 个警告${infos ? `、${infos} 个提示` : ''}。`
    : '未发现问题：章节、表格和合计关系都符合模板。';
  const lines = r.findings.slice(0, MAX_ITEMS).map((f) =>
    `**${LEVEL[f.severity] ?? f.severity}** 第${f.line}行${f.where ? `（${f.where}）` : ''}：${escape(f.message)}${f.fix ? ' 〔可自动修复〕' : ''}`);
  if (r.findings.length > MAX_ITEMS) lines.push(`……另有 ${r.findings.length - MAX_ITEMS} 个问题，请用命令行工具查看完整结果。`);
  const elements: Array<Record<string, unknown>> = [
    { tag: 'div', text: { tag: 'lark_md', content: `${r.title ? `**${escape(r.title)}**\n` : ''}${summary}` } },
  ];
  if (lines.length) elements.push({ tag: 'hr' }, { tag: 'div', text: { tag: 'lark_md', content: lines.join('\n') } });
  return {
    config: { wide_screen_mode: true, update_multi: true },
    header: { template, title: { tag: 'plain_text', content: `年报校对：${name}` } },
    elements,
  };
}

/** lark_md treats a few characters as markup; findings quote the report, so neutralise them. */
function escape(s: string): string {
  return s.replace(/[*_~`<>[\]]/g, (c) => `\\${c}`);
}
