// Word (.docx): the body's paragraphs and real tables. Merged cells (gridSpan, vMerge) are resolved
// to the template grid; auto-numbered headings get their numbers from the numbering definitions.
//
// document.xml is read as a stream (saxes, a strict XML parser) straight out of the inflater: no
// tree is built, the state is a stack of the open elements, and nothing recurses on the document's
// depth, so time and memory stay in proportion to the file whatever it holds. Content controls
// (w:sdt), custom XML (w:customXml), smart tags and tracked insertions are read through at every
// level — body, table, row, cell and run; of an mc:AlternateContent the first mc:Choice is read
// and the mc:Fallback skipped; tracked deletions (w:del, w:moveFrom, rows marked deleted) and the
// placeholder text of an unfilled content control are left out.
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { findTitle, titleMatch } from '../parse/title.js';
import { LineIndex, normalize } from '../text.js';
import { joinCellParagraphs, tableLine } from './table-line.js';
import { type InflateBudget, inflateEntry, readEntry, type ZipEntry, ZipError, zipEntries } from './unzip.js';

export interface DocxLimits {
  maxUnzippedBytes: number;
  maxEntries: number;
  /** Most characters of text the document may yield (default 20 MB worth, as the largest text file). */
  maxBytes?: number;
}

/** A refusal; the message is Chinese (`zip`: over the unzipped size or entry limits). */
export class DocxError extends Error {}

/** How a damaged or foreign file is refused, with what is wrong in parentheses where known. */
const INVALID = '文件已损坏或不是有效的 Word 文档';

/** Deepest element nesting read (real documents stay under a hundred). */
export const MAX_DEPTH = 200_000;
/** Most elements read from one XML part (a long report holds a few hundred thousand). */
export const MAX_ELEMENTS = 5_000_000;
/** Longest run of characters without a tag (a whole report's text is far shorter). */
export const MAX_TOKEN = 10_000_000;

// ------------------------------------------------------------------ line sources

/**
 * Where a line of the extracted text came from in document.xml, for writing fixes back. Elements
 * are named by their ordinal: the index of their start tag among all start tags of document.xml.
 */
export type LineSource = { kind: 'p'; para: ParaInfo } | { kind: 'row'; row: RowInfo };

export interface ParaInfo {
  el: number;
  /** The paragraph yields this one line only, is not auto-numbered, holds no tab, break or text box, and no placeholder text. */
  editable: boolean;
  /** The w:t elements the line's text came from. */
  texts: number[];
}

export interface CellInfo {
  el: number;
  /** The w:t elements the cell's text came from, and its first paragraph (-1: none). */
  texts: number[];
  firstPara: number;
  /** The cell shows a content control's placeholder text (read as blank). */
  placeholder: boolean;
}
export interface RowInfo {
  el: number;
  /** The cells of the grid (vMerge continuations left out). */
  cells: CellInfo[];
  table: TableInfo;
}
export interface TableInfo {
  el: number;
  /** The table's rows as read (rows marked deleted left out), wrappers seen through. */
  rows: RowInfo[];
}

export interface DocxText {
  text: string;
  wheres: Array<string | undefined>;
}

/** The archive opened for writing: every entry, document.xml's bytes, and what each line came from. */
export interface DocxParts extends DocxText {
  files: Record<string, Uint8Array>;
  documentPath: string;
  sources: Array<LineSource | undefined>;
  /** How many elements document.xml holds. */
  elements: number;
}

export function readDocx(bytes: Uint8Array, limits: DocxLimits): DocxText {
  const archive = openArchive(bytes, limits);
  const numbering = readNumbering(archive);
  const reader = new BodyReader(numbering, limits, false, archive.documentPath);
  pump(archive, archive.document, reader);
  return withHeaderTitle(archive, reader.finish(), reader.sources);
}

