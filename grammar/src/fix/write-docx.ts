// Fixes written back into the Word file they came from. A fix is a set of edits on the text the
// reader extracted; each edit is mapped to the XML its line came from: a change inside one table
// cell rewrites that cell, whole TAB lines inserted between table rows become new rows cloned from
// a neighbouring row of the same shape (so borders, widths and vertical merges carry on), and a
// change inside a plain paragraph rewrites the paragraph. Rows and cells inside content controls
// and other wrappers are found as the reader found them. A fix any of whose edits cannot be mapped
// is left out whole; the caller learns how many were applied.
//
// The edits are planned on the reader's line sources (elements named by their ordinal in
// document.xml); only then is document.xml parsed into a tree, and only when it is of a size a
// tree can hold.

import { DOMParser, type Element, type Node, XMLSerializer } from '@xmldom/xmldom';
import { type Zippable, zipSync } from 'fflate';
import type { Edit, Fix } from '../model.js';
import {
  type CellInfo,
  DocxError,
  type DocxLimits,
  type DocxParts,
  type LineSource,
  openDocx,
  type ParaInfo,
  type RowInfo,
} from '../read/docx.js';

export interface DocxFixResult {
  bytes: Uint8Array;
  applied: number;
  skipped: number;
  /** The fixes written into the file, in text order. */
  written: Fix[];
  /** Why no fix could be written at all (Chinese), when the document itself is the reason. */
  refused?: string;
}

/** Most elements document.xml may hold for fixes to be written into it (a long report holds tens of thousands). */
export const MAX_WRITE_ELEMENTS = 200_000;

const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';

type Op =
  | { kind: 'cell'; cell: CellInfo; text: string }
  | { kind: 'para'; para: ParaInfo; text: string }
  | { kind: 'rows'; after: RowInfo | null; before: RowInfo | null; template: RowInfo; rows: string[][] };

/**
 * Applies `fixes` (made on `readReport`'s text of this same file, non-overlapping, e.g. from
 * `compatibleFixes`) to the .docx and returns the new file.
 */
export function fixDocx(bytes: Uint8Array, fixes: Fix[], limits: DocxLimits): DocxFixResult {
  const unchanged = (refused?: string): DocxFixResult => ({
    bytes,
    applied: 0,
    skipped: fixes.length,
    written: [],
    ...(refused ? { refused } : {}),
  });
  let parts: DocxParts;
  try {
    parts = openDocx(bytes, limits);
  } catch (e) {
    // Writing inflates every part of the file, not only the text: its limits may be met here first.
    if (!(e instanceof DocxError)) throw e;
    return unchanged(
      e.message === 'zip'
        ? `解压后内容过大或文件过多（上限 ${Math.round(limits.maxUnzippedBytes / 1024 / 1024)} MB、${limits.maxEntries} 个），无法写入修复`
        : e.message,
    );
  }
  if (parts.elements > MAX_WRITE_ELEMENTS) {
    return unchanged(
      `Word 文档内容过多（${parts.elements} 个元素，上限 ${MAX_WRITE_ELEMENTS}），无法写入修复`,
    );
  }
  const starts = [0];
  for (let i = 0; i < parts.text.length; i++) if (parts.text.charCodeAt(i) === 10) starts.push(i + 1);
  const planned: Array<{ edit: Edit; op: Op }> = [];
  const written: Fix[] = [];
  let applied = 0,
    skipped = 0;
  for (const fix of fixes) {
    const ops = fix.edits.map((e) => plan(parts.text, starts, parts.sources, e.start, e.end, e.newText));
    if (ops.some((p) => p === null)) {
      skipped++;
      continue;
    }
    ops.forEach((op, i) => planned.push({ edit: fix.edits[i], op: op! }));
    written.push(fix);
    applied++;
  }
  const ops = merged(parts.text, starts, planned);
  if (!applied) return { bytes, applied, skipped, written };

  const xml = new TextDecoder().decode(parts.files[parts.documentPath]);
  let broken = false;
  const doc = new DOMParser({
    onError: (level) => {
      if (level === 'fatalError') broken = true;
    },
  }).parseFromString(xml, 'text/xml');
  const els = broken || !doc.documentElement ? [] : preorder(doc.documentElement);
  // The tree must hold exactly the elements the reader counted, or ordinals would name the wrong ones.
  if (els.length !== parts.elements) return unchanged('Word 文档结构无法解析，未写入修复');
  for (const op of ops) execute(op, els);
  const files: Zippable = {};
  for (const [name, data] of Object.entries(parts.files)) {
    // Pictures and other compressed media are stored as they are.
    files[name] = /\.(png|jpe?g|gif|tiff?|mp[34]|wdp|zip)$/i.test(name) ? [data, { level: 0 }] : data;
  }
  files[parts.documentPath] = new TextEncoder().encode(new XMLSerializer().serializeToString(doc));
  return { bytes: zipSync(files, { level: 6 }), applied, skipped, written };
}

