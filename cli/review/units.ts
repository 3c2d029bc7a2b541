// A reviewer's list of the bodies expected to report (`--units 名单.csv`): one body a line, its
// name and optional aliases, separated by commas or TABs; UTF-8 (with or without BOM) or GB18030.
import { sameBody } from '../../grammar/src/index.js';

export interface Unit {
  /** The name as the list writes it: what the summaries show. */
  name: string;
  /** Other names the body's reports use (简称, a former name). */
  aliases: string[];
}

/** A list that cannot be used; the message is Chinese. */
export class UnitListError extends Error {}

/** Most bodies a list may name. */
const MAX_UNITS = 20_000;

/** The text of the list's bytes: UTF-8 when it decodes as such, else GB18030. */
function decode(bytes: Uint8Array): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)
    return new TextDecoder().decode(bytes.subarray(3));
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('gb18030').decode(bytes);
  }
}

/** A name with its spaces, quotes and brackets' spacing removed, ready to compare. */
const clean = (s: string) =>
  s
    .normalize('NFKC')
    .replace(/^["'“”‘’]+|["'“”‘’]+$/g, '')
    .replace(/[\s\u3000]+/g, '');

/** The body's name for matching: punctuation removed, as titles' bodies are. */
export const unitKey = (s: string) => clean(s).replace(/[\p{P}\p{S}]/gu, '');

/** Reads the list; throws UnitListError (Chinese) when it names no body or is not text. */
export function readUnitList(bytes: Uint8Array, file: string): Unit[] {
  if (bytes.includes(0))
    throw new UnitListError(`名单文件“${file}”不是文本文件（应为每行一个机关名称的 CSV 或文本）`);
  const lines = decode(bytes)
    .split(/\r\n|\r|\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  const units: Unit[] = [];
  lines.forEach((line, i) => {
    const cells = line
      .split(/[,\t，]/)
      .flatMap((c) => c.split(/[、；;|]/))
      .map(clean)
      .filter(Boolean);
    if (!cells.length) return;
    // A header line: 机关名称,别名 …
    if (i === 0 && cells.every((c) => /名称|机关|单位|别名|简称|序号/.test(c) && c.length <= 8)) return;
    // A leading number column (1, 2, 3 …).
    if (/^\d+$/.test(cells[0])) cells.shift();
    if (!cells.length) return;
    if (!/[\u4e00-\u9fff]{2,}/u.test(cells[0]))
      throw new UnitListError(`名单文件“${file}”第${i + 1}行“${line.slice(0, 40)}”不是机关名称`);
    units.push({ name: cells[0], aliases: cells.slice(1) });
  });
  if (!units.length)
    throw new UnitListError(`名单文件“${file}”中没有机关名称（每行一个机关，可附别名，用逗号或制表符分隔）`);
  if (units.length > MAX_UNITS)
    throw new UnitListError(`名单文件“${file}”中的机关过多（${units.length} 个，上限 ${MAX_UNITS}）`);
  return units;
}

/** The list's name for a body read from a title: the same name or an alias, else null. */
export function matchUnit(body: string, units: Unit[]): string | null {
  const key = unitKey(body);
  // The exact name or alias first, then one that means the same body (with or without the place in front).
  for (const u of units) if ([u.name, ...u.aliases].some((n) => unitKey(n) === key)) return u.name;
  const near = units.filter((u) => [u.name, ...u.aliases].some((n) => sameBody(unitKey(n), key)));
  return near.length === 1 ? near[0].name : null;
}
