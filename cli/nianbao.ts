#!/usr/bin/env node
// nianbao — 政府信息公开工作年度报告校对工具（命令行）。The contract is ../shared/spec/CLI.md.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createTwoFilesPatch, FILE_HEADERS_ONLY } from 'diff';
import {
  applyBaseline,
  type BaselineEntry,
  baselineKeyOf,
  type CheckResult,
  type Config,
  CROSS_YEAR_RULES,
  check,
  DEFAULT_LIMITS,
  type FileFix,
  type Finding,
  type Fix,
  fixFile,
  issuingBody,
  type JsonResult,
  REPORT_EXTENSIONS,
  ReadError,
  type ReadLimits,
  type ReadResult,
  RULES,
  readReport,
  readReportAsync,
  ruleDocPath,
  sameBody,
  toJSON,
  withCrossYear,
} from '../grammar/src/index.js';
import {
  acceptedNote,
  BaselineError,
  type BaselineSource,
  BaselineUpdates,
  baselineLookup,
} from './baseline.js';
import { describeIoError, findConfigFile, readConfigFile } from './config.js';
import { limitText, packageRoot, packageVersion, readFileBounded, unexpected, walk } from './files.js';
import {
  escapeControls,
  FORMATS,
  type Format,
  jsonStream,
  type OutputStream,
  SEVERITY_LABEL,
  STDIN_NAME,
  sarifStream,
  textStream,
} from './format.js';
import { review } from './review/index.js';

class UsageError extends Error {}

const HELP = `nianbao — 政府信息公开工作年度报告校对工具

检查年度报告是否符合《中华人民共和国政府信息公开工作年度报告格式》（国办公开办函〔2021〕30号）：
六个章节、表二至表四的行与单元格、表三与表四的合计及勾稽关系、年份、正文与表格是否一致等。

用法：
  nianbao check [选项] <文件|目录|->...   检查报告（目录：递归检查其中的报告文件；-：读取标准输入）
  nianbao rules [--format text|json]        列出全部规则、中文标题、默认级别和规则说明文件的位置
  nianbao review [选项] <目录>...           审阅一个地区的全部报告，写出汇总（详见 nianbao review --help）
  nianbao --help                            显示本帮助
  nianbao --version                         显示版本号

选项：
  -f, --format text|json|sarif   输出格式（默认 text）
  -c, --config 文件              配置文件（默认：从被检查文件所在目录向上查找最近的 .nianbaorc.json）
  -y, --year 年份                报告年度（正文未写明年份时使用）
      --previous 文件            同一机关上一年度的报告：再检查上年结转、现行有效件数和照搬上年的文字
      --fix                      自动修复能确定改法的问题并写回文件：文本文件改写文本，.docx 直接改 Word 文件；
                                 PDF、.doc/.wps 和网页无法写回（会说明原因）；不适用于标准输入。
                                 改 Word 文件前先把原文件另存为“报告（修改前）.docx”，并逐条列出所作的修改
      --no-backup                与 --fix 一起用：不保留修改前的 Word 文件
      --fix-dry-run              只显示 --fix 会作的修改，不改文件：文本文件显示为统一差异格式（diff），
                                 .docx 逐条列出位置和“原文 → 改为”；列出的问题仍是原文件的问题
  -q, --quiet                    只报告“错误”，不列出警告和提示（各种输出格式都如此）
      --max-warnings 数量        警告多于该数量时退出状态为 1（如 --max-warnings 0：有警告即不通过）
  -o, --output 文件              把检查结果写入该文件，而不是输出到屏幕（检查开始前先确认能写入）
      --max-size MB              单个文件（及标准输入）的大小上限，单位 MB（默认 ${DEFAULT_LIMITS.maxBytes / 1024 / 1024}；可为小数，如 0.5）
      --baseline 文件            已核实问题清单（默认：从被检查文件所在目录向上查找最近的 .nianbao-baseline.json）；
                                 其中的问题不再列出、不影响退出状态，只在最后说明另有几个已核实的问题
      --update-baseline          把本次发现的全部错误和警告作为已核实问题写入清单（--baseline 指定的文件，
                                 否则最近的 .nianbao-baseline.json，都没有时在当前目录新建）

支持的文件：文本 .txt、.md（UTF-8、UTF-16 或 GB18030 编码）、保存的网页 .html/.htm（只取正文）、Word .docx（表格的合并单元格按模板行列读取）、Word 97–2003 .doc（及同格式的 .wps）和有文字层的 PDF。
目录中递归检查扩展名为 ${REPORT_EXTENSIONS.join(' ')} 的文件（跳过 node_modules 和以“.”开头的目录）。
文本输出中标有“（可自动修复）”的问题，--fix 能写回该文件；PDF、.doc/.wps 和网页中的问题不标。

配置文件 .nianbaorc.json 示例：
  { "rules": { "fee-statement-missing": "off", "narrative-mismatch": "error" } }
  级别可为 off、info、warning、error。

每条规则的说明（检查什么、为什么、正确与错误的示例、如何修复）见 docs/rules/规则名.md；
nianbao rules 列出每条规则说明文件的位置。

退出状态：
  0  未发现“错误”级别的问题（且警告不多于 --max-warnings）
  1  至少有一个“错误”级别的问题，或警告多于 --max-warnings
  2  用法错误或有文件无法读取（其余文件仍会检查并输出）
`;

