// Word files: real tables with merged cells, auto-numbered headings, and refusals of broken zips.
import { readFileSync } from 'node:fs';
import { unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { check, ReadError, readReport } from '../../grammar/src/index.js';
import { SECTIONS } from '../../grammar/src/template.js';
import { hasCorpus } from '../corpus.js';
import { sampleValues } from '../fixtures/build.js';
import { wordReport } from '../fixtures/word.js';

const corpus = new URL('../../../shared/corpus/', import.meta.url);
const v = sampleValues();

describe('.docx', () => {
  it('a Word report: numbered headings, merged cells resolved, every cell read', async () => {
    const r = readReport(await wordReport(), 'qinghe.docx');
    const c = check(r.text);
    expect(c.report.sections.map((s) => s.heading)).toEqual(SECTIONS.map((s) => s.standard));
    expect(c.report.tables.t2!.values).toEqual(v.t2);
    expect(c.report.tables.t3!.values).toEqual(v.t3);
    expect(c.report.tables.t4!.values).toEqual(v.t4);
    expect(c.findings).toEqual([]);
    const line = r.text.split('\n').findIndex((l) => l.startsWith('（七）总计')) + 1;
    expect(r.where(line)).toBe('第2个表格 第26行'); // two header rows, then the 24th data row
  });
  it('a text box is read once, a label broken by a line break inside a cell reads whole', () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><w:body>
      <w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><w:txbxContent><w:p><w:r><w:t>青禾县农业农村局2024年政府信息公开工作年度报告</w:t></w:r></w:p></w:txbxContent></w:drawing></mc:Choice><mc:Fallback><w:pict><w:txbxContent><w:p><w:r><w:t>青禾县农业农村局2024年政府信息公开工作年度报告</w:t></w:r></w:p></w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>
      <w:tbl><w:tr><w:tc><w:p><w:r><w:t>行政规范</w:t><w:br/><w:t>性文件</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>2</w:t></w:r></w:p></w:tc></w:tr></w:tbl>
    </w:body></w:document>`;
    const zip = zipSync({
      '[Content_Types].xml': new TextEncoder().encode('<Types/>'),
      'word/document.xml': new TextEncoder().encode(xml),
    });
    const r = readReport(zip, 'box.docx');
    expect(r.text).toBe('青禾县农业农村局2024年政府信息公开工作年度报告\n行政规范性文件\t2\n');
  });
  it.skipIf(!hasCorpus)(
    'the blank template: the grid read exactly, every numeric cell reported blank',
    () => {
      const r = readReport(readFileSync(new URL('real/template_blank.docx', corpus)), 'template_blank.docx');
      const c = check(r.text);
      expect(c.report.sections.map((s) => s.id)).toEqual(['S1', 'S2', 'S3', 'S4', 'S5', 'S6']);
      expect(c.report.tables.t3!.rows.every((row) => row && row.cells.length === 7)).toBe(true);
      expect(c.report.tables.t2!.rows.map((row) => row!.cells.length)).toEqual([3, 3, 1, 1, 1, 1]);
      expect(c.report.tables.t4!.t4!.cells).toHaveLength(15);
      // One finding per wholly blank table, each cell still marked (parts) and a fill-with-0 suggestion, never a fix.
      const blanks = c.findings.filter((f) => f.ruleId === 'cell-blank');
      expect(blanks.map((f) => f.message)).toEqual([
        '表二全部10个单元格都是空白，表格尚未填写（没有发生的事项应填0）',
        '表三全部175个单元格都是空白，表格尚未填写（没有发生的事项应填0）',
        '表四全部15个单元格都是空白，表格尚未填写（没有发生的事项应填0）',
      ]);
      expect(blanks.map((f) => f.parts!.length)).toEqual([10, 175, 15]);
      expect(blanks.every((f) => !f.fix && f.suggestions![0].title.endsWith('空白单元格填0'))).toBe(true);
      expect(c.findings.filter((f) => f.ruleId === 'placeholder').map((f) => f.message)).toContain(
        '“（文字描述）”：模板说明文字未删除',
      );
    },
  );
  it('the main part found through the package relationships (word/document2.xml)', async () => {
    const files = unzipSync(await wordReport());
    const rename = (from: string, to: string) => {
      files[to] = files[from];
      delete files[from];
    };
    rename('word/document.xml', 'word/document2.xml');
    rename('word/_rels/document.xml.rels', 'word/_rels/document2.xml.rels');
    const edit = (name: string) => {
      files[name] = new TextEncoder().encode(
        new TextDecoder().decode(files[name]).replace('word/document.xml', 'word/document2.xml'),
      );
    };
    edit('_rels/.rels');
    edit('[Content_Types].xml');
    const r = readReport(zipSync(files), 'document2.docx');
    expect(r.text).toBe(readReport(await wordReport(), 'plain.docx').text);
  });
  const refuse = (bytes: Uint8Array, reason: RegExp, limits = {}) => {
    const t0 = performance.now();
    let err: unknown;
    try {
      readReport(bytes, 'bad.docx', limits);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ReadError);
    expect((err as Error).message).toMatch(/^bad\.docx：/);
    expect((err as Error).message).toMatch(reason);
    expect(performance.now() - t0).toBeLessThan(5000);
  };
  it('a truncated zip', async () => refuse((await wordReport()).subarray(0, 2000), /不是有效的 Word 文档/));
  it('a PNG renamed .docx', () =>
    refuse(
      Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]),
      /不是有效的 Word 文档/,
    ));
  it('a zip bomb is refused as soon as the limit is inflated', () => {
    const xml = new TextEncoder().encode(
      `<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${'<w:p/>'.repeat(11 * 1024 * 1024)}</w:body></w:document>`,
    );
    const bomb = zipSync({ 'word/document.xml': xml }, { level: 9 });
    expect(bomb.length).toBeLessThan(1024 * 1024);
    refuse(bomb, /解压后内容过大/, { maxUnzippedBytes: 16 * 1024 * 1024 });
  });
  it('too many entries', () => {
    const files: Record<string, Uint8Array> = {};
    for (let i = 0; i < 50; i++) files[`x/${i}.xml`] = new Uint8Array(1);
    refuse(zipSync(files), /文件过多|内容过大/, { maxEntries: 10 });
  });
});
