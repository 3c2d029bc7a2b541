// Word renderings of the matrix reports (built with the docx package): realistic column widths on
// an A4 page, merged cells as Word writes them, and the two variants offices' files come in —
// form templates with content controls and documents with tracked changes.
import {
  DOMParser,
  XMLSerializer,
  type Document as XmlDocument,
  type Element as XmlElement,
} from '@xmldom/xmldom';
import {
  AlignmentType,
  DeletedTextRun,
  Document,
  Footer,
  Header,
  HeightRule,
  InsertedTextRun,
  LineRuleType,
  Packer,
  PageNumber,
  Paragraph,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  TextRun,
  VerticalAlign,
  VerticalMergeType,
  WidthType,
} from 'docx';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { type Doc, type DocTable, grid, type MatrixReport } from './reports.js';

/**
 * `running`: a running header, a page-number footer (第N页 共M页 or - N -) and a watermark on every
 * page; `split`: the same header and footer, and 表三 and 表四 placed so that a page ends after their
 * first header row.
 */
export type WordVariant = 'plain' | 'sdt' | 'tracked' | 'running' | 'split';

const FONT = { ascii: 'Times New Roman', eastAsia: '仿宋_GB2312', hAnsi: 'Times New Roman' };
const REVISION = { author: '办公室', date: '2025-01-10T09:30:00Z' };
let revisionId = 100;

/** Text as runs, numbers in runs of their own (as Word's editing history leaves them). */
function runs(text: string, opts: { bold?: boolean; size?: number } = {}): TextRun[] {
  return text
    .split(/(\d+(?:\.\d+)?)/)
    .filter(Boolean)
    .map((t) => new TextRun({ text: t, bold: opts.bold, size: opts.size ?? 24, font: FONT }));
}

/** A cell's paragraphs: one per line of its text (a line end is Enter typed in the cell). */
function cellParagraphs(text: string, header: boolean): Paragraph[] {
  return text.split('\n').map(
    (line) =>
      new Paragraph({
        alignment: header ? AlignmentType.LEFT : AlignmentType.CENTER,
        children: runs(line, { size: 18 }),
      }),
  );
}

interface TrackedCell {
  row: number;
  col: number;
  old: string;
}

/** A Word table from the document model: gridSpan across, vMerge restart/continue down. */
function wordTable(
  t: DocTable,
  tracked?: { cell?: TrackedCell; deletedRowAfter?: number; deletedRow?: string[] },
  /** Header rows at least this high (twips) and no row split over a page: where pages end is known. */
  headerHeight?: number,
): Table {
  const g = grid(t);
  const rows: TableRow[] = [];
  g.forEach((slots, r) => {
    const cells: TableCell[] = [];
    for (let c = 0; c < slots.length; c++) {
      const s = slots[c];
      if (s.col !== c) continue; // covered by a cell spanning from the left
      const span = s.cell.colspan ?? 1;
      const width = { size: t.widths.slice(c, c + span).reduce((a, b) => a + b, 0), type: WidthType.DXA };
      const columnSpan = span > 1 ? span : undefined;
      if (s.row !== r) {
        cells.push(
          new TableCell({
            children: [new Paragraph('')],
            columnSpan,
            width,
            verticalMerge: VerticalMergeType.CONTINUE,
          }),
        );
        continue;
      }
      let children = cellParagraphs(s.cell.text, !!s.cell.header);
      const tc = tracked?.cell;
      if (tc && tc.row === r && tc.col === c) {
        children = [
          new Paragraph({
            alignment: AlignmentType.CENTER,
            children: [
              new DeletedTextRun({ text: tc.old, size: 18, font: FONT, id: revisionId++, ...REVISION }),
              new InsertedTextRun({ text: s.cell.text, size: 18, font: FONT, id: revisionId++, ...REVISION }),
            ],
          }),
        ];
      }
      cells.push(
        new TableCell({
          children,
          columnSpan,
          width,
          verticalAlign: VerticalAlign.CENTER,
          verticalMerge: (s.cell.rowspan ?? 1) > 1 ? VerticalMergeType.RESTART : undefined,
        }),
      );
    }
    rows.push(
      new TableRow({
        children: cells,
        ...(headerHeight
          ? {
              cantSplit: true,
              ...(r < t.headerRows ? { height: { value: headerHeight, rule: HeightRule.ATLEAST } } : {}),
            }
          : {}),
      }),
    );
    if (tracked?.deletedRow && tracked.deletedRowAfter === r)
      rows.push(deletedRow(t, g, r, tracked.deletedRow));
  });
  return new Table({
    rows,
    width: { size: t.widths.reduce((a, b) => a + b, 0), type: WidthType.DXA },
    columnWidths: t.widths,
    layout: TableLayoutType.FIXED,
  });
}

