// What the PDF reader's limits are and how a refusal reads, shared by the Node reader (pdf.ts) and
// the web page's (web/pdf.ts), so both refuse a file with the same words.

export class PdfError extends Error {}

export interface PdfLimits {
  /** Time limit for one file (ms). */
  timeoutMs: number;
  /** Most bytes the file's compressed streams may inflate to, together. */
  maxInflatedBytes: number;
  /** Most characters of text read from one file. */
  maxChars?: number;
  /** Heap of the worker (MB). */
  maxHeapMb?: number;
  /** Most the process may grow (resident memory, MB) while the worker reads one file. */
  maxGrowthMb?: number;
}

export const PDF_DEFAULTS = { maxChars: 2_000_000, maxHeapMb: 256, maxGrowthMb: 384 };

/** Why a PDF is refused, as the user reads it. */
export const TOO_COMPLEX = 'PDF 内容过大或过于复杂，已停止读取';
export const PDF_REASONS = {
  encrypted: 'PDF 已加密',
  invalid: '不是有效的 PDF 文件',
  'no-text': 'PDF 没有文字层（可能是扫描件）',
  unmapped:
    'PDF 的文字层无法读取（字体缺少 Unicode 映射，复制出的文字是乱码），请用原文件或重新导出的 PDF 检查',
  'too-large': TOO_COMPLEX,
} as const;
