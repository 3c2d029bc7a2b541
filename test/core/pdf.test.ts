// PDF: the three real reports read from the PDF equal what `pdftotext -layout` gives; bad PDFs refused.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { check, ReadError, readReportAsync, toJSON } from '../../grammar/src/index.js';
import { garbled } from '../../grammar/src/read/pdf-grid.js';
import { hasCorpus } from '../corpus.js';

const real = (f: string) => new URL(`../../../shared/corpus/real/${f}`, import.meta.url);

describe.each(['001_hongzequ_2023', '002_hongzequ_2024', '003_huaianshi_2024'])('real/%s.pdf', (name) => {
  it.skipIf(!hasCorpus)('every section and every t2/t3/t4 cell, equal to the .txt version', async () => {
    const r = await readReportAsync(readFileSync(real(`${name}.pdf`)), `${name}.pdf`);
    const c = check(r.text);
    const ref = check(readFileSync(real(`${name}.txt`), 'utf8'));
    expect(c.report.sections.map((s) => s.id)).toEqual(['S1', 'S2', 'S3', 'S4', 'S5', 'S6']);
    expect(c.report.tables.t2!.values).toEqual(ref.report.tables.t2!.values);
    expect(c.report.tables.t3!.values).toEqual(ref.report.tables.t3!.values);
    expect(c.report.tables.t4!.values).toEqual(ref.report.tables.t4!.values);
    expect(c.findings.map((f) => f.message)).toEqual(ref.findings.map((f) => f.message));
  });
});

describe('real/001 from the PDF', () => {
  it.skipIf(!hasCorpus)('finds the known errors, with the page they are on', async () => {
    const r = await readReportAsync(readFileSync(real('001_hongzequ_2023.pdf')), '001.pdf');
    const json = toJSON('001.pdf', check(r.text), r.where);
    const t4 = json.findings.filter((f) => f.ruleId === 't4-total');
    expect(t4).toHaveLength(2);
    expect(t4.every((f) => f.where === '第4页 第3个表格 第4行')).toBe(true);
    expect(json.findings.find((f) => f.ruleId === 'outdated-template')?.where).toMatch(
      /^第4页 第2个表格 第\d+行$/,
    );
  });
});

describe('bad PDFs', () => {
  const refuse = async (bytes: Uint8Array, reason: RegExp) => {
    let err: unknown;
    try {
      await readReportAsync(bytes, 'bad.pdf');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ReadError);
    expect((err as Error).message).toMatch(/^bad\.pdf：/);
    expect((err as Error).message).toMatch(reason);
  };
  it('not a PDF', () => refuse(Buffer.from('hello, this is not a pdf at all'), /不是有效的 PDF 文件/));
  it.skipIf(!hasCorpus)('truncated', () =>
    refuse(readFileSync(real('003_huaianshi_2024.pdf')).subarray(0, 5000), /不是有效的 PDF 文件|没有文字层/),
  );
  it('no text layer (a scan)', () => {
    // A one-page PDF with a drawing and no text.
    const body = '0 0 m 100 100 l S';
    const objs = [
      '<< /Type /Catalog /Pages 2 0 R >>',
      '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
      '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>',
      `<< /Length ${body.length} >>\nstream\n${body}\nendstream`,
    ];
    let pdf = '%PDF-1.4\n';
    const offs: number[] = [];
    objs.forEach((o, i) => {
      offs.push(pdf.length);
      pdf += `${i + 1} 0 obj\n${o}\nendobj\n`;
    });
    const xref = pdf.length;
    pdf += `xref\n0 ${objs.length + 1}\n0000000000 65535 f \n${offs.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}trailer\n<< /Size ${objs.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
    return refuse(Buffer.from(pdf, 'latin1'), /PDF 没有文字层（可能是扫描件）/);
  });
  it.skipIf(!hasCorpus)(
    'fonts without a Unicode map (text that copies as garbage): said once, as for a scan',
    () => {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'nianbao-pdf-'));
      const plain = path.join(dir, 'plain.pdf');
      const q = spawnSync('qpdf', [
        '--qdf',
        '--object-streams=disable',
        real('002_hongzequ_2024.pdf').pathname,
        plain,
      ]);
      expect(q.status, 'qpdf (Debian package qpdf) is needed for this test').toBe(0);
      // Each font's /ToUnicode key renamed (same length, so the cross-reference table stays right):
      // pdf.js is left with the glyph numbers, as with a PDF made without Unicode maps.
      const bytes = readFileSync(plain);
      const latin = bytes.toString('latin1');
      expect(latin).toContain('/ToUnicode');
      return refuse(
        Buffer.from(latin.replaceAll('/ToUnicode', '/NoUnicode'), 'latin1'),
        /^bad\.pdf：PDF 的文字层无法读取（字体缺少 Unicode 映射，复制出的文字是乱码）/,
      );
    },
  );
  it('a symbol font of bullets (private use) in a readable report is no garbage; a body font of glyph numbers is', () => {
    const fonts = (...f: Array<[number, number]>) => new Map(f.map(([n, bad], i) => [`f${i}`, { n, bad }]));
    expect(garbled(fonts([2400, 0], [300, 0], [12, 12]))).toBe(false);
    expect(garbled(fonts([2400, 0], [300, 290]))).toBe(true);
    expect(garbled(fonts([2400, 2000], [300, 0]))).toBe(true);
  });
  it.skipIf(!hasCorpus)('the same PDF with its Unicode maps reads', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'nianbao-pdf-'));
    const plain = path.join(dir, 'plain.pdf');
    spawnSync('qpdf', ['--qdf', '--object-streams=disable', real('002_hongzequ_2024.pdf').pathname, plain]);
    const r = await readReportAsync(readFileSync(plain), 'plain.pdf');
    expect(check(r.text).report.sections).toHaveLength(6);
  });
  it.skipIf(!hasCorpus)('encrypted', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'nianbao-pdf-'));
    const out = path.join(dir, 'enc.pdf');
    const q = spawnSync('qpdf', [
      '--encrypt',
      'secret',
      'owner',
      '256',
      '--',
      real('001_hongzequ_2023.pdf').pathname,
      out,
    ]);
    expect(q.status, 'qpdf (Debian package qpdf) is needed for this test').toBe(0);
    return refuse(readFileSync(out), /PDF 已加密/);
  });
});
