import type { Range, Report } from '../src/model.js';
import type { Rule, RuleFinding } from '../src/rule.js';
import { cellName, T3_COL, T3_ROW, T4_BLOCK, T4_COL, t4Cell } from '../src/template.js';
import { correctedValue } from './shared/arithmetic.js';
import { nothingHappened } from './shared/nothing-happened.js';

const WS = /[\s\u3000]/;
/** The prose of a section with whitespace removed (PDF text wraps mid-phrase); offsets back on demand. */
function compact(report: Report, from: number, to: number): { s: string; offsetOf: (i: number) => number } {
  const raw = report.norm.slice(from, to);
  const s = raw.replace(/[\s\u3000]+/g, '');
  let offs: number[] | null = null;
  const offsetOf = (i: number) => {
    if (!offs) {
      offs = [];
      for (let k = 0; k < raw.length; k++) if (!WS.test(raw[k])) offs.push(from + k);
    }
    return offs[Math.min(i, offs.length - 1)];
  };
  return { s, offsetOf };
}

/**
 * Statements that no 行政复议/行政诉讼 happened, in 一、总体情况 and in 四, with their ranges in the
 * text. Lines of separated table cells are not prose; whitespace and line ends are dropped (PDF
 * text wraps mid-phrase).
 */
function nothingClaims(
  report: Report,
): Array<{ text: string; review: boolean; suit: boolean; range: Range }> {
  const out: Array<{ text: string; review: boolean; suit: boolean; range: Range }> = [];
  for (const id of ['S1', 'S4'] as const) {
    const body = report.sectionBody[id];
    if (!body) continue;
    const raw = report.norm.slice(body.start, Math.min(body.end, body.start + 20000));
    // The section's prose lines with whitespace removed, and where each line starts in both.
    let s = '';
    const segs: Array<{ at: number; from: number; line: string }> = [];
    let at = 0;
    for (const line of raw.split('\n')) {
      const from = body.start + at;
      at += line.length + 1;
      // A table line is no prose: one clause break stands for it.
      const table = /[\t|]/.test(line);
      const compacted = table ? '。' : line.replace(/\s+/g, '');
      if (!compacted) continue;
      segs.push({ at: s.length, from, line: table ? '' : line });
      s += compacted;
    }
    /** The text offset of the i-th character of `s` (only for the few claims found). */
    const offsetOf = (i: number): number => {
      let g = segs.length - 1;
      while (g > 0 && segs[g].at > i) g--;
      const { at: base, from, line } = segs[g];
      let n = i - base;
      for (let k = 0; k < line.length; k++) if (!WS.test(line[k]) && n-- === 0) return from + k;
      return from;
    };
    for (const c of nothingHappened(s))
      out.push({
        text: c.text,
        review: c.review,
        suit: c.suit,
        range: { start: offsetOf(c.start), end: offsetOf(c.end - 1) + 1 },
      });
  }
  return out;
}

