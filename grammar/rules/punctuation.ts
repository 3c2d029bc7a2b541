import type { Edit, Range } from '../src/model.js';
import { authoredSource, type Rule, type RuleFinding } from '../src/rule.js';
import { overlaps, rewrittenRanges } from './shared/vocabulary.js';

const HAN = '\\u4e00-\\u9fff';
const FULL: Record<string, string> = { ',': '，', ':': '：', ';': '；', '?': '？', '!': '！' };
const NAME: Record<string, string> = { ',': '逗号', ':': '冒号', ';': '分号', '?': '问号', '!': '叹号' };

/** Half-width , : ; ? ! (each then checked against its neighbours: a regular expression with lookbehind is slow). */
const HALF_MARK = /[,:;?!]/g;
const isHanCode = (c: number) => c >= 0x4e00 && c <= 0x9fff;
/** A Han character or a closing Chinese mark: what may stand before a mark inside Chinese text. */
const beforeOk = (c: number) => isHanCode(c) || c === 0xff09 || c === 0x300b || c === 0x201d || c === 0x300d;
/** A Han character or an opening Chinese mark: what may follow it. */
const afterOk = (c: number) => isHanCode(c) || c === 0xff08 || c === 0x300a || c === 0x201c || c === 0x300c;

/**
 * The half-width mark at `at` between Chinese characters (a space after it goes too), or ? and ! after
 * a Han character at a line's end: the range to replace, or null.
 */
function halfMark(text: string, at: number): { start: number; end: number } | null {
  if (!beforeOk(text.charCodeAt(at - 1))) return null;
  const space = text.charCodeAt(at + 1) === 32 ? 1 : 0;
  if (afterOk(text.charCodeAt(at + 1 + space))) return { start: at, end: at + 1 + space };
  const mark = text[at];
  if ((mark === '?' || mark === '!') && isHanCode(text.charCodeAt(at - 1))) {
    let j = at + 1;
    while (text[j] === ' ' || text[j] === '\t') j++;
    if (j >= text.length || text[j] === '\n' || text[j] === '\r') return { start: at, end: at + 1 };
  }
  return null;
}
/** Brackets around Chinese words with at least one of them half-width: (一), （区分处理的), (含补正). */
const BRACKETS = new RegExp(`[（(]([^（）()\\n]{0,40}[${HAN}][^（）()\\n]{0,40})[）)]`, 'g');
/** Straight double quotes around Chinese words. */
const QUOTES = new RegExp(`"([^"\\n]{0,40}[${HAN}][^"\\n]{0,40})"`, 'g');
/** An end mark doubled, or a pause mark before a full stop. */
const DOUBLED = /([。，、；：])\1+|[，、；：]+。/g;
/** Full-width digits and Latin letters. */
const FULL_WIDTH = /[０-９Ａ-Ｚａ-ｚ]+/g;

/** Marks collected at most: a text of hundreds of thousands is answered (and fixed) in part. */
const MAX_MARKS = 5000;

const toHalf = (s: string) =>
  s.replace(/[０-９Ａ-Ｚａ-ｚ]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));

