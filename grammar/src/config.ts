// Configuration (.nianbaorc.json) as every adapter resolves it: per-rule severity, and finding and
// reading the file (the file system is passed in, so the CLI and the language server share this).

import path from 'node:path';
import { RULES } from '../rules/index.js';
import { type Baseline, BaselineError, parseBaseline } from './baseline.js';
import { CROSS_YEAR_RULES } from './cross-year/rules.js';
import type { Severity } from './model.js';

export type RuleSetting = 'off' | Severity;
export interface Config {
  rules: Record<string, RuleSetting>;
  /** "off" turns the proofreading family (category language: 文字) off. */
  language?: 'off';
}

export class ConfigError extends Error {
  /** Where in the configuration text the problem is (UTF-16 offset), when known. */
  offset?: number;
  /** The rule id the problem is about, when it is about one. */
  ruleId?: string;
  constructor(message: string, offset?: number, ruleId?: string) {
    super(message);
    this.offset = offset;
    this.ruleId = ruleId;
  }
}

const SETTINGS = new Set(['off', 'info', 'warning', 'error']);

/** Validates a parsed configuration object; throws ConfigError with a Chinese message. */
export function parseConfig(raw: unknown, knownRules: Iterable<string>, source = '配置'): Config {
  const known = new Set(knownRules);
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    throw new ConfigError(`${source}：应为 JSON 对象`);
  const rules = (raw as { rules?: unknown }).rules ?? {};
  if (rules === null || typeof rules !== 'object' || Array.isArray(rules))
    throw new ConfigError(`${source}：“rules”应为对象`);
  const out: Config = { rules: {} };
  const language = (raw as { language?: unknown }).language;
  if (language !== undefined && language !== 'off' && language !== 'on')
    throw new ConfigError(
      `${source}：“language”（文字校对）应为 "off" 或 "on"，而不是 ${JSON.stringify(language)}`,
    );
  if (language === 'off') out.language = 'off';
  for (const [id, v] of Object.entries(rules as Record<string, unknown>)) {
    if (!known.has(id)) throw new ConfigError(`${source}：未知的规则“${id}”`, undefined, id);
    if (typeof v !== 'string' || !SETTINGS.has(v))
      throw new ConfigError(
        `${source}：规则“${id}”的级别应为 off、info、warning 或 error，而不是 ${JSON.stringify(v)}`,
        undefined,
        id,
      );
    out.rules[id] = v as RuleSetting;
  }
  return out;
}

/** The severity a finding gets: the configured one, else the rule's own. */
export function resolveSeverity(config: Config | undefined, ruleId: string, own: Severity): Severity | 'off' {
  return config?.rules[ruleId] ?? own;
}

/** A config object read from a file, checked against the rule ids this build knows. */
export function loadConfig(raw: unknown, source?: string): Config {
  return parseConfig(
    raw,
    [...RULES, ...CROSS_YEAR_RULES].map((r) => r.id),
    source,
  );
}

/** The configuration file's name, looked for next to a checked file and in its ancestors. */
export const CONFIG_FILE_NAME = '.nianbaorc.json';

/** The file-system calls configuration lookup needs (node:fs fits; tests and editors may pass their own). */
export interface ConfigFileSystem {
  statSync(path: string): { isFile(): boolean };
  readFileSync(path: string, encoding: 'utf8'): string;
}

/** The nearest .nianbaorc.json (or another file `name`) in startDir or one of its ancestors, or null. */
export function findConfigFile(
  startDir: string,
  fs: ConfigFileSystem,
  name = CONFIG_FILE_NAME,
): string | null {
  let dir = path.resolve(startDir);
  for (;;) {
    const candidate = path.join(dir, name);
    try {
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
    const parent = path.dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

/** Reads, parses and validates a configuration file; throws ConfigError (Chinese message naming the file). */
export function readConfigFile(file: string, fs: ConfigFileSystem): Config {
  let raw: string;
  try {
    raw = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError(`${file}：无法读取配置文件（${describeIoError(e)}）`);
  }
  return parseConfigText(raw, file);
}

/** Reads and validates a baseline file of accepted findings; throws BaselineError (Chinese, naming the file). */
export function readBaselineFile(file: string, fs: ConfigFileSystem): Baseline {
  let raw: string;
  try {
    raw = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new BaselineError(`${file}：无法读取已核实问题清单（${describeIoError(e)}）`);
  }
  return parseBaseline(raw, file);
}

/**
 * Parses and validates the text of a configuration file. The ConfigError's `offset` points at the
 * problem in `text` (the JSON syntax error, the unknown rule, the bad severity) when it can be found.
 */
export function parseConfigText(text: string, source: string): Config {
  const bom = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const raw = text.slice(bom);
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (e) {
    const at = /position (\d+)/.exec(e instanceof Error ? e.message : '')?.[1];
    throw new ConfigError(
      `${source}：配置文件不是有效的 JSON${at ? `（第 ${+at + 1} 个字符附近有误）` : ''}`,
      at ? +at + bom : raw.trimEnd().length + bom,
    );
  }
  try {
    return loadConfig(parsed, source);
  } catch (e) {
    if (e instanceof ConfigError && e.ruleId !== undefined) {
      const key = raw.indexOf(JSON.stringify(e.ruleId));
      if (key >= 0) e.offset = key + bom;
    } else if (e instanceof ConfigError) e.offset = Math.max(0, raw.search(/\S/)) + bom;
    throw e;
  }
}

/** A file-system error in Chinese; `mode` says whether reading or writing failed. */
export function describeIoError(e: unknown, mode: 'read' | 'write' = 'read'): string {
  const code = (e as { code?: string } | null)?.code;
  switch (code) {
    case 'ENOENT':
      return '文件不存在';
    case 'EACCES':
    case 'EPERM':
      return mode === 'write' ? '没有写入权限' : '没有读取权限';
    case 'EROFS':
      return '文件所在的文件系统是只读的';
    case 'EISDIR':
      return '这是一个目录';
    case 'ENOTDIR':
      return '路径中有一级不是目录';
    case 'ELOOP':
      return '符号链接循环';
    case 'ENAMETOOLONG':
      return '文件名过长';
    case 'ENXIO':
    case 'ENODEV':
      return '不是普通文件（设备或套接字）';
    case 'EMFILE':
    case 'ENFILE':
      return '打开的文件过多';
    case 'ENOSPC':
      return '磁盘空间不足';
    case 'EDQUOT':
      return '超出磁盘配额';
    case 'EFBIG':
      return '文件过大';
    case 'EBUSY':
    case 'ETXTBSY':
      return '文件正被占用';
    case 'EIO':
      return '输入输出错误';
    case 'EAGAIN':
      return '暂时无法读取';
    default:
      return code ? `系统错误 ${code}` : '未知错误';
  }
}
