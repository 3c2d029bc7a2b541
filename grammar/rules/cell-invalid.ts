import type { Fix } from '../src/model.js';
import type { Rule, RuleFinding } from '../src/rule.js';
import { chineseValue } from '../src/text.js';
import { oddCells } from './shared/odd-cells.js';

/** A number as written, if the cell holds one at all (negative, decimal, full-width digits). */
const NUMBER = /^[-−－]?\d+(?:\.\d+)?$/;
/** Digits with letters that look like digits (1O, l2, O). */
const LOOKALIKE = /^(?=.*[OoIl])[\dOoIl]+$/;
/** A number followed by its unit (6件, 3 件, 1.5万元). */
const WITH_UNIT = /^(\d+(?:\.\d+)?)[ \u3000]*(?:[件个条次项人份]|万?元)$/;

/** Why the written value is not a number, and the number it most likely stands for (a guess). */
function explain(raw: string): { why: string; guess?: string } {
  if (NUMBER.test(raw)) return { why: '不是有效的数（应为非负整数）' };
  if (LOOKALIKE.test(raw)) {
    const letters = [...new Set(raw.replace(/\d/g, ''))].map((c) => `“${c}”`).join('');
    return {
      why: `不是数字：其中的字母${letters}不是数字`,
      guess: raw.replace(/[Oo]/g, '0').replace(/[Il]/g, '1'),
    };
  }
  const unit = WITH_UNIT.exec(raw);
  if (unit) return { why: '不是数字：请只填数字，不带单位', guess: unit[1] };
  const cn = chineseValue(raw.replace(/[件个条次项]$/, ''));
  if (cn !== null) return { why: '不是数字：请用阿拉伯数字填写', guess: String(cn) };
  return { why: '不是数字' };
}

export default {
  id: 'cell-invalid',
  title: '单元格不是有效数字',
  category: 'tables',
  severity: 'error',
  description:
    '统计表中的数都应是非负整数（表二“行政事业性收费”以万元计，可有小数）。汉字数字、带单位的数（如“一”“6件”）、负数、字母（如把0写成O）、计数中的小数都是填写错误。千位分隔符（1,483）可以用。',
  docs: {
    examples: [{ right: '行政许可\t14', wrong: '行政许可\t14件' }],
    fix: '不自动修复。能看出本意的（如“6件”“一”）提供改为阿拉伯数字的建议，由填报人确认。',
  },
  check({ report }) {
    const out: RuleFinding[] = [];
    for (const { cell, name } of oddCells(report)) {
      if (cell.status !== 'invalid') continue;
      const raw = cell.raw.normalize('NFKC').trim();
      const { why, guess } = explain(raw);
      const suggestions: Fix[] | undefined = guess
        ? [{ title: `改为“${guess}”`, edits: [{ ...cell.range, newText: guess }] }]
        : undefined;
      out.push({
        message: `${name}为“${cell.raw}”，${why}`,
        range: cell.range,
        ...(suggestions ? { suggestions } : {}),
      });
    }
    return out;
  },
} satisfies Rule;
