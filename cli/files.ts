// The command line's file handling, shared by `check` and `review`: finding report files under
// folders, reading one within the size limit, wording an unexpected failure for one file, and the
// package's version.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isReportFile, ReadError, tooLarge } from '../grammar/src/index.js';
import { describeIoError } from './config.js';

export const limitText = (maxBytes: number) =>
  `${(maxBytes / 1024 / 1024).toFixed(maxBytes < 1024 * 1024 ? 2 : 1)} MB`;

/**
 * The report files under a folder, depth first (hidden entries and node_modules skipped, directory
 * links not followed); an unreadable folder is reported through `problem` and skipped.
 */
export function walk(dir: string, out: string[], problem: (message: string) => void): void {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    problem(`${dir}：无法读取目录（${describeIoError(e)}）`);
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
    if (isDir) walk(p, out, problem);
    else if (isFile && isReportFile(e.name) && !isOwnSummary(p)) out.push(p);
  }
}

/** The mark in the head of a summary page `nianbao review` writes. */
export const SUMMARY_MARK = '<meta name="generator" content="nianbao review">';

/**
 * A summary page of an earlier review left in the folder (a web page, so it has a report's
 * extension): not a report, so a folder's walk passes it by.
 */
function isOwnSummary(p: string): boolean {
  if (!/\.html?$/i.test(p)) return false;
  let fd: number | undefined;
  try {
    fd = fs.openSync(p, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
    const head = Buffer.alloc(512);
    const n = fs.readSync(fd, head, 0, head.length, 0);
    return head.subarray(0, n).toString('utf8').includes(SUMMARY_MARK);
  } catch {
    return false;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/**
 * A regular file, read through one descriptor: opened without blocking (a FIFO with no writer
 * must not hang the run), refused unless it is a regular file (devices, FIFOs, sockets), and
 * counted while read (a file that grows past the limit is cut off, not read to the end).
 */
export function readFileBounded(name: string, maxBytes: number): Uint8Array {
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
export function unexpected(name: string, e: unknown): string {
  if (process.env.NIANBAO_DEBUG) process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  const msg = e instanceof Error ? e.message : '';
  const reason = /call stack/i.test(msg)
    ? '文件结构嵌套过深'
    : /Invalid (string|array|typed array) length|allocation failed|out of memory/i.test(msg)
      ? '文件内容过大，超出处理能力'
      : '程序内部错误';
  return `${name}：${reason}，未能完成检查（其余文件照常检查）`;
}

/** The package's folder and package.json (dist/cli/… or cli/…: one or two levels up); null if not found. */
function packageFile(): { dir: string; version?: string } | null {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === 'nianbao') return { dir, version: pkg.version };
    } catch {
      // keep looking
    }
    dir = path.dirname(dir);
  }
  return null;
}

/** The package's version, from its package.json. */
export function packageVersion(): string {
  return packageFile()?.version ?? '0.0.0';
}

/** The folder the package is installed in (where docs/ is), or null. */
export function packageRoot(): string | null {
  return packageFile()?.dir ?? null;
}
