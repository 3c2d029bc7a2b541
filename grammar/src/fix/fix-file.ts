// Fixing a report file: the certain fixes of its check, written back in the file's own format —
// a text file as text, a Word .docx through fixDocx — or, for formats nothing can be written
// into (PDF, .doc/.wps, web pages), only the corrected text with the reason in Chinese. Returns
// data; the caller decides where it goes (the CLI rewrites the file, the bot sends it back).
import { type CheckOptions, check } from '../check.js';
import type { Fix } from '../model.js';
import { DEFAULT_LIMITS, extensionOf, type ReadLimits, type ReadResult } from '../read/index.js';
import { compatibleFixes, fixText } from './apply.js';
import { fixDocx } from './write-docx.js';

/** How fixes reach a file of this format: rewritten as text, written into the Word file, or not at all. */
export type WriteBack = 'text' | 'docx' | null;

export function writeBackOf(format: ReadResult['format']): WriteBack {
  return format === 'text' ? 'text' : format === 'docx' ? 'docx' : null;
}

const FORMAT_NAME: Record<ReadResult['format'], string> = {
  text: '文本文件',
  docx: 'Word .docx 文件',
  html: '网页文件',
  pdf: 'PDF 文件',
  doc: 'Word 97–2003 文件（.doc/.wps）',
};

/** The format a file name's extension stands for, as far as writing back goes. */
function formatOfName(fileName: string): ReadResult['format'] {
  const ext = extensionOf(fileName);
  if (ext === '.docx') return 'docx';
  if (ext === '.pdf') return 'pdf';
  if (ext === '.doc' || ext === '.wps') return 'doc';
  if (ext === '.html' || ext === '.htm' || ext === '.xhtml') return 'html';
  return 'text';
}

/** Whether fixes can be written back into a file of this name (its extension decides). */
export function canWriteFixes(fileName: string): boolean {
  return writeBackOf(formatOfName(fileName)) !== null;
}

export interface FileFix {
  /** How fixes reach this file's format (null: they cannot be written into it). */
  writeBack: WriteBack;
  /** The corrected file in its own format; null when nothing was written (no fixes, or refused). */
  bytes: Uint8Array | null;
  /** The checked text with every certain fix applied (the original text when there is none). */
  text: string;
  /** Fixes written into the file, and fixes that could not be. */
  applied: number;
  skipped: number;
  /**
   * The fixes written into a Word file, each on the text as read (so `where` of its first edit's
   * line names its place in the document); empty for other formats, where the text is rewritten.
   */
  written: Fix[];
  /** Why no fix could be written into the file (Chinese), when there were fixes and none was written. */
  refused?: string;
}

/**
 * The certain fixes of a read report, applied: the text to a fixed point (as fixAll), and the
 * file itself where its format allows. `input.bytes` are the file the text was read from.
 */
export function fixFile(
  input: { bytes: Uint8Array; text: string; format: ReadResult['format'] },
  options: CheckOptions = {},
  limits: Partial<ReadLimits> = {},
): FileFix {
  const writeBack = writeBackOf(input.format);
  // The file's format is where its text comes from (what the punctuation rule needs to know).
  options = { source: input.format, ...options };
  const first = compatibleFixes(check(input.text, options).findings);
  const none: FileFix = { writeBack, bytes: null, text: input.text, applied: 0, skipped: 0, written: [] };
  if (!first.length) return none;
  const fixed = fixText(input.text, options);
  if (!fixed.count) return none;
  if (writeBack === 'text')
    return { ...none, bytes: new TextEncoder().encode(fixed.text), text: fixed.text, applied: fixed.count };
  if (writeBack === null)
    return {
      ...none,
      text: fixed.text,
      skipped: fixed.count,
      refused: `${FORMAT_NAME[input.format]}不能直接修改，修复无法写回原文件`,
    };
  const result = fixDocx(input.bytes, first, { ...DEFAULT_LIMITS, ...limits });
  const base = {
    ...none,
    text: fixed.text,
    applied: result.applied,
    skipped: result.skipped,
    written: result.written,
  };
  if (result.refused) return { ...base, refused: result.refused };
  if (!result.applied)
    return { ...base, refused: `${result.skipped} 处修复都无法对应到 Word 文件中的位置，未修改` };
  return { ...base, bytes: result.bytes };
}