/**
 * The ops with those on one paragraph or one cell merged: each op rewrites its whole paragraph or
 * cell, so two fixes there (a typo and a comma in one sentence) must be written as one text.
 */
function merged(text: string, starts: number[], planned: Array<{ edit: Edit; op: Op }>): Op[] {
  const byTarget = new Map<unknown, Array<{ edit: Edit; op: Op }>>();
  const out: Array<Op | unknown> = [];
  for (const p of planned) {
    if (p.op.kind === 'rows') {
      out.push(p.op);
      continue;
    }
    const target = p.op.kind === 'para' ? p.op.para : p.op.cell;
    const group = byTarget.get(target);
    if (group) group.push(p);
    else {
      byTarget.set(target, [p]);
      out.push(target);
    }
  }
  return out.map((o) => {
    const group = byTarget.get(o);
    if (!group) return o as Op;
    if (group.length === 1) return group[0].op;
    const first = group[0].edit;
    const line = lineOf(starts, first.start);
    const lineStart = starts[line];
    const lineText = text.slice(lineStart, (starts[line + 1] ?? text.length + 1) - 1);
    // The span the op rewrites: the whole line for a paragraph, the cell's part of it for a cell.
    let from = lineStart,
      to = lineStart + lineText.length;
    if (group[0].op.kind === 'cell') {
      from = lineStart + lineText.lastIndexOf('\t', first.start - lineStart - 1) + 1;
      const tab = lineText.indexOf('\t', first.start - lineStart);
      to = tab < 0 ? to : lineStart + tab;
    }
    let t = text.slice(from, to);
    for (const { edit } of [...group].sort((a, b) => b.edit.start - a.edit.start))
      t = t.slice(0, edit.start - from) + edit.newText + t.slice(edit.end - from);
    const op = group[0].op;
    return op.kind === 'para' ? { ...op, text: t.trim() } : { ...op, text: t };
  });
}

function lineOf(starts: number[], offset: number): number {
  let lo = 0,
    hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function plan(
  text: string,
  starts: number[],
  sources: Array<LineSource | undefined>,
  start: number,
  end: number,
  newText: string,
): Op | null {
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
        const cell = src.row.cells[i];
        // A cell showing a content control's placeholder is left alone: Word would keep showing it.
        return cell && !cell.placeholder ? { kind: 'cell', cell, text: t } : null;
      }
      cellStart = cellEnd + 1;
    }
    return null;
  }
  if (!src.para.editable) return null;
  return {
    kind: 'para',
    para: src.para,
    text: (lineText.slice(0, start - lineStart) + newText + lineText.slice(end - lineStart)).trim(),
  };
}

function insertRows(
  above: LineSource | undefined,
  below: LineSource | undefined,
  lines: string[],
): Op | null {
  const rows = lines.map((l) => l.split('\t'));
  if (rows.some((r) => r.length < 2)) return null;
  const after = above?.kind === 'row' ? above.row : null;
  let before = below?.kind === 'row' ? below.row : null;
  if (after && before && after.table !== before.table) before = null;
  if (!after && !before) return null;
  // A neighbouring row with as many cells as the new rows, searched outwards in the same table.
  const anchor = (after ?? before)!;
  const siblings = anchor.table.rows;
  const at = siblings.indexOf(anchor);
  const width = rows[0].length;
  if (rows.some((r) => r.length !== width)) return null;
  for (let d = 0; d < siblings.length; d++) {
    for (const i of [at - d, at + d]) {
      const tr = siblings[i];
      if (tr && tr.cells.length === width && !tr.cells.some((c) => c.placeholder))
        return { kind: 'rows', after, before, template: tr, rows };
    }
  }
  return null;
}

function execute(op: Op, els: Element[]): void {
  const el = (ordinal: number) => els[ordinal];
  if (op.kind === 'cell')
    return setText(
      el(op.cell.el),
      op.cell.texts.map(el),
      op.cell.firstPara < 0 ? null : el(op.cell.firstPara),
      op.text,
    );
  if (op.kind === 'para') return setText(el(op.para.el), op.para.texts.map(el), el(op.para.el), op.text);
  const template = el(op.template.el);
  let ref: Node | null = op.after ? outermost(el(op.after.el), 'last') : null;
  const before = op.before ? outermost(el(op.before.el), 'first') : null;
  for (const row of op.rows) {
    const tr = template.cloneNode(true) as Element;
    // The template's cells are found in the clone where they sit in the template.
    const inClone = preorder(tr);
    const at = (ordinal: number) => inClone[ordinal - op.template.el];
    op.template.cells.forEach((cell, i) => {
      // Cells continuing a vertical merge are not among them: the new row joins the merged group column.
      setText(at(cell.el), cell.texts.map(at), cell.firstPara < 0 ? null : at(cell.firstPara), row[i] ?? '');
    });
    tidyClone(tr);
    const parent = (ref ?? before)!.parentNode!;
    parent.insertBefore(tr, ref ? ref.nextSibling : before);
    ref = tr;
  }
}