/** The document for writing: all entries inflated (within the limits) and every line's source. */
export function openDocx(bytes: Uint8Array, limits: DocxLimits): DocxParts {
  const archive = openArchive(bytes, limits);
  const files: Record<string, Uint8Array> = {};
  for (const e of archive.entries) files[e.name] = guard(() => readEntry(bytes, e, archive.budget));
  const numbering = readNumbering(archive, files);
  const reader = new BodyReader(numbering, limits, true, archive.documentPath);
  feed(files[archive.documentPath], reader);
  const { text, wheres } = withHeaderTitle(archive, reader.finish(), reader.sources);
  return {
    files,
    documentPath: archive.documentPath,
    text,
    wheres,
    sources: reader.sources,
    elements: reader.elements,
  };
}

// ------------------------------------------------------------------ the archive

interface Archive {
  bytes: Uint8Array;
  entries: ZipEntry[];
  budget: InflateBudget;
  document: ZipEntry;
  documentPath: string;
  numbering?: ZipEntry;
  /** The page header parts of the document. */
  headers: ZipEntry[];
}

/** Largest page header part read for the title. */
const MAX_HEADER_BYTES = 1 << 20;

/**
 * A document whose body has no title before its first section, while its page header holds one
 * (…局2024年政府信息公开工作年度报告 set as the running head): the title as the first line, placed
 * 页眉. The line has no source, so no fix is written into it.
 */
function withHeaderTitle(archive: Archive, read: DocxText, sources: Array<LineSource | undefined>): DocxText {
  if (!archive.headers.length) return read;
  const norm = normalize(read.text);
  const lines = new LineIndex(norm);
  const first = norm.search(/(?:^|\n)[\s\u3000]*(?:一[\s\u3000]*[、.,，．]|第一部分)/);
  if (findTitle(norm, lines, first < 0 ? norm.length : first)) return read;
  for (const entry of archive.headers) {
    let paragraphs: string[];
    try {
      paragraphs = headerParagraphs(readEntry(archive.bytes, entry, { bytesLeft: MAX_HEADER_BYTES }));
    } catch {
      continue; // an unreadable or oversized header: the body alone
    }
    const title = paragraphs.find((p) => titleMatch(p));
    if (!title) continue;
    if (sources.length) sources.unshift(undefined);
    return { text: `${title}\n${read.text}`, wheres: ['页眉', ...read.wheres] };
  }
  return read;
}

/** The text of each paragraph of a header part (tracked deletions left out). */
function headerParagraphs(xml: Uint8Array): string[] {
  const out: string[] = [];
  let cur = '';
  let inText = false;
  const p = new SaxesParser({ position: false });
  p.on('opentag', (t) => {
    const local = localOf(t.name);
    if (local === 't') inText = true;
    else if (local === 'tab') cur += ' ';
  });
  p.on('closetag', (t) => {
    const local = localOf(t.name);
    if (local === 't') inText = false;
    else if (local === 'p') {
      if (cur.trim()) out.push(cur.trim());
      cur = '';
    }
  });
  p.on('text', (text) => {
    if (inText) cur += text;
  });
  p.write(new TextDecoder().decode(xml)).close();
  return out.slice(0, 50);
}

const guard = <T>(f: () => T): T => {
  try {
    return f();
  } catch (e) {
    if (e instanceof ZipError) throw new DocxError(e.reason === 'too-big' ? 'zip' : INVALID);
    throw e;
  }
};