interface Input {
  name: string;
  abs: string | null;
  stdin: boolean;
}

let exitStatus = 0;
/** A note on stderr; file names in it are shown with control characters escaped. */
function note(message: string): void {
  process.stderr.write(`nianbao：${escapeControls(message)}\n`);
}
function fail(message: string): void {
  note(message);
  exitStatus = 2;
}

/** Expands the arguments into the inputs to check, in the order given (directories sorted). */
function expand(args: string[]): Input[] {
  const inputs: Input[] = [];
  for (const arg of args) {
    if (arg === '-') {
      inputs.push({ name: STDIN_NAME, abs: null, stdin: true });
      continue;
    }
    let st: fs.Stats;
    try {
      st = fs.statSync(arg);
    } catch (e) {
      fail(`${arg}：${describeIoError(e)}`);
      continue;
    }
    if (st.isDirectory()) {
      const found: string[] = [];
      walk(arg, found, fail);
      found.sort();
      if (!found.length) note(`${arg}：目录中没有可检查的报告文件（${REPORT_EXTENSIONS.join('、')}）`);
      for (const f of found) inputs.push({ name: f, abs: path.resolve(f), stdin: false });
    } else {
      inputs.push({ name: arg, abs: path.resolve(arg), stdin: false });
    }
  }
  return inputs;
}

/** An input read: its bytes and what the reader made of them; null when it could not be read (reported). */
async function readInput(
  input: Input,
  limits: Partial<ReadLimits>,
): Promise<{ bytes: Uint8Array; read: ReadResult } | null> {
  const maxBytes = limits.maxBytes ?? DEFAULT_LIMITS.maxBytes;
  let bytes: Uint8Array;
  try {
    bytes = input.stdin ? await readStdin(maxBytes) : readFileBounded(input.name, maxBytes);
  } catch (e) {
    if (e instanceof ReadError) fail(e.message);
    else
      fail(
        input.stdin
          ? `标准输入：无法读取（${describeIoError(e)}）`
          : `${input.name}：无法读取文件（${describeIoError(e)}）`,
      );
    return null;
  }
  try {
    return { bytes, read: await readReportAsync(bytes, input.stdin ? '标准输入' : input.name, limits) };
  } catch (e) {
    if (e instanceof ReadError) {
      fail(e.message);
      return null;
    }
    throw e;
  }
}

/** Standard input, counted as it arrives: reading stops as soon as it passes the limit. */
async function readStdin(maxBytes: number): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of process.stdin as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > maxBytes) {
      process.stdin.destroy();
      throw new ReadError('标准输入', `内容过大（超过上限 ${limitText(maxBytes)}），已停止读取`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, total);
}

