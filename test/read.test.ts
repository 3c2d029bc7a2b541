// Readers: encodings, saved web pages, and clear refusals of bad input.
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { check, readReport, readReportAsync, ReadError, toJSON } from '../grammar/src/index.js';
import { report } from './fixtures/build.js';

const corpus = new URL('../../shared/corpus/', import.meta.url);
const iconv = (text: string, to: string) => spawnSync('iconv', ['-f', 'UTF-8', '-t', to], { input: text }).stdout as Buffer;
const summary = (text: string) => check(text).findings.map((f) => `${f.ruleId}@${f.range.start}:${f.message}`);

describe('text encodings', () => {
  const text = readFileSync(new URL('seeds/004_2b2a966791f68e4e.txt', corpus), 'utf8').replace(/\n/g, '\r\n');
  const want = summary(text);
  it.each(['GB18030', 'UTF-16LE', 'UTF-16BE', 'UTF-16'])('%s gives the same findings as UTF-8', (enc) => {
    const r = readReport(iconv(text, enc), 'r.txt');
    expect(summary(r.text)).toEqual(want);
  });
  it('old Mac line ends (CR only) give the same findings', () => {
    const cr = readReport(Buffer.from(text.replace(/\r\n/g, '\r')), 'r.txt').text;
    expect(check(cr).findings.map((f) => `${f.ruleId}:${f.message}`)).toEqual(check(text).findings.map((f) => `${f.ruleId}:${f.message}`));
    expect(check(cr).lines.position(check(cr).findings[0].range.start).line).toBe(check(text).lines.position(check(text).findings[0].range.start).line);
  });
  it('UTF-8 with BOM', () => {
    expect(readReport(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]), 'r.txt').text).toBe(text);
  });
});

describe('saved web page (real/006)', () => {
  const r = readReport(readFileSync(new URL('real/006_shuyang_fgj_2023.html', corpus)), '006.html');
  const c = check(r.text);
  it('keeps the article and reads the Word-made tables cell by cell', () => {
    expect(c.report.sections.map((s) => s.id)).toEqual(['S1', 'S2', 'S3', 'S4', 'S5', 'S6']);
    expect(c.report.tables.t2!.values).toEqual([0, 0, 0, 8, 0, 18, 0, 0, 0, 0]);
    const t3 = c.report.tables.t3!.values as Array<Array<number | null>>;
    expect(t3[0]).toEqual([26, null, null, null, null, null, 26]);
    expect(t3[23]).toEqual([26, null, null, null, null, null, 26]);
    expect(c.report.tables.t4!.values).toEqual([0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(c.report.year).toBe(2023);
  });
  it('reports the blank applicant cells, not zeros, and says where they are in the page', () => {
    const blanks = c.findings.filter((f) => f.ruleId === 'cell-blank');
    expect(blanks.length).toBe(125);
    const json = toJSON('006.html', c, r.where);
    const first = json.findings.find((f) => f.ruleId === 'cell-blank')!;
    expect(first.message).toContain('表三“一、本年新收政府信息公开申请数量”商业企业列');
    expect(first.where).toMatch(/^第2个表格 第\d+行$/);
    expect(c.findings.filter((f) => f.severity === 'error')).toEqual([]);
  });
});

describe('bad input: a clear Chinese refusal, never a crash', () => {
  const refuse = (bytes: Uint8Array, name: string, reason: RegExp, limits?: { maxBytes: number }) => {
    let err: unknown;
    try { readReport(bytes, name, limits); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(ReadError);
    expect((err as Error).message).toMatch(new RegExp(`^${name.replace('.', '\\.')}：`));
    expect((err as Error).message).toMatch(reason);
  };
  it('empty file', () => refuse(new Uint8Array(0), 'a.txt', /文件是空的/));
  it('too large', () => refuse(Buffer.from(report('pipe')), 'a.txt', /文件过大/, { maxBytes: 1000 }));
  it('random bytes named .txt', () => {
    let seed = 7;
    const bytes = Uint8Array.from({ length: 4096 }, () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % 256);
    refuse(bytes, 'a.txt', /不是文本文件/);
  });
  it('a PNG renamed .md', () => refuse(Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 1, 0]), 'x.md', /不是文本文件/));
  it('unsupported type', () => refuse(Buffer.from('x'), 'a.xyz', /不支持的文件类型 \.xyz/));
});

describe('Word 97–2003 .doc', () => {
  it('a file that is not an OLE document is refused', async () => {
    await expect(readReportAsync(Buffer.from('not a word file'), 'a.doc')).rejects.toThrow('a.doc：不是有效的 Word 文档');
  });
});
