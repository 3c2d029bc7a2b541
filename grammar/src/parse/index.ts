// parse: text → Report model. The steps, each in its own file:
//   sections.ts    one pass over the lines: headings (read by the grammar, grammar.ts) and footers;
//   title.ts       the title, its year and the reporting period before the first section;
//   labelled.ts    表二 and 表三: rows found by their labels (labels.ts: fuzzy label matching;
//                  label-reader.ts: labels and cells in reading order; line-cells.ts: separated
//                  lines; columns.ts: space-aligned columns; digit-runs.ts: digits run together);
//   table4.ts      表四: fifteen numbers in a row.
// The grammar (../../report.ohm) reads lines and cell runs; matching labels to the template's rows
// and numbers to columns is fuzzy, so it is hand-written TypeScript.
import type { Range, Report, Section } from '../model.js';
import { LineIndex, normalize } from '../text.js';
import { parseLabelledCached } from './labelled.js';
import { scanLayout } from './sections.js';
import { parseT4 } from './table4.js';
import { dominantYear, findTitle, titleLines } from './title.js';

export interface ParseOptions {
  year?: number;
}

export function parse(text: string, options: ParseOptions = {}): Report & { lines: LineIndex } {
  const norm = normalize(text);
  const lines = new LineIndex(text);
  const { sections, footers } = scanLayout(norm, lines);
  const sectionBody = sectionBodies(sections, text.length);
  const firstSection = sections.length ? sections[0].range.start : text.length;
  const title = findTitle(norm, lines, firstSection);
  const titles = titleLines(norm, lines, firstSection);
  const head = norm.slice(0, Math.min(sectionBody.S2?.start ?? firstSection + 3000, text.length));
  const period = findPeriod(head);
  const year = title?.year ?? period?.to ?? options.year ?? dominantYear(head);

  const clean = blankFooters(norm, footers);
  const r2 = sectionBody.S2,
    r3 = sectionBody.S3,
    r4 = sectionBody.S4;
  const t2 = r2 ? parseLabelledCached('t2', clean, text, lines, r2) : null;
  const t3 = r3 ? parseLabelledCached('t3', clean, text, lines, r3) : null;
  const t4 = r4 ? parseT4(clean, lines, r4) : null;
  return { text, norm, lines, title, titles, period, year, sections, sectionBody, tables: { t2, t3, t4 } };
}

/** Section bodies: from a heading to the next heading (the first occurrence of each section). */
function sectionBodies(sections: Section[], textEnd: number): Report['sectionBody'] {
  const sectionBody: Report['sectionBody'] = {};
  sections.forEach((sec, i) => {
    if (sectionBody[sec.id]) return;
    sectionBody[sec.id] = {
      start: sec.range.end,
      end: i + 1 < sections.length ? sections[i + 1].range.start : textEnd,
    };
  });
  return sectionBody;
}

/** 2024年1月1日至2024年12月31日. */
function findPeriod(head: string): Report['period'] {
  const pm = /(\d{4})\s*年\s*0?1\s*月\s*0?1\s*日[^\d]{0,8}?(\d{4})\s*年\s*12\s*月\s*31\s*日/.exec(head);
  return pm
    ? { from: +pm[1], to: +pm[2], range: { start: pm.index, end: pm.index + pm[0].length } }
    : undefined;
}

/** The text with the footers' lines blanked out (same length, so offsets stay valid). */
function blankFooters(norm: string, footers: Range[]): string {
  if (!footers.length) return norm;
  let out = '',
    p = 0;
  for (const f of footers.sort((a, b) => a.start - b.start)) {
    out += norm.slice(p, f.start) + ' '.repeat(f.end - f.start);
    p = f.end;
  }
  return out + norm.slice(p);
}