export default {
  id: 'narrative-mismatch',
  title: '正文与表格不符',
  category: 'prose',
  severity: 'warning',
  description:
    '正文中的数字应与表格一致，例如“收到政府信息公开申请N件”应等于表三“一、本年新收政府信息公开申请数量”的总计（说明含上年结转的除外），“未发生行政复议、行政诉讼”时表四应全为0。',
  docs: {
    examples: [{ right: '收到政府信息公开申请3件', wrong: '收到政府信息公开申请5件' }],
    fix: '不自动修复：请核对正文中的数字和表格，改正填错的一方。',
  },
  check({ report }) {
    const body = report.sectionBody.S1;
    const t3 = report.tables.t3?.values;
    const t4 = report.tables.t4?.values;
    if (!body) return [];
    const { s, offsetOf } = compact(report, body.start, Math.min(body.end, body.start + 20000));
    const out: RuleFinding[] = [];
    const at = (m: RegExpExecArray) => ({
      start: offsetOf(m.index),
      end: offsetOf(m.index + m[0].length - 1) + 1,
    });
    const { NEW_REQUESTS, CARRIED_IN, CARRIED_OUT } = T3_ROW;
    const newCell = cellName('t3', NEW_REQUESTS, T3_COL.TOTAL);
    const written = t3?.[NEW_REQUESTS]?.[T3_COL.TOTAL];
    // When the table's own arithmetic says its total is wrong, the prose is compared with the
    // value the arithmetic implies (the arithmetic finding names the wrong cell already).
    const implied = correctedValue(report, `t3[${NEW_REQUESTS}][${T3_COL.TOTAL}]`);
    const newTotal = implied ?? written;
    const carried = t3?.[CARRIED_IN]?.[T3_COL.TOTAL];
    if (newTotal != null) {
      for (const m of s.matchAll(
        /(?:收到|受理|新收|接收)[^。；，,\d]{0,12}?申请(?:数量|数)?(?:共计?|合计|为|是|:)?(\d+)件/g,
      )) {
        const n = +m[1];
        if (n === newTotal || (carried != null && n === newTotal + carried)) continue;
        // The prose may count last year's carried-over applications in; with that cell blank or
        // unreadable the sum is unknown, so a larger count is not compared.
        if (carried == null && n > newTotal) continue;
        const said =
          implied != null ? `${newCell}为${written}，按表内合计应为${implied}` : `${newCell}为${newTotal}`;
        out.push({ message: `正文称“${m[0]}”，但${said}`, range: at(m as RegExpExecArray) });
      }
      if (newTotal > 0) {
        for (const m of s.matchAll(/未(?:收到|接到|受理)[^。；]{0,16}?申请/g)) {
          // 未收到行政复议申请 is about 表四, not about applications for information.
          if (/复议|诉讼|起诉/.test(m[0])) continue;
          out.push({
            message: `正文称“${m[0]}”，但${newCell}为${newTotal}`,
            range: at(m as RegExpExecArray),
          });
        }
      }
    }
    const next = t3?.[CARRIED_OUT]?.[T3_COL.TOTAL];
    if (next != null) {
      for (const m of s.matchAll(/结转(?:到|至)?下(?:一)?年(?:度)?(?:继续办理)?(\d+)件/g)) {
        if (+m[1] !== next)
          out.push({
            message: `正文称“${m[0]}”，但${cellName('t3', CARRIED_OUT, T3_COL.TOTAL)}为${next}`,
            range: at(m as RegExpExecArray),
          });
      }
    }
    if (t4?.every((v) => v != null)) {
      // A block whose total disagrees with its parts (t4-total names it) has two readings, and which is
      // right is a guess: the prose contradicts the block only when both readings are above 0.
      const least = (block: number) => {
        const total = t4[t4Cell(block, T4_COL.TOTAL)]!;
        let parts = 0;
        for (const c of [T4_COL.UPHELD, T4_COL.CORRECTED, T4_COL.OTHER, T4_COL.PENDING])
          parts += t4[t4Cell(block, c)]!;
        return Math.min(total, parts);
      };
      const written = (block: number) => t4[t4Cell(block, T4_COL.TOTAL)]!;
      const review = written(T4_BLOCK.REVIEW),
        suits = written(T4_BLOCK.SUIT_DIRECT) + written(T4_BLOCK.SUIT_AFTER_REVIEW);
      const anyReview = least(T4_BLOCK.REVIEW) > 0,
        anySuit = least(T4_BLOCK.SUIT_DIRECT) + least(T4_BLOCK.SUIT_AFTER_REVIEW) > 0;
      for (const claim of nothingClaims(report)) {
        if ((claim.review && anyReview) || (claim.suit && anySuit))
          out.push({
            message: `正文称“${claim.text}”，但表四“行政复议”总计为${review}，行政诉讼（“未经复议直接起诉”与“复议后起诉”）总计为${suits}`,
            range: claim.range,
          });
      }
    }
    return out;
  },
} satisfies Rule;