function openArchive(bytes: Uint8Array, limits: DocxLimits): Archive {
  const entries = guard(() => zipEntries(bytes, limits.maxEntries));
  const byName = new Map(entries.map((e) => [e.name, e]));
  const budget: InflateBudget = { bytesLeft: limits.maxUnzippedBytes };
  // The main part and its numbering part as the relationships name them (usually word/document.xml).
  const rels = (path: string) => {
    const e = byName.get(path);
    if (!e) return [];
    try {
      return relationships(readEntry(bytes, e, { bytesLeft: 1 << 20 }));
    } catch {
      return []; // unreadable or oversized relationships: the usual part names are tried
    }
  };
  const target = (list: Rel[], type: string, base: string) => {
    const r = list.find((x) => x.type.endsWith(type));
    return r && resolvePath(base, r.target);
  };
  const documentPath = target(rels('_rels/.rels'), '/officeDocument', '') ?? 'word/document.xml';
  const document = byName.get(documentPath) ?? byName.get('word/document.xml');
  if (!document) throw new DocxError(`${INVALID}（缺少 word/document.xml）`);
  const dir = document.name.includes('/') ? document.name.slice(0, document.name.lastIndexOf('/') + 1) : '';
  const documentRels = rels(`${dir}_rels/${document.name.slice(dir.length)}.rels`);
  const numberingPath = target(documentRels, '/numbering', dir) ?? `${dir}numbering.xml`;
  const headers = documentRels
    .filter((r) => r.type.endsWith('/header'))
    .map((r) => byName.get(resolvePath(dir, r.target)))
    .filter((e): e is ZipEntry => !!e)
    .slice(0, 6);
  return {
    bytes,
    entries,
    budget,
    document,
    documentPath: document.name,
    numbering: byName.get(numberingPath),
    headers,
  };
}

function resolvePath(base: string, target: string): string {
  const parts = (target.startsWith('/') ? target.slice(1) : base + target).split('/');
  const out: string[] = [];
  for (const p of parts) {
    if (p === '..') out.pop();
    else if (p !== '.' && p !== '') out.push(p);
  }
  return out.join('/');
}

interface Rel {
  type: string;
  target: string;
}
function relationships(xml: Uint8Array): Rel[] {
  const out: Rel[] = [];
  try {
    const p = new SaxesParser({ position: false });
    p.on('opentag', (t) => {
      if (localOf(t.name) === 'Relationship' && t.attributes.TargetMode !== 'External') {
        out.push({ type: String(t.attributes.Type ?? ''), target: String(t.attributes.Target ?? '') });
      }
    });
    p.write(new TextDecoder().decode(xml)).close();
  } catch {
    return [];
  }
  return out;
}

/** Streams an entry through the decoder into an XML reader. */
function pump(archive: Archive, entry: ZipEntry, reader: XmlReader): void {
  const decode = decoder();
  guard(() =>
    inflateEntry(archive.bytes, entry, archive.budget, (chunk) => reader.write(decode(chunk, false))),
  );
  reader.write(decode(new Uint8Array(0), true));
  reader.close();
}

function feed(bytes: Uint8Array, reader: XmlReader): void {
  const decode = decoder();
  for (let i = 0; i < bytes.length; i += 1 << 20)
    reader.write(decode(bytes.subarray(i, i + (1 << 20)), false));
  reader.write(decode(new Uint8Array(0), true));
  reader.close();
}

/** UTF-8, or UTF-16 when the part starts with its byte order mark. */
function decoder(): (chunk: Uint8Array, last: boolean) => string {
  let d: TextDecoder | undefined;
  return (chunk, last) => {
    d ??= new TextDecoder(
      chunk[0] === 0xff && chunk[1] === 0xfe
        ? 'utf-16le'
        : chunk[0] === 0xfe && chunk[1] === 0xff
          ? 'utf-16be'
          : 'utf-8',
    );
    return d.decode(chunk, { stream: !last });
  };
}

// ------------------------------------------------------------------ streaming XML

class XmlSyntaxError extends Error {}

/** A strict streaming XML parser driving a handler; a well-formedness error is a plain Chinese refusal. */
abstract class XmlReader {
  private readonly parser = new SaxesParser({ position: false });
  private depth = 0;
  private sinceTag = 0;
  /** Start tags seen so far: the next element's ordinal. */
  elements = 0;

  constructor(private readonly part: string) {
    this.parser.on('opentag', (t) => {
      if (++this.depth > MAX_DEPTH)
        throw new DocxError(`Word 文档嵌套层次过深（超过 ${wan(MAX_DEPTH)}层），已拒绝`);
      if (this.elements >= MAX_ELEMENTS)
        throw new DocxError(`Word 文档内容过多（超过 ${wan(MAX_ELEMENTS)}个元素），已拒绝`);
      this.onOpen(localOf(t.name), t as SaxesTagPlain, this.elements++);
    });
    this.parser.on('closetag', () => {
      this.depth--;
      this.onClose();
    });
    this.parser.on('text', (s) => this.onText(s));
    this.parser.on('cdata', (s) => this.onText(s));
    this.parser.on('error', () => {
      throw new XmlSyntaxError();
    });
  }

