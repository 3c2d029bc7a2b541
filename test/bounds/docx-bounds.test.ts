// Word files built to exhaust the reader: a few KB to a few hundred KB of zip holding tens or
// hundreds of MB of XML, deep nesting, malformed XML, zip headers that lie about sizes. Each is
// read in bounded time and memory or refused with a Chinese reason; none crashes. The large ones
// are read in a process of their own with a 512 MB heap, so a runaway heap fails the test.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { strToU8, unzipSync, Zip, ZipDeflate, zipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import {
  check,
  compatibleFixes,
  DEFAULT_LIMITS,
  fixDocx,
  ReadError,
  readReport,
} from '../../grammar/src/index.js';
import { sampleValues } from '../fixtures/build.js';
import { wordReport } from '../fixtures/word.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'nianbao-docx-bounds-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"';
const HEAD = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document ${NS}><w:body>`;
const TAIL = '</w:body></w:document>';

/** A .docx whose document.xml is `head`, then `unit` repeated to about `mb` MB, then `tail` — compressed as a stream. */
function bigDocx(unit: string, mb: number, head = HEAD, tail = TAIL): Uint8Array {
  const out: Uint8Array[] = [];
  const zip = new Zip((err, data) => {
    if (err) throw err;
    out.push(data);
  });
  const file = new ZipDeflate('word/document.xml', { level: 6 });
  zip.add(file);
  file.push(strToU8(head));
  const chunk = strToU8(unit.repeat(Math.ceil((1 << 20) / unit.length)));
  for (let n = 0; n < mb * 1e6; n += chunk.length) file.push(chunk);
  file.push(strToU8(tail), true);
  zip.end();
  return concat(out);
}

function concat(parts: Uint8Array[]): Uint8Array {
  const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  return all;
}

const docx = (xml: string) => zipSync({ 'word/document.xml': strToU8(xml) });

interface ChildResult {
  seconds: number;
  rssMB: number;
  lines?: number;
  refused?: string;
}

/** Reads the file in a separate Node process with a 512 MB heap. */
function readInChild(bytes: Uint8Array, name: string): ChildResult {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, bytes);
  const r = spawnSync(
    process.execPath,
    ['--max-old-space-size=512', '--import', 'tsx', path.join(root, 'test/fixtures/read-one.ts'), file],
    { cwd: root, encoding: 'utf8', timeout: 120000 },
  );
  expect(r.status, `${name}: ${r.stderr.slice(-2000)}`).toBe(0);
  const result = JSON.parse(r.stdout) as ChildResult;
  console.log(
    `${name}（${(bytes.length / 1024).toFixed(0)} KB）：${result.seconds.toFixed(2)} s，峰值内存 ${result.rssMB} MB，${result.refused ?? `${result.lines} 行`}`,
  );
  return result;
}

function refusal(bytes: Uint8Array, options = {}): string {
  try {
    readReport(bytes, 'bad.docx', options);
  } catch (e) {
    expect(e).toBeInstanceOf(ReadError);
    return (e as Error).message;
  }
  throw new Error('not refused');
}

describe('.docx bounds', () => {
  it('15 MB of tiny paragraphs in a 46 KB file: read within seconds and well under 1 GB', () => {
    const bytes = bigDocx('<w:p><w:r><w:t>1</w:t></w:r></w:p>', 15);
    expect(bytes.length).toBeLessThan(100 * 1024);
    const r = readInChild(bytes, 'tiny-15mb.docx');
    expect(r.lines).toBeGreaterThan(400000);
    expect(r.seconds).toBeLessThan(20);
    expect(r.rssMB).toBeLessThan(1024);
  }, 120000);

  it('150 MB of tiny paragraphs in half a MB: refused at the line limit, no heap exhaustion', () => {
    const r = readInChild(bigDocx('<w:p><w:r><w:t>1</w:t></w:r></w:p>', 150), 'tiny-150mb.docx');
    expect(r.refused).toBe('tiny-150mb.docx：Word 文档内容过多（超过 100 万行），已拒绝');
    expect(r.seconds).toBeLessThan(20);
    expect(r.rssMB).toBeLessThan(1024);
  }, 120000);

  it('millions of empty paragraphs: refused at the element limit', () => {
    const r = readInChild(bigDocx('<w:p><w:pPr><w:jc w:val="left"/></w:pPr></w:p>', 100), 'empty-100mb.docx');
    expect(r.refused).toBe('empty-100mb.docx：Word 文档内容过多（超过 500 万个元素），已拒绝');
    expect(r.seconds).toBeLessThan(30);
    expect(r.rssMB).toBeLessThan(1024);
  }, 120000);

  it('a text node, an attribute value or a comment of 150 MB: refused before the parser holds it', () => {
    const cases: Array<[string, Uint8Array]> = [
      ['space-150mb.docx', bigDocx(' ', 150)],
      ['attribute-150mb.docx', bigDocx('a', 150, `${HEAD}<w:p w:rsidR="`, `"/>${TAIL}`)],
      ['comment-150mb.docx', bigDocx('a', 150, `${HEAD}<!--`, `-->${TAIL}`)],
    ];
    for (const [name, bytes] of cases) {
      const r = readInChild(bytes, name);
      expect(r.refused).toBe(`${name}：Word 文档内容异常（一段连续文字或属性值超过 1000 万字），已拒绝`);
      expect(r.seconds).toBeLessThan(20);
      expect(r.rssMB).toBeLessThan(512);
    }
  }, 240000);

  it('a 150 MB comment with tags inside: read within the heap', () => {
    const r = readInChild(
      bigDocx('<w:p>'.padStart(1000, 'a'), 150, `${HEAD}<!--`, `-->${TAIL}`),
      'comment-tags-150mb.docx',
    );
    expect(r.lines).toBeLessThanOrEqual(1);
    expect(r.seconds).toBeLessThan(30);
    expect(r.rssMB).toBeLessThan(1024);
  }, 120000);

  it('50,000 content controls nested in each other: read through, no stack overflow', () => {
    const n = 50000;
    const bytes = docx(
      HEAD +
        '<w:sdt><w:sdtPr/><w:sdtContent>'.repeat(n) +
        '<w:p><w:r><w:t>一、总体情况</w:t></w:r></w:p>' +
        '</w:sdtContent></w:sdt>'.repeat(n) +
        TAIL,
    );
    const t0 = performance.now();
    const r = readReport(bytes, 'nested.docx');
    expect(performance.now() - t0).toBeLessThan(10000);
    expect(r.text).toBe('一、总体情况\n');
    expect(r.where(1)).toBe('第1段');
  });

  it('nesting deeper than 200,000 elements: refused', () => {
    const bytes = bigDocx('<w:sdt>', 3);
    expect(refusal(bytes)).toBe('bad.docx：Word 文档嵌套层次过深（超过 20 万层），已拒绝');
  });

  it('malformed document.xml: a plain Chinese message', () => {
    const good = `${HEAD}<w:p><w:r><w:t>一、总体情况</w:t></w:r></w:p>${TAIL}`;
    expect(readReport(docx(good), 'good.docx').text).toBe('一、总体情况\n');
    const cut = 'bad.docx：文件已损坏或不是有效的 Word 文档（document.xml 不完整）';
    const garbled = 'bad.docx：文件已损坏或不是有效的 Word 文档（document.xml 内容有误）';
    const broken: Array<[string, string]> = [
      [good.replace('</w:r>', ''), garbled], // an element left open (closed by its parent's end tag)
      [good.replace('</w:t>', '</w:x>'), garbled], // closed by another name
      [good.replace('总体', '&nbsp;'), garbled], // an entity XML does not define
      [good.slice(0, good.length - 10), cut], // cut off
      [good.replace('<w:p>', '<w:p <'), garbled], // a broken tag
      [good + '<w:p/>', garbled], // a second root
      ['\u0000\u0001garbage', garbled],
      ['', cut],
    ];
    for (const [xml, message] of broken) expect(refusal(docx(xml)), xml.slice(0, 80)).toBe(message);
  });

  describe('zip headers that lie', () => {
    const view = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.length);
    /** The end record and, per entry, its central and local header. */
    const headers = (zip: Uint8Array) => {
      const v = view(zip);
      let eocd = zip.length - 22;
      while (v.getUint32(eocd, true) !== 0x06054b50) eocd--;
      const entries: Array<{ central: number; local: number }> = [];
      for (let p = v.getUint32(eocd + 16, true), n = v.getUint16(eocd + 10, true); n > 0; n--) {
        entries.push({ central: p, local: v.getUint32(p + 42, true) });
        p += 46 + v.getUint16(p + 28, true) + v.getUint16(p + 30, true) + v.getUint16(p + 32, true);
      }
      return { eocd, entries };
    };
    /** States an uncompressed size in both headers of every entry. */
    const stateSize = (zip: Uint8Array, size: number) => {
      for (const { central, local } of headers(zip).entries) {
        view(zip).setUint32(local + 22, size, true);
        view(zip).setUint32(central + 24, size, true);
      }
      return zip;
    };

    it('sizes stated as 100 bytes for an entry that inflates to 66 MB: stopped at the limit', () => {
      const zip = stateSize(docx(HEAD + '<w:p/>'.repeat(11 * 1024 * 1024) + TAIL), 100);
      const t0 = performance.now();
      expect(refusal(zip, { maxUnzippedBytes: 16 * 1024 * 1024 })).toMatch(
        /^bad\.docx：解压后内容过大或文件过多（上限 16\.0 MB、5000 个），已拒绝$/,
      );
      expect(performance.now() - t0).toBeLessThan(10000);
    });

    it('sizes stated as 4 GB for a small report: not believed, the report is read', async () => {
      const zip = stateSize(Uint8Array.from(await wordReport()), 0xfffffff0);
      expect(readReport(zip, 'lying.docx').text).toBe(readReport(await wordReport(), 'plain.docx').text);
    });

    it('a compressed size running past the end of the file, or a short one: not a valid Word file', () => {
      const zip = docx(`${HEAD}<w:p><w:r><w:t>一、总体情况</w:t></w:r></w:p>${TAIL}`);
      const { central } = headers(zip).entries[0];
      const long = zip.slice();
      view(long).setUint32(central + 20, 1 << 30, true);
      expect(refusal(long)).toBe('bad.docx：文件已损坏或不是有效的 Word 文档');
      const short = zip.slice();
      view(short).setUint32(central + 20, 10, true);
      expect(refusal(short)).toBe('bad.docx：文件已损坏或不是有效的 Word 文档');
    });

    it('an entry count of 65,535: refused as too many files', () => {
      const zip = docx(`${HEAD}${TAIL}`);
      const { eocd } = headers(zip);
      view(zip).setUint16(eocd + 8, 0xfffe, true);
      view(zip).setUint16(eocd + 10, 0xfffe, true);
      expect(refusal(zip)).toMatch(/解压后内容过大或文件过多/);
    });
  });

  it('numbering definitions over 16 MB: refused', () => {
    const numbering =
      `<w:numbering ${NS}>` +
      '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'.repeat(400000) +
      '</w:numbering>';
    const zip = zipSync({
      'word/document.xml': strToU8(`${HEAD}${TAIL}`),
      'word/numbering.xml': strToU8(numbering),
    });
    expect(refusal(zip)).toBe('bad.docx：Word 文档的编号定义过大（超过 16 MB），已拒绝');
  });

  it('a part other than the text over the limit: the report is read, fixes are refused with the reason', async () => {
    const v = sampleValues();
    v.t3[0][6] += 1; // a 表三 total two relations pin down: a fix fix-all would apply
    const files = unzipSync(await wordReport(v));
    files['word/media/image1.bin'] = new Uint8Array(32 * 1024 * 1024);
    const bytes = zipSync(files);
    const limits = { ...DEFAULT_LIMITS, maxUnzippedBytes: 16 * 1024 * 1024 };
    const found = check(readReport(bytes, 'a.docx', limits).text).findings;
    expect(found.map((f) => f.ruleId)).toEqual(['t3-row-total']);
    const result = fixDocx(bytes, compatibleFixes(found), limits);
    expect(result).toEqual({
      bytes,
      applied: 0,
      skipped: 1,
      written: [],
      refused: '解压后内容过大或文件过多（上限 16 MB、5000 个），无法写入修复',
    });
  });

  it('a normal report reads in a few milliseconds', async () => {
    const bytes = await wordReport();
    for (let i = 0; i < 5; i++) readReport(bytes, 'warm.docx');
    const times = Array.from({ length: 20 }, () => {
      const t0 = performance.now();
      readReport(bytes, 'qinghe.docx');
      return performance.now() - t0;
    }).sort((a, b) => a - b);
    console.log(`正常报告读取：中位数 ${times[10].toFixed(1)} ms`);
    expect(times[10]).toBeLessThan(50);
  });
});