/**
 * A row deleted with tracked changes on (w:trPr/w:del, its text in w:delText), placed after row
 * `after` inside the same merged group cells, its label and numbers those of an older draft.
 */
function deletedRow(t: DocTable, g: ReturnType<typeof grid>, after: number, texts: string[]): TableRow {
  const slots = g[after];
  const cells: TableCell[] = [];
  let k = 0;
  for (let c = 0; c < slots.length; c++) {
    const s = slots[c];
    if (s.col !== c) continue;
    const span = s.cell.colspan ?? 1;
    const width = { size: t.widths.slice(c, c + span).reduce((a, b) => a + b, 0), type: WidthType.DXA };
    const merged = (s.cell.rowspan ?? 1) > 1 ? s.row + (s.cell.rowspan ?? 1) - 1 > after : false;
    if (s.row !== after || merged) {
      // Inside a group cell that continues below: the deleted row keeps the merge going.
      cells.push(
        new TableCell({
          children: [new Paragraph('')],
          width,
          columnSpan: span > 1 ? span : undefined,
          verticalMerge: VerticalMergeType.CONTINUE,
        }),
      );
      continue;
    }
    const text = texts[k++] ?? '';
    cells.push(
      new TableCell({
        width,
        columnSpan: span > 1 ? span : undefined,
        children: [
          new Paragraph({
            children: text
              ? [new DeletedTextRun({ text, size: 18, font: FONT, id: revisionId++, ...REVISION })]
              : [],
          }),
        ],
      }),
    );
  }
  return new TableRow({ children: cells, deletion: { id: revisionId++, ...REVISION } });
}