  protected abstract onOpen(local: string, tag: SaxesTagPlain, ordinal: number): void;
  protected abstract onClose(): void;
  protected abstract onText(s: string): void;

  write(s: string): void {
    if (!s) return;
    // Characters since the last '<': the parser holds a text or attribute value whole until it
    // ends, so an endless one would grow without bound.
    const lt = s.lastIndexOf('<');
    this.sinceTag = lt < 0 ? this.sinceTag + s.length : s.length - lt - 1;
    if (this.sinceTag > MAX_TOKEN)
      throw new DocxError(`Word 文档内容异常（一段连续文字或属性值超过 ${wan(MAX_TOKEN)}字），已拒绝`);
    this.run(() => this.parser.write(s));
  }

  /** The end of the part: unclosed elements make it malformed. */
  close(): void {
    this.run(() => this.parser.close(), '不完整');
  }

  /** A well-formedness error said plainly: a part cut off (`不完整`) or garbled (`内容有误`). */
  private run(f: () => void, what = '内容有误'): void {
    try {
      f();
    } catch (e) {
      if (e instanceof XmlSyntaxError)
        throw new DocxError(`${INVALID}（${this.part.slice(this.part.lastIndexOf('/') + 1)} ${what}）`);
      throw e;
    }
  }
}

/** 200000 → "20 万", for the refusals. */
const wan = (n: number) => (n >= 10000 ? `${Math.floor(n / 10000)} 万` : `${n} `);

function localOf(name: string): string {
  const i = name.indexOf(':');
  return i < 0 ? name : name.slice(i + 1);
}

/** An attribute by local name (w:val, val, or any prefix). */
function attrOf(tag: SaxesTagPlain, local: string): string | undefined {
  const a = tag.attributes as Record<string, string>;
  const v = a[`w:${local}`] ?? a[local];
  if (v !== undefined) return v;
  for (const k in a) if (k.endsWith(`:${local}`)) return a[k];
  return undefined;
}

/** An on/off property (w:val="0"/"false"/"off" turns it off). */
const isOn = (tag: SaxesTagPlain) => !/^(0|false|off)$/.test(attrOf(tag, 'val') ?? 'true');

// ------------------------------------------------------------------ the body

// What an element's children are: the document root's, block content (body, a content control
// around paragraphs and tables), a table's, a row's, a cell's, a paragraph's, or properties.
const DOC = 0,
  BLOCK = 1,
  TABLE = 2,
  ROW = 3,
  CELL = 4,
  PARA = 5,
  PROPS = 6;
// What an open element is.
const WRAP = 0,
  P = 1,
  TBL = 2,
  TR = 3,
  TC = 4,
  T = 5,
  PPR = 6,
  NUMPR = 7,
  TRPR = 8,
  TCPR = 9,
  SDT = 10,
  SDTPR = 11,
  ALT = 12;

interface Frame {
  kind: number;
  ctx: number;
  taken?: boolean;
  placeholder?: boolean;
}
/** Frames without state are shared. */
const WRAPS: Frame[] = [DOC, BLOCK, TABLE, ROW, CELL, PARA, PROPS].map((ctx) => ({ kind: WRAP, ctx }));
const frame = (kind: number, ctx: number): Frame => ({ kind, ctx });
const F_P = frame(P, PARA),
  F_TBL = frame(TBL, TABLE),
  F_TR = frame(TR, ROW),
  F_TC = frame(TC, CELL),
  F_T = frame(T, PARA);
const F_PPR = frame(PPR, PROPS),
  F_NUMPR = frame(NUMPR, PROPS),
  F_TRPR = frame(TRPR, PROPS),
  F_TCPR = frame(TCPR, PROPS),
  F_SDTPR = frame(SDTPR, PROPS);