function parseFormat(value: string | undefined): Format {
  const f = (value ?? 'text') as Format;
  if (!FORMATS.includes(f)) throw new UsageError(`未知的输出格式“${value}”，应为 text、json 或 sarif`);
  return f;
}

function parseLimits(maxSize: string | undefined): Partial<ReadLimits> {
  const maxBytes = maxSize === undefined ? DEFAULT_LIMITS.maxBytes : Number(maxSize) * 1024 * 1024;
  if (!(maxBytes > 0) || !Number.isFinite(maxBytes))
    throw new UsageError(`--max-size“${maxSize}”无效，应为正数（单位 MB），如 20`);
  return { maxBytes };
}

function parseYear(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{4}$/.test(value) || +value < 2000 || +value > 2100)
    throw new UsageError(`年份“${value}”无效，应为四位数字，如 2024`);
  return +value;
}

/** Where a rule's page is on this machine (docs/rules/<id>.md of the installed package). */
function rulePagePath(id: string): string {
  const root = packageRoot();
  return root ? path.join(root, ruleDocPath(id)) : ruleDocPath(id);
}

/** Columns as wide as they show: a Chinese character takes two. */
const shownWidth = (s: string) => [...s].reduce((n, c) => n + (c.charCodeAt(0) >= 0x2e80 ? 2 : 1), 0);

function runRules(format: Format): void {
  if (format === 'json') {
    process.stdout.write(
      JSON.stringify(
        ALL_RULES.map((r) => ({
          id: r.id,
          title: r.title,
          severity: r.severity,
          description: r.description,
          doc: rulePagePath(r.id),
        })),
        null,
        2,
      ) + '\n',
    );
    return;
  }
  const width = Math.max(...ALL_RULES.map((r) => r.id.length));
  const titleWidth = Math.max(...ALL_RULES.map((r) => shownWidth(r.title)));
  const lines = ALL_RULES.map(
    (r) =>
      `${r.id.padEnd(width)}  ${SEVERITY_LABEL[r.severity] ?? r.severity}  ${r.title}${' '.repeat(titleWidth - shownWidth(r.title))}  ${rulePagePath(r.id)}`,
  );
  process.stdout.write(
    `${lines.join('\n')}\n共 ${ALL_RULES.length} 条规则；每条规则的说明（检查什么、为什么、示例、如何修复）见所列文件\n`,
  );
}

const ALL_RULES = [...RULES, ...CROSS_YEAR_RULES];

interface CheckValues {
  previous?: string;
  format?: string;
  config?: string;
  year?: string;
  fix?: boolean;
  'max-size'?: string;
  baseline?: string;
  'update-baseline'?: boolean;
  quiet?: boolean;
  'max-warnings'?: string;
  output?: string;
  'fix-dry-run'?: boolean;
  'no-backup'?: boolean;
}

interface CheckSettings {
  format: Format;
  limits: Partial<ReadLimits>;
  year?: number;
  fix: boolean;
  /** --update-baseline: this run's errors and warnings are written as accepted. */
  update: boolean;
  /** Last year's report of the same body (--previous), checked. */
  previous?: CheckResult;
  /** --quiet: errors only, in every format. */
  quiet: boolean;
  /** --max-warnings: more warnings than this make the exit status 1. */
  maxWarnings?: number;
  /** -o: the file the results go to instead of stdout. */
  output?: string;
  /** --fix-dry-run: what --fix would change, shown and not written. */
  dryRun: boolean;
  /** --fix on a Word file keeps the original beside it (unless --no-backup). */
  backup: boolean;
}