export default {
  id: 'punctuation',
  title: '标点和全半角',
  category: 'language',
  severity: 'info',
  description:
    '按《标点符号用法》（GB/T 15834）和公文格式（GB/T 9704）：中文之间的逗号、冒号、分号、问号、叹号、括号和引号用全角（“（一）”而不是“(一)”）；句末标点不重复、不与逗号顿号连用（“。。”“，。”）；数字和字母用半角（“2024”而不是“２０２４”）。只检查作者自己录入的文字（文本、Markdown 和 Word 文件）：PDF、网页和 .doc 文件提取出的文字，其空格和全半角来自转换，不检查。表格中的竖线、制表符，数字中的千位分隔符（1,234）、时间（10:30）、网址和英文不受影响。可自动修复。',
  docs: {
    examples: [
      { right: '3件，均在法定期限内', wrong: '3件,均在法定期限内' },
      { right: '（一）主动公开。', wrong: '(一)主动公开。' },
    ],
    fix: '自动修复：半角标点改为全角，重复的句末标点只留一个，全角数字和字母改为半角。只用于文本、Markdown 和 Word 文件；几乎全是半角标点的文本只报告一处，附一次改正全部的修复。',
  },
  check({ report, source }) {
    if (!authoredSource(source)) return [];
    const text = report.text;
    const out: RuleFinding[] = [];
    const skip = rewrittenRanges(report);
    const add = (range: Range, message: string, newText: string | Edit[], title: string) => {
      if (overlaps(skip, range.start, range.end)) return;
      const edits = typeof newText === 'string' ? [{ ...range, newText }] : newText;
      out.push({ message, range, fix: { title, edits } });
    };
    /** The edits that make a pair of marks full-width: only the marks, so fixes inside them stay apart. */
    const pair = (start: number, end: number, open: string, close: string): Edit[] =>
      [
        { start, end: start + 1, newText: open },
        { start: end - 1, end, newText: close },
      ].filter((e) => text.slice(e.start, e.end) !== e.newText);
    for (const m of text.matchAll(HALF_MARK)) {
      if (out.length >= MAX_MARKS) break;
      const mark = m[0];
      const range = halfMark(text, m.index);
      if (!range) continue;
      add(
        range,
        `中文之间用了半角${NAME[mark]}“${mark}”，应为全角“${FULL[mark]}”`,
        FULL[mark],
        `改为“${FULL[mark]}”`,
      );
    }
    for (const m of text.matchAll(BRACKETS)) {
      if (out.length >= MAX_MARKS) break;
      if (!m[0].includes('(') && !m[0].includes(')')) continue;
      // A Markdown link's target, or brackets inside an English or numeric run, are not Chinese text.
      const before = text[m.index - 1];
      if (before === ']' || /[A-Za-z0-9]/.test(before ?? '')) continue;
      const full = `（${m[1]}）`;
      add(
        { start: m.index, end: m.index + m[0].length },
        `中文括号用了半角“${m[0]}”，应为全角“${full}”`,
        pair(m.index, m.index + m[0].length, '（', '）'),
        `改为“${full}”`,
      );
    }
    for (const m of text.matchAll(QUOTES)) {
      if (out.length >= MAX_MARKS) break;
      add(
        { start: m.index, end: m.index + m[0].length },
        `中文引号用了直引号 ${m[0]}，应为“${m[1]}”`,
        pair(m.index, m.index + m[0].length, '“', '”'),
        `改为“${m[1]}”`,
      );
    }
    // Half-width marks throughout, hardly a full-width one: the text went through a converter that
    // narrowed every mark (NFKC). One finding says so, with one fix for all, instead of hundreds.
    const full = text.match(/[，：；？！（）“”]/g)?.length ?? 0;
    if (out.length > 3 && out.length > full) {
      const all = out.splice(0).sort((a, b) => a.range.start - b.range.start);
      out.push({
        message: `全文的中文标点几乎都是半角（${all.length >= MAX_MARKS ? '至少' : ''}${all.length}处半角，${full}处全角），可能是文字经过转换；中文之间应使用全角标点`,
        range: all[0].range,
        parts: all.map((f) => f.range),
        fix: { title: `把${all.length}处半角标点改为全角`, edits: all.flatMap((f) => f.fix?.edits ?? []) },
      });
    }
    for (const m of text.matchAll(DOUBLED)) {
      if (out.length >= MAX_MARKS) break;
      const end = m[0].endsWith('。') ? '。' : m[0][0];
      add(
        { start: m.index, end: m.index + m[0].length },
        `标点“${m[0]}”重复或连用，应为“${end}”`,
        end,
        `改为“${end}”`,
      );
    }
    const tables = [report.tables.t2, report.tables.t3, report.tables.t4].flatMap((t) =>
      t ? [t.region] : [],
    );
    for (const m of text.matchAll(FULL_WIDTH)) {
      if (out.length >= MAX_MARKS) break;
      const range = { start: m.index, end: m.index + m[0].length };
      // A table's cells are read either way; rewriting them could meet the arithmetic rules' fixes.
      if (overlaps(tables, range.start, range.end)) continue;
      const half = toHalf(m[0]);
      add(
        range,
        `“${m[0]}”用了全角${/\d/.test(half) ? '数字' : '字母'}，应为半角“${half}”`,
        half,
        `改为“${half}”`,
      );
    }
    return out.sort((a, b) => a.range.start - b.range.start);
  },
} satisfies Rule;
