#!/usr/bin/env node
// nianbao — 政府信息公开工作年度报告校对工具（命令行）。The contract is ../shared/spec/CLI.md.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
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
import { limitText, packageVersion, readFileBounded, unexpected, walk } from './files.js';
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
  nianbao rules [--format text|json]        列出全部规则、中文标题和默认级别
  nianbao review [选项] <目录>...           审阅一个地区的全部报告，写出汇总（详见 nianbao review --help）
  nianbao --help                            显示本帮助
  nianbao --version                         显示版本号

选项：
  -f, --format text|json|sarif   输出格式（默认 text）
  -c, --config 文件              配置文件（默认：从被检查文件所在目录向上查找最近的 .nianbaorc.json）
  -y, --year 年份                报告年度（正文未写明年份时使用）
      --previous 文件            同一机关上一年度的报告：再检查上年结转、现行有效件数和照搬上年的文字
      --fix                      自动修复能确定改法的问题并写回文件：文本文件改写文本，.docx 直接改 Word 文件；
                                 PDF、.doc/.wps 和网页无法写回（会说明原因）；不适用于标准输入
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

退出状态：
  0  未发现“错误”级别的问题
  1  至少有一个“错误”级别的问题
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

function runRules(format: Format): void {
  if (format === 'json') {
    process.stdout.write(
      JSON.stringify(
        ALL_RULES.map((r) => ({
          id: r.id,
          title: r.title,
          severity: r.severity,
          description: r.description,
        })),
        null,
        2,
      ) + '\n',
    );
    return;
  }
  const width = Math.max(...ALL_RULES.map((r) => r.id.length));
  const lines = ALL_RULES.map(
    (r) => `${r.id.padEnd(width)}  ${SEVERITY_LABEL[r.severity] ?? r.severity}  ${r.title}`,
  );
  process.stdout.write(`${lines.join('\n')}\n共 ${ALL_RULES.length} 条规则\n`);
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
}

/** The options of `check`, validated (usage errors thrown). */
function checkSettings(positionals: string[], values: CheckValues): CheckSettings {
  const format = parseFormat(values.format);
  const limits = parseLimits(values['max-size']);
  const year = parseYear(values.year);
  if (!positionals.length)
    throw new UsageError('请指定要检查的文件或目录（- 表示标准输入）；用法见 nianbao --help');
  if (values.fix && positionals.includes('-')) throw new UsageError('--fix 不能用于标准输入');
  return { format, limits, year, fix: Boolean(values.fix), update: Boolean(values['update-baseline']) };
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
  if (values.previous !== undefined) settings.previous = await readPrevious(values.previous, settings);
  // Each file's result is written as soon as it is checked: no string ever holds the whole run.
  const out = outputStream(settings.format);
  await writeOut(out.head());
  let errors = false;
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
    try {
      const checked = await checkInput(input, config, settings, baseline);
      if (checked) {
        result = checked.result;
        accepted += checked.accepted.length;
        if (settings.update && baseline && checked.accepted.length)
          updates.record(baseline, checked.newlyAccepted, input.abs ? dir : null);
      }
    } catch (e) {
      fail(unexpected(input.stdin ? '标准输入' : input.name, e));
    }
    if (!result) continue;
    errors ||= result.findings.some((f) => f.severity === 'error');
    await writeOut(out.item(result));
  }
  if (errors && exitStatus === 0) exitStatus = 1;
  await writeOut(out.tail());
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
  return textStream(Boolean(process.stdout.isTTY) && !process.env.NO_COLOR);
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
} | null> {
  const { year, fix, limits } = settings;
  const got = await readInput(input, limits);
  if (got === null) return null;
  let { text, where } = got.read;
  if (fix && !input.stdin)
    ({ text, where } = writeFixes(input.name, got.bytes, got.read, { year, config }, limits));
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
    `已修复 ${name}（${fixed.applied} 处${fixed.skipped ? `，另有 ${fixed.skipped} 处无法写入 Word 文件` : ''}）`,
  );
  try {
    return readReport(fixed.bytes, name, limits);
  } catch (e) {
    fail(e instanceof ReadError ? e.message : unexpected(name, e));
    return read;
  }
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