/** The options of `check`, validated (usage errors thrown). */
function checkSettings(positionals: string[], values: CheckValues): CheckSettings {
  const format = parseFormat(values.format);
  const limits = parseLimits(values['max-size']);
  const year = parseYear(values.year);
  if (!positionals.length)
    throw new UsageError('请指定要检查的文件或目录（- 表示标准输入）；用法见 nianbao --help');
  if (values.fix && positionals.includes('-')) throw new UsageError('--fix 不能用于标准输入');
  if (values.fix && values['fix-dry-run'])
    throw new UsageError('--fix 与 --fix-dry-run 不能同时使用：前者写回文件，后者只显示会作的修改');
  if (values['fix-dry-run'] && format === 'sarif')
    throw new UsageError('--fix-dry-run 只能与 --format text 或 json 一起使用');
  let maxWarnings: number | undefined;
  if (values['max-warnings'] !== undefined) {
    if (!/^\d{1,9}$/.test(values['max-warnings']))
      throw new UsageError(`--max-warnings“${values['max-warnings']}”无效，应为不小于 0 的整数，如 0 或 10`);
    maxWarnings = Number(values['max-warnings']);
  }
  if (values.output !== undefined) checkOutputPath(values.output, positionals);
  return {
    format,
    limits,
    year,
    fix: Boolean(values.fix),
    update: Boolean(values['update-baseline']),
    quiet: Boolean(values.quiet),
    maxWarnings,
    output: values.output,
    dryRun: Boolean(values['fix-dry-run']),
    backup: !values['no-backup'],
  };
}

/** -o FILE: refused before any report is read when it cannot be written or would overwrite an input. */
function checkOutputPath(file: string, positionals: string[]): void {
  if (file === '' || file === '-') throw new UsageError('-o/--output 需要一个文件名');
  const abs = path.resolve(file);
  for (const p of positionals)
    if (p !== '-' && path.resolve(p) === abs)
      throw new UsageError(`-o/--output 的文件“${file}”就是要检查的文件，不能把结果写在它上面`);
  let st: fs.Stats | undefined;
  try {
    st = fs.statSync(abs);
  } catch {
    // Not there yet: its folder must be.
  }
  if (st?.isDirectory()) throw new UsageError(`-o/--output 的“${file}”是一个目录，应为文件名`);
  const dir = path.dirname(abs);
  try {
    if (!fs.statSync(dir).isDirectory()) throw new Error();
  } catch {
    throw new UsageError(`-o/--output 的文件“${file}”所在的目录不存在`);
  }
  try {
    fs.accessSync(st ? abs : dir, fs.constants.W_OK);
  } catch {
    throw new UsageError(`无法写入 -o/--output 的文件“${file}”（没有写入权限）`);
  }
}

/**
 * The configuration for a directory: the --config file for every input, else the nearest
 * .nianbaorc.json above it (each file read once; 'bad': its error reported already).
 */
function configResolver(configFile: string | undefined): (dir: string) => Config | undefined | 'bad' {
  if (configFile !== undefined) {
    let fixed: Config;
    try {
      fixed = readConfigFile(configFile);
    } catch (e) {
      throw new UsageError(e instanceof Error ? e.message : String(e));
    }
    return () => fixed;
  }
  const cache = new Map<string, Config | 'bad'>();
  return (dir) => {
    const file = findConfigFile(dir);
    if (!file) return undefined;
    let c = cache.get(file);
    if (!c) {
      try {
        c = readConfigFile(file);
      } catch (e) {
        fail(e instanceof Error ? e.message : String(e));
        c = 'bad';
      }
      cache.set(file, c);
    }
    return c;
  };
}

