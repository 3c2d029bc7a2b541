// Output formats of `nianbao check`: text (for people), json (the contract), sarif (for code-scanning tools).
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import pc from 'picocolors';
import {
  CROSS_YEAR_RULES,
  canWriteFixes,
  type JsonResult,
  RULES as ONE_REPORT_RULES,
  SEVERITY_LABEL,
} from '../grammar/src/index.js';

const RULES = [...ONE_REPORT_RULES, ...CROSS_YEAR_RULES];

export type Format = 'text' | 'json' | 'sarif';
export const FORMATS: readonly Format[] = ['text', 'json', 'sarif'];

export { SEVERITY_LABEL };

/** The name under which stdin is shown in text output. */
export const STDIN_NAME = '-';

/**
 * Text for a terminal: control characters (C0, DEL, C1) and bidirectional overrides, which could
 * move the cursor, recolour or reorder what follows, shown as escapes (\x1b, \u202e).
 */
export function escapeControls(s: string, keepTabs = false): string {
  return s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (ch) => {
    if (keepTabs && ch === '\t') return ch;
    const c = ch.charCodeAt(0);
    return c <= 0xff ? `\\x${c.toString(16).padStart(2, '0')}` : `\\u${c.toString(16).padStart(4, '0')}`;
  });
}

export interface Counts {
  files: number;
  error: number;
  warning: number;
  info: number;
}

export function countFindings(results: JsonResult[]): Counts {
  const c: Counts = { files: results.length, error: 0, warning: 0, info: 0 };
  for (const r of results)
    for (const f of r.findings) {
      if (f.severity === 'error') c.error++;
      else if (f.severity === 'warning') c.warning++;
      else c.info++;
    }
  return c;
}

export function summaryLine(c: Counts): string {
  const parts: string[] = [];
  if (c.error) parts.push(`${c.error} 个错误`);
  if (c.warning) parts.push(`${c.warning} 个警告`);
  if (c.info) parts.push(`${c.info} 个提示`);
  if (!c.files) return '未检查任何文件';
  return `${c.files} 个文件：${parts.length ? parts.join('，') : '未发现问题'}`;
}

/** Whether `--fix` can write a finding's fix into this input: not into stdin, a PDF, a .doc/.wps or a web page. */
export const fixWritable = (file: string): boolean => file !== STDIN_NAME && canWriteFixes(file);

/**
 * One line per finding, `file:line:col  级别  message  [ruleId]`, then a summary line. Where the
 * original's own location is known (Word, web page, PDF: `报告.docx:第2个表格 第5行`) it stands in
 * place of the line and column, which count lines of the extracted text no one sees. A finding
 * is marked （可自动修复） only where `--fix` can write its fix into that file.
 */
export function formatText(results: JsonResult[], color: boolean, writable = fixWritable): string {
  const c = pc.createColors(color);
  const paint: Record<string, (s: string) => string> = { error: c.red, warning: c.yellow, info: c.blue };
  const lines: string[] = [];
  for (const r of results) {
    const name = r.file === STDIN_NAME ? '<标准输入>' : escapeControls(r.file);
    const fixable = writable(r.file);
    for (const f of r.findings) {
      const label = SEVERITY_LABEL[f.severity] ?? f.severity;
      const at = f.where ? escapeControls(f.where) : `${f.line}:${f.column}`;
      lines.push(
        `${c.bold(`${name}:${at}`)}  ${(paint[f.severity] ?? String)(label)}  ${escapeControls(f.message, true)}  ${c.dim(`[${f.ruleId}]`)}${f.fix && fixable ? c.dim(' （可自动修复）') : ''}`,
      );
    }
  }
  const counts = countFindings(results);
  const summary = summaryLine(counts);
  lines.push(counts.error ? c.red(c.bold(summary)) : counts.warning ? c.yellow(summary) : c.green(summary));
  return lines.join('\n') + '\n';
}

export function formatJson(results: JsonResult[]): string {
  return JSON.stringify(results, null, 2) + '\n';
}

/**
 * Output written as results come, one file at a time, so that no single string holds the whole
 * run (thousands of reports, or reports with many findings, exceed what one string may hold).
 * The pieces joined are exactly what the one-shot formatters print.
 */
