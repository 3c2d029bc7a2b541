// Lines whose cells are separated (TAB from Word, `|` from web pages and pipe text): their cells,
// the rows a converter ran together on one line, and a table region's tokens line by line.
import { LRUCache } from 'lru-cache';
import type { Range } from '../model.js';
import type { LineIndex } from '../text.js';
import { type Token, tokenize } from './grammar.js';
import { valueShape } from './values.js';

/** One cell of a separated line: its text and offset in the document; whether it holds only numbers or placeholders. */
export interface LineCell {
  text: string;
  start: number;
  end: number;
  value?: boolean;
}

const rowsCache = new LRUCache<string, LineCell[][] | 0>({ max: 20000 });
/**
 * The rows of a separated line (separatedCells, then splitRows), cached by the line's text: table
 * lines recur on every re-check of an edited document.
 */
export function lineRows(line: string, at: number): LineCell[][] | null {
  let r = rowsCache.get(line);
  if (r === undefined) {
    const cells = separatedCells(line, 0);
    if (cells) for (const c of cells) c.value = valueText(c.text);
    r = cells ? splitRows(cells) : 0;
    rowsCache.set(line, r);
  }
  return r ? r.map((row) => row.map((c) => ({ ...c, start: c.start + at, end: c.end + at }))) : null;
}

/**
 * The cells of a line whose cells are separated by TAB or `|` (rows from Word, web pages, pipe
 * text): null for any other line. Leading and trailing separators (Markdown `| a | b |`) are not
 * cells; empty cells between separators are.
 */
function separatedCells(line: string, at: number): LineCell[] | null {
  const sep = line.includes('\t') ? '\t' : line.includes('|') ? '|' : null;
  if (!sep) return null;
  const out: LineCell[] = [];
  let p = 0;
  for (;;) {
    const q = line.indexOf(sep, p);
    const end = q < 0 ? line.length : q;
    let s = p,
      e = end;
    while (s < e && /[\s\u3000|]/.test(line[s])) s++;
    while (e > s && /[\s\u3000|]/.test(line[e - 1])) e--;
    out.push({ text: line.slice(s, e), start: at + s, end: at + e });
    if (q < 0) break;
    p = q + 1;
  }
  // A pipe after the last cell ends the row (`a | b |`); a TAB after it may be an empty cell.
  if (sep === '|' && out.length && out[out.length - 1].text === '') out.pop();
  // Empty cells before the first text are merged group columns (or a cell-per-line indent).
  while (out.length && out[0].text === '') out.shift();
  return out.length >= 2 ? out : null;
}

/**
 * A line that is one empty cell of a one-cell-per-line table: a lone TAB (`\t2` lines with blank
 * lines between rows) or ` |` (`2 |` lines with a bare `|` line between rows).
 */
export function isBlankCellLine(line: string): boolean {
  return /^\t+[ \u3000]*$/.test(line) || /^[ \u3000]+\|[ \u3000]*$/.test(line);
}

/** A table region's tokens, line by line, with each empty cell of a separated line as an empty placeholder. */
export function regionTokens(clean: string, lines: LineIndex, region: Range): Token[] {
  const out: Token[] = [];
  for (let l = lines.lineOf(region.start); l < lines.lineCount && lines.starts[l] < region.end; l++) {
    const s = Math.max(lines.starts[l], region.start),
      e = Math.min(lines.lineEnd(l), region.end);
    const line = clean.slice(s, e);
    const rel = s - region.start;
    if (isBlankCellLine(line)) {
      out.push({ kind: 'placeholder', text: '', start: rel, end: rel });
      continue;
    }
    const rows = lineRows(line, s);
    if (!rows) {
      for (const t of tokenize(line)) out.push({ ...t, start: t.start + rel, end: t.end + rel });
      continue;
    }
    for (const row of rows) {
      // Empty cells count from the first number on (before it they are merged header cells).
      const firstNumber = row.findIndex((c) => c.text !== '' && valueLike(c));
      for (const [i, c] of row.entries()) {
        if (c.text === '') {
          if (firstNumber >= 0 && i > firstNumber)
            out.push({
              kind: 'placeholder',
              text: '',
              start: c.start - region.start,
              end: c.start - region.start,
            });
        } else if (MISWRITTEN.test(c.text))
          // A number written wrongly (1件, 一) is one cell, read as an invalid number.
          out.push({
            kind: 'number',
            text: c.text,
            start: c.start - region.start,
            end: c.end - region.start,
          });
        else
          for (const t of tokenize(withoutNote(c.text)))
            out.push({ ...t, start: t.start + c.start - region.start, end: t.end + c.start - region.start });
      }
    }
  }
  return out;
}

/**
 * Rows that a converter ran together on one line (a .doc table whose row ends became TABs): a
 * text cell after a row's numbers opens the next row. (Text right after a label, before any
 * number, stays with its row: 行政许可 | 十四 |.)
 */
function splitRows(cells: LineCell[]): LineCell[][] {
  const out: LineCell[][] = [[]];
  let numbers = false;
  let gap = false;
  for (const [i, c] of cells.entries()) {
    // A short word after a number, before another or ending the line (3 | 若干 | 1), is a value
    // written wrongly, not a label: a row run on after it starts with a label and its cells.
    const next = cells[i + 1];
    const value =
      c.text === '' ||
      valueLike(c) ||
      (numbers &&
        valueShape(c.text) === 'word' &&
        (cells.slice(i + 1).every((x) => x.text === '') || (next.text !== '' && valueLike(next))));
    // Also after a label and empty cells: a row whose cells are all blank.
    if (!value && (numbers || gap)) {
      out.push([]);
      numbers = false;
    }
    if (c.text !== '' && value) numbers = true;
    gap = c.text === '' && out[out.length - 1].some((x) => x.text !== '');
    out[out.length - 1].push(c);
  }
  return out.filter((r) => r.some((c) => c.text !== ''));
}

export const valueLike = (c: LineCell) => c.value ?? valueText(c.text);

/**
 * A number written wrongly in a cell (`1件`, `一`, `十四`): the cell's invalid value, never a label
 * that opens another row.
 */
const MISWRITTEN =
  /^(?:\d+(?:\.\d+)?[ \u3000]*[件个条次项人万元]+|[零〇一二三四五六七八九十百两]{1,4}[件个条次项]?)$/;

/**
 * A value with a note after it in brackets (a second paragraph typed in the cell: `21 （含1件转办）`):
 * the cell's value is the number; the note is a remark, not a cell of its own.
 */
const NOTED_VALUE = /^(\d+(?:\.\d+)?)[ \u3000]*[（(][^（）()\t|]*[）)]$/;

/** A cell's text without the note after its value (the text itself when it has none). */
export const withoutNote = (text: string): string => NOTED_VALUE.exec(text)?.[1] ?? text;

/** Whether a cell's text stands where a number belongs: empty, numbers, or a number written wrongly. */
function valueText(text: string): boolean {
  text = withoutNote(text);
  return (
    text === '' ||
    MISWRITTEN.test(text) ||
    valueShape(text) === 'strict' ||
    tokenize(text).every((t) => t.kind !== 'label')
  );
}
