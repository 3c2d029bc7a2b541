import { issuingBody } from '../src/cross-year/body.js';
import type { Range, Report } from '../src/model.js';
import { yearNumber } from '../src/parse/title.js';
import type { Rule, RuleFinding } from '../src/rule.js';
import { chineseValue } from '../src/text.js';

/** A date in digits or Chinese numerals: 2025年1月20日, 二〇二五年一月二十日. */
const DATE =
  '(\\d{4}|[〇○零一二三四五六七八九]{4})\\s*年\\s*(\\d{1,2}|[一二三四五六七八九十]{1,3})\\s*月\\s*(\\d{1,2}|[一二三四五六七八九十]{1,3})\\s*日';
/**
 * The 成文日期: the report's last date, under the signature — nothing after it but a page number,
 * and before it a line break, a space or the body's name (…局2025年1月5日 on a page flattened to one line).
 */
const SIGNED = new RegExp(
  `(?:^|[\\s\\u3000]|(?<=[局府委会室厅署心院]))${DATE}[\\s\\u3000]*(?:[-—－]\\s*\\d{1,3}\\s*[-—－][\\s\\u3000]*)?$`,
);
/** A publication date the body states: 本报告于2025年1月20日（在本局网站）公布. */
const STATED = new RegExp(`报告[^。\\n]{0,12}?于${DATE}[^。\\n]{0,16}?(?:公布|发布|公开)`, 'g');

const num = (s: string): number | null => (/^\d+$/.test(s) ? +s : chineseValue(s));

interface Dated {
  y: number;
  m: number;
  d: number;
  range: Range;
  what: string;
}

function dateOf(m: RegExpExecArray | RegExpMatchArray, offset: number, what: string): Dated | null {
  const y = yearNumber(m[1]);
  const mo = num(m[2]);
  const d = num(m[3]);
  if (!mo || !d || mo > 12 || d > 31) return null;
  const at = offset + (m.index ?? 0) + m[0].indexOf(m[1]);
  const end = at + m[0].slice(m[0].indexOf(m[1])).search(/日/) + 1;
  return { y, m: mo, d, range: { start: at, end }, what };
}

/**
 * The deadline for the report of `year`: 31 January of the next year for a department (县级以上人民政府
 * 部门), 31 March for a government's own report (第四十九条). A body the title does not name as a
 * department gets the later one.
 */
function deadline(report: Report): { m: number; d: number; who: string } {
  const body = issuingBody(report) ?? '';
  const department =
    /(?:局|厅|办公室|办公厅|委员会|中心|署|委)$/.test(body) && !/管理委员会$|人民政府$/.test(body);
  return department
    ? { m: 1, d: 31, who: '县级以上人民政府部门' }
    : { m: 3, d: 31, who: '县级以上地方人民政府的政府信息公开工作主管部门' };
}

export default {
  id: 'date-late',
  title: '成文日期不合期限',
  category: 'language',
  severity: 'warning',
  description:
    '《中华人民共和国政府信息公开条例》第四十九条：县级以上人民政府部门应当在每年1月31日前提交并公布上一年度的政府信息公开工作年度报告；县级以上地方人民政府的本级年度报告在每年3月31日前公布。落款的成文日期（或正文所述的公布日期）晚于期限，或早于报告年度结束（数据尚未统计完整，常见于沿用上一年报告的落款），应核对。年份用汉字书写的日期（二〇二五年一月十五日）同样检查；不是部门的报告按3月31日计。',
  docs: {
    examples: [
      {
        right: '本年度未收取信息处理费。',
        wrong: '本年度未收取信息处理费。\n青禾县农业农村局\n2025年2月20日',
        note: '部门的2024年度报告应在2025年1月31日前公布；落款为2025年2月20日，晚于期限。落款在期限内（如2025年1月20日）则不报告。',
      },
    ],
    fix: '不自动修复：日期是否写错、报告是否确实逾期，由填报人核实后改正落款或说明情况。',
  },
  check({ report }) {
    const year = report.year;
    if (year == null) return [];
    const text = report.norm;
    const dates: Dated[] = [];
    const s6 = report.sectionBody.S6;
    const tailFrom = Math.max(s6?.start ?? 0, text.length - 300);
    const tail = text.slice(tailFrom);
    const signed = SIGNED.exec(tail);
    if (signed) {
      const d = dateOf(signed, tailFrom, '成文日期');
      if (d) dates.push(d);
    }
    for (const m of text.matchAll(STATED)) {
      const d = dateOf(m, 0, '所述公布日期');
      if (d) dates.push(d);
    }
    const out: RuleFinding[] = [];
    const limit = deadline(report);
    for (const d of dates) {
      // A year far from the report's is a misreading, not a date to judge.
      if (d.y < year - 1 || d.y > year + 3) continue;
      const written = `${d.y}年${d.m}月${d.d}日`;
      const late =
        d.y > year + 1 || (d.y === year + 1 && (d.m > limit.m || (d.m === limit.m && d.d > limit.d)));
      const early = d.y < year || (d.y === year && (d.m < 12 || d.d < 31));
      if (late)
        out.push({
          message: `${d.what}${written}晚于法定期限：${year}年度报告应在${year + 1}年${limit.m}月${limit.d}日前公布（《政府信息公开条例》第四十九条，${limit.who}）`,
          range: d.range,
        });
      else if (early)
        out.push({
          message: `${d.what}${written}早于${year}年度结束，报告不可能在统计期限结束前完成；请核对是否沿用了上一年的落款`,
          range: d.range,
        });
    }
    return out;
  },
} satisfies Rule;