const WRAPPERS = new Set([
  'sdt',
  'sdtContent',
  'customXml',
  'smartTag',
  'ins',
  'moveTo',
  'Choice',
  'Fallback',
  'AlternateContent',
]);

/**
 * Where a new row goes beside `tr`: outside the wrappers (content controls and the like) of which
 * `tr` is the last (first) row, inside those that hold more rows after (before) it.
 */
function outermost(tr: Element, side: 'last' | 'first'): Element {
  let node = tr;
  for (;;) {
    const parent = node.parentNode as Element | null;
    if (parent?.nodeType !== 1 || !WRAPPERS.has(parent.localName ?? '')) return node;
    const siblings = elementChildren(parent).filter((c) => !/Pr$/.test(c.localName ?? ''));
    if ((side === 'last' ? siblings[siblings.length - 1] : siblings[0]) !== node) return node;
    node = parent;
  }
}

/**
 * A cloned row made a plain row: cell-level wrappers opened, tracked-change marks, bookmarks and
 * comment anchors dropped, and identifiers that must stay unique removed.
 */
function tidyClone(tr: Element): void {
  for (let again = true; again; ) {
    again = false;
    for (const c of elementChildren(tr)) {
      const name = c.localName;
      if (name !== 'sdt' && name !== 'customXml' && name !== 'AlternateContent') continue;
      const content =
        name === 'sdt'
          ? elementChildren(c).find((x) => x.localName === 'sdtContent')
          : name === 'AlternateContent'
            ? elementChildren(c).find((x) => x.localName === 'Choice' || x.localName === 'Fallback')
            : c;
      for (const x of content ? elementChildren(content) : [])
        if (!/Pr$/.test(x.localName ?? '')) tr.insertBefore(x, c);
      tr.removeChild(c);
      again = true;
    }
  }
  const drop = new Set([
    'bookmarkStart',
    'bookmarkEnd',
    'commentRangeStart',
    'commentRangeEnd',
    'commentReference',
    'permStart',
    'permEnd',
    'moveFromRangeStart',
    'moveFromRangeEnd',
    'moveToRangeStart',
    'moveToRangeEnd',
  ]);
  for (const e of preorder(tr)) {
    const name = e.localName ?? '';
    const parent = e.parentNode as Element | null;
    if (drop.has(name) || ((name === 'ins' || name === 'del') && parent?.localName === 'trPr'))
      parent?.removeChild(e);
    else if (name === 'id' && parent?.localName === 'sdtPr') parent.removeChild(e);
    else if (name === 'p') {
      e.removeAttribute('w14:paraId');
      e.removeAttribute('w14:textId');
    }
  }
}

/**
 * Puts `text` in the first of the element's text runs as the reader read them (`texts`) and
 * empties the others; with none, adds a run to its first paragraph.
 */
function setText(el: Element, texts: Element[], firstPara: Element | null, text: string): void {
  if (texts.length) {
    texts[0].textContent = text;
    if (/^\s|\s$/.test(text)) texts[0].setAttribute('xml:space', 'preserve');
    for (const t of texts.slice(1)) t.textContent = '';
    return;
  }
  if (!text) return;
  const doc = el.ownerDocument!;
  const p = firstPara ?? el.appendChild(doc.createElementNS(W, 'w:p'));
  const r = p.appendChild(doc.createElementNS(W, 'w:r'));
  r.appendChild(doc.createElementNS(W, 'w:t')).textContent = text;
}

function elementChildren(el: Element): Element[] {
  const out: Element[] = [];
  for (let n = el.firstChild; n; n = n.nextSibling) if (n.nodeType === 1) out.push(n as Element);
  return out;
}

/** The element and its descendant elements in document order, without recursion. */
function preorder(root: Element): Element[] {
  const out: Element[] = [];
  let n: Node | null = root;
  while (n) {
    out.push(n as Element);
    let next: Node | null = firstElement(n.firstChild);
    while (!next && n && n !== root) {
      next = firstElement(n.nextSibling);
      if (!next) n = n.parentNode;
    }
    n = next;
  }
  return out;
}

function firstElement(n: Node | null): Node | null {
  while (n && n.nodeType !== 1) n = n.nextSibling;
  return n;
}
