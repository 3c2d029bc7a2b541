declare module 'word-extractor' {
  interface Document {
    getBody(): string;
  }
  export default class WordExtractor {
    extract(source: Buffer | string): Promise<Document>;
  }
}

declare module 'word-extractor/lib/buffer-reader.js' {
  export default class BufferReader {
    constructor(buffer: Buffer);
    open(): Promise<void>;
    close(): Promise<void>;
  }
}

declare module 'word-extractor/lib/word-ole-extractor.js' {
  import type BufferReader from 'word-extractor/lib/buffer-reader.js';
  /** The extractor for OLE Word files; its piece table and passes are overridden by the .doc reader. */
  export default class WordOleExtractor {
    protected _pieces: unknown[];
    extract(reader: BufferReader): Promise<{ getBody(): string }>;
    writeParagraphProperties(buffer: Buffer, tableBuffer: Buffer): void;
    buildDocument(): unknown;
    documentStream(document: unknown, name: string): Promise<unknown>;
    streamBuffer(stream: unknown): Promise<Buffer>;
  }
}
