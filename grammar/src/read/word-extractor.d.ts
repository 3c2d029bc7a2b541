declare module 'word-extractor' {
  interface Document {
    getBody(): string;
  }
  export default class WordExtractor {
    extract(source: Buffer | string): Promise<Document>;
  }
}
