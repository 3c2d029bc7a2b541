// Word 97–2003 (.doc) and WPS (.wps, where it shares the format): text through word-extractor, with
// the table structure kept. word-extractor turns every cell mark into a TAB and every paragraph mark
// into a line end, so a cell of two paragraphs (a value and its note, a label broken by Enter) would
// fall apart into lines. Here the cell marks and the paragraph marks inside table cells (read from
// the paragraph properties, sprmPFInTable) are kept as marks of their own, so each row becomes one
// TAB-separated line with each cell's paragraphs joined — the layout the .docx reader writes.
import BufferReader from 'word-extractor/lib/buffer-reader.js';
import WordOleExtractor from 'word-extractor/lib/word-ole-extractor.js';
import { joinCellParagraphs, tableLine } from './table-line.js';

export class DocError extends Error {}

/** The same plain refusal as for a broken .docx. */
const INVALID = '文件已损坏或不是有效的 Word 文档';

/** Stand-ins (private use) for the cell mark and an in-cell paragraph mark, kept through word-extractor's clean-up. */
const CELL = '\ue007';
const CELL_PARA = '\ue00d';

export interface DocText {
  text: string;
  /** The document's own location of each line (第N段, 第N个表格 第M行), by 0-based line. */
  wheres: Array<string | undefined>;
}

export async function readDoc(bytes: Uint8Array): Promise<DocText> {
  // OLE compound file signature D0 CF 11 E0 A1 B1 1A E1.
  const ole = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1].every((b, i) => bytes[i] === b);
  if (!ole) throw new DocError(INVALID);
  let body: string;
  try {
    const reader = new BufferReader(Buffer.from(bytes));
    await reader.open();
    try {
      const doc = await new CellExtractor().extract(reader);
      body = doc.getBody();
    } finally {
      await reader.close();
    }
  } catch {
    throw new DocError(INVALID);
  }
  return docLines(body);
}

interface Piece {
  text: string;
  startFilePos: number;
  size: number;
  bpc: number;
}

/** word-extractor's OLE extractor, keeping cell marks, row ends and the paragraph marks inside cells. */
class CellExtractor extends WordOleExtractor {
  /** The Data stream, where paragraph properties too large for their page are kept (sprmPHugePapx). */
  private data: Buffer | null = null;

  override async documentStream(document: OleDocument, name: string): Promise<unknown> {
    if (name === 'WordDocument' && document._rootStorage?._dirEntry?.streams?.Data) {
      try {
        this.data = (await this.streamBuffer(await super.documentStream(document, 'Data'))) as Buffer;
      } catch {
        this.data = null;
      }
    }
    return super.documentStream(document, name);
  }

  override writeParagraphProperties(buffer: Buffer, tableBuffer: Buffer): void {
    try {
      markTableParagraphs(this._pieces as Piece[], buffer, tableBuffer, this.data);
    } catch {
      // Paragraph properties that cannot be read: cells keep word-extractor's own reading.
    }
    super.writeParagraphProperties(buffer, tableBuffer);
  }

  override buildDocument(): unknown {
    // Row ends are line ends by now; the \x07 left are cell marks. A manual line break (\v)
    // breaks a line, not a row: it reads as a paragraph mark in a cell.
    for (const p of this._pieces as Piece[])
      p.text = p.text.replaceAll('\x07', CELL).replaceAll('\x0b', CELL_PARA);
    return super.buildDocument();
  }
}

interface OleDocument {
  _rootStorage?: { _dirEntry?: { streams?: Record<string, unknown> } };
}

const SPRM_P_F_IN_TABLE = 0x2416;
const SPRM_P_F_TTP = 0x2417;
const SPRM_P_HUGE_PAPX = 0x6646;

/**
 * Marks the paragraphs of table cells in the piece table: the paragraph mark (\r) of a paragraph
 * inside a cell becomes CELL_PARA, the mark ending a row (\x07 with sprmPFTtp) a line end. The
 * paragraph properties (PAPX) are in formatted disk pages listed by the PlcBtePapx; a row's
 * properties often hold its whole table definition and are then kept in the Data stream, which
 * word-extractor does not read — so its own row ends are missing for such rows.
 */
