// Finding and reading .nianbaorc.json — shared by the command line and the language server.
import fs from 'node:fs';
import path from 'node:path';
import { type Config, ConfigError, loadConfig } from '../grammar/src/index.js';

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
    const at = /position (\d+)/.exec(e instanceof Error ? e.message : '')?.[1];
    throw new ConfigError(`${file}：配置文件不是有效的 JSON${at ? `（第 ${+at + 1} 个字符附近有误）` : ''}`);
  }
  return loadConfig(parsed, file);
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