/** The report as a .docx file. */
export async function renderWord(
  doc: Doc,
  report: MatrixReport,
  variant: WordVariant = 'plain',
): Promise<Uint8Array> {
  revisionId = 100;
  const children: Array<Paragraph | Table> = [];
  for (const b of doc.blocks) {
    if (b.kind === 'title') {
      children.push(
        new Paragraph({
          alignment: AlignmentType.CENTER,
          spacing: { after: 240 },
          children: runs(b.text, { bold: true, size: 36 }),
        }),
      );
    } else if (b.kind === 'heading') {
      if (variant === 'tracked' && b.section === 'S5') {
        // The heading as first drafted (the standard wording), replaced by the office's own.
        children.push(
          new Paragraph({
            children: [
              new DeletedTextRun({
                text: '五、存在的主要问题及改进情况',
                bold: true,
                size: 24,
                font: FONT,
                id: revisionId++,
                ...REVISION,
              }),
              new InsertedTextRun({
                text: b.text,
                bold: true,
                size: 24,
                font: FONT,
                id: revisionId++,
                ...REVISION,
              }),
            ],
          }),
        );
      } else children.push(new Paragraph({ children: runs(b.text, { bold: true }) }));
    } else if (b.kind === 'paragraph') {
      children.push(new Paragraph({ indent: { firstLine: 480 }, children: runs(b.text) }));
    } else if (variant === 'tracked' && b.table.id === 't3') {
      const t = b.table;
      // 本年新收's total was first typed wrong; the row of 1.信访举报投诉类申请 was typed twice.
      const row0 = t.rows.findIndex((r) => r.t3Row === 0);
      const fresh = report.values.t3[0][6] ?? 0;
      const after = t.rows.findIndex((r) => r.t3Row === 15);
      const old = report.values.t3[15].map((v) => String((v ?? 0) + 2));
      children.push(
        wordTable(t, {
          cell: { row: row0, col: 9, old: String(fresh + 3) },
          deletedRowAfter: after,
          deletedRow: ['1.信访举报投诉类申请', ...old],
        }),
      );
    } else if (variant === 'split' && b.table.id !== 't2') {
      // An empty paragraph on a new page, as high as the page less the table's first header row.
      children.push(
        new Paragraph({
          pageBreakBefore: true,
          spacing: { line: SPLIT_SPACER, lineRule: LineRuleType.EXACT, before: 0, after: 0 },
          children: [],
        }),
      );
      children.push(wordTable(b.table, undefined, SPLIT_ROW));
    } else children.push(wordTable(b.table));
  }
  const document = new Document({
    styles: { default: { document: { run: { font: FONT, size: 24 } } } },
    sections: [
      {
        properties: {
          page: {
            size: { width: 11906, height: 16838 },
            margin: { top: 1440, bottom: 1440, left: 1440, right: 1440 },
          },
        },
        children,
        ...(variant === 'running' || variant === 'split' ? runningHeaderFooter(report) : {}),
      },
    ],
  });
  const files = unzipSync(new Uint8Array(await Packer.toBuffer(document)));
  if (variant === 'sdt') withContentControls(files, doc);
  if (variant === 'running')
    withWatermark(
      files,
      REPORTS_WATERMARK[report.id] ?? '内部资料',
      report.id === 'fenglin' || report.id === 'nanping' ? 'textbox' : 'wordart',
    );
  // Fixed document properties and zip times: the same report gives the same bytes (conversions are cached by them).
  const stamp = `${report.year + 1}-01-15T09:00:00Z`;
  files['docProps/core.xml'] = strToU8(
    strFromU8(files['docProps/core.xml'])
      .replace(/(<dcterms:(?:created|modified)[^>]*>)[^<]*/g, `$1${stamp}`)
      .replace(/Un-named/g, '办公室'),
  );
  return zipSync(files, { mtime: new Date(stamp) });
}

// ------------------------------------------------------------------ printed page furniture

/** Height (twips) of 表三's and 表四's header rows in the `split` variant, and the spacer above them. */
const SPLIT_ROW = 520;
const SPLIT_SPACER = 13958 - SPLIT_ROW - 200;

/** The watermark each report's `running` rendering carries. */
const REPORTS_WATERMARK: Record<string, string> = {
  fenglin: '征求意见稿',
  jiangzhou: '内部资料',
  nanping: '样稿',
  binjiang: '送审稿 请勿外传',
};

/**
 * A running header (the body and the report's name, right-aligned) and a page-number footer,
 * 第N页 共M页 or - N - by report, as offices set them up.
 */
function runningHeaderFooter(report: MatrixReport) {
  const small = (text: string) => new TextRun({ text, size: 18, font: FONT });
  const field = (f: (typeof PageNumber)[keyof typeof PageNumber]) =>
    new TextRun({ children: [f], size: 18, font: FONT });
  const dashed = report.id === 'jiangzhou' || report.id === 'binjiang';
  return {
    headers: {
      default: new Header({
        children: [
          new Paragraph({
            alignment: AlignmentType.RIGHT,
            children: [small(`${report.body}${report.year}年度政务公开工作材料`)],
          }),
        ],
      }),
    },
    footers: {
      default: new Footer({
        children: [
          new Paragraph({
            alignment: AlignmentType.CENTER,
            children: dashed
              ? [small('- '), field(PageNumber.CURRENT), small(' -')]
              : [
                  small('第'),
                  field(PageNumber.CURRENT),
                  small('页 共'),
                  field(PageNumber.TOTAL_PAGES),
                  small('页'),
                ],
          }),
        ],
      }),
    },
  };
}

/**
 * A watermark behind the page, anchored in the header and turned 45°: WordArt as Word inserts one
 * (drawn as outlines in the PDF), or a text box of large grey text (text in the PDF, turned).
 */
