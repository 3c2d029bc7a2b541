// The workspace scan's worker thread: reads a report file and parses it (or only its first
// characters, enough for the title and the year), off the language server's main thread, so a large
// or hostile file in the folder never delays a hover, a completion or a diagnostic.
import { promises as fsp } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { parse, readReportAsync } from '../../grammar/src/index.js';

export interface ScanRequest {
  id: number;
  file: string;
  maxBytes: number;
  /** Parse only this many characters of the text (the scan: title and year); all when absent. */
  head?: number;
}
/** The parsed report without its line index (a class: rebuilt from the text on the other side). */
export type ScanReply = { id: number; report: Omit<ReturnType<typeof parse>, 'lines'> | null };

async function readParsed(req: ScanRequest): Promise<ScanReply['report']> {
  try {
    const st = await fsp.stat(req.file);
    if (!st.isFile() || st.size > req.maxBytes) return null;
    const bytes = await fsp.readFile(req.file);
    const read = await readReportAsync(bytes, req.file, { maxBytes: req.maxBytes });
    const text =
      req.head !== undefined && read.text.length > req.head ? read.text.slice(0, req.head) : read.text;
    const { lines: _lines, ...report } = parse(text);
    return report;
  } catch {
    return null;
  }
}

parentPort?.on('message', (req: ScanRequest) => {
  void readParsed(req).then((report) => parentPort!.postMessage({ id: req.id, report } satisfies ScanReply));
});
