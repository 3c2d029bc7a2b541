// Reading 表二 and 表三 in text order: label text is gathered until numbers follow it, then the
// gathered text is resolved to a template row (labels.ts) and the numbers become that row's. A
// hand-written pass, not grammar: where a label ends depends on which template label it matches
// (a label wraps over lines, loses its numbering, has a group label set beside it), which a PEG
// cannot know while it reads.
import type { Cell, Range } from '../model.js';
import { key, type LineIndex } from '../text.js';
import { makeCell } from './cells.js';
import { type Token, tokenize } from './grammar.js';
import {
  CANDIDATES,
  type Candidate,
  CJK,
  groupPieceIn,
  isSubsequence,
  keyChar,
  MAXLEN,
  type Pending,
  type Resolved,
  resolveLabel,
  UNKNOWN,
  wrapDistance,
} from './labels.js';
import { isBlankCellLine, type LineCell, lineRows, valueLike, withoutNote } from './line-cells.js';
import { UNIT_ONLY, valueShape } from './values.js';

/** What one line of a table region holds. */
type Item = { toks: Token[]; blankLine?: boolean } | { cells: LineCell[] };

const absolute = (toks: Token[], base: number): Token[] =>
  toks.map((t) => ({ ...t, start: t.start + base, end: t.end + base }));

export class LabelReader {
  /** The label text gathered so far, as key() characters, and each one's offset in the text. */
  private bufStr = '';
  private bufOffs: number[] = [];
  /** The row being read: its numbers go into it until the next label. */
  private current: Pending | null = null;
  private readonly pending: Pending[] = [];

  constructor(
    private readonly id: 't2' | 't3',
    private readonly clean: string,
    private readonly text: string,
    private readonly region: Range,
  ) {}

  /**
   * What the region holds, in order: the tokens of each line (offsets in the document), an empty
   * cell of a one-cell-per-line table, or a line whose cells are separated.
   */
  private items: Item[] = [];

  /** The rows of the region in the order written, recognised or not. */
  read(lines: LineIndex): Pending[] {
    const { clean, region } = this;
    const items: Item[] = (this.items = []);
    for (let l = lines.lineOf(region.start); l < lines.lineCount && lines.starts[l] < region.end; l++) {
      const s = Math.max(lines.starts[l], region.start),
        e = Math.min(lines.lineEnd(l), region.end);
      const line = clean.slice(s, e);
      if (isBlankCellLine(line)) {
        items.push({ toks: [{ kind: 'placeholder', text: '', start: s, end: s }], blankLine: true });
        continue;
      }
      const rows = lineRows(line, s);
      if (!rows) items.push({ toks: absolute(tokenize(line), s) });
      else for (const row of rows) items.push({ cells: row });
    }
    for (let i = 0; i < items.length; i++) {
      const it = items[i];
      if ('cells' in it) {
        const row = it.cells;
        if (!this.rowFromCells(row))
          this.feed(absolute(tokenize(clean.slice(row[0].start, row[row.length - 1].end)), row[0].start), i);
      } else if (it.blankLine) {
        // One cell per line: an empty cell keeps its place in the row.
        this.startRow();
        this.current?.toks.push(this.relative(it.toks[0]));
      } else this.feed(it.toks, i);
    }
    this.startRow();
    this.flush();
    return this.pending;
  }

  private flush() {
    if (this.current) this.pending.push(this.current);
    this.current = null;
  }

  private addLabel(s: string, at: number) {
    for (let i = 0; i < s.length; i++) {
      const cc = s.charCodeAt(i);
      if (cc <= 32 || cc === 0x3000) continue;
      let k = keyChar(s[i]);
      // Item numbers written 1、 or 1, read as 1. (The last character is looked up in the offsets'
      // source, not in bufStr: indexing a string built by += flattens it, O(n) each time.)
      const last = this.bufOffs.length ? this.clean.charCodeAt(this.bufOffs[this.bufOffs.length - 1]) : 0;
      if (k === ',' && last >= 48 && last <= 57) k = '.';
      this.bufStr += k;
      this.bufOffs.push(at + i);
    }
  }

  /** A token as the row keeps it: offsets relative to the region. */
  private relative(t: Token): Token {
    return { ...t, start: t.start - this.region.start, end: t.end - this.region.start };
  }

