// What a value miswritten in a cell looks like: a letter for a look-alike digit (O for 0, l for
// 1), a number in Chinese numerals, a number with its unit, or a short word (若干). Shape alone
// never makes a token a cell: the label reader also asks where it stands (after the row's label,
// among the row's numbers, with the row's count of cells around it).

import { T2_COLUMNS, T3_COLUMNS } from '../template.js';
import { key } from '../text.js';
import { CANDIDATES } from './labels.js';

/** Units a drafter writes after a count or an amount (the header already says them). */
const UNIT = '(?:[件个条次项人份]|万?元)';
/** A unit alone, written apart from its number (3 件). */
export const UNIT_ONLY = new RegExp(`^${UNIT}$`);

/**
 * The shape of a whole token or cell that stands for a number but is not one, or null:
 * `strict` when it can only be a miswritten number (1O, l, 十四, 6件, 1.5万元), `word` for a short
 * word (若干) that is a value only where the row's count of cells says so.
 */
export function valueShape(text: string): 'strict' | 'word' | null {
  const t = text.normalize('NFKC').trim();
  if (!t) return null;
  if (/^(?=.*[OoIl])[\dOoIl]{1,7}$/.test(t)) return 'strict';
  if (new RegExp(`^\\d+(?:\\.\\d+)?[ \\u3000]*${UNIT}$`).test(t) || UNIT_ONLY.test(t)) return 'strict';
  if (/^[零〇一二三四五六七八九十百千万亿两]{1,12}[件个条次项]?$/.test(t)) return 'strict';
  if (/^[\u3400-\u9fff]{1,4}$/.test(t) && !isTemplateLabel(t)) return 'word';
  return null;
}

const TEMPLATE_WORDS = new Set([
  ...[...T2_COLUMNS, ...T3_COLUMNS].map(key),
  ...(['t2', 't3'] as const).flatMap((id) => CANDIDATES[id].flatMap((c) => [c.key, c.bare])),
]);

/**
 * Whether a text is a whole row or group label of 表二 or 表三 (行政许可, 其他), with or without its
 * numbering, or a column header (自然人, 总计): a template word, never a value.
 */
export function isTemplateLabel(text: string): boolean {
  return TEMPLATE_WORDS.has(key(text));
}