function markTableParagraphs(
  pieces: Piece[],
  buffer: Buffer,
  tableBuffer: Buffer,
  data: Buffer | null,
): void {
  const fc = buffer.readUInt32LE(0x0102);
  const lcb = buffer.readUInt32LE(0x0106);
  if (lcb < 12) return;
  const plc = tableBuffer.subarray(fc, fc + lcb);
  const count = (lcb - 4) / 8;
  for (let i = 0; i < count; i++) {
    const page = plc.readUInt32LE((count + 1) * 4 + i * 4);
    const fkp = buffer.subarray(page * 512, (page + 1) * 512);
    if (fkp.length < 512) continue;
    const crun = fkp.readUInt8(511);
    for (let j = 0; j < crun; j++) {
      const end = fkp.readUInt32LE((j + 1) * 4);
      const bx = fkp.readUInt8((crun + 1) * 4 + j * 13) * 2;
      if (bx === 0) continue;
      let cb = fkp.readUInt8(bx);
      let at = bx + 1;
      if (cb === 0) {
        cb = fkp.readUInt8(bx + 1) * 2;
        at = bx + 2;
      } else cb = cb * 2 - 1;
      let inTable = false,
        rowEnd = false;
      const read = (props: Buffer, from: number) =>
        eachSprm(props, from, (sprm, operand) => {
          if (sprm === SPRM_P_F_IN_TABLE) inTable = props.readUInt8(operand) === 1;
          else if (sprm === SPRM_P_F_TTP) rowEnd = props.readUInt8(operand) === 1;
          else if (sprm === SPRM_P_HUGE_PAPX && data && operand + 4 <= props.length) {
            const off = props.readUInt32LE(operand);
            if (off + 2 > data.length) return;
            read(data.subarray(off + 2, off + 2 + data.readUInt16LE(off)), 0);
          }
        });
      read(fkp.subarray(at, at + cb), 2); // after the style index
      if (inTable) markLast(pieces, end, rowEnd ? '\x07' : '\r', rowEnd ? '\n' : CELL_PARA);
    }
  }
}

/** Calls `fn` with each sprm of a grpprl and the offset of its operand. */
function eachSprm(b: Buffer, offset: number, fn: (sprm: number, operand: number) => void): void {
  while (offset < b.length - 1) {
    const sprm = b.readUInt16LE(offset);
    offset += 2;
    if (offset >= b.length) return;
    // sprmTDefTable and sprmPChgTabs carry a two-byte length.
    if (sprm === 0xd608) {
      fn(sprm, offset);
      offset += b.readUInt16LE(offset) + 1;
      continue;
    }
    fn(sprm, offset);
    const spra = sprm >> 13;
    if (spra === 0 || spra === 1) offset += 1;
    else if (spra === 2 || spra === 4 || spra === 5) offset += 2;
    else if (spra === 3) offset += 4;
    else if (spra === 7) offset += 3;
    else offset += b.readUInt8(offset) + 1;
  }
}

/** The character just before file position `end`: `from` there becomes `to`. */
function markLast(pieces: Piece[], end: number, from: string, to: string): void {
  for (const p of pieces) {
    if (end <= p.startFilePos || end > p.startFilePos + p.size) continue;
    const k = (end - p.startFilePos) / p.bpc - 1;
    if (p.text[k] === from) p.text = p.text.slice(0, k) + to + p.text.slice(k + 1);
    return;
  }
}

/**
 * The lines of the body and where each is in the document: a line with cell marks is one table
 * row (its cells' paragraphs joined as the .docx reader joins them), consecutive rows
 * one table; any other line is a paragraph. Paragraphs and rows are counted as the .docx reader
 * counts them (empty ones too), so a position reads the same in either format.
 */
export function docLines(body: string): DocText {
  const lines: string[] = [];
  const wheres: Array<string | undefined> = [];
  let paragraph = 0,
    table = 0,
    row = 0,
    inTable = false;
  const src = body.replace(/\r\n?/g, '\n');
  const parts = src.endsWith('\n') ? src.slice(0, -1).split('\n') : src.split('\n');
  for (const part of parts) {
    if (part.includes(CELL)) {
      if (!inTable) {
        table++;
        row = 0;
        inTable = true;
      }
      row++;
      const cells = part.split(CELL);
      if (cells.at(-1) === '') cells.pop();
      const line = tableLine(cells.map((c) => joinCellParagraphs(c.split(CELL_PARA))));
      if (line !== null) {
        lines.push(line);
        wheres.push(`第${table}个表格 第${row}行`);
      }
      continue;
    }
    inTable = false;
    paragraph++;
    // A paragraph mark left inside a cell (properties that could not be read) stays a line of its own.
    for (const piece of part.split(CELL_PARA)) {
      const text = piece.replace(/[ \u00a0\u3000]+/g, ' ').trim();
      if (!text) continue;
      lines.push(text);
      wheres.push(`第${paragraph}段`);
    }
  }
  return { text: lines.length ? lines.join('\n') + '\n' : '', wheres };
}
