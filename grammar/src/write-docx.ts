// Fixes written back into the Word file they came from. A fix is a set of edits on the text the
// reader extracted; each edit is mapped to the XML its line came from: a change inside one table
// cell rewrites that cell, whole TAB lines inserted between table rows become new rows cloned from
// a neighbouring row of the same shape (so borders, widths and vertical merges carry on), and a
// change inside a plain paragraph rewrites the paragraph. A fix any of whose edits cannot be mapped
// is left out whole; the caller learns how many were applied.
import { zipSync } from 'fflate';
import { XMLSerializer, type Element } from '@xmldom/xmldom';
import type { Fix } from './model.js';
import { children, continuesAbove, openDocx, W, type DocxLimits, type LineSource } from './read-docx.js';

export interface DocxFixResult { bytes: Uint8Array; applied: number; skipped: number }

type Op =
  | { kind: 'cell'; tc: Element; text: string }
  | { kind: 'para'; p: Element; text: string }
  | { kind: 'rows'; after: Element | null; before: Element | null; template: Element; rows: string[][] };

/**
 * Applies `fixes` (made on `readReport`'s text of this same file, non-overlapping, e.g. from
 * `compatibleFixes`) to the .docx and returns the new file.
 */
export function fixDocx(bytes: Uint8Array, fixes: Fix[], limits: DocxLimits): DocxFixResult {
  const parts = openDocx(bytes, limits, true);
  const starts = [0];
  for (let i = 0; i < parts.text.length; i++) if (parts.text.charCodeAt(i) === 10) starts.push(i + 1);
  const ops: Op[] = [];
  let applied = 0, skipped = 0;
  for (const fix of fixes) {
    const planned = fix.edits.map((e) => plan(parts.text, starts, parts.sources, e.start, e.end, e.newText));
    if (planned.some((p) => p === null)) { skipped++; continue; }
    ops.push(...(planned as Op[]));
    applied++;
  }
  for (const op of ops) execute(op);
  const xml = new XMLSerializer().serializeToString(parts.doc);
  const files: Record<string, Uint8Array> = { ...parts.files, 'word/document.xml': new TextEncoder().encode(xml) };
  return { bytes: applied ? zipSync(files, { level: 6 }) : bytes, applied, skipped };
}

function lineOf(starts: number[], offset: number): number {
  let lo = 0, hi = starts.length - 1;
  while (lo < hi) { const mid = (lo + hi + 1) >> 1; if (starts[mid] <= offset) lo = mid; else hi = mid - 1; }
  return lo;
}

function plan(text: string, starts: number[], sources: LineSource[], start: number, end: number, newText: string): Op | null {
  const line = lineOf(starts, start);
  const lineStart = starts[line];
  const lineEnd = (starts[line + 1] ?? text.length + 1) - 1;
  // Whole lines inserted at a line start: new table rows.
  if (start === end && start === lineStart && newText.endsWith('\n')) {
    return insertRows(sources[line - 1], sources[line], newText.slice(0, -1).split('\n'));
  }
  // …or after a line's end.
  if (start === end && start === lineEnd && newText.startsWith('\n')) {
    return insertRows(sources[line], sources[line + 1], newText.slice(1).split('\n'));
  }
  if (end > lineEnd || newText.includes('\n')) return null;
  const src = sources[line];
  if (!src) return null;
  const lineText = text.slice(lineStart, lineEnd);
  if (src.kind === 'row') {
    if (newText.includes('\t')) return null;
    let cellStart = lineStart;
    const cells = lineText.split('\t');
    for (let i = 0; i < cells.length; i++) {
      const cellEnd = cellStart + cells[i].length;
      if (start >= cellStart && end <= cellEnd) {
        const t = cells[i].slice(0, start - cellStart) + newText + cells[i].slice(end - cellStart);
        return src.cells[i] ? { kind: 'cell', tc: src.cells[i], text: t } : null;
      }
      cellStart = cellEnd + 1;
    }
    return null;
  }
  if (!src.whole || src.numbered || hasAny(src.el, ['tab', 'br', 'cr', 'txbxContent'])) return null;
  return { kind: 'para', p: src.el, text: (lineText.slice(0, start - lineStart) + newText + lineText.slice(end - lineStart)).trim() };
}

function insertRows(above: LineSource | undefined, below: LineSource | undefined, lines: string[]): Op | null {
  const rows = lines.map((l) => l.split('\t'));
  if (rows.some((r) => r.length < 2)) return null;
  const after = above?.kind === 'row' ? above.tr : null;
  const before = below?.kind === 'row' ? below.tr : null;
  if (!after && !before) return null;
  // A neighbouring row with as many cells as the new rows, searched outwards in the same table.
  const anchor = (after ?? before)!;
  const siblings = children(anchor.parentNode as unknown as Element).filter((c) => c.localName === 'tr');
  const at = siblings.indexOf(anchor);
  const width = rows[0].length;
  if (rows.some((r) => r.length !== width)) return null;
  for (let d = 0; d < siblings.length; d++) {
    for (const i of [at - d, at + d]) {
      const tr = siblings[i];
      if (tr && children(tr).filter((c) => c.localName === 'tc' && !continuesAbove(c)).length === width) {
        return { kind: 'rows', after, before, template: tr, rows };
      }
    }
  }
  return null;
}

function hasAny(el: Element, names: string[]): boolean {
  for (const c of children(el)) if (names.includes(c.localName ?? '') || hasAny(c, names)) return true;
  return false;
}

function execute(op: Op): void {
  if (op.kind === 'cell') return setText(op.tc, op.text);
  if (op.kind === 'para') return setText(op.p, op.text);
  let ref = op.after;
  for (const row of op.rows) {
    const tr = op.template.cloneNode(true) as Element;
    const cells = children(tr).filter((c) => c.localName === 'tc');
    let i = 0;
    for (const tc of cells) {
      // Cells continuing a vertical merge stay so: the new row joins the merged group column.
      if (continuesAbove(tc)) continue;
      setText(tc, row[i++] ?? '');
    }
    const parent = (ref ?? op.before)!.parentNode!;
    if (ref) parent.insertBefore(tr, ref.nextSibling);
    else parent.insertBefore(tr, op.before);
    ref = tr;
  }
}

/** Puts `text` in the first text run of `el` (a cell or paragraph) and empties the others. */
function setText(el: Element, text: string): void {
  const ts = Array.from(el.getElementsByTagNameNS(W, 't')) as Element[];
  if (ts.length) {
    ts[0].textContent = text;
    if (/^\s|\s$/.test(text)) ts[0].setAttribute('xml:space', 'preserve');
    for (const t of ts.slice(1)) t.textContent = '';
    return;
  }
  if (!text) return;
  const doc = el.ownerDocument!;
  const p = el.localName === 'p' ? el : ((Array.from(el.getElementsByTagNameNS(W, 'p'))[0] as Element | undefined) ?? el.appendChild(doc.createElementNS(W, 'w:p')));
  const r = p.appendChild(doc.createElementNS(W, 'w:r'));
  r.appendChild(doc.createElementNS(W, 'w:t')).textContent = text;
}