async function runCheck(positionals: string[], values: CheckValues): Promise<void> {
  const settings = checkSettings(positionals, values);
  const configFor = configResolver(values.config);
  let baselineFor: ReturnType<typeof baselineLookup>;
  try {
    baselineFor = baselineLookup(values.baseline, settings.update, fail);
  } catch (e) {
    if (e instanceof BaselineError) throw new UsageError(e.message);
    throw e;
  }
  const updates = new BaselineUpdates();
  let accepted = 0;
  if (settings.output !== undefined) openOutput(settings.output);
  if (values.previous !== undefined) settings.previous = await readPrevious(values.previous, settings);
  // Each file's result is written as soon as it is checked: no string ever holds the whole run.
  const out = outputStream(settings.format);
  await writeOut(out.head());
  let errors = false;
  let warnings = 0;
  for (const input of expand(positionals)) {
    const dir = input.abs ? path.dirname(input.abs) : process.cwd();
    const config = configFor(dir);
    if (config === 'bad') {
      note(`${input.name === STDIN_NAME ? '标准输入' : input.name}：因配置文件有误，未检查`);
      continue;
    }
    const baseline = baselineFor(dir);
    if (baseline === 'bad') {
      note(`${input.name === STDIN_NAME ? '标准输入' : input.name}：因已核实问题清单有误，未检查`);
      continue;
    }
    let result: JsonResult | null = null;
    let preview: DryRun | undefined;
    try {
      const checked = await checkInput(input, config, settings, baseline);
      if (checked) {
        result = checked.result;
        preview = checked.preview;
        accepted += checked.accepted.length;
        if (settings.update && baseline && checked.accepted.length)
          updates.record(baseline, checked.newlyAccepted, input.abs ? dir : null);
      }
    } catch (e) {
      fail(unexpected(input.stdin ? '标准输入' : input.name, e));
    }
    if (!result) continue;
    errors ||= result.findings.some((f) => f.severity === 'error');
    warnings += result.findings.filter((f) => f.severity === 'warning').length;
    // --quiet leaves warnings and notes out of what is shown; --max-warnings still counts them (as ESLint).
    if (settings.quiet)
      result = { ...result, findings: result.findings.filter((f) => f.severity === 'error') };
    if (preview && settings.format === 'json') result = { ...result, fixDryRun: preview } as JsonResult;
    await writeOut(out.item(result));
    if (preview && settings.format === 'text') await writeOut(previewText(input, preview));
  }
  if (errors && exitStatus === 0) exitStatus = 1;
  if (settings.maxWarnings !== undefined && warnings > settings.maxWarnings) {
    note(`发现 ${warnings} 个警告，多于 --max-warnings 允许的 ${settings.maxWarnings} 个`);
    if (exitStatus === 0) exitStatus = 1;
  }
  await writeOut(out.tail());
  closeOutput();
  if (settings.update) {
    const written = updates.write();
    for (const n of written.notes) note(n);
    if (!written.ok) exitStatus = 2;
  }
  if (accepted) note(acceptedNote(accepted));
}

function outputStream(format: Format): OutputStream {
  if (format === 'json') return jsonStream();
  if (format === 'sarif') return sarifStream(packageVersion());
  return textStream(outFd === null && Boolean(process.stdout.isTTY) && !process.env.NO_COLOR);
}

/** What --fix-dry-run shows for one file: a unified diff of a text file, or the changes to a Word file. */
type DryRun =
  | { diff: string }
  | { changes: Array<{ where: string; old: string; new: string; title: string }> }
  | { none: string };

function previewText(input: Input, preview: DryRun): string {
  const name = input.stdin ? '<标准输入>' : escapeControls(input.name);
  if ('none' in preview) return `${name}：${preview.none}\n`;
  if ('diff' in preview)
    return `${name}：--fix 会作如下修改（未写入）\n${preview.diff
      .split('\n')
      .map((l) => escapeControls(l, true))
      .join('\n')}`;
  return `${name}：--fix 会作如下 ${preview.changes.length} 处修改（未写入）\n${preview.changes
    .map((c) => `  ${changeLine(c)}\n`)
    .join('')}`;
}

/** One change to a Word file, as a line: place：“old” → “new”（what）. */
function changeLine(c: { where: string; old: string; new: string; title: string }): string {
  const shown = (s: string) => {
    const t = s
      .replace(/^\n+|\n+$/g, '')
      .replace(/\t/g, ' ')
      .replace(/\n/g, ' ⏎ ');
    return escapeControls(t.length > 80 ? `${t.slice(0, 79)}…` : t);
  };
  const what =
    c.old === ''
      ? `插入“${shown(c.new)}”`
      : c.new === ''
        ? `删除“${shown(c.old)}”`
        : `“${shown(c.old)}” → “${shown(c.new)}”`;
  return `${escapeControls(c.where)}：${what}（${escapeControls(c.title)}）`;
}

