#!/usr/bin/env node
// nianbao — 政府信息公开工作年度报告校对工具（命令行）。The contract is ../shared/spec/CLI.md.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  type Config,
  check,
  compatibleFixes,
  DEFAULT_LIMITS,
  fixAll,
  fixDocx,
  isReportFile,
  type JsonResult,
  REPORT_EXTENSIONS,
  ReadError,
  type ReadLimits,
  type ReadResult,
  RULES,
  readReport,
  readReportAsync,
  toJSON,
  tooLarge,
} from '../grammar/src/index.js';
import { describeIoError, findConfigFile, readConfigFile } from './config.js';
import {
  escapeControls,
  FORMATS,
  type Format,
  formatJson,
  formatSarif,
  formatText,
  SEVERITY_LABEL,
  STDIN_NAME,
} from './format.js';

class UsageError extends Error {}

function version(): string {
  // dist/cli/nianbao.js or cli/nianbao.ts: the package.json is one or two levels up.
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === 'nianbao' && pkg.version) return pkg.version;
    } catch {
      // keep looking
    }
    dir = path.dirname(dir);
  }
  return '0.0.0';
}

const HELP = `nianbao — 政府信息公开工作年度报告校对工具

检查年度报告是否符合《中华人民共和国政府信息公开工作年度报告格式》（国办公开办函〔2021〕30号）：
六个章节、表二至表四的行与单元格、表三与表四的合计及勾稽关系、年份、正文与表格是否一致等。

用法：
  nianbao check [选项] <文件|目录|->...   检查报告（目录：递归检查其中的报告文件；-：读取标准输入）
  nianbao rules [--format text|json]        列出全部规则、中文标题和默认级别
  nianbao --help                            显示本帮助
  nianbao --version                         显示版本号

选项：
  -f, --format text|json|sarif   输出格式（默认 text）
  -c, --config 文件              配置文件（默认：从被检查文件所在目录向上查找最近的 .nianbaorc.json）
  -y, --year 年份                报告年度（正文未写明年份时使用）
      --fix                      自动修复可修复的问题并写回文件（.txt/.md 和 .docx；不适用于标准输入）
      --max-size MB              单个文件的大小上限（默认 20 MB）

支持的文件：.txt、.md（UTF-8、UTF-16 或 GB18030 编码）、保存的网页 .html/.htm（只取正文）、Word .docx（表格的合并单元格按模板行列读取）、Word 97–2003 .doc（及同格式的 .wps）和有文字层的 PDF。

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

function walk(dir: string, out: string[]): void {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    fail(`${dir}：无法读取目录（${describeIoError(e)}）`);
    return;
  }
  for (const e of entries) {
    if (e.name.startsWith('.') || e.name === 'node_modules') continue;
    const p = path.join(dir, e.name);
    let isDir = e.isDirectory(),
      isFile = e.isFile();
    if (e.isSymbolicLink()) {
      try {
        const st = fs.statSync(p);
        isFile = st.isFile();
        isDir = false; // do not follow directory links (cycles)
      } catch {
        continue;
      }
    }
    if (isDir) walk(p, out);
    else if (isFile && isReportFile(e.name)) out.push(p);
  }
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
      walk(arg, found);
      found.sort();
      if (!found.length) note(`${arg}：目录中没有可检查的报告文件（${REPORT_EXTENSIONS.join('、')}）`);
      for (const f of found) inputs.push({ name: f, abs: path.resolve(f), stdin: false });
    } else {
      inputs.push({ name: arg, abs: path.resolve(arg), stdin: false });
    }
  }
  return inputs;
}

async function readInput(input: Input, limits: Partial<ReadLimits>): Promise<ReadResult | null> {
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
    return await readReportAsync(bytes, input.stdin ? '标准输入' : input.name, limits);
  } catch (e) {
    if (e instanceof ReadError) {
      fail(e.message);
      return null;
    }
    throw e;
  }
}

const limitText = (maxBytes: number) =>
  `${(maxBytes / 1024 / 1024).toFixed(maxBytes < 1024 * 1024 ? 2 : 1)} MB`;

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

/**
 * A regular file, read through one descriptor: opened without blocking (a FIFO with no writer
 * must not hang the run), refused unless it is a regular file (devices, FIFOs, sockets), and
 * counted while read (a file that grows past the limit is cut off, not read to the end).
 */
function readFileBounded(name: string, maxBytes: number): Uint8Array {
  const fd = fs.openSync(name, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  try {
    const st = fs.fstatSync(fd);
    if (st.isDirectory()) throw new ReadError(name, '这是一个目录');
    if (!st.isFile()) throw new ReadError(name, `不是普通文件（${fileKind(st)}），未读取`);
    if (st.size > maxBytes) throw tooLarge(name, st.size, { maxBytes });
    let buf = Buffer.allocUnsafe(Math.max(st.size, 64 * 1024) + 1);
    let total = 0;
    for (;;) {
      if (total === buf.length) {
        const bigger = Buffer.allocUnsafe(Math.min(buf.length * 2, maxBytes + 1));
        buf.copy(bigger, 0, 0, total);
        buf = bigger;
      }
      const n = fs.readSync(fd, buf, total, buf.length - total, null);
      if (n === 0) break;
      total += n;
      if (total > maxBytes)
        throw new ReadError(name, `文件过大（超过上限 ${limitText(maxBytes)}），已停止读取`);
    }
    return buf.subarray(0, total);
  } finally {
    fs.closeSync(fd);
  }
}

function fileKind(st: fs.Stats): string {
  if (st.isFIFO()) return '命名管道';
  if (st.isCharacterDevice() || st.isBlockDevice()) return '设备文件';
  if (st.isSocket()) return '套接字';
  return '特殊文件';
}

/**
 * An exception nothing expected, while one file was read or checked, in Chinese. The run goes on
 * with the other files; NIANBAO_DEBUG=1 prints the stack as well.
 */
function unexpected(name: string, e: unknown): string {
  if (process.env.NIANBAO_DEBUG) process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  const msg = e instanceof Error ? e.message : '';
  const reason = /call stack/i.test(msg)
    ? '文件结构嵌套过深'
    : /Invalid (string|array|typed array) length|allocation failed|out of memory/i.test(msg)
      ? '文件内容过大，超出处理能力'
      : '程序内部错误';
  return `${name}：${reason}，未能完成检查（其余文件照常检查）`;
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
        RULES.map((r) => ({ id: r.id, title: r.title, severity: r.severity, description: r.description })),
        null,
        2,
      ) + '\n',
    );
    return;
  }
  const width = Math.max(...RULES.map((r) => r.id.length));
  const lines = RULES.map(
    (r) => `${r.id.padEnd(width)}  ${SEVERITY_LABEL[r.severity] ?? r.severity}  ${r.title}`,
  );
  process.stdout.write(`${lines.join('\n')}\n共 ${RULES.length} 条规则\n`);
}

async function runCheck(
  positionals: string[],
  values: { format?: string; config?: string; year?: string; fix?: boolean; 'max-size'?: string },
): Promise<void> {
  const format = parseFormat(values.format);
  const limits = parseLimits(values['max-size']);
  const year = parseYear(values.year);
  if (!positionals.length)
    throw new UsageError('请指定要检查的文件或目录（- 表示标准输入）；用法见 nianbao --help');
  if (values.fix && positionals.includes('-')) throw new UsageError('--fix 不能用于标准输入');

  let fixedConfig: Config | undefined;
  if (values.config !== undefined) {
    try {
      fixedConfig = readConfigFile(values.config);
    } catch (e) {
      throw new UsageError(e instanceof Error ? e.message : String(e));
    }
  }
  // Discovered configuration per config file path (null: none found; 'bad': reported already).
  const configCache = new Map<string, Config | 'bad'>();
  const configFor = (dir: string): Config | undefined | 'bad' => {
    if (fixedConfig) return fixedConfig;
    const file = findConfigFile(dir);
    if (!file) return undefined;
    let c = configCache.get(file);
    if (!c) {
      try {
        c = readConfigFile(file);
      } catch (e) {
        fail(e instanceof Error ? e.message : String(e));
        c = 'bad';
      }
      configCache.set(file, c);
    }
    return c;
  };

  const results: JsonResult[] = [];
  for (const input of expand(positionals)) {
    const config = configFor(input.abs ? path.dirname(input.abs) : process.cwd());
    if (config === 'bad') {
      note(`${input.name === STDIN_NAME ? '标准输入' : input.name}：因配置文件有误，未检查`);
      continue;
    }
    const name = input.stdin ? '标准输入' : input.name;
    try {
      const result = await checkInput(input, config, { year, fix: Boolean(values.fix) }, limits);
      if (result) results.push(result);
    } catch (e) {
      fail(unexpected(name, e));
    }
  }

  const out =
    format === 'json'
      ? formatJson(results)
      : format === 'sarif'
        ? formatSarif(results, version())
        : formatText(results, Boolean(process.stdout.isTTY) && !process.env.NO_COLOR);
  const hasError = results.some((r) => r.findings.some((f) => f.severity === 'error'));
  if (hasError && exitStatus === 0) exitStatus = 1;
  await writeOut(out);
}

/** One input read, fixed if asked and checked; null when it could not be read (reported already). */
async function checkInput(
  input: Input,
  config: Config | undefined,
  options: { year?: number; fix: boolean },
  limits: Partial<ReadLimits>,
): Promise<JsonResult | null> {
  const { year, fix } = options;
  const read = await readInput(input, limits);
  if (read === null) return null;
  let text = read.text;
  let where = read.where;
  if (fix && !input.stdin && read.format === 'text') {
    const fixed = fixAll(text, { year, config });
    if (fixed !== text) {
      try {
        fs.writeFileSync(input.name, fixed, 'utf8');
        note(`已修复 ${input.name}`);
        text = fixed;
      } catch (e) {
        fail(`${input.name}：无法写入修复结果（${describeIoError(e, 'write')}）`);
      }
    }
  }
  if (fix && !input.stdin && read.format === 'docx') {
    const r = fixWordFile(input.name, text, { year, config }, limits);
    if (r) {
      text = r.text;
      where = r.where;
    }
  }
  return toJSON(input.name, check(text, { year, config }), where);
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
 * `--fix` on a Word file: the fixes written into the .docx itself (rows inserted as table rows,
 * cells and paragraphs rewritten), in place. Returns the new text, or null if nothing changed.
 */
function fixWordFile(
  name: string,
  text: string,
  options: { year?: number; config?: Config },
  limits: Partial<ReadLimits>,
): { text: string; where: ReadResult['where'] } | null {
  try {
    const fixes = compatibleFixes(check(text, options).findings);
    if (!fixes.length) return null;
    const result = fixDocx(fs.readFileSync(name), fixes, { ...DEFAULT_LIMITS, ...limits });
    if (!result.applied) {
      note(`${name}：${result.skipped} 处修复无法写入 Word 文件，未修改`);
      return null;
    }
    fs.writeFileSync(name, result.bytes);
    note(
      `已修复 ${name}（${result.applied} 处${result.skipped ? `，另有 ${result.skipped} 处无法写入 Word 文件` : ''}）`,
    );
    const read = readReport(result.bytes, name, limits);
    return { text: read.text, where: read.where };
  } catch (e) {
    fail(`${name}：无法写入修复结果（${e instanceof ReadError ? e.message : describeIoError(e, 'write')}）`);
    return null;
  }
}

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      format: { type: 'string', short: 'f' },
      config: { type: 'string', short: 'c' },
      year: { type: 'string', short: 'y' },
      fix: { type: 'boolean' },
      'max-size': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'v' },
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  if (values.version) {
    process.stdout.write(`${version()}\n`);
    return;
  }
  const [command, ...rest] = positionals;
  if (command === undefined) {
    process.stdout.write(HELP);
    exitStatus = 2;
    return;
  }
  if (command === 'check') return runCheck(rest, values);
  if (command === 'rules') {
    if (rest.length) throw new UsageError(`rules 命令不接受参数：${rest.join(' ')}`);
    return runRules(parseFormat(values.format));
  }
  if (command === 'help') {
    process.stdout.write(HELP);
    return;
  }
  throw new UsageError(`未知的命令“${command}”；可用命令：check、rules（详见 nianbao --help）`);
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