  /**
   * Tokens of a line (or of a run of cells), offsets in the document: labels gather, numbers go to
   * the row they follow, and a value written wrongly (1O, 十四, 6件, 若干) where a cell of the row
   * stands is that cell, read as invalid, never part of the next label.
   */
  private feed(toks: Token[], item: number) {
    for (let j = 0; j < toks.length; j++) {
      const t = toks[j];
      const cur = this.current;
      const last = cur?.toks.length ? cur.toks[cur.toks.length - 1] : null;
      // A piece of the same cell (1O24 read as 1 | O | 24, 6 件): it joins the cell before it.
      if (last && this.joinsCell(last, t)) {
        const start = last.start + this.region.start;
        cur!.toks[cur!.toks.length - 1] = this.relative({
          kind: 'number',
          text: this.clean.slice(start, t.end),
          start,
          end: t.end,
        });
        continue;
      }
      if (t.kind === 'label') {
        if (this.isCell(t, item, j)) {
          this.startRow();
          this.current?.toks.push(this.relative({ ...t, kind: 'number' }));
          continue;
        }
        // A short non-CJK label among a row's numbers (a stray mark) stays with the row.
        if (
          cur?.toks.length &&
          !CJK.test(t.text) &&
          t.text.length <= 6 &&
          !/^(\d[.、．]|[(（#])/.test(t.text)
        ) {
          cur.toks.push(this.relative(t));
          continue;
        }
        this.flush();
        this.addLabel(t.text, t.start);
        continue;
      }
      this.startRow();
      this.current?.toks.push(this.relative(t));
    }
  }

  /**
   * Whether token `t` continues the row's last cell `last` (relative offsets) rather than being a
   * cell of its own: written right against it and one of them not a number (1 + O, l + 2, 1O + 24,
   * 12 + 件), or a unit after a space on the same line (3 件).
   */
  private joinsCell(last: Token, t: Token): boolean {
    if (last.kind === 'placeholder' || t.kind === 'placeholder') return false;
    const lastEnd = last.end + this.region.start;
    const lastBad = last.kind === 'label' || !/^[\d,.]+$/.test(last.text);
    if (lastEnd === t.start) {
      if (t.kind === 'label') return valueShape(t.text) === 'strict';
      return lastBad && valueShape(last.text) === 'strict';
    }
    return (
      t.kind === 'label' &&
      UNIT_ONLY.test(t.text) &&
      /^[ \u3000\t]+$/.test(this.clean.slice(lastEnd, t.start))
    );
  }

  /**
   * Whether a label token is a cell of a row written wrongly: shaped like a value, and standing
   * where a cell of the row does, after a label that names a row exactly or among the row's
   * numbers, with no more cells around it than the row has. A short word (若干) must make the row's
   * count exactly and stand before a number or on the line of the row's other numbers: the rest
   * of a wrapped label or a piece of a group label, on the lines below, never does.
   */
  private isCell(t: Token, item: number, j: number): boolean {
    const shape = valueShape(t.text);
    if (!shape) return false;
    const cur = this.current;
    let row: Candidate | undefined;
    let before = 0;
    if (cur?.toks.length) {
      row = cur.cand;
      before = cur.toks.length;
    } else if (this.bufStr.length) {
      // A label that names its row exactly, or the start of one whose rest wraps below (a PDF
      // cell) when the token stands apart from it on the same line, in the numbers' columns.
      const r = this.resolveBuffer();
      const beside = /^[ \u3000]{2,}$/.test(
        this.clean.slice(this.bufOffs[this.bufOffs.length - 1] + 1, t.start),
      );
      if (r?.res.cand.row && (r.res.dist === 0 || beside)) row = r.res.cand;
    }
    const want = row?.row?.cells;
    if (!want) return false;
    const after = this.valuesAfter(t, item, j);
    const total = before + 1 + after;
    if (shape === 'strict') return total <= want && (after > 0 || before > 0 || want === 1);
    return (
      total === want && (after > 0 || want === 1 || (before > 0 && this.nextToCell(cur!.toks[before - 1], t)))
    );
  }

  /**
   * Whether token `t` is written as the cell after `prev` (relative offsets): on its line, or in a
   * one-cell-per-line table alone on the very next line (no blank or `|` line between).
   */
  private nextToCell(prev: Token, t: Token): boolean {
    const { clean } = this;
    const between = clean.slice(prev.end + this.region.start, t.start);
    if (!/[\n\r]/.test(between)) return true;
    // Both alone on their lines: text laid out by spaces puts a row's cells on one line, and what
    // stands alone below them there is the rest of a wrapped label.
    const alone = (start: number, end: number) => {
      const ls = clean.lastIndexOf('\n', start - 1) + 1;
      let le = clean.indexOf('\n', end);
      if (le < 0) le = clean.length;
      return /^[ \t\u3000]*$/.test(clean.slice(ls, start)) && /^[ \t\u3000|\r]*$/.test(clean.slice(end, le));
    };
    return (
      /^[ \t\u3000|]*\r?\n[ \t\u3000]*$/.test(between) &&
      alone(prev.start + this.region.start, prev.end + this.region.start) &&
      alone(t.start, t.end)
    );
  }

  /** How many cells follow token j of item `item` before the next label (cells written against each other count once). */
  private valuesAfter(t: Token, item: number, j: number): number {
    let n = 0;
    let prevEnd = t.end;
    for (let i = item; i < this.items.length; i++) {
      const it = this.items[i];
      if ('cells' in it) break;
      for (let k = i === item ? j + 1 : 0; k < it.toks.length; k++) {
        const x = it.toks[k];
        if (x.kind === 'label' && valueShape(x.text) !== 'strict') return n;
        if (x.start !== prevEnd || x.kind === 'placeholder') n++;
        prevEnd = x.end;
      }
    }
    return n;
  }

  /** The label gathered so far names a row: start it. */
  private startRow(): boolean {
    if (!this.bufStr.length) return false;
    this.flush();
    const found = this.resolveBuffer();
    if (found) {
      this.joinWrappedRest(found.first);
      this.blankRowBefore(this.groupPieceEnd(found.first));
      this.openRow(found.res, found.first);
    } else this.openUnknown();
    this.bufStr = '';
    this.bufOffs = [];
    return true;
  }

  /** The row label the gathered text ends with, and where in the buffer it starts. */
  private resolveBuffer(): { res: Resolved; first: number } | null {
    const { id, bufStr } = this;
    const tail = bufStr.slice(-MAXLEN[id] - 6);
    const res = resolveLabel(id, tail);
    if (res) return { res, first: bufStr.length - tail.length + res.start };
    // A piece of a vertical group label set inside the label's lines ("2.申请人逾期未按收" /
    // "（六）其" "费通知…"): read the label without it.
    const piece = groupPieceIn(id, tail);
    if (!piece) return null;
    const r = resolveLabel(id, tail.slice(0, piece.start) + tail.slice(piece.end));
    return r?.cand.row && r.start < piece.start
      ? { res: r, first: bufStr.length - tail.length + r.start }
      : null;
  }

  /** A label wrapped after its numbers (PDF layout): its rest opens this buffer; join it to its row. */
  private joinWrappedRest(first: number) {
    const prev = this.pending[this.pending.length - 1];
    if (!prev || prev.unknown || prev.dist === 0 || first === 0) return;
    const written = key(prev.label),
      rest = this.bufStr.slice(0, first);
    const d = wrapDistance(prev.cand.key, written + rest);
    if (d < prev.dist) {
      prev.dist = d;
      prev.wrapped = true;
    }
    // The rest may be interleaved with a group label set vertically beside it (予处理 / 请).
    else if (prev.cand.key.startsWith(written) && isSubsequence(prev.cand.key.slice(written.length), rest)) {
      prev.dist = 0;
      prev.wrapped = true;
    }
  }

  /**
   * Where the text before the label ends once a piece of a group label set vertically beside
   * the rows ((三)不 / 予公开) is taken off it: that piece is not the row's.
   */
  private groupPieceEnd(first: number): number {
    if (first === 0) return first;
    const head = this.bufStr.slice(Math.max(0, first - 24), first);
    for (const g of CANDIDATES[this.id]) {
      if (!g.group) continue;
      for (let n = Math.min(g.key.length, head.length); n >= 2; n--)
        if (head.endsWith(g.key.slice(0, n))) return first - n;
    }
    return first;
  }

  /**
   * The text before this label is a whole row label of its own, set apart from it: a row whose
   * cells are all blank (they vanish from copied or printed text), not a missing row.
   */
  private blankRowBefore(end: number) {
    if (end <= 0) return;
    const { id, bufStr, bufOffs, clean } = this;
    const before = resolveLabel(id, bufStr.slice(Math.max(0, end - MAXLEN[id] - 6), end));
    const at = before ? bufOffs[end - before.cand.key.length] : undefined;
    if (
      before &&
      before.dist === 0 &&
      before.cand.row &&
      at !== undefined &&
      before.start + before.cand.key.length === Math.min(end, MAXLEN[id] + 6) &&
      /[\s\u3000]/.test(clean[bufOffs[end - 1] + 1] ?? '') &&
      /^[\s\u3000]*$/.test(clean.slice(bufOffs[end - 1] + 1, bufOffs[end]))
    ) {
      const labelRange = { start: at, end: bufOffs[end - 1] + 1 };
      const label = this.text.slice(labelRange.start, labelRange.end);
      this.pending.push({ cand: before.cand, label, labelRange, dist: 0, toks: [], allBlank: true });
    }
  }

  private openRow(res: Resolved, first: number) {
    const labelRange = { start: this.bufOffs[first], end: this.bufOffs[this.bufOffs.length - 1] + 1 };
    const label = this.text.slice(labelRange.start, labelRange.end);
    this.current = { cand: res.cand, label, labelRange, dist: res.dist, toks: [] };
  }

  /**
   * A label no wording test recognises (garbled, OCR'd): kept with its cells for now; its place
   * among the recognised rows may still say which row it is (placeByOrder).
   */
  private openUnknown() {
    const from = Math.max(0, this.bufOffs.length - MAXLEN[this.id]);
    const labelRange = { start: this.bufOffs[from], end: this.bufOffs[this.bufOffs.length - 1] + 1 };
    const label = this.text.slice(labelRange.start, labelRange.end);
    this.current = { cand: UNKNOWN, label, labelRange, dist: Infinity, toks: [], unknown: true };
  }

  /**
   * A row whose cells are known from its separators: its leading cells are the label, the rest its
   * values. Text cells between the label and the numbers (行政许可 | 十四 |) are this row's invalid
   * cells, never a new label: the label is the shortest leading part that names a row exactly.
   */
  private rowFromCells(cells: LineCell[]): boolean {
    // cells[0] has text (separatedCells drops leading empty cells).
    const nz = cells.findIndex((c, i) => i > 0 && c.text !== '' && valueLike(c));
    const head = nz < 0 ? cells : cells.slice(0, nz);
    if (!head.some((c) => c.text !== '')) return false;
    const saved = { bufStr: this.bufStr, bufOffs: [...this.bufOffs] };
    const labelOf = (j: number) => {
      this.bufStr = saved.bufStr;
      this.bufOffs = [...saved.bufOffs];
      for (const c of head.slice(0, j)) this.addLabel(c.text, c.start);
      return resolveLabel(this.id, this.bufStr.slice(-MAXLEN[this.id] - 6));
    };
    // A label spans a few cells at most (a group column, an item number split off): try so many.
    let j = 1;
    for (; j < Math.min(head.length, 6); j++) {
      const r = labelOf(j);
      if (r && r.dist === 0 && r.cand.row) break;
    }
    if (j === Math.min(head.length, 6)) j = head.length;
    const values = [...head.slice(j), ...(nz < 0 ? [] : cells.slice(nz))];
    if (!values.length) {
      labelOf(head.length); // label text only: it may go on below
      return true;
    }
    labelOf(j);
    this.flush();
    if (!this.startRow() || !this.current) return true;
    this.fillCells(this.current, values);
    this.flush();
    return true;
  }

  /** A separated row's value cells: numbers and placeholders read, anything else invalid. */
  private fillCells(row: Pending, values: LineCell[]) {
    const { text } = this;
    row.cells = [];
    for (const c of values) {
      const range = { start: c.start, end: c.end };
      if (c.text === '') {
        row.cells.push({ value: null, raw: '', range, status: 'blank' });
        continue;
      }
      const toks = tokenize(withoutNote(c.text));
      if (toks.every((t) => t.kind !== 'label')) {
        for (const t of toks) {
          row.toks.push(this.relative({ ...t, start: t.start + c.start, end: t.end + c.start }));
          row.cells.push(makeCell(t, c.start, text, row.cand.row?.decimal));
        }
      } else row.cells.push({ value: null, raw: text.slice(c.start, c.end), range, status: 'invalid' });
    }
    // Empty cells right after the label are the label cell's merged columns when the row has
    // more cells than the template.
    const want = row.cand.row?.cells ?? 7;
    trimBlanks(row.cells, want);
  }
}

function trimBlanks(cells: Cell[], want: number) {
  while (cells.length > want && cells[cells.length - 1].raw === '') cells.pop();
  while (cells.length > want && cells[0].raw === '') cells.shift();
}
