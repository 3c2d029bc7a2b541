// Word 97–2003 (.doc) and WPS (.wps, where it shares the format): text through word-extractor.
// Table cells come out separated by TABs, one row per line — a layout the grammar reads.
import WordExtractor from 'word-extractor';

export class DocError extends Error {}

/** The same plain refusal as for a broken .docx. */
const INVALID = '文件已损坏或不是有效的 Word 文档';

export interface DocText {
  text: string;
  /** The document's own location of each line (第N段, 第N个表格 第M行), by 0-based line. */
  wheres: Array<string | undefined>;
}

export async function readDoc(bytes: Uint8Array): Promise<DocText> {
  // OLE compound file signature D0 CF 11 E0 A1 B1 1A E1.
  const ole = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1].every((b, i) => bytes[i] === b);
  if (!ole) throw new DocError(INVALID);
  let text: string;
  try {
    const doc = await new WordExtractor().extract(Buffer.from(bytes));
    text = doc.getBody().replace(/\r\n?/g, '\n');
  } catch {
    throw new DocError(INVALID);
  }
  return { text, wheres: docWheres(text) };
}

/**
 * Where each line of the extracted text is in the document. word-extractor gives text only:
 * a line with TABs is a table row, consecutive rows one table; any other line is a paragraph.
 */
export function docWheres(text: string): Array<string | undefined> {
  const out: Array<string | undefined> = [];
  let paragraph = 0,
    table = 0,
    row = 0,
    inTable = false;
  for (const line of text.split('\n')) {
    if (line.includes('\t') && line.replace(/[\t \u3000]/g, '') !== '') {
      if (!inTable) {
        table++;
        row = 0;
        inTable = true;
      }
      out.push(`第${table}个表格 第${++row}行`);
    } else if (line.trim() === '') {
      out.push(undefined);
    } else {
      inTable = false;
      out.push(`第${++paragraph}段`);
    }
  }
  return out;
}
