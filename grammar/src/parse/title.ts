// The report's title (…2024年…政府信息公开…年度报告), its title-like lines and its year.
import type { Range, Report } from '../model.js';
import { CN_DIGIT, type LineIndex } from '../text.js';

/** A year as written in a title: 2024, or in Chinese numerals (二〇二四). */
const YEAR = '(\\d{4}|[〇○零一二三四五六七八九]{4})';
/** A report's title: …2024年…政府信息公开…年度报告. */
const TITLE_RE = new RegExp(`${YEAR}\\s*年度?.{0,40}?(?:政府信息公开|政务公开).{0,12}?年度?报告`);

/** The number of a year written in digits or Chinese numerals. */
export function yearNumber(y: string): number {
  return /^\d+$/.test(y) ? +y : +[...y].map((c) => CN_DIGIT[c] ?? 0).join('');
}

/**
 * A line that is a sentence of the report, not its title: it has a clause (根据…, …编制, 现予公布),
 * a comma or a full stop, or it is long.
 */
export function isSentence(line: string): boolean {
  const s = line.trim();
  return (
    s.length > 70 ||
    /[。；;！？!?，,]/.test(s) ||
    /^(?:根据|依据|按照|遵照|依照|为了|本报告|本年度|现将|现予|特此)/.test(s) ||
    // 编制 as a verb (本报告依据…编制), not the 机构编制委员会 of a body's name; 《条例》 cited.
    /《|(?<!机构)编制(?!委员会|办公室|办)|现予|予以公布|公布如下|报告如下/.test(s)
  );
}

/** A line of the page around a title that is not part of it: 正文, 标题：, a breadcrumb, 来源/发布时间/字号. */
function titlePart(line: string): string {
  return (
    line
      .replace(/^[\s\u3000]*(?:#{1,6}[\s\u3000]*)?/, '')
      // A breadcrumb: 首页 > 政务公开 > …; the title is its last step.
      .replace(/^.*[>＞»›]\s*/, '')
      .replace(/^(?:正文|标题|题目|文章标题|名称)\s*[:：]?\s*/, '')
      // Metadata set on the title's line: 来源：…  发布时间：…
      .replace(
        /[\s\u3000]+(?:来源|发布时间|发布日期|发文日期|时间|日期|字号|作者|浏览次数|点击数|访问量)\s*[:：].*$/,
        '',
      )
      .trim()
  );
}

/** A short line that is the title (or the whole of a wrapped title): a body, a year, …年度报告, no sentence. */
export function titleMatch(line: string): RegExpExecArray | null {
  const part = titlePart(line);
  if (!part || isSentence(part)) return null;
  return TITLE_RE.exec(part);
}

/** A line that names only the body above a title line that starts with the year (XX局 / 2024年…报告). */
const BODY_LINE = /^[\u4e00-\u9fff（）()·]{2,30}$/u;
const NOT_BODY = /首页|位置|来源|发布|时间|日期|字号|正文|标题|打印|关闭|浏览|分享|收藏|索引|文号|分类|主题/;

export function findTitle(norm: string, lines: LineIndex, before: number): Report['title'] {
  for (let l = 0; l < lines.lineCount && lines.starts[l] < before && l < 60; l++) {
    const s = lines.starts[l];
    let e = Math.min(lines.lineEnd(l), before);
    let raw = norm.slice(s, e);
    if (e - s > 150 || (l === 0 && isSentence(titlePart(raw)))) {
      // A text without line breaks: the title is what it starts with.
      const head = l === 0 ? TITLE_RE.exec(raw.slice(0, 150)) : null;
      if (!head) continue;
      raw = raw.slice(0, head.index + head[0].length);
      e = s + raw.length;
    }
    let text = titlePart(raw);
    if (!text || isSentence(text)) continue;
    let m = TITLE_RE.exec(text);
    let end = e;
    if (!m) {
      // A title wrapped by the page width (…工作年度 / 报告): the next short line completes it.
      const next = wrappedTitleTail(norm, lines, l, before);
      if (!next || !(m = TITLE_RE.exec(text + next.text))) continue;
      text += next.text;
      end = next.end;
    }
    let start = s + Math.max(0, raw.indexOf(text.slice(0, 4)));
    const prev = l > 0 ? titlePart(norm.slice(lines.starts[l - 1], lines.lineEnd(l - 1))) : '';
    // A title over two lines: the body's name above, the year line below (no body of its own).
    if (
      /^(?:\d{4}|[〇○零一二三四五六七八九]{4})\s*年度?\s*(?:政府信息公开|政务公开)/.test(text) &&
      BODY_LINE.test(prev) &&
      !NOT_BODY.test(prev)
    ) {
      text = prev + text;
      start = lines.starts[l - 1] + norm.slice(lines.starts[l - 1], lines.lineEnd(l - 1)).indexOf(prev);
    }
    // Spaces between the title's characters are layout (a PDF's gap, a justified line), not words.
    text = text.replace(/(?<=[\u4e00-\u9fff\d])[ \u3000]+(?=[\u4e00-\u9fff\d])/gu, '');
    return { text, year: yearNumber(m[1]), range: { start, end } };
  }
  return undefined;
}

/** The next line when it is the short rest of a title line that wrapped (`报告`, `年度报告`). */
function wrappedTitleTail(
  norm: string,
  lines: LineIndex,
  l: number,
  before: number,
): { text: string; end: number } | null {
  if (l + 1 >= lines.lineCount || lines.starts[l + 1] >= before) return null;
  const here = norm.slice(lines.starts[l], lines.lineEnd(l)).trim();
  const next = norm.slice(lines.starts[l + 1], lines.lineEnd(l + 1)).trim();
  if (
    !here ||
    here.length > 60 ||
    !new RegExp(`${YEAR}\\s*年`).test(here) ||
    !next ||
    next.length > 12 ||
    /[。，,:：]/.test(next)
  )
    return null;
  return { text: next, end: lines.lineEnd(l + 1) };
}

/** Every title-like line before the first section (a title is often repeated, or set over two lines). */
export function titleLines(
  norm: string,
  lines: LineIndex,
  before: number,
): Array<{ year: number; range: Range }> {
  const out: Array<{ year: number; range: Range }> = [];
  const re = TITLE_RE;
  for (let l = 0; l < lines.lineCount && lines.starts[l] < before && l < 60; l++) {
    const s = lines.starts[l],
      e = Math.min(lines.lineEnd(l), before);
    if (e - s > 150) continue;
    const line = norm.slice(s, e);
    const m =
      re.exec(line) ?? re.exec(line.trim() + (wrappedTitleTail(norm, lines, l, before)?.text ?? '\u0000'));
    // A sentence naming a report (现将本局2023年度…报告予以公布) is not a title line.
    if (!m || isSentence(titlePart(m.input.slice(0, m.index + m[0].length)))) continue;
    const at = line.indexOf(m[1]);
    out.push({ year: yearNumber(m[1]), range: { start: s + at, end: s + at + 4 } });
  }
  return out;
}

export function dominantYear(text: string): number | null {
  const counts = new Map<number, number>();
  for (const m of text.matchAll(/(20\d\d)\s*年/g)) counts.set(+m[1], (counts.get(+m[1]) ?? 0) + 1);
  let best: number | null = null,
    n = 0;
  for (const [y, c] of counts)
    if (c > n || (c === n && best !== null && y > best)) {
      best = y;
      n = c;
    }
  return best;
}