interface OpenPara {
  el: number;
  text: string;
  numId?: string;
  ilvl: number;
  complex: boolean;
  placeholder: boolean;
  texts: number[];
  inCell: boolean;
}
interface OpenCell {
  el: number;
  paras: string[];
  texts: number[];
  firstPara: number;
  continues: boolean;
  placeholder: boolean;
}
interface OpenRow {
  el: number;
  deleted: boolean;
  cells: CellInfo[];
  texts: string[];
}

/** Most lines of text a document may yield (a long report has a few thousand). */
export const MAX_LINES = 1_000_000;

class BodyReader extends XmlReader {
  private readonly stack: Frame[] = [];
  /** Depth inside an element whose content is not read (0: reading). */
  private skip = 0;
  /** Open content controls showing their placeholder text. */
  private suppress = 0;
  private body = false;
  private para: OpenPara | null = null;
  private cell: OpenCell | null = null;
  private row: OpenRow | null = null;
  private table: TableInfo | null = null;
  private paraNo = 0;
  private tableNo = 0;
  private rowNo = 0;
  private chars = 0;
  private readonly maxChars: number;
  private readonly lines: string[] = [];
  private readonly wheres: string[] = [];
  /** Per line, where it came from (none for a line the document's body does not hold). */
  readonly sources: Array<LineSource | undefined> = [];
  private readonly counters = new Map<string, number[]>();
  private readonly used = new Set<string>();

  constructor(
    private readonly numbering: Numbering | null,
    limits: DocxLimits,
    private readonly collect: boolean,
    part: string,
  ) {
    super(part);
    this.maxChars = limits.maxBytes ?? 20 * 1024 * 1024;
  }

  protected onOpen(local: string, tag: SaxesTagPlain, ordinal: number): void {
    if (this.skip) {
      this.skip++;
      return;
    }
    const stack = this.stack;
    const top = stack[stack.length - 1];
    if (!top) {
      stack.push(WRAPS[DOC]);
      return;
    }
    const ctx = top.ctx;
    if (ctx === PROPS) return this.property(top, local, tag);
    if (this.openWrapper(local, top)) return;
    switch (ctx) {
      case DOC:
        if (local === 'body' && stack.length === 1) {
          this.body = true;
          stack.push(WRAPS[BLOCK]);
        } else this.skip = 1;
        return;
      case BLOCK:
        if (local === 'p') {
          this.startPara(ordinal, false);
          stack.push(F_P);
        } else if (local === 'tbl') {
          this.tableNo++;
          this.rowNo = 0;
          this.table = { el: ordinal, rows: [] };
          stack.push(F_TBL);
        } else this.skip = 1;
        return;
      case TABLE:
        if (local === 'tr') {
          this.row = { el: ordinal, deleted: false, cells: [], texts: [] };
          stack.push(F_TR);
        } else this.skip = 1;
        return;
      case ROW:
        if (local === 'tc') {
          this.cell = {
            el: ordinal,
            paras: [],
            texts: [],
            firstPara: -1,
            continues: false,
            placeholder: false,
          };
          stack.push(F_TC);
        } else if (local === 'trPr') stack.push(F_TRPR);
        else this.skip = 1;
        return;
      case CELL:
        // Tables nested in a cell are not part of the grid.
        if (local === 'p') {
          this.startPara(ordinal, true);
          stack.push(F_P);
        } else if (local === 'tcPr') stack.push(F_TCPR);
        else this.skip = 1;
        return;
      default:
        this.openInParagraph(local, ordinal, top);
    }
  }