/** The changes a set of fixes makes to the text as read, each at its place in the original file. */
function changesOf(
  fixes: Fix[],
  text: string,
  where: ReadResult['where'],
): Array<{ where: string; old: string; new: string; title: string }> {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  const lineOf = (offset: number) => {
    let lo = 0,
      hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
  return fixes.flatMap((fix) =>
    fix.edits.map((e) => {
      const line = lineOf(e.start);
      return {
        where: where(line) ?? `第${line}行`,
        old: text.slice(e.start, e.end),
        new: e.newText,
        title: fix.title,
      };
    }),
  );
}

/** --fix-dry-run: what --fix would write, computed and not written (null: nothing; reasons on stderr). */
function dryRun(
  input: Input,
  bytes: Uint8Array,
  read: ReadResult,
  options: { year?: number; config?: Config },
  limits: Partial<ReadLimits>,
): DryRun {
  const name = input.stdin ? '标准输入' : input.name;
  const fixed = fixFile({ bytes, text: read.text, format: read.format }, options, limits);
  if (fixed.refused) return { none: fixed.refused };
  if (!fixed.bytes) return { none: '没有 --fix 能自动修复的问题' };
  if (fixed.writeBack === 'docx') return { changes: changesOf(fixed.written, read.text, read.where) };
  return {
    diff: createTwoFilesPatch(name, name, read.text, fixed.text, '修改前', '修改后', {
      headerOptions: FILE_HEADERS_ONLY,
    }),
  };
}

/**
 * One input read, fixed if asked and checked, without the findings its baseline accepts (with
 * --update-baseline, its errors and warnings too: `newlyAccepted` are their entries); null when it
 * could not be read (reported already).
 */
async function checkInput(
  input: Input,
  config: Config | undefined,
  settings: CheckSettings,
  baseline: BaselineSource | null,
): Promise<{
  result: JsonResult;
  accepted: Finding[];
  newlyAccepted: BaselineEntry[];
  preview?: DryRun;
} | null> {
  const { year, fix, limits } = settings;
  const got = await readInput(input, limits);
  if (got === null) return null;
  let { text, where } = got.read;
  if (fix && !input.stdin)
    ({ text, where } = writeFixes(
      input.name,
      got.bytes,
      got.read,
      { year, config },
      limits,
      settings.backup,
    ));
  const preview = settings.dryRun ? dryRun(input, got.bytes, got.read, { year, config }, limits) : undefined;
  const checked = check(text, { year, config, source: got.read.format });
  const result = settings.previous ? crossYear(input, checked, settings.previous, config) : checked;
  let { kept, accepted } = applyBaseline(result.report, result.findings, baseline?.baseline);
  const newly = settings.update ? kept.filter((f) => f.severity !== 'info') : [];
  if (newly.length) {
    kept = kept.filter((f) => f.severity === 'info');
    accepted = [...accepted, ...newly];
  }
  const json = toJSON(input.name, { ...result, findings: kept }, where);
  return {
    result: accepted.length ? { ...json, accepted: accepted.length } : json,
    accepted,
    newlyAccepted: newly.map((f) => baselineKeyOf(result.report, f)),
    ...(preview ? { preview } : {}),
  };
}

/** --previous: last year's report, read and checked once; a usage error when it cannot be read. */
async function readPrevious(name: string, settings: CheckSettings): Promise<CheckResult> {
  const got = await readInput({ name, abs: path.resolve(name), stdin: false }, settings.limits);
  if (got === null) throw new UsageError('上年报告（--previous）无法读取，未做检查');
  return check(got.read.text, { source: got.read.format });
}

/** This year's findings with those against last year's report, unless the two do not belong together. */
function crossYear(input: Input, result: CheckResult, previous: CheckResult, config?: Config): CheckResult {
  const name = input.stdin ? '标准输入' : input.name;
  const t = previous.report.tables;
  if (!t.t2 && !t.t3 && !t.t4) {
    note(`${name}：--previous 指定的文件中没有读出表二、表三、表四，不像是年度报告，未与之比对`);
    return result;
  }
  const y = result.report.year,
    py = previous.report.year;
  if (y != null && py != null && py !== y - 1) {
    note(`${name}：报告年度为${y}年，--previous 指定的报告为${py}年，不是上一年度，未与之比对`);
    return result;
  }
  const a = issuingBody(result.report),
    b = issuingBody(previous.report);
  if (a && b && !sameBody(a, b))
    note(`${name}：与上年报告的单位名称不同（${a}、${b}），仍按 --previous 比对`);
  return withCrossYear(result, previous, { config });
}

/**
 * Writes to stdout and waits until it is written. A reader that went away (EPIPE: `| head`) ends
 * the run quietly, as other Unix tools do; a full disk or another write error is said in Chinese
 * and exits 2.
 */
function writeOut(out: string): Promise<void> {
  if (outFd !== null) {
    try {
      const buf = Buffer.from(out);
      for (let at = 0; at < buf.length; ) at += fs.writeSync(outFd, buf, at);
    } catch (e) {
      outputError(e);
    }
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    try {
      process.stdout.write(out, () => resolve());
    } catch (e) {
      stdoutError(e);
    }
  });
}

