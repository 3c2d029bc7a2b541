// Feedback to each unit (反馈意见): from the review, one Word letter per body in the register of an
// official letter — the reports reviewed, their problems grouped by the report's section with the
// place in the unit's own file and the suggested correction, the cross-year notes and the key
// figures — and one document holding every letter (the untitled and unreadable files included), for
// the reviewing office to edit, sign and send.
import fs from 'node:fs';
import path from 'node:path';
import {
  AlignmentType,
  BorderStyle,
  Document,
  LineRuleType,
  Packer,
  Paragraph,
  type ParagraphChild,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import {
  CROSS_YEAR_RULES,
  type JsonFinding,
  type JsonResult,
  SECTIONS,
  sameBody,
} from '../../grammar/src/index.js';
import { describeIoError } from '../config.js';
import { type BodyHistory, histories, signedChange } from './history.js';
import {
  FIGURES,
  figureWhy,
  fixTitleOf,
  locationOf,
  type Review,
  type ReviewPair,
  type ReviewRow,
  uncompared,
  wasChecked,
} from './summary.js';

/** The document holding every letter. */
export const COMBINED_NAME = '全部反馈意见.docx';

// ------------------------------------------------------------------ wording

/** What a letter asks of the unit for a finding of each severity. */
export const SEVERITY_PHRASE: Record<string, string> = {
  error: '须改正',
  warning: '建议核实',
  info: '供参考',
};
const phraseOf = (f: JsonFinding) => SEVERITY_PHRASE[f.severity] ?? '供参考';

const CROSS_IDS = new Set(CROSS_YEAR_RULES.map((r) => r.id));
const isCrossYear = (f: JsonFinding) => CROSS_IDS.has(f.ruleId);

const DIGITS = '零一二三四五六七八九';
/** 1 → 一, 12 → 十二, 25 → 二十五 (up to 99). */
export function chineseNumber(n: number): string {
  if (n < 10) return DIGITS[n];
  if (n >= 100) return String(n);
  const tens = Math.floor(n / 10);
  return `${tens > 1 ? DIGITS[tens] : ''}十${n % 10 ? DIGITS[n % 10] : ''}`;
}

/** The numbering of an official text's levels: 一、（一）1.（1） */
const NUMBERS = [
  (i: number) => `${chineseNumber(i)}、`,
  (i: number) => `（${chineseNumber(i)}）`,
  (i: number) => `${i}.`,
  (i: number) => `（${i}）`,
];

/** A sentence without its closing full stop (a message may end with one). */
const bare = (s: string) => s.replace(/[。；;，,\s]+$/u, '');

// ------------------------------------------------------------------ the letters as a model

/** One block of a letter: a paragraph at a level, or the figures table. */
type Block =
  | { kind: 'title'; text: string }
  | { kind: 'to'; text: string }
  | { kind: 'text'; text: string }
  | { kind: 'heading'; level: number; text: string }
  | { kind: 'item'; level: number; text: string }
  | { kind: 'figures'; reports: ReviewRow[] }
  | { kind: 'sign' };

export interface Letter {
  /** The body the letter is sent to; null for an untitled or unreadable file. */
  body: string | null;
  blocks: Block[];
}

/** The standard heading of the report's section a line is in (一、总体情况 …), or the title's part. */
function sectionOf(result: JsonResult, line: number): { key: string; order: number } {
  let found: JsonResult['sections'][number] | undefined;
  for (const s of result.sections) if (s.line <= line && (!found || s.line >= found.line)) found = s;
  if (!found) return { key: '报告标题及开头', order: -1 };
  const spec = SECTIONS.find((s) => s.id === found.id);
  return { key: spec?.standard ?? found.heading, order: spec ? SECTIONS.indexOf(spec) : found.line };
}

/** A finding as a letter item: the problem, where it is, what is asked, and the correction. */
function findingText(f: JsonFinding): string {
  const fix = fixTitleOf(f);
  return `${bare(f.message)}（位置：${locationOf(f)}）。${phraseOf(f)}${fix ? `，修改建议：${bare(fix)}` : ''}。`;
}

/** The file name a unit knows its report by. */
const fileLabel = (file: string) => path.basename(file);

const titleOf = (row: ReviewRow, result: JsonResult | undefined) =>
  result?.title ?? (row.body && row.year ? `${row.body}${row.year}年政府信息公开工作年度报告` : null);

/** How a report is named in a letter: 《title》（2024年度，文件：x.docx）. */
function reportName(row: ReviewRow, result: JsonResult | undefined): string {
  const title = titleOf(row, result);
  const year = row.year ? `${row.year}年度，` : '';
  return title
    ? `《${title}》（${year}文件：${fileLabel(row.file)}）`
    : `文件“${fileLabel(row.file)}”${row.year ? `（${row.year}年度）` : ''}`;
}

/** The problems of one report grouped by its sections (cross-year findings are said apart). */
function problemBlocks(row: ReviewRow, result: JsonResult | undefined, level: number): Block[] {
  const own = row.findings.filter((f) => !isCrossYear(f));
  if (!own.length)
    return [
      {
        kind: 'text',
        text: row.findings.length
          ? '经审核，该报告本身未发现需要修改的问题；与上一年度报告对照发现的问题见“跨年度对照情况”。'
          : '经审核，未发现该报告存在需要修改的问题。',
      },
    ];
  const groups = new Map<string, { order: number; findings: JsonFinding[] }>();
  for (const f of own) {
    const s = result ? sectionOf(result, f.line) : { key: '报告正文', order: 0 };
    const g = groups.get(s.key) ?? { order: s.order, findings: [] };
    g.findings.push(f);
    groups.set(s.key, g);
  }
  const counts = ['error', 'warning', 'info']
    .map((sev) => [SEVERITY_PHRASE[sev], own.filter((f) => f.severity === sev).length] as const)
    .filter(([, n]) => n)
    .map(([phrase, n]) => `${phrase}${n}处`)
    .join('、');
  const out: Block[] = [
    { kind: 'text', text: `经审核，该报告共有${own.length}处问题（${counts}），具体如下：` },
  ];
  [...groups]
    .sort((a, b) => a[1].order - b[1].order)
    .forEach(([key, g], gi) => {
      const part = /^[一二三四五六七八九十]+、/.test(key) ? `“${key}”部分` : key;
      out.push({ kind: 'heading', level, text: `${NUMBERS[level](gi + 1)}${part}` });
      g.findings
        .sort((a, b) => a.line - b.line || a.column - b.column)
        .forEach((f, i) =>
          out.push({ kind: 'item', level: level + 1, text: `${NUMBERS[level + 1](i + 1)}${findingText(f)}` }),
        );
    });
  return out;
}

/** The cross-year notes of one pair: its findings and the large changes of the key figures. */
function pairItems(pair: ReviewPair, current: ReviewRow, level: number): Block[] {
  const items = [
    ...current.findings.filter(isCrossYear).map(findingText),
    ...pair.changes
      .filter((c) => c.jump)
      .map(
        (c) =>
          `${c.label}由${pair.previousYear ?? '上'}年度的${c.previous}变为${pair.currentYear ?? '本'}年度的${c.current}（${signedChange(c.previous, c.current)}），变化较大，建议核实并在报告中说明原因。`,
      ),
  ];
  // Figures unknown in either year could not be compared: said, never passed as agreeing.
  const open = uncompared(pair);
  const note: Block[] = open.length
    ? [
        {
          kind: 'text',
          text: `${open.map((c) => c.label).join('、')}未能对照（${[...new Set(open.map((c) => c.why))].join('；')}）。`,
        },
      ]
    : [];
  if (!items.length) return [{ kind: 'text', text: '两个年度的报告对照，未发现问题。' }, ...note];
  return [
    ...items.map((text, i): Block => ({ kind: 'item', level, text: `${NUMBERS[level](i + 1)}${text}` })),
    ...note,
  ];
}

const OPENING = '按照政府信息公开工作年度报告审核工作安排，我们对你单位报送的';
const CLOSING =
  '请你单位对照上述意见逐项核实，对须改正的问题予以修改，对建议核实的事项核实后说明情况，于　　年　　月　　日前将修改后的年度报告报送我单位。';

/** The closing: what is asked when there is something to correct or check, else a plain close. */
const CLEAN_CLOSING = '特此反馈。';
const RESEND =
  '请你单位核实文件是否完整、格式是否正确，于　　年　　月　　日前重新报送可以打开的年度报告文件。';

function closingBlocks(text: string): Block[] {
  return [{ kind: 'text', text }, { kind: 'text', text: '联系人：　　　　　　联系电话：' }, { kind: 'sign' }];
}

/** The letter to one body about its reports (one or several years). */
function bodyLetter(
  body: string,
  rows: ReviewRow[],
  resultOf: (file: string) => JsonResult | undefined,
  all: BodyHistory[],
): Letter {
  rows.sort((a, b) => (a.year ?? 0) - (b.year ?? 0) || a.file.localeCompare(b.file));
  const several = rows.length > 1;
  const years = [...new Set(rows.flatMap((r) => (r.year ? [r.year] : [])))];
  const onlyTitle = !several ? titleOf(rows[0], resultOf(rows[0].file)) : null;
  const blocks: Block[] = [
    {
      kind: 'title',
      text: onlyTitle
        ? `关于《${onlyTitle}》的审核反馈意见`
        : `关于${body}${years.length ? `${years.join('、')}年度` : ''}政府信息公开工作年度报告的审核反馈意见`,
    },
    { kind: 'to', text: `${body}：` },
    {
      kind: 'text',
      text: `${OPENING}${rows.map((r) => reportName(r, resultOf(r.file))).join('、')}进行了审核。现将审核意见反馈如下：`,
    },
  ];
  let top = 0;
  blocks.push({ kind: 'heading', level: 0, text: `${NUMBERS[0](++top)}审核发现的问题` });
  if (several)
    rows.forEach((r, i) => {
      blocks.push({
        kind: 'heading',
        level: 1,
        text: `${NUMBERS[1](i + 1)}${r.year ? `${r.year}年度报告` : '年度不详的报告'}（文件：${fileLabel(r.file)}）`,
      });
      blocks.push(...problemBlocks(r, resultOf(r.file), 2));
    });
  else blocks.push(...problemBlocks(rows[0], resultOf(rows[0].file), 1));

  // Cross-year notes: each neighbouring pair of the body's years (compared, or why not).
  const history = all.find((h) => sameBody(h.body, body));
  const steps = history?.steps ?? [];
  if (steps.length) {
    blocks.push({ kind: 'heading', level: 0, text: `${NUMBERS[0](++top)}跨年度对照情况` });
    steps.forEach((s, i) => {
      const current = s.pair && rows.find((r) => r.file === s.pair!.current);
      const head = `${NUMBERS[1](i + 1)}${s.to}年度报告与${s.from}年度报告对照`;
      if (s.pair && current) {
        blocks.push({ kind: 'heading', level: 1, text: head });
        blocks.push(...pairItems(s.pair, current, 2));
      } else blocks.push({ kind: 'heading', level: 1, text: `${head}：未能对照（${bare(s.why ?? '')}）。` });
    });
  }
  blocks.push({ kind: 'heading', level: 0, text: `${NUMBERS[0](++top)}主要数据` });
  blocks.push({ kind: 'figures', reports: rows });
  const asked = rows.some((r) => r.findings.length) || steps.some((s) => s.pair?.changes.some((c) => c.jump));
  blocks.push(...closingBlocks(asked ? CLOSING : CLEAN_CLOSING));
  return { body, blocks };
}

/** The letter about a file with no body: its title was not found, or it could not be read. */
function fileLetter(row: ReviewRow, result: JsonResult | undefined): Letter {
  const name = fileLabel(row.file);
  const blocks: Block[] = [
    { kind: 'title', text: `关于报送文件“${name}”的审核反馈意见` },
    { kind: 'to', text: '（报送单位）：' },
  ];
  if (!wasChecked(row)) {
    // The reason as the batch words it may start with the file's path, said already.
    const why = bare((row.reason ?? '原因不明').replace(`${row.file}：`, ''));
    blocks.push({
      kind: 'text',
      text:
        row.status === 'unchecked'
          ? `你单位报送的文件“${row.file}”本次未能审核（${why}）。`
          : `你单位报送的文件“${row.file}”无法读取（${why}），未能审核。`,
    });
    blocks.push(...closingBlocks(RESEND));
    return { body: null, blocks };
  }
  blocks.push({
    kind: 'text',
    text: `${OPENING}文件“${row.file}”进行了审核。该报告未能识别标题（机关名称和年度），请按模板补充规范的标题。现将审核意见反馈如下：`,
  });
  blocks.push({ kind: 'heading', level: 0, text: `${NUMBERS[0](1)}审核发现的问题` });
  blocks.push(...problemBlocks(row, result, 1));
  blocks.push({ kind: 'heading', level: 0, text: `${NUMBERS[0](2)}主要数据` });
  blocks.push({ kind: 'figures', reports: [row] });
  blocks.push(...closingBlocks(CLOSING));
  return { body: null, blocks };
}

/**
 * The letters of a review: one per body (its reports of every year, by body however its name is
 * written), in name order, then one per file without a body (untitled or unreadable).
 */
export function feedbackLetters(review: Review, results: Array<JsonResult | null>): Letter[] {
  const byFile = new Map(results.flatMap((r) => (r ? [[r.file, r] as const] : [])));
  const resultOf = (file: string) => byFile.get(file);
  const groups: Array<{ body: string; rows: ReviewRow[] }> = [];
  const loose: ReviewRow[] = [];
  for (const row of review.rows) {
    if (row.body === null) {
      loose.push(row);
      continue;
    }
    const g = groups.find((x) => sameBody(x.body, row.body!));
    if (g) g.rows.push(row);
    else groups.push({ body: row.body, rows: [row] });
  }
  groups.sort((a, b) => a.body.localeCompare(b.body, 'zh-Hans-CN'));
  const all = histories(review);
  return [
    ...groups.map((g) => bodyLetter(g.body, g.rows, resultOf, all)),
    ...loose.map((r) => fileLetter(r, resultOf(r.file))),
  ];
}

// ------------------------------------------------------------------ Word

// A4, margins of an official document (37/35/28/26 mm), 三号 仿宋 on a fixed 28-point line.
const PAGE = {
  size: { width: 11906, height: 16838 },
  margin: { top: 2098, bottom: 1984, left: 1587, right: 1474 },
};
const TEXT_WIDTH = PAGE.size.width - PAGE.margin.left - PAGE.margin.right;
const BODY_FONT = '仿宋';
const HEADING_FONT = '黑体';
const SIZE = 32; // 三号 (16 pt), in half-points
const LINE = { line: 560, lineRule: LineRuleType.EXACT };

const run = (text: string, options: { font?: string; size?: number; bold?: boolean } = {}) =>
  new TextRun({ text, font: options.font ?? BODY_FONT, size: options.size ?? SIZE, bold: options.bold });

const para = (
  children: ParagraphChild[],
  options: Partial<ConstructorParameters<typeof Paragraph>[0] & object> = {},
) => new Paragraph({ spacing: LINE, alignment: AlignmentType.JUSTIFIED, ...options, children });

/** A figure cell: the number, or — with why it is unknown. */
function figureText(row: ReviewRow, key: (typeof FIGURES)[number]['key']): string {
  const v = row.figures[key];
  if (v !== null) return String(v);
  const why = figureWhy(row, key);
  return why ? `—（${why}）` : '—';
}

function figuresTable(rows: ReviewRow[]): Table {
  const small = (text: string, bold = false) =>
    new TableCell({
      children: [
        new Paragraph({
          alignment: AlignmentType.CENTER,
          children: [run(text, { size: 24, bold, font: bold ? HEADING_FONT : BODY_FONT })],
        }),
      ],
    });
  const first = 2600;
  const other = Math.floor((TEXT_WIDTH - first) / rows.length);
  const head = (r: ReviewRow) =>
    (r.year ? `${r.year}年度` : '年度不详') +
    (rows.filter((x) => x.year === r.year).length > 1 ? `（${fileLabel(r.file)}）` : '');
  const border = { style: BorderStyle.SINGLE, size: 4, color: '000000' };
  return new Table({
    width: { size: first + other * rows.length, type: WidthType.DXA },
    columnWidths: [first, ...rows.map(() => other)],
    borders: {
      top: border,
      bottom: border,
      left: border,
      right: border,
      insideHorizontal: border,
      insideVertical: border,
    },
    rows: [
      new TableRow({
        tableHeader: true,
        children: [small('项目', true), ...rows.map((r) => small(head(r), true))],
      }),
      ...FIGURES.map(
        (f) =>
          new TableRow({
            children: [small(`${f.table}${f.label}`), ...rows.map((r) => small(figureText(r, f.key)))],
          }),
      ),
    ],
  });
}

function paragraphs(letter: Letter): Array<Paragraph | Table> {
  return letter.blocks.flatMap((b): Array<Paragraph | Table> => {
    switch (b.kind) {
      case 'title':
        return [
          para([run(b.text, { font: HEADING_FONT, size: 44 })], {
            alignment: AlignmentType.CENTER,
            spacing: { line: 700, lineRule: LineRuleType.EXACT, after: 280 },
          }),
        ];
      case 'to':
        return [para([run(b.text)])];
      case 'text':
        return [para([run(b.text)], { indent: { firstLine: 640 } })];
      case 'heading':
        return [
          para([run(b.text, b.level === 0 ? { font: HEADING_FONT } : { bold: b.level === 1 })], {
            indent: { firstLine: 640 },
            alignment: AlignmentType.LEFT,
            keepNext: true,
          }),
        ];
      case 'item':
        return [para([run(b.text)], { indent: { firstLine: 640 } })];
      case 'figures':
        return [
          figuresTable(b.reports),
          ...(b.reports.some((r) => FIGURES.some((f) => r.figures[f.key] === null))
            ? [para([run('注：“—”表示该数据无法从报告中读出，括号内为原因。', { size: 24 })])]
            : []),
        ];
      case 'sign':
        return [
          para([run('')]),
          para([run('')]),
          para([run('（审核单位名称并盖章）')], { alignment: AlignmentType.RIGHT, indent: { right: 640 } }),
          para([run('年　　月　　日')], { alignment: AlignmentType.RIGHT, indent: { right: 640 } }),
        ];
    }
  });
}

/** A Word document of the letters, each starting on a new page. */
export async function lettersDocx(letters: Letter[]): Promise<Uint8Array> {
  const doc = new Document({
    creator: 'nianbao',
    title: letters.length === 1 ? undefined : '审核反馈意见',
    styles: { default: { document: { run: { font: BODY_FONT, size: SIZE } } } },
    sections: letters.map((l) => ({ properties: { page: PAGE }, children: paragraphs(l) })),
  });
  return new Uint8Array(await Packer.toBuffer(doc));
}

// ------------------------------------------------------------------ files

const RESERVED = /^(con|prn|aux|nul|com\d|lpt\d)$/i;

/** A body's name as a file name: no / \ : * ? " < > | or control characters, not too long. */
export function safeFileName(name: string): string {
  let s = name
    .replace(/[/\\:*?"<>|\p{Cc}]/gu, '_')
    .replace(/^[\s.]+|[\s.]+$/gu, '')
    .trim();
  if (s.length > 80) s = s.slice(0, 80);
  if (!s || RESERVED.test(s)) s = `${s}_机关`;
  return s;
}

/**
 * Checks before any report is read that the folder can hold the letters: created when missing,
 * and written to (a probe file written and removed). Returns the reason (Chinese) when it cannot.
 */
export function checkFeedbackDir(dir: string): string | null {
  let exists = false;
  try {
    exists = true;
    if (!fs.statSync(dir).isDirectory()) return `反馈意见目录“${dir}”已存在且不是目录`;
  } catch {
    exists = false;
  }
  if (!exists)
    try {
      fs.mkdirSync(dir, { recursive: true });
    } catch (e) {
      return `无法创建反馈意见目录“${dir}”（${describeIoError(e, 'write')}）`;
    }
  const probe = path.join(dir, `.nianbao-${process.pid}.tmp`);
  try {
    fs.writeFileSync(probe, '');
    fs.rmSync(probe);
  } catch (e) {
    return `无法在反馈意见目录“${dir}”中写入文件（${describeIoError(e, 'write')}）`;
  }
  return null;
}

export interface FeedbackWritten {
  /** The letters written, one per body, by body. */
  letters: Array<{ body: string; file: string }>;
  combined: string | null;
  /** Files that could not be written, with why (Chinese). */
  failed: string[];
}

/**
 * Writes one .docx per body and the combined document into dir. A name already taken (another
 * body's, a report being reviewed) gets a number: no report is ever written over.
 */
export async function writeFeedback(
  review: Review,
  results: Array<JsonResult | null>,
  dir: string,
  inputs: string[] = [],
): Promise<FeedbackWritten> {
  const letters = feedbackLetters(review, results);
  const taken = new Set(inputs.map((f) => path.resolve(f).toLowerCase()));
  const claim = (stem: string) => {
    for (let n = 1; ; n++) {
      const file = path.join(dir, `${stem}${n > 1 ? `（${n}）` : ''}.docx`);
      if (!taken.has(path.resolve(file).toLowerCase())) {
        taken.add(path.resolve(file).toLowerCase());
        return file;
      }
    }
  };
  const combinedFile = claim(path.basename(COMBINED_NAME, '.docx'));
  const out: FeedbackWritten = { letters: [], combined: null, failed: [] };
  const write = (file: string, bytes: Uint8Array) => {
    try {
      fs.writeFileSync(file, bytes);
      return true;
    } catch (e) {
      out.failed.push(`${file}：无法写出反馈意见（${describeIoError(e, 'write')}）`);
      return false;
    }
  };
  // Each letter made once; the combined document is put together from them (combineLetters).
  const made: Uint8Array[] = [];
  for (const l of letters) {
    const bytes = await lettersDocx([l]);
    made.push(bytes);
    if (l.body === null) continue;
    const file = claim(safeFileName(l.body));
    if (write(file, bytes)) out.letters.push({ body: l.body, file });
  }
  if (made.length && write(combinedFile, combineLetters(made))) out.combined = combinedFile;
  return out;
}

/**
 * One document of several letters, each made by lettersDocx alone: the first letter's package with
 * every letter's body in turn, each ending its own section (so each starts on a new page with its
 * own page setup) — as lettersDocx([all]) would make it, without building every paragraph again.
 * The letters share their styles and have no relationships of their own (no images or links).
 */
export function combineLetters(docs: Uint8Array[]): Uint8Array {
  if (docs.length === 1) return docs[0];
  const parts = docs.map((d) => unzipSync(d));
  const xml = parts.map((p) => strFromU8(p['word/document.xml']));
  const bodies = xml.map((x, i) => {
    const inner = x.slice(x.indexOf('<w:body>') + '<w:body>'.length, x.lastIndexOf('</w:body>'));
    if (i === xml.length - 1) return inner;
    // A section's properties end the body of a document; inside one, they end its section's last paragraph.
    const at = inner.lastIndexOf('<w:sectPr');
    return `${inner.slice(0, at)}<w:p><w:pPr>${inner.slice(at)}</w:pPr></w:p>`;
  });
  const first = xml[0];
  const document = `${first.slice(0, first.indexOf('<w:body>') + '<w:body>'.length)}${bodies.join('')}</w:body>${first.slice(first.lastIndexOf('</w:body>') + '</w:body>'.length)}`;
  return zipSync({ ...parts[0], 'word/document.xml': strToU8(document) });
}
