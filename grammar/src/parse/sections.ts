// The report's sections: the line scan that finds headings and page footers, and which section a
// heading's title names (by its wording, or by its meaning when it stands in its place).
import { LRUCache } from 'lru-cache';
import type { Range, Section } from '../model.js';
import { SECTIONS, type SectionId, type SectionSpec } from '../template.js';
import { key, type LineIndex, normalize, prefixDistance } from '../text.js';
import { classifyLine, headingCandidates } from './grammar.js';

interface HeadingMatch {
  spec: SectionSpec;
  kind: Section['kind'];
  dist: number;
  len: number;
  used: number;
}
const headingCache = new LRUCache<string, HeadingMatch | 0>({ max: 5000 });

/** Classifies a heading title (text after the numbering) by its wording. */
function classifyTitle(title: string): HeadingMatch | null {
  const compact = title.replace(/[\s\u3000]/g, '').slice(0, 40);
  let r = headingCache.get(compact);
  if (r === undefined) {
    let best: HeadingMatch | null = null;
    for (const spec of SECTIONS) {
      const forms: Array<[string, Section['kind']]> = [
        [spec.title, 'standard'],
        ...spec.variants.map((v) => [v, 'variant'] as [string, Section['kind']]),
        ...spec.outdated.map((v) => [v, 'outdated'] as [string, Section['kind']]),
      ];
      for (const [form, kind] of forms) {
        const k = key(form);
        const { dist, end } = prefixDistance(k, key(compact));
        const tol = k.length <= 4 ? 0 : Math.max(1, Math.floor(k.length * 0.2));
        if (dist > tol) continue;
        const score = dist / k.length;
        if (
          !best ||
          score < best.dist / best.len ||
          (score === best.dist / best.len && k.length > best.len)
        ) {
          best = {
            spec,
            kind: dist > 0 && kind === 'standard' ? 'misspelled' : kind,
            dist,
            len: k.length,
            used: end,
          };
        }
      }
    }
    r = best ?? 0;
    headingCache.set(compact, r);
  }
  return r || null;
}

const STANDARD_NORM = Object.fromEntries(SECTIONS.map((s) => [s.id, normalize(s.standard)]));

/**
 * What each section's title is about, whatever its exact wording: a heading with the right numeral
 * in the right place whose title says this is that section (五、存在问题及整改情况).
 */
const MEANING: Record<SectionId, RegExp> = {
  S1: /总体|概况|基本情况/,
  S2: /主动公开/,
  S3: /申请/,
  S4: /复议|诉讼/,
  S5: /问题|不足|改进|整改/,
  S6: /其他|其它/,
};

function byMeaning(title: string, numeral: string, previous: SectionId | undefined): HeadingMatch | null {
  const spec = SECTIONS.find((x) => x.numeral === numeral);
  if (!spec) return null;
  // In its place only: after the section before it (a numbered list inside a section is not a heading).
  const before = SECTIONS[SECTIONS.indexOf(spec) - 1]?.id;
  if (previous !== before) return null;
  const head = title.replace(/[\s\u3000]/g, '').split(/[。；;]/)[0];
  if (!head || head.length > 30 || !MEANING[spec.id].test(head)) return null;
  return { spec, kind: 'variant', dist: head.length, len: head.length, used: head.length };
}