function stdoutError(e: unknown): void {
  const code = (e as { code?: string } | null)?.code;
  if (code === 'EPIPE') process.exit(exitStatus);
  try {
    process.stderr.write(`nianbao：无法写出检查结果（${describeIoError(e, 'write')}）\n`);
  } catch {
    // stderr is gone too
  }
  process.exit(2);
}
process.stdout.on('error', stdoutError);

/** -o FILE, once opened (null: results go to stdout). */
let outFd: number | null = null;
let outName = '';

function openOutput(file: string): void {
  try {
    outFd = fs.openSync(file, 'w');
    outName = file;
  } catch (e) {
    throw new UsageError(`无法写入 -o/--output 的文件“${file}”（${describeIoError(e, 'write')}）`);
  }
}

function closeOutput(): void {
  if (outFd === null) return;
  try {
    fs.closeSync(outFd);
  } catch (e) {
    outputError(e);
  }
  outFd = null;
}

function outputError(e: unknown): never {
  note(`无法写入 ${outName}（${describeIoError(e, 'write')}）`);
  process.exit(2);
}
process.stderr.on('error', () => {});

/**
 * `--fix`: the certain fixes written back into the file (text rewritten; a .docx changed in the
 * Word file itself, rows inserted as table rows); formats nothing can be written into, and Word
 * files fixDocx refuses, are left as they are with the reason on stderr. Returns the text (and
 * its locations) to check now.
 */
function writeFixes(
  name: string,
  bytes: Uint8Array,
  read: ReadResult,
  options: { year?: number; config?: Config },
  limits: Partial<ReadLimits>,
  backup: boolean,
): Pick<ReadResult, 'text' | 'where'> {
  let fixed: FileFix;
  try {
    fixed = fixFile({ bytes, text: read.text, format: read.format }, options, limits);
  } catch (e) {
    fail(`${name}：无法写入修复结果（${e instanceof ReadError ? e.message : describeIoError(e, 'write')}）`);
    return read;
  }
  if (fixed.refused) note(`${name}：${fixed.refused}`);
  if (!fixed.bytes) return read;
  let kept: string | null = null;
  if (backup && fixed.writeBack === 'docx') {
    kept = keepOriginal(name, bytes);
    if (kept === null) return read;
  }
  try {
    fs.writeFileSync(name, fixed.bytes);
  } catch (e) {
    fail(`${name}：无法写入修复结果（${describeIoError(e, 'write')}）`);
    return read;
  }
  if (fixed.writeBack === 'text') {
    note(`已修复 ${name}`);
    return { text: fixed.text, where: read.where };
  }
  note(
    `已修复 ${name}（${fixed.applied} 处${fixed.skipped ? `，另有 ${fixed.skipped} 处无法写入 Word 文件` : ''}）${kept ? `，修改前的文件另存为 ${kept}` : ''}`,
  );
  for (const c of changesOf(fixed.written, read.text, read.where)) note(`${name} ${changeLine(c)}`);
  try {
    return readReport(fixed.bytes, name, limits);
  } catch (e) {
    fail(e instanceof ReadError ? e.message : unexpected(name, e));
    return read;
  }
}

