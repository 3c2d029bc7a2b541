import type { PairRule } from '../src/cross-year/rule.js';
import type { Range, Report } from '../src/model.js';
import { numberingOf } from '../src/parse/grammar.js';
import type { RuleFinding } from '../src/rule.js';

/** A passage shorter than this (in Chinese characters) is not worth a finding. */
const MIN_HAN = 40;

export default {
  id: 'prose-copied',
  title: '正文照搬上年报告',
  category: 'prose',
  severity: 'info',
  description:
    '本年报告正文中有一段较长的文字（40个汉字以上，连续相同的句子合并为一段）与同一机关上年报告的文字完全相同（空白不计），可能照搬了上年的内容，请确认是否反映了本年度的情况。这段文字仍把上一年当作本年度（如2024年报告中的“2023年，我局……”）时为警告。需要同一机关上一年度的报告。',
  docs: {
    examples: [
      {
        report: 'previous',
        note: '本年报告“五、存在的主要问题及改进情况”为“一是部分栏目更新不够及时；二是政策解读形式较为单一。下一步将建立更新台账，增加图解和短视频解读。”，示例是上年报告的同一部分。',
        right: '一是部分栏目更新不够及时。下一步将建立更新台账。',
        wrong:
          '一是部分栏目更新不够及时；二是政策解读形式较为单一。下一步将建立更新台账，增加图解和短视频解读。',
      },
    ],
    fix: '不自动修复：请按本年度的情况改写这段文字。',
  },
  checkPair({ current, previous, year }) {
    const last = keysOf(previous.report);
    if (!last.size) return [];
    const text = current.report.text;
    const lastYear = year != null ? year - 1 : null;
    // Last year named as the year being reported on (2023年，… / 2023年度我局… / 截至2023年底), not as a
    // date in the past that stays true (自2023年起, 2023年3月).
    const names =
      lastYear != null
        ? new RegExp(
            `(?<![自从于])${lastYear}年(?:度|[，,、：:]|我|本|全|共|累计|以来|底|末|内|上半年|下半年)`,
          )
        : null;
    const out: RuleFinding[] = [];
    let run: { range: Range; han: number; keys: string[] } | null = null;
    const close = () => {
      if (run && run.han >= MIN_HAN) {
        const stale = names !== null && run.keys.some((k) => names.test(k));
        out.push({
          message: stale
            ? `这段文字（${run.han}字）与上年报告完全相同，仍把${lastYear}年当作本年度（本报告为${year}年度报告）`
            : `这段文字（${run.han}字）与上年报告完全相同，请确认是否照搬了上年的内容`,
          range: run.range,
          ...(stale ? { severity: 'warning' as const } : {}),
        });
      }
      run = null;
    };
    for (const s of sentences(current.report)) {
      if (!last.has(s.key)) {
        close();
        continue;
      }
      if (run && onlyGap(text, run.range.end, s.range.start)) {
        run.range.end = s.range.end;
        run.han += s.han;
        run.keys.push(s.key);
      } else {
        close();
        run = { range: { ...s.range }, han: s.han, keys: [s.key] };
      }
    }
    close();
    return out;
  },
} satisfies PairRule;

interface Sentence {
  range: Range;
  /** The sentence without whitespace (NFKC). */
  key: string;
  /** Chinese characters in it. */
  han: number;
}

const memo = new WeakMap<Report, Sentence[]>();
const keyMemo = new WeakMap<Report, Set<string>>();

/** The report's sentences as keys (last year's report is compared with every version typed). */
function keysOf(report: Report): Set<string> {
  let keys = keyMemo.get(report);
  if (!keys) {
    keys = new Set(sentences(report).map((s) => s.key));
    keyMemo.set(report, keys);
  }
  return keys;
}

/** The sentences of the report's prose: the six sections' bodies without their tables, in order. */
function sentences(report: Report): Sentence[] {
  let out = memo.get(report);
  if (out) return out;
  out = [];
  const cuts = Object.values(report.tables)
    .filter((t) => t !== null)
    .map((t) => t.region)
    .sort((a, b) => a.start - b.start);
  const bodies = Object.values(report.sectionBody)
    .filter((r): r is Range => r !== undefined)
    .sort((a, b) => a.start - b.start);
  for (const body of bodies) {
    let from = body.start;
    for (const cut of cuts) {
      if (cut.end <= from || cut.start >= body.end) continue;
      split(report.norm, from, Math.min(cut.start, body.end), out);
      from = Math.max(from, cut.end);
    }
    if (from < body.end) split(report.norm, from, body.end, out);
  }
  memo.set(report, out);
  return out;
}

function countHan(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x4e00 && c <= 0x9fff) n++;
  }
  return n;
}
/**
 * A sub-item heading such as (二)依申请公开。 (the grammar's bracketed item numbering and a short
 * title): the template's words, never a copied passage of its own.
 */
function isSubHeading(text: string): boolean {
  const t = text.trim().normalize('NFKC');
  const n = numberingOf(t);
  return n?.form === 'bracketed' && t.length - n.text.length <= 21 && !/[。！？!?]./.test(t);
}

/** Only white space and sub-item headings separate two sentences: they belong to one passage. */
function onlyGap(text: string, from: number, to: number): boolean {
  if (to - from > 200) return false;
  return text
    .slice(from, to)
    .split(/(?=[(（])/)
    .every((piece) => !piece.trim() || isSubHeading(piece));
}

/** Sentences of norm[from, to): ended by 。！？ or a line break. */
function split(norm: string, from: number, to: number, out: Sentence[]): void {
  let start = from;
  for (let i = from; i <= to; i++) {
    const c = i < to ? norm.charCodeAt(i) : 10;
    const stop = c === 0x3002 || c === 0xff01 || c === 0xff1f || c === 33 || c === 63; // 。！？!?
    if (!stop && c !== 10 && c !== 13) continue;
    let end = i;
    if (stop) {
      while (end + 1 < to && isStop(norm.charCodeAt(end + 1))) end++;
      end++;
    }
    sentence(norm, start, end, out);
    i = end - (stop ? 1 : 0);
    start = i + 1;
  }
}

const isStop = (c: number) => c === 0x3002 || c === 0xff01 || c === 0xff1f || c === 33 || c === 63;

/** norm[start, end) as a sentence, unless it is no prose (blank, a sub-item heading, a table row). */
function sentence(norm: string, start: number, end: number, out: Sentence[]): void {
  while (start < end && isSpace(norm.charCodeAt(start))) start++;
  while (end > start && isSpace(norm.charCodeAt(end - 1))) end--;
  if (start === end) return;
  const body = norm.slice(start, end);
  const han = countHan(body);
  // Sub-item headings are the template's words; a line with cell separators is a table row
  // outside the tables read (a header, a broken table), not prose.
  if (!han || body.includes('|') || body.includes('\t')) return;
  const first = body.charCodeAt(0);
  if ((first === 0xff08 || first === 40) && isSubHeading(body)) return;
  out.push({
    range: { start, end },
    key: han === body.length ? body : body.replace(/[\s\u3000]+/g, ''),
    han,
  });
}

const isSpace = (c: number) => c === 32 || c === 9 || c === 0x3000 || c === 10 || c === 13 || c === 0xa0;