function withWatermark(files: Record<string, Uint8Array>, text: string, kind: 'wordart' | 'textbox'): void {
  const name = Object.keys(files).find((f) => /^word\/header\d*\.xml$/.test(f));
  if (!name) throw new Error('running 变体没有页眉');
  const place =
    'position:absolute;margin-left:0;margin-top:0;width:420pt;height:140pt;rotation:315;z-index:-251657216;' +
    'mso-position-horizontal:center;mso-position-horizontal-relative:margin;mso-position-vertical:center;mso-position-vertical-relative:margin';
  const shape =
    kind === 'wordart'
      ? '<v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" adj="10800" path="m@7,l@8,m@5,21600l@6,21600e">' +
        '<v:path textpathok="t" o:connecttype="custom"/><v:textpath on="t" fitshape="t"/><o:lock v:ext="edit" text="t" shapetype="t"/></v:shapetype>' +
        `<v:shape id="PowerPlusWaterMarkObject1" o:spid="_x0000_s2049" type="#_x0000_t136" style="${place}" ` +
        'o:allowincell="f" fillcolor="silver" stroked="f"><v:fill opacity=".5"/>' +
        `<v:textpath style="font-family:&quot;仿宋_GB2312&quot;;font-size:1pt" string="${text}"/></v:shape>`
      : null;
  const box =
    '<wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="0" behindDoc="1" locked="0" layoutInCell="1" allowOverlap="1">' +
    '<wp:simplePos x="0" y="0"/><wp:positionH relativeFrom="margin"><wp:align>center</wp:align></wp:positionH>' +
    '<wp:positionV relativeFrom="margin"><wp:align>center</wp:align></wp:positionV><wp:extent cx="5334000" cy="1778000"/>' +
    '<wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapNone/><wp:docPr id="901" name="水印"/><wp:cNvGraphicFramePr/>' +
    '<a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">' +
    '<wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr><a:xfrm rot="18900000"><a:off x="0" y="0"/><a:ext cx="5334000" cy="1778000"/></a:xfrm>' +
    '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:noFill/></wps:spPr><wps:txbx><w:txbxContent><w:p><w:pPr><w:jc w:val="center"/></w:pPr>' +
    `<w:r><w:rPr><w:color w:val="C0C0C0"/><w:sz w:val="96"/></w:rPr><w:t>${text}</w:t></w:r></w:p></w:txbxContent></wps:txbx>` +
    '<wps:bodyPr rot="0" wrap="square" lIns="0" tIns="0" rIns="0" bIns="0" anchor="ctr"/></wps:wsp></a:graphicData></a:graphic></wp:anchor>';
  const run = shape ? `<w:pict>${shape}</w:pict>` : `<w:drawing>${box}</w:drawing>`;
  let xml = strFromU8(files[name]);
  for (const [prefix, ns] of [
    ['v', 'urn:schemas-microsoft-com:vml'],
    ['o', 'urn:schemas-microsoft-com:office:office'],
  ])
    if (!xml.includes(`xmlns:${prefix}=`)) xml = xml.replace('<w:hdr ', `<w:hdr xmlns:${prefix}="${ns}" `);
  files[name] = strToU8(xml.replace('</w:hdr>', `<w:p><w:r>${run}</w:r></w:p></w:hdr>`));
}

// ------------------------------------------------------------------ content controls

const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
let sdtId = 5000;

function textOf(el: XmlElement): string {
  let s = '';
  const ts = el.getElementsByTagNameNS(W, 't');
  for (let i = 0; i < ts.length; i++) s += ts[i].textContent ?? '';
  return s;
}

const children = (el: XmlElement, local: string): XmlElement[] => {
  const out: XmlElement[] = [];
  for (let n = el.firstChild; n; n = n.nextSibling)
    if (n.nodeType === 1 && (n as XmlElement).localName === local) out.push(n as XmlElement);
  return out;
};

