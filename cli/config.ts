// Finding and reading .nianbaorc.json — shared by the command line and the language server.
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, loadConfig, type Config } from '../grammar/src/index.js';

export const CONFIG_FILE_NAME = '.nianbaorc.json';

/** The nearest .nianbaorc.json in startDir or one of its ancestors, or null. */
export function findConfigFile(startDir: string): string | null {
  let dir = path.resolve(startDir);
  for (;;) {
    const candidate = path.join(dir, CONFIG_FILE_NAME);
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
export function readConfigFile(file: string): Config {
  let raw: string;
  try {
    raw = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError(`${file}：无法读取配置文件（${describeIoError(e)}）`);
  }
  if (raw.charCodeAt(0) === 0xfeff) raw = raw.slice(1);
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (e) {
    throw new ConfigError(`${file}：配置文件不是有效的 JSON（${e instanceof Error ? e.message : String(e)}）`);
  }
  return loadConfig(parsed, file);
}

export function describeIoError(e: unknown): string {
  const code = (e as { code?: string } | null)?.code;
  switch (code) {
    case 'ENOENT': return '文件不存在';
    case 'EACCES': case 'EPERM': return '没有读取权限';
    case 'EISDIR': return '这是一个目录';
    default: return code ?? (e instanceof Error ? e.message : String(e));
  }
}
