// The blank report template as a Word file (the 模板 command): the core's blank report rendered
// with real Word tables whose merged cells follow the national template's layout.
import {
  AlignmentType,
  Document,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  TextRun,
  VerticalMergeType,
  WidthType,
} from 'docx';
import { blankReportParts, blankRows, T3_ROWS, type TableId } from '../../grammar/src/index.js';

export async function wordTemplate(year: number): Promise<Uint8Array> {
  const children = blankReportParts(year).map((part, i) => {
    if (part.kind === 'table') return table(part.id);
    if (i === 0)
      return new Paragraph({
        alignment: AlignmentType.CENTER,
        children: [new TextRun({ text: part.text, bold: true, size: 36 })],
      });
    return new Paragraph({ children: [new TextRun({ text: part.text, bold: part.heading })] });
  });
  return new Uint8Array(await Packer.toBuffer(new Document({ sections: [{ children }] })));
}

interface Cell {
  text: string;
  span?: number;
  merge?: 'restart' | 'continue';
}

const cell = (c: Cell) =>
  new TableCell({
    children: [new Paragraph(c.text)],
    columnSpan: c.span && c.span > 1 ? c.span : undefined,
    verticalMerge:
      c.merge === 'restart'
        ? VerticalMergeType.RESTART
        : c.merge === 'continue'
          ? VerticalMergeType.CONTINUE
          : undefined,
  });

/** Column widths in twips (A4 text width ≈ 9000): an explicit grid, so spans line up in Word and WPS. */
const GRID: Record<TableId, number[]> = {
  t2: [2400, 2200, 2200, 2200],
  t3: [900, 2300, ...Array(7).fill(830)],
  t4: Array(15).fill(600),
};

function table(id: TableId): Table {
  const rows = layout(id, blankRows(id));
  return new Table({
    width: { size: GRID[id].reduce((a, b) => a + b, 0), type: WidthType.DXA },
    columnWidths: GRID[id],
    layout: TableLayoutType.FIXED,
    rows: rows.map((r) => new TableRow({ children: r.map(cell) })),
  });
}

/** Spans and merges as in the national template. */
function layout(id: TableId, rows: string[][]): Cell[][] {
  if (id === 't4') {
    // 行政复议 / 未经复议直接起诉 / 复议后起诉 over five columns each.
    return rows.map((r) => r.map((text) => ({ text, span: 15 / r.length })));
  }
  if (id === 't2') {
    // Group captions across the table; a one-number row's value spans the three number columns.
    return rows.map((r) => r.map((text, i) => ({ text, span: i === r.length - 1 ? 4 - r.length + 1 : 1 })));
  }
  // 表三: the note spans the label columns of both header rows; the result groups merge vertically.
  const [note, columns, ...data] = rows;
  const out: Cell[][] = [
    [
      { text: note[0], span: 2, merge: 'restart' },
      { text: note[1], span: 7 },
    ],
    [{ text: '', span: 2, merge: 'continue' }, ...columns.map((text) => ({ text }))],
  ];
  data.forEach((r, k) => {
    const spec = T3_ROWS[k];
    if (!spec.group) out.push([{ text: r[0], span: 2 }, ...r.slice(1).map((text) => ({ text }))]);
    else if (r.length === 9)
      out.push([{ text: r[0], merge: 'restart' }, ...r.slice(1).map((text) => ({ text }))]);
    else out.push([{ text: '', merge: 'continue' }, ...r.map((text) => ({ text }))]);
  });
  return out;
}