export interface OutputStream {
  /** What to write before the first result. */
  head(): string;
  /** What to write for one result. */
  item(r: JsonResult): string;
  /** What to write after the last one. */
  tail(): string;
}

/** `value`, pretty-printed as JSON.stringify(_, null, 2) would print it at `depth` levels of indentation. */
const indented = (value: unknown, depth: number) =>
  JSON.stringify(value, null, 2).replace(/\n/g, `\n${'  '.repeat(depth)}`);

/** An array's elements, each written as it comes: `[`, the elements separated by commas, `]`. */
function arrayStream<T>(
  before: string,
  after: string,
  depth: number,
  elements: (r: JsonResult) => T[],
): OutputStream {
  let first = true;
  const pad = '  '.repeat(depth + 1);
  let empty = true;
  return {
    head: () => before,
    item: (r) => {
      let out = '';
      for (const e of elements(r)) {
        out += `${first ? '\n' : ',\n'}${pad}${indented(e, depth + 1)}`;
        first = false;
        empty = false;
      }
      return out;
    },
    tail: () => (empty ? `]${after}` : `\n${'  '.repeat(depth)}]${after}`),
  };
}

export function jsonStream(): OutputStream {
  return arrayStream('[', '\n', 0, (r) => [r]);
}

export function textStream(color: boolean, writable = fixWritable): OutputStream {
  const counts: Counts = { files: 0, error: 0, warning: 0, info: 0 };
  return {
    head: () => '',
    item: (r) => {
      const c = countFindings([r]);
      counts.files++;
      counts.error += c.error;
      counts.warning += c.warning;
      counts.info += c.info;
      const lines = formatText([r], color, writable).split('\n');
      // Without its own summary line and the newline after it.
      return lines
        .slice(0, -2)
        .map((l) => `${l}\n`)
        .join('');
    },
    tail: () => {
      const c = pc.createColors(color);
      const summary = summaryLine(counts);
      return `${counts.error ? c.red(c.bold(summary)) : counts.warning ? c.yellow(summary) : c.green(summary)}\n`;
    },
  };
}

const SARIF_LEVEL: Record<string, 'error' | 'warning' | 'note'> = {
  error: 'error',
  warning: 'warning',
  info: 'note',
};

function pascal(id: string): string {
  return id
    .split('-')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
}

function artifactUri(file: string): string {
  if (file === STDIN_NAME) return 'stdin';
  if (path.isAbsolute(file)) return pathToFileURL(file).href;
  return encodeURI(file.split(path.sep).join('/'));
}

/** SARIF 2.1.0, one run. */
export function formatSarif(results: JsonResult[], version: string): string {
  const s = sarifStream(version);
  return s.head() + results.map(s.item).join('') + s.tail();
}

/** SARIF 2.1.0, one run, its results written file by file. */
export function sarifStream(version: string): OutputStream {
  const ruleIndex = new Map(RULES.map((r, i) => [r.id, i] as const));
  const resultsOf = (r: JsonResult) =>
    r.findings.map((f) => ({
      ruleId: f.ruleId,
      ...(ruleIndex.has(f.ruleId) ? { ruleIndex: ruleIndex.get(f.ruleId) } : {}),
      level: SARIF_LEVEL[f.severity] ?? 'warning',
      message: { text: f.where ? `${f.message}（${f.where}）` : f.message },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: artifactUri(r.file) },
            region: {
              startLine: f.line,
              startColumn: f.column,
              endLine: f.endLine,
              endColumn: f.endColumn,
            },
          },
        },
      ],
    }));
  const MARK = '\u0000results\u0000';
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'nianbao',
            version,
            rules: RULES.map((r) => ({
              id: r.id,
              name: pascal(r.id),
              shortDescription: { text: r.title },
              fullDescription: { text: r.description },
              defaultConfiguration: { level: SARIF_LEVEL[r.severity] ?? 'warning' },
            })),
          },
        },
        columnKind: 'utf16CodeUnits',
        results: MARK,
      },
    ],
  };
  // The skeleton printed whole, then split where the results array goes (3 levels deep).
  const [before, after] = `${JSON.stringify(sarif, null, 2)}\n`.split(JSON.stringify(MARK));
  return arrayStream(`${before}[`, after, 3, resultsOf);
}