function recognizeHeading(
  line: string,
  numeral: string,
  titleStart: number,
  lineStart: number,
  wholeLine: boolean,
  previous?: SectionId,
): Section | null {
  const worded = classifyTitle(line.slice(titleStart));
  const m = worded ?? byMeaning(line.slice(titleStart), numeral, previous);
  if (!m) return null;
  let startCol = 0;
  while (/[\s\u3000#]/.test(line[startCol] ?? '')) startCol++;
  // Map the matched compact length back to the written title (spaces skipped).
  let endCol = titleStart,
    used = 0;
  while (endCol < line.length && used < m.used) {
    if (!/[\s\u3000]/.test(line[endCol])) used++;
    endCol++;
  }
  const rest = line.slice(endCol).trim();
  if (wholeLine && rest.length > 0 && rest.length <= 4 && !/[。，,]/.test(rest))
    endCol = line.trimEnd().length;
  const heading = line.slice(startCol, endCol).trim();
  const standard =
    m.kind === 'standard' &&
    numeral === m.spec.numeral &&
    heading.replace(/[\s\u3000]/g, '') === STANDARD_NORM[m.spec.id];
  return {
    id: m.spec.id,
    heading,
    range: { start: lineStart + startCol, end: lineStart + endCol },
    standard,
    kind:
      m.kind === 'standard' && !standard && numeral === m.spec.numeral && m.dist === 0 ? 'standard' : m.kind,
    numeral,
    // Recognised by meaning alone and followed by more text on its line: where it ends is a guess.
    ...(!worded && line.slice(endCol).trim() ? { endGuessed: true } : {}),
  };
}

const MD_RULE = /^\s*\|?\s*:?-{3,}:?\s*\|/;

/**
 * One pass over the lines: the sections' headings, and the lines that carry no text of the report
 * (page footers, a Markdown table's |---| line and the generic header line above it).
 */
export function scanLayout(norm: string, lines: LineIndex): { sections: Section[]; footers: Range[] } {
  const footers: Range[] = [];
  const sections: Section[] = [];
  const running = runningLines(norm, lines);
  for (let l = 0; l < lines.lineCount; l++) {
    const s = lines.starts[l],
      e = lines.lineEnd(l);
    const line = norm.slice(s, e);
    if (running.has(l)) {
      footers.push({ start: s, end: e });
      continue;
    }
    const k = classifyLine(line);
    // Long (flattened) lines and TAB lines (tables run together by Word converters) can hold a
    // heading after other text.
    if (line.length > 200 || (line.includes('\t') && k.kind !== 'heading')) {
      findHeadingsInLongLine(line, s, sections);
      continue;
    }
    if (k.kind === 'footer') footers.push({ start: s, end: e });
    else if (line.includes('---') && MD_RULE.test(line)) {
      footers.push({ start: s, end: e });
      if (l > 0 && /^\s*\|/.test(norm.slice(lines.starts[l - 1], lines.lineEnd(l - 1))))
        footers.push({ start: lines.starts[l - 1], end: lines.lineEnd(l - 1) });
    } else if (k.kind === 'heading') {
      const previous = sections[sections.length - 1]?.id;
      const sec = recognizeHeading(line, k.numeral, k.titleStart, s, true, previous);
      const wrapped =
        sec && !sec.standard ? wrappedHeading(norm, lines, l, k.numeral, k.titleStart, previous) : null;
      if (wrapped) {
        sections.push(wrapped);
        l++;
      } else if (sec) sections.push(sec);
    }
  }
  return { sections, footers };
}

const WHITE = /\s/;

/** Lines at each edge of a page (its first and last lines with text) where running headers and footers stand. */
const EDGE = 2;

/**
 * Running headers and footers of text copied from a printed PDF (pages separated by form feeds, as
 * pdftotext writes them): lines at the top or bottom edge of two or more pages that read the same
 * once digits are set aside (a browser's date and title, an address and 2/5, a word processor's
 * running header and page number). Decided by place and repetition, not by wording.
 */
function runningLines(norm: string, lines: LineIndex): Set<number> {
  const out = new Set<number>();
  if (!norm.includes('\f')) return out;
  const pages: number[][] = [[]];
  let ff = norm.indexOf('\f');
  for (let l = 0; l < lines.lineCount; l++) {
    const start = lines.starts[l],
      end = lines.lineEnd(l);
    while (ff !== -1 && ff < start) ff = norm.indexOf('\f', ff + 1);
    if (ff !== -1 && ff < end && pages[pages.length - 1].length) pages.push([]);
    let blank = true;
    for (let i = start; i < end && blank; i++) blank = WHITE.test(norm[i]);
    if (!blank) pages[pages.length - 1].push(l);
  }
  if (pages.length < 2) return out;
  const shapes = new Map<number, string>();
  const shape = (l: number) => {
    let k = shapes.get(l);
    if (k === undefined) {
      k = norm
        .slice(lines.starts[l], lines.lineEnd(l))
        .replace(/[\s\f\u3000]/g, '')
        .replace(/\d+/g, '#');
      shapes.set(l, k);
    }
    return k;
  };
  const seen = new Map<string, Set<number>>();
  // A line of digits alone counts only as a page's very first or last line (its page number): a
  // number wrapped onto a line of its own inside a table may stand near a page's edge too.
  const edges = pages.map((p) =>
    [...new Set([...p.slice(0, EDGE), ...p.slice(-EDGE)])].filter(
      (l) => l === p[0] || l === p[p.length - 1] || shape(l) !== '#',
    ),
  );
  edges.forEach((ls, i) => {
    for (const l of ls) {
      const k = shape(l);
      const set = seen.get(k) ?? new Set<number>();
      set.add(i);
      seen.set(k, set);
    }
  });
  for (const ls of edges) for (const l of ls) if ((seen.get(shape(l))?.size ?? 0) >= 2) out.add(l);
  return out;
}

/**
 * A heading whose last words wrapped onto the next line (四、因政府信息公开工作被申请行政复议、提起行政 /
 * 诉讼情况): the whole heading over both lines, when the next line completes its title.
 */
function wrappedHeading(
  norm: string,
  lines: LineIndex,
  l: number,
  numeral: string,
  titleStart: number,
  previous: SectionId | undefined,
): Section | null {
  if (l + 1 >= lines.lineCount) return null;
  const line = norm.slice(lines.starts[l], lines.lineEnd(l)).trimEnd();
  const next = norm.slice(lines.starts[l + 1], lines.lineEnd(l + 1));
  const tail = next.trim();
  if (!tail || tail.length > 6 || !/^[\u4e00-\u9fff]+$/.test(tail)) return null;
  const alone = classifyTitle(line.slice(titleStart));
  const joined = classifyTitle(line.slice(titleStart) + tail);
  if (!alone || !joined || joined.spec !== alone.spec || joined.dist >= alone.dist) return null;
  const sec = recognizeHeading(line + tail, numeral, titleStart, lines.starts[l], true, previous);
  if (!sec?.heading.endsWith(tail)) return null;
  const end = lines.starts[l + 1] + next.indexOf(tail) + tail.length;
  return { ...sec, range: { start: sec.range.start, end } };
}

/** Headings after other text in a long line: each place the grammar reads a heading from. */
function findHeadingsInLongLine(line: string, lineStart: number, out: Section[]) {
  for (const at of headingCandidates(line)) {
    const window = line.slice(at, at + 60);
    const k = classifyLine(window);
    if (k.kind !== 'heading') continue;
    const sec = recognizeHeading(
      window,
      k.numeral,
      k.titleStart,
      lineStart + at,
      false,
      out[out.length - 1]?.id,
    );
    if (sec) out.push(sec);
  }
}