  /** Content controls, custom XML, smart tags, tracked insertions and alternate content: read through. */
  private openWrapper(local: string, top: Frame): boolean {
    const stack = this.stack;
    const ctx = top.ctx;
    switch (local) {
      // Tracked deletions and moves away, and the properties of wrappers.
      case 'del':
      case 'moveFrom':
      case 'sdtEndPr':
      case 'customXmlPr':
      case 'smartTagPr':
        this.skip = 1;
        return true;
      case 'sdt':
        stack.push({ kind: SDT, ctx, placeholder: false });
        return true;
      case 'sdtPr':
        if (top.kind === SDT) stack.push(F_SDTPR);
        else this.skip = 1;
        return true;
      case 'sdtContent':
      case 'customXml':
      case 'smartTag':
      case 'ins':
      case 'moveTo':
        stack.push(WRAPS[ctx]);
        return true;
      case 'AlternateContent':
        stack.push({ kind: ALT, ctx, taken: false });
        return true;
      case 'Choice':
      case 'Fallback':
        // The first choice; the fallback only when there is none.
        if (top.kind === ALT && !top.taken) {
          top.taken = true;
          stack.push(WRAPS[ctx]);
        } else this.skip = 1;
        return true;
    }
    return false;
  }

  /** Inside a paragraph: everything but properties, field codes and deleted text, text boxes included. */
  private openInParagraph(local: string, ordinal: number, top: Frame): void {
    const stack = this.stack;
    const para = this.para!;
    switch (local) {
      case 't':
        if (this.suppress) para.placeholder = true;
        else if (this.collect) para.texts.push(ordinal);
        stack.push(F_T);
        return;
      case 'tab':
        this.add(para, '\t');
        para.complex = true;
        this.skip = 1;
        return;
      case 'br':
      case 'cr':
        this.add(para, '\n');
        para.complex = true;
        this.skip = 1;
        return;
      case 'txbxContent':
        para.complex = true;
        stack.push(WRAPS[PARA]);
        return;
      case 'pPr':
        if (top.kind === P) stack.push(F_PPR);
        else this.skip = 1;
        return;
      case 'rPr':
      case 'instrText':
      case 'delText':
        this.skip = 1;
        return;
      default:
        stack.push(WRAPS[PARA]);
    }
  }

  private property(top: Frame, local: string, tag: SaxesTagPlain): void {
    this.skip = 1;
    switch (top.kind) {
      case PPR:
        if (local === 'numPr') {
          this.skip = 0;
          this.stack.push(F_NUMPR);
        }
        break;
      case NUMPR:
        if (local === 'numId') this.para!.numId = attrOf(tag, 'val') ?? '';
        else if (local === 'ilvl') this.para!.ilvl = Number(attrOf(tag, 'val') ?? 0);
        break;
      case TRPR:
        if (local === 'del') this.row!.deleted = true;
        break;
      case TCPR:
        if (local === 'vMerge') this.cell!.continues = attrOf(tag, 'val') !== 'restart';
        break;
      case SDTPR:
        if (local === 'showingPlcHdr' && isOn(tag)) {
          const sdt = this.stack[this.stack.length - 2];
          if (!sdt.placeholder) {
            sdt.placeholder = true;
            this.suppress++;
          }
        }
        break;
    }
  }

  protected onClose(): void {
    if (this.skip) {
      this.skip--;
      return;
    }
    const f = this.stack.pop()!;
    switch (f.kind) {
      case P:
        this.endPara();
        break;
      case TC:
        this.endCell();
        break;
      case TR:
        this.endRow();
        break;
      case TBL:
        this.table = null;
        break;
      case SDT:
        if (f.placeholder) this.suppress--;
        break;
    }
  }

  protected onText(s: string): void {
    if (this.skip || this.suppress || this.stack[this.stack.length - 1]?.kind !== T) return;
    this.add(this.para!, s);
  }

  private add(para: OpenPara, s: string): void {
    if (this.suppress) return;
    para.text += s;
    this.chars += s.length;
    if (this.chars > this.maxChars)
      throw new DocxError(`Word 文档文字过多（超过 ${wan(this.maxChars)}字），已拒绝`);
  }

  private startPara(el: number, inCell: boolean): void {
    this.para = { el, text: '', ilvl: 0, complex: false, placeholder: false, texts: [], inCell };
    if (!inCell) this.paraNo++;
  }

