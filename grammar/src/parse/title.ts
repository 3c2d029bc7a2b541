// The report's title (…2024年…政府信息公开…年度报告), its title-like lines and its year.
import type { Range, Report } from '../model.js';
import type { LineIndex } from '../text.js';

/** A report's title: …2024年…政府信息公开…年度报告. */
const TITLE_RE = /(\d{4})\s*年度?.{0,40}?(?:政府信息公开|政务公开).{0,12}?年度?报告/;

export function findTitle(norm: string, lines: LineIndex, before: number): Report['title'] {
  const re = TITLE_RE;
  for (let l = 0; l < lines.lineCount && lines.starts[l] < before && l < 60; l++) {
    const s = lines.starts[l];
    const e = Math.min(lines.lineEnd(l), before, s + 150);
    const line = norm.slice(s, e);
    if (lines.lineEnd(l) - s > 150 && l > 0) continue;
    let m = re.exec(line);
    // A Markdown heading's `#` marks are not part of the title.
    const lead = /^[\s\u3000]*(?:#{1,6}[\s\u3000]*)?/.exec(line)![0].length;
    let text = line
      .slice(lead)
      .trim()
      .replace(/^标题[:：]\s*/, '');
    let end = e;
    if (!m) {
      // A title wrapped by the page width (…工作年度 / 报告): the next short line completes it.
      const next = wrappedTitleTail(norm, lines, l, before);
      if (!next || !(m = re.exec(line.trim() + next.text))) continue;
      text += next.text;
      end = next.end;
    }
    const prev =
      l > 0
        ? norm
            .slice(lines.starts[l - 1], lines.lineEnd(l - 1))
            .trim()
            .replace(/^#{1,6}[\s\u3000]*/, '')
        : '';
    // A title over two lines: the body's name above, the year line below.
    if (/^\d/.test(text) && prev && prev.length <= 30 && !/[。，,:：]/.test(prev)) text = prev + text;
    return { text, year: +m[1], range: { start: s + lead, end } };
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
    !/\d{4}\s*年/.test(here) ||
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
    if (!m) continue;
    const at = line.indexOf(m[1]);
    out.push({ year: +m[1], range: { start: s + at, end: s + at + 4 } });
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
