// What the page does with the files it is given, without the page itself: each file read and
// checked as `nianbao check` does (the same core, the same JSON), the Word file's exact fixes as
// `nianbao check --fix` writes them, and several files reviewed as `nianbao review` does (rows,
// cross-year pairs). Nothing leaves the browser.
import { pairOf, type Review, type ReviewRow, rowOf, unreadableRow } from '../cli/review/summary.js';
import { type CheckResult, check } from '../grammar/src/check.js';
import { crossYearFindings, issuingBody, pairReports } from '../grammar/src/cross-year/index.js';
import { type FileFix, fixFile } from '../grammar/src/fix/fix-file.js';
import { type JsonResult, toJSON } from '../grammar/src/json.js';
import type { Range } from '../grammar/src/model.js';
import { readArchive } from '../grammar/src/read/archive.js';
import { extensionOf, ReadError, readReportAsync } from '../grammar/src/read/index.js';

export interface BadCells {
  t2: Set<number>;
  /** `row,column` of 表三. */
  t3: Set<string>;
  t4: Set<number>;
}

export type Outcome =
  | {
      ok: true;
      name: string;
      bytes: Uint8Array;
      format: string;
      result: CheckResult;
      json: JsonResult;
      where: (line: number) => string | undefined;
      bad: BadCells;
    }
  | { ok: false; name: string; reason: string };

const overlaps = (a: Range, b: Range) => a.start < b.end && b.start < a.end;

/** The cells an error or a warning points into. */
function badCells(result: CheckResult): BadCells {
  const bad: BadCells = { t2: new Set(), t3: new Set(), t4: new Set() };
  const ranges = result.findings.filter((f) => f.severity !== 'info').map((f) => f.range);
  const hit = (r: Range) => ranges.some((f) => overlaps(f, r) || (f.start === f.end && f.start === r.start));
  const t = result.report.tables;
  for (const row of t.t2?.rows ?? [])
    row?.cells.forEach((c, i) => {
      if (hit(c.range)) bad.t2.add(row.spec.offset + i);
    });
  for (const row of t.t3?.rows ?? [])
    row?.cells.forEach((c, i) => {
      if (hit(c.range)) bad.t3.add(`${row.spec.index},${i}`);
    });
  t.t4?.t4?.cells?.forEach((c, i) => {
    if (hit(c.range)) bad.t4.add(i);
  });
  return bad;
}

const UNSUPPORTED = (ext: string) =>
  ext === ''
    ? '无法识别文件类型（文件名没有扩展名）'
    : `不支持的文件类型 ${ext}，请选择 .docx、.pdf、.doc、.wps、.html、.txt、.md 或 .zip 文件`;

/** One report file read and checked, or why it cannot be. */
export async function checkOne(name: string, bytes: Uint8Array): Promise<Outcome> {
  try {
    const read = await readReportAsync(bytes, name);
    const result = check(read.text, { source: read.format });
    return {
      ok: true,
      name,
      bytes,
      format: read.format,
      result,
      json: toJSON(name, result, read.where),
      where: read.where,
      bad: badCells(result),
    };
  } catch (e) {
    if (e instanceof ReadError) {
      if (/不支持的文件类型/.test(e.reason))
        return { ok: false, name, reason: UNSUPPORTED(extensionOf(name)) };
      return { ok: false, name, reason: e.reason };
    }
    return { ok: false, name, reason: '文件无法读取（可能已损坏）' };
  }
}

/** The certain fixes of a checked .docx, written into the file as `nianbao check --fix` writes them. */
export function fixedDocx(outcome: Outcome & { ok: true }): FileFix {
  return fixFile({ bytes: outcome.bytes, text: outcome.result.report.text, format: 'docx' });
}

export interface Given {
  name: string;
  bytes: Uint8Array;
}

/** The report files among what was given: a .zip gives its reports; its refusal is an outcome too. */
export function expand(files: Given[]): { files: Given[]; refused: Outcome[]; skipped: string[] } {
  const out: Given[] = [];
  const refused: Outcome[] = [];
  const skipped: string[] = [];
  for (const f of files) {
    if (extensionOf(f.name) !== '.zip') {
      out.push(f);
      continue;
    }
    try {
      const { files: inner, skipped: other } = readArchive(f.bytes, f.name);
      for (const g of inner) out.push({ name: `${f.name}/${g.name}`, bytes: g.bytes });
      skipped.push(...other.map((s) => `${f.name}/${s}`));
      if (!inner.length) refused.push({ ok: false, name: f.name, reason: '压缩包中没有可检查的报告文件' });
    } catch (e) {
      refused.push({
        ok: false,
        name: f.name,
        reason: e instanceof ReadError ? e.reason : '不是有效的 zip 压缩包',
      });
    }
  }
  return { files: out, refused, skipped };
}

/**
 * Several reports as `nianbao review` sums them up: a row each, and each report paired with the
 * same body's report of the year before, the cross-year findings added to this year's.
 */
export function reviewOf(outcomes: Outcome[]): Review {
  const ok = outcomes.filter((o): o is Outcome & { ok: true } => o.ok);
  const pairs = pairReports(ok.map((o) => ({ id: o.name, report: o.result.report })));
  const byName = new Map(ok.map((o) => [o.name, o]));
  const extra = new Map<string, JsonResult['findings']>();
  for (const p of pairs) {
    const cur = byName.get(p.current)!;
    const prev = byName.get(p.previous)!;
    const found = crossYearFindings(cur.result, prev.result);
    extra.set(cur.name, toJSON(cur.name, { ...cur.result, findings: found }, cur.where).findings);
  }
  for (const [name, findings] of extra) {
    const o = byName.get(name)!;
    o.json = {
      ...o.json,
      findings: [...o.json.findings, ...findings].sort(
        (a, b) =>
          a.line - b.line || a.column - b.column || a.endLine - b.endLine || a.endColumn - b.endColumn,
      ),
    };
  }
  const rows: ReviewRow[] = outcomes.map((o) =>
    o.ok ? rowOf(o.json, issuingBody(o.result.report)) : unreadableRow(o.name, o.reason),
  );
  const rowOfFile = new Map(rows.map((r) => [r.file, r]));
  return {
    rows,
    pairs: pairs.map((p) =>
      pairOf(rowOfFile.get(p.current)!, rowOfFile.get(p.previous)!, extra.get(p.current) ?? []),
    ),
  };
}