/** Wraps consecutive sibling nodes in <w:sdt><w:sdtPr>…</w:sdtPr><w:sdtContent>…</w:sdtContent></w:sdt>. */
function wrapSdt(xml: XmlDocument, nodes: XmlElement[], alias: string): void {
  if (!nodes.length) return;
  const sdt = xml.createElementNS(W, 'w:sdt');
  const pr = xml.createElementNS(W, 'w:sdtPr');
  const a = xml.createElementNS(W, 'w:alias');
  a.setAttributeNS(W, 'w:val', alias);
  pr.appendChild(a);
  const tag = xml.createElementNS(W, 'w:tag');
  tag.setAttributeNS(W, 'w:val', `nb${sdtId}`);
  pr.appendChild(tag);
  const id = xml.createElementNS(W, 'w:id');
  id.setAttributeNS(W, 'w:val', String(sdtId++));
  pr.appendChild(id);
  const content = xml.createElementNS(W, 'w:sdtContent');
  sdt.appendChild(pr);
  sdt.appendChild(content);
  nodes[0].parentNode!.insertBefore(sdt, nodes[0]);
  for (const n of nodes) content.appendChild(n);
}

/**
 * Content controls as form-style templates use them: headings and whole tables in block-level
 * controls, 表三 rows in row-level ones (a group of rows in one, single rows in others), cells of
 * 表二 and of 表三's first row in cell-level ones, the body's name and numbers in run-level ones.
 */
function withContentControls(files: Record<string, Uint8Array>, doc: Doc): void {
  sdtId = 5000;
  const xml = new DOMParser().parseFromString(strFromU8(files['word/document.xml']), 'text/xml');
  const body = xml.getElementsByTagNameNS(W, 'body')[0];
  const headings = new Set(doc.blocks.flatMap((b) => (b.kind === 'heading' ? [b.text] : [])));
  const title = doc.blocks.find((b) => b.kind === 'title')!.text;
  const paragraphs = children(body, 'p');
  const tables = children(body, 'tbl');
  const [t2, t3, t4] = tables;
  const t3Doc = doc.blocks.flatMap((b) => (b.kind === 'table' && b.table.id === 't3' ? [b.table] : []))[0];

  // Run level: the body's name in the title, the numbers of S1's count sentence.
  for (const p of paragraphs) {
    const text = textOf(p);
    const rs = children(p, 'r');
    if (text === title) {
      const nameRun = rs[0];
      if (nameRun) wrapSdt(xml, [nameRun], '单位名称');
      const year = rs.find((r) => /^\d{4}$/.test(textOf(r)));
      if (year) wrapSdt(xml, [year], '年度');
    } else if (/收到政府信息公开申请/.test(text)) {
      for (const r of rs) if (/^\d+$/.test(textOf(r))) wrapSdt(xml, [r], '数字');
    }
  }
  // Block level: every heading; the whole of 表四.
  for (const p of paragraphs) if (headings.has(textOf(p))) wrapSdt(xml, [p], '章节标题');
  if (t4) wrapSdt(xml, [t4], '表四');
  // Cell level: 表二's numbers, 表三's first data row.
  if (t2)
    for (const tr of children(t2, 'tr'))
      for (const tc of children(tr, 'tc'))
        if (/^[\d.]*$/.test(textOf(tc)) && textOf(tc)) wrapSdt(xml, [tc], '数值');
  if (t3 && t3Doc) {
    const trs = children(t3, 'tr');
    const at = (row: number) => trs[t3Doc.rows.findIndex((r) => r.t3Row === row)];
    const first = at(0);
    if (first)
      for (const tc of children(first, 'tc')) if (/^\d+$/.test(textOf(tc))) wrapSdt(xml, [tc], '数值');
    // Row level: 不予公开's rows in one control, 不予处理's rows one control each.
    const group = [4, 5, 6, 7, 8, 9, 10, 11].map(at).filter(Boolean);
    wrapSdt(xml, group, '不予公开');
    for (const r of [15, 16, 17, 18, 19]) {
      const tr = at(r);
      if (tr) wrapSdt(xml, [tr], '不予处理');
    }
  }
  files['word/document.xml'] = strToU8(new XMLSerializer().serializeToString(xml));
}
