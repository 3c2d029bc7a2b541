// Across years and units: each body's history over every year present (its key figures per year,
// the change between neighbouring years, the cross-year findings of each pair) and a ranking of
// the units a reviewer can sort (errors, warnings, how complete the tables were). Drawn from the
// same summary model as the page, the workbook and the CSV, so every output shows the same numbers.
import { canonicalBody, sameBody } from '../../grammar/src/index.js';
import {
  FIGURES,
  type Figures,
  type Review,
  type ReviewPair,
  type ReviewRow,
  type Status,
  wasChecked,
} from './summary.js';

/** One year of a body: the report used for it (of several of one year, the one compared). */
export interface HistoryYear {
  year: number;
  file: string;
  status: Status;
  counts: ReviewRow['counts'];
  figures: Figures;
  /** Other reports of the body for the same year (duplicates), by file. */
  others: string[];
}

/** Two neighbouring years of a body: compared (the pair), or why not. */
export interface HistoryStep {
  from: number;
  to: number;
  pair?: ReviewPair;
  /** Why the two years were not compared (Chinese), when they were not. */
  why?: string;
}

export interface BodyHistory {
  body: string;
  years: HistoryYear[];
  /** Each pair of neighbouring years present, in order; a gap of a year or more is not a step. */
  steps: HistoryStep[];
  /** Years missing between the first and the last present (no report of the body for them). */
  gaps: number[];
}

/** The reports that can take part in a history: read, with a body and a year. */
const placed = (r: ReviewRow): r is ReviewRow & { body: string; year: number } =>
  wasChecked(r) && r.body !== null && r.year !== null;

/**
 * Groups rows by body (sameBody: one body however its name is written), in first-seen order: each
 * row joins the first group whose name matches. Names sameBody matches end one with the other
 * (canonicalBody), so only the groups whose name is a suffix of the row's, or has it as a suffix,
 * are tried — thousands of bodies are grouped without comparing each with each.
 */
function byBody<T extends { body: string }>(items: T[]): Array<{ body: string; items: T[] }> {
  const groups: Array<{ body: string; items: T[] }> = [];
  /** Groups by their canonical name, and by every suffix of it. */
  const named = new Map<string, number[]>();
  const ending = new Map<string, number[]>();
  const add = (map: Map<string, number[]>, key: string, g: number) => {
    const at = map.get(key);
    if (at) at.push(g);
    else map.set(key, [g]);
  };
  for (const it of items) {
    const name = canonicalBody(it.body);
    const tried = [...(ending.get(name) ?? [])];
    for (let i = 0; i < name.length; i++) tried.push(...(named.get(name.slice(i)) ?? []));
    const g = tried.sort((a, b) => a - b).find((k) => sameBody(groups[k].body, it.body));
    if (g !== undefined) {
      groups[g].items.push(it);
      continue;
    }
    const k = groups.push({ body: it.body, items: [it] }) - 1;
    add(named, name, k);
    for (let i = 0; i < name.length; i++) add(ending, name.slice(i), k);
  }
  return groups;
}

/**
 * Each body's history over the years present. Of several reports of one body and year, the one the
 * cross-year pass used is the year's (the review's duplicates say which), else the first.
 */
export function histories(review: Review): BodyHistory[] {
  const used = new Set(review.notes?.duplicates.map((d) => d.used) ?? []);
  const unpaired = new Map(review.notes?.unpaired.map((u) => [u.file, u.reason]) ?? []);
  return byBody(review.rows.filter(placed))
    .map(({ body, items }) => {
      const years = [...new Set(items.map((r) => r.year))].sort((a, b) => a - b);
      const rows = years.map((year): HistoryYear => {
        const of = items.filter((r) => r.year === year);
        const row = of.find((r) => used.has(r.file)) ?? of[0];
        return {
          year,
          file: row.file,
          status: row.status,
          counts: row.counts,
          figures: row.figures,
          others: of.filter((r) => r !== row).map((r) => r.file),
        };
      });
      const steps: HistoryStep[] = [];
      for (let i = 1; i < rows.length; i++) {
        const prev = rows[i - 1];
        const cur = rows[i];
        if (cur.year !== prev.year + 1) continue;
        const pair = review.pairs.find((p) => p.current === cur.file && p.previous === prev.file);
        steps.push(
          pair
            ? { from: prev.year, to: cur.year, pair }
            : {
                from: prev.year,
                to: cur.year,
                why: unpaired.get(cur.file) ?? unpaired.get(prev.file) ?? '两年的报告未能对照',
              },
        );
      }
      const gaps: number[] = [];
      for (let y = years[0]; y <= years[years.length - 1]; y++) if (!years.includes(y)) gaps.push(y);
      return { body, years: rows, steps, gaps };
    })
    .sort((a, b) => a.body.localeCompare(b.body, 'zh-Hans-CN'));
}

/** A unit (body) in the ranking: its reports' problems and how complete their tables were read. */
export interface UnitRank {
  body: string;
  /** Its reports, the unreadable ones included, and the years they cover. */
  reports: number;
  years: number[];
  errors: number;
  warnings: number;
  infos: number;
  /** Reports that could not be read. */
  unreadable: number;
  /** Of its readable reports' key figures, the share that could be read (0–1); null with none readable. */
  completeness: number | null;
}

/**
 * The units ranked worst first: most errors, then most warnings, then least complete, then by name.
 * Reports without a body (no title found) are left out: they cannot be told apart as units.
 */
export function ranking(review: Review): UnitRank[] {
  const withBody = review.rows.filter((r): r is ReviewRow & { body: string } => r.body !== null);
  return byBody(withBody)
    .map(({ body, items }): UnitRank => {
      const read = items.filter(wasChecked);
      const known = read.reduce((n, r) => n + FIGURES.filter((f) => r.figures[f.key] !== null).length, 0);
      return {
        body,
        reports: items.length,
        years: [...new Set(items.flatMap((r) => (r.year === null ? [] : [r.year])))].sort((a, b) => a - b),
        errors: items.reduce((n, r) => n + r.counts.error, 0),
        warnings: items.reduce((n, r) => n + r.counts.warning, 0),
        infos: items.reduce((n, r) => n + r.counts.info, 0),
        unreadable: items.filter((r) => r.status === 'unreadable').length,
        completeness: read.length ? known / (read.length * FIGURES.length) : null,
      };
    })
    .sort(
      (a, b) =>
        b.errors - a.errors ||
        b.warnings - a.warnings ||
        (a.completeness ?? -1) - (b.completeness ?? -1) ||
        a.body.localeCompare(b.body, 'zh-Hans-CN'),
    );
}

/** The signed change between two figures ("+12", "−3", "0"); "—" when either is unknown. */
export function signedChange(previous: number | null, current: number | null): string {
  if (previous === null || current === null) return '—';
  const d = current - previous;
  return d > 0 ? `+${d}` : d < 0 ? `−${-d}` : '0';
}