  private endPara(): void {
    const p = this.para!;
    this.para = null;
    if (p.inCell) {
      const c = this.cell!;
      c.paras.push(p.text);
      if (this.collect) for (const t of p.texts) c.texts.push(t);
      if (c.firstPara < 0) c.firstPara = p.el;
      if (p.placeholder) c.placeholder = true;
      return;
    }
    const prefix =
      p.numId === undefined ? '' : numberPrefix(this.numbering, this.counters, this.used, p.numId, p.ilvl);
    if (!prefix && !p.text) return;
    const t = (prefix + p.text).replace(/[ \u00a0\u3000]+/g, ' ').trim();
    const parts = t.split('\n').filter((part) => part.trim());
    const source: LineSource | undefined = this.collect
      ? {
          kind: 'p',
          para: {
            el: p.el,
            editable: parts.length === 1 && !prefix && !p.complex && !p.placeholder,
            texts: p.texts,
          },
        }
      : undefined;
    for (const part of parts) this.emit(part.trim(), `第${this.paraNo}段`, source);
  }

  private endCell(): void {
    const c = this.cell!;
    this.cell = null;
    if (c.continues) return; // continues the cell above (vMerge): not a cell of the grid
    const row = this.row!;
    row.cells.push({ el: c.el, texts: c.texts, firstPara: c.firstPara, placeholder: c.placeholder });
    row.texts.push(joinCellParagraphs(c.paras.flatMap((p) => p.split('\n'))));
  }

  private endRow(): void {
    const r = this.row!;
    this.row = null;
    if (r.deleted) return; // a tracked deletion of the whole row
    this.rowNo++;
    const table = this.table!;
    const info: RowInfo = { el: r.el, cells: r.cells, table };
    if (this.collect) table.rows.push(info);
    const line = tableLine(r.texts);
    if (line !== null)
      this.emit(line, `第${this.tableNo}个表格 第${this.rowNo}行`, { kind: 'row', row: info });
  }

  private emit(line: string, where: string, source: LineSource | undefined): void {
    if (this.lines.length >= MAX_LINES)
      throw new DocxError(`Word 文档内容过多（超过 ${wan(MAX_LINES)}行），已拒绝`);
    this.lines.push(line);
    this.wheres.push(where);
    if (source) this.sources.push(source);
  }

  finish(): DocxText {
    if (!this.body) throw new DocxError(`${INVALID}（没有正文）`);
    return { text: this.lines.join('\n') + '\n', wheres: this.wheres };
  }
}

// ------------------------------------------------------------------ numbering

interface Level {
  fmt: string;
  text: string;
  start: number;
}
/** A numbering instance: its abstract list (whose counters instances share) and start overrides. */
interface NumInstance {
  abstractId: string;
  levels: Level[];
  overrides: Map<number, number>;
}
type Numbering = Map<string, NumInstance>;

/** Largest numbering part read. */
const MAX_NUMBERING_BYTES = 16 * 1024 * 1024;

function readNumbering(archive: Archive, files?: Record<string, Uint8Array>): Numbering | null {
  const entry = archive.numbering;
  if (!entry) return null;
  const reader = new NumberingReader(entry.name);
  if (files) {
    if (files[entry.name].length > MAX_NUMBERING_BYTES) throw numberingTooLarge();
    feed(files[entry.name], reader);
  } else {
    const budget: InflateBudget = { bytesLeft: MAX_NUMBERING_BYTES };
    const decode = decoder();
    guard(() =>
      inflateEntry(archive.bytes, entry, archive.budget, (chunk) => {
        budget.bytesLeft -= chunk.length;
        if (budget.bytesLeft < 0) throw numberingTooLarge();
        reader.write(decode(chunk, false));
      }),
    );
    reader.write(decode(new Uint8Array(0), true));
    reader.close();
  }
  return reader.numbering();
}

const numberingTooLarge = () =>
  new DocxError(`Word 文档的编号定义过大（超过 ${MAX_NUMBERING_BYTES / 1024 / 1024} MB），已拒绝`);

