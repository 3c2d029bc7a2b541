// Word 97–2003 (.doc) and WPS (.wps, where it shares the format): text through word-extractor.
// Table cells come out separated by TABs, one row per line — a layout the grammar reads.
import WordExtractor from 'word-extractor';

export class DocError extends Error {}

export async function readDoc(bytes: Uint8Array): Promise<string> {
  // OLE compound file signature D0 CF 11 E0 A1 B1 1A E1.
  const ole = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1].every((b, i) => bytes[i] === b);
  if (!ole) throw new DocError('不是有效的 Word 文档');
  try {
    const doc = await new WordExtractor().extract(Buffer.from(bytes));
    return doc.getBody().replace(/\r\n?/g, '\n');
  } catch {
    throw new DocError('不是有效的 Word 文档');
  }
}
