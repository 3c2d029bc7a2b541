// Applying fixes to text: edits in order, compatible fixes together, and fix-all to a fixed point.
import { type CheckOptions, check } from '../check.js';
import type { Edit, Finding, Fix } from '../model.js';

/** Applies non-overlapping edits (later ones that overlap an earlier one are skipped). */
export function applyEdits(text: string, edits: Edit[]): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  let out = '',
    pos = 0;
  for (const e of sorted) {
    if (e.start < pos) continue;
    out += text.slice(pos, e.start) + e.newText;
    pos = e.end;
  }
  return out + text.slice(pos);
}

/**
 * The fixes that can be applied together: whole fixes in text order, skipping any whose edits
 * overlap (or insert at the same point as) an earlier one — those wait for the next pass.
 */
export function compatibleFixes(findings: Finding[]): Fix[] {
  const chosen: Fix[] = [];
  let pos = -1;
  for (const f of findings
    .filter((x) => x.fix)
    .sort((a, b) => a.fix!.edits[0].start - b.fix!.edits[0].start)) {
    const es = [...f.fix!.edits].sort((a, b) => a.start - b.start);
    if (es[0].start < pos || (es[0].start === pos && es[0].end === pos && chosen.length > 0)) continue;
    chosen.push({ ...f.fix!, edits: es });
    pos = es[es.length - 1].end;
  }
  return chosen;
}

/** Applies every fix, re-checking until nothing more can be fixed (as ESLint's --fix does). */
export function fixAll(text: string, options: CheckOptions = {}, passes = 10): string {
  return fixText(text, options, passes).text;
}

/** fixAll, with the number of fixes applied. */
export function fixText(
  text: string,
  options: CheckOptions = {},
  passes = 10,
): { text: string; count: number } {
  let count = 0;
  for (let i = 0; i < passes; i++) {
    const fixes = compatibleFixes(check(text, options).findings);
    if (!fixes.length) break;
    const next = applyEdits(
      text,
      fixes.flatMap((f) => f.edits),
    );
    if (next === text) break;
    count += fixes.length;
    text = next;
  }
  return { text, count };
}