/**
 * Before --fix rewrites a Word file: the original copied beside it as “报告（修改前）.docx” (a
 * name Word opens; “（修改前2）” and on when that exists already, never overwritten). Returns its
 * name, or null when it could not be written (said; the file is then left as it is).
 */
function keepOriginal(name: string, bytes: Uint8Array): string | null {
  const ext = path.extname(name);
  const stem = name.slice(0, name.length - ext.length);
  for (let n = 1; n < 1000; n++) {
    const kept = `${stem}（修改前${n > 1 ? n : ''}）${ext}`;
    try {
      fs.writeFileSync(kept, bytes, { flag: 'wx' });
      return kept;
    } catch (e) {
      if ((e as { code?: string }).code === 'EEXIST') continue;
      fail(
        `${name}：无法保存修改前的文件 ${kept}（${describeIoError(e, 'write')}），未写入修复（不保留可加 --no-backup）`,
      );
      return null;
    }
  }
  fail(`${name}：修改前的文件已有太多份，未写入修复（不保留可加 --no-backup）`);
  return null;
}

type Values = CheckValues & { help?: boolean; version?: boolean };

/** The subcommands: name → handler of its positional arguments and the parsed options. */
const COMMANDS: Record<string, (args: string[], values: Values) => Promise<void> | void> = {
  check: runCheck,
  rules: (args, values) => {
    if (args.length) throw new UsageError(`rules 命令不接受参数：${args.join(' ')}`);
    runRules(parseFormat(values.format));
  },
  help: () => void process.stdout.write(HELP),
};

async function main(argv: string[]): Promise<void> {
  if (argv[0] === 'review') {
    exitStatus = await review(argv.slice(1));
    return;
  }
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      format: { type: 'string', short: 'f' },
      config: { type: 'string', short: 'c' },
      year: { type: 'string', short: 'y' },
      previous: { type: 'string' },
      fix: { type: 'boolean' },
      'max-size': { type: 'string' },
      baseline: { type: 'string' },
      'update-baseline': { type: 'boolean' },
      quiet: { type: 'boolean', short: 'q' },
      'max-warnings': { type: 'string' },
      output: { type: 'string', short: 'o' },
      'fix-dry-run': { type: 'boolean' },
      'no-backup': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'v' },
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  if (values.version) {
    process.stdout.write(`${packageVersion()}\n`);
    return;
  }
  const [command, ...rest] = positionals;
  if (command === undefined) {
    process.stdout.write(HELP);
    exitStatus = 2;
    return;
  }
  const run = COMMANDS[command];
  if (!run) {
    const names = Object.keys(COMMANDS).filter((c) => c !== 'help');
    throw new UsageError(`未知的命令“${command}”；可用命令：${names.join('、')}（详见 nianbao --help）`);
  }
  return run(rest, values);
}

function usageMessage(e: unknown): string {
  const code = (e as { code?: string } | null)?.code;
  const msg = e instanceof Error ? e.message : String(e);
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const opt = /'([^']+)'/.exec(msg)?.[1] ?? msg;
    return `未知的选项“${opt}”；用法见 nianbao --help`;
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const opt = /--[\w-]+/.exec(msg)?.[0] ?? /-\w/.exec(msg)?.[0] ?? '';
    return `选项 ${opt} 缺少取值；用法见 nianbao --help`;
  }
  return msg;
}

try {
  await main(process.argv.slice(2));
} catch (e) {
  const code = (e as { code?: string } | null)?.code;
  if (e instanceof UsageError || code?.startsWith('ERR_PARSE_ARGS')) {
    note(usageMessage(e));
  } else {
    if (process.env.NIANBAO_DEBUG) process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
    note('程序内部错误，检查未完成');
  }
  exitStatus = 2;
}
// Everything is written: exit now rather than wait for anything a reader left running (a warm
// PDF worker, a timer).
process.exitCode = exitStatus;
process.stdout.write('', () => process.exit(exitStatus));