/** abstractNum/lvl/{numFmt,lvlText,start} and num/{abstractNumId,lvlOverride/startOverride}, by path. */
class NumberingReader extends XmlReader {
  private readonly path: string[] = [];
  private readonly abstract = new Map<string, Level[]>();
  private readonly nums: Array<{ id: string; abstractId: string; overrides: Map<number, number> }> = [];
  private levels: Level[] = [];
  private level: Level | null = null;
  private overrideLevel = 0;

  protected onOpen(local: string, tag: SaxesTagPlain): void {
    const path = this.path;
    const d = path.length;
    path.push(local);
    if (d === 1) {
      if (local === 'abstractNum') {
        this.levels = [];
        this.abstract.set(attrOf(tag, 'abstractNumId') ?? '', this.levels);
      } else if (local === 'num')
        this.nums.push({ id: attrOf(tag, 'numId') ?? '', abstractId: '', overrides: new Map() });
    } else if (d === 2) {
      const num = this.nums[this.nums.length - 1];
      if (path[1] === 'abstractNum' && local === 'lvl') {
        this.level = { fmt: 'decimal', text: '', start: 1 };
        this.levels[Number(attrOf(tag, 'ilvl') ?? 0)] = this.level;
      } else if (path[1] === 'num' && local === 'abstractNumId') num.abstractId = attrOf(tag, 'val') ?? '';
      else if (path[1] === 'num' && local === 'lvlOverride')
        this.overrideLevel = Number(attrOf(tag, 'ilvl') ?? 0);
    } else if (d === 3) {
      const val = attrOf(tag, 'val');
      if (path[1] === 'abstractNum' && path[2] === 'lvl' && this.level) {
        if (local === 'numFmt') this.level.fmt = val ?? 'decimal';
        else if (local === 'lvlText') this.level.text = val ?? '';
        else if (local === 'start') this.level.start = Number(val ?? 1);
      } else if (path[1] === 'num' && path[2] === 'lvlOverride' && local === 'startOverride' && val != null) {
        this.nums[this.nums.length - 1].overrides.set(this.overrideLevel, Number(val));
      }
    }
  }

  protected onClose(): void {
    this.path.pop();
  }
  protected onText(): void {}

  numbering(): Numbering {
    const out: Numbering = new Map();
    for (const n of this.nums)
      out.set(n.id, {
        abstractId: n.abstractId,
        levels: this.abstract.get(n.abstractId) ?? [],
        overrides: n.overrides,
      });
    return out;
  }
}

const CN = '〇一二三四五六七八九十';
function cnNumber(n: number): string {
  if (n <= 10) return CN[n];
  if (n < 20) return '十' + CN[n - 10];
  return CN[Math.floor(n / 10)] + '十' + (n % 10 ? CN[n % 10] : '');
}

/**
 * The number Word shows before a numbered paragraph. Instances of one abstract list share its
 * counters (LibreOffice writes the first heading with its own instance that restarts at 1 and the
 * rest with another that continues); a start override restarts the count where its instance is
 * first used.
 */
function numberPrefix(
  numbering: Numbering | null,
  counters: Map<string, number[]>,
  used: Set<string>,
  numId: string,
  ilvl: number,
): string {
  if (!numbering) return '';
  const inst = numbering.get(numId);
  const levels = inst?.levels;
  if (!inst || !levels?.[ilvl] || numId === '0') return '';
  const c = counters.get(inst.abstractId) ?? [];
  if (!used.has(numId)) {
    used.add(numId);
    const start = inst.overrides.get(ilvl);
    if (start != null) c[ilvl] = start - 1;
  }
  c[ilvl] = (c[ilvl] ?? levels[ilvl].start - 1) + 1;
  c.length = ilvl + 1;
  counters.set(inst.abstractId, c);
  return levels[ilvl].text.replace(/%(\d)/g, (_, d) => {
    const i = Number(d) - 1;
    const v = c[i] ?? levels[i]?.start ?? 1;
    const fmt = levels[i]?.fmt ?? 'decimal';
    return /chinese|ideograph|japaneseCounting/i.test(fmt) ? cnNumber(v) : String(v);
  });
}
