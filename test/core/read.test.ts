// Readers: encodings, saved web pages, and clear refusals of bad input.

import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { check, ReadError, readReport, readReportAsync, toJSON } from '../../grammar/src/index.js';
import { corpusBytes, corpusText, hasCorpus } from '../corpus.js';
import { report } from '../fixtures/build.js';

const iconv = (text: string, to: string) =>
  spawnSync('iconv', ['-f', 'UTF-8', '-t', to], { input: text }).stdout as Buffer;
const summary = (text: string) =>
  check(text).findings.map((f) => `${f.ruleId}@${f.range.start}:${f.message}`);

describe.skipIf(!hasCorpus)('text encodings', () => {
  const text = corpusText('seeds/004_2b2a966791f68e4e.txt').replace(/\n/g, '\r\n');
  const want = hasCorpus ? summary(text) : [];
  it.each(['GB18030', 'UTF-16LE', 'UTF-16BE', 'UTF-16'])('%s gives the same findings as UTF-8', (enc) => {
    const r = readReport(iconv(text, enc), 'r.txt');
    expect(summary(r.text)).toEqual(want);
  });
  it('old Mac line ends (CR only) give the same findings', () => {
    const cr = readReport(Buffer.from(text.replace(/\r\n/g, '\r')), 'r.txt').text;
    expect(check(cr).findings.map((f) => `${f.ruleId}:${f.message}`)).toEqual(
      check(text).findings.map((f) => `${f.ruleId}:${f.message}`),
    );
    expect(check(cr).lines.position(check(cr).findings[0].range.start).line).toBe(
      check(text).lines.position(check(text).findings[0].range.start).line,
    );
  });
  it('UTF-8 with BOM', () => {
    expect(
      readReport(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]), 'r.txt').text,
    ).toBe(text);
  });
});

describe.skipIf(!hasCorpus)('saved web page (real/006)', () => {
  const r = hasCorpus
    ? readReport(corpusBytes('real/006_shuyang_fgj_2023.html'), '006.html')
    : { text: '', format: 'html' as const, where: () => undefined };
  const c = check(r.text);
  it('keeps the article and reads the Word-made tables cell by cell', () => {
    expect(c.report.sections.map((s) => s.id)).toEqual(['S1', 'S2', 'S3', 'S4', 'S5', 'S6']);
    expect(c.report.tables.t2!.values).toEqual([0, 0, 0, 8, 0, 18, 0, 0, 0, 0]);
    const t3 = c.report.tables.t3!.values;
    expect(t3[0]).toEqual([26, null, null, null, null, null, 26]);
    expect(t3[23]).toEqual([26, null, null, null, null, null, 26]);
    expect(c.report.tables.t4!.values).toEqual([0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(c.report.year).toBe(2023);
  });
  it('reports the blank applicant cells, not zeros, and says where they are in the page', () => {
    const blanks = c.findings.filter((f) => f.ruleId === 'cell-blank');
    expect(blanks.length).toBe(25); // one finding per row, naming its five blank cells
    const json = toJSON('006.html', c, r.where);
    const first = json.findings.find((f) => f.ruleId === 'cell-blank')!;
    expect(first.message).toContain('表三“一、本年新收政府信息公开申请数量”有5个空白单元格（商业企业');
    expect(first.where).toMatch(/^第2个表格 第\d+行$/);
    expect(c.findings.filter((f) => f.severity === 'error')).toEqual([]);
  });
});

describe('a UTF-8 file cut off inside its last character', () => {
  it('is read as text: the findings are those of the whole file, the lost character shown as U+FFFD', () => {
    const text = `${report('tab')}\n本年度未收取信息处理费。`;
    const bytes = Buffer.from(text);
    for (const cut of [1, 2]) {
      const r = readReport(bytes.subarray(0, bytes.length - cut), 'r.txt');
      expect(r.text).toBe(`${text.slice(0, -1)}\ufffd`);
      expect(summary(r.text)).toEqual(summary(text));
    }
  });
  it('a broken character inside the file is still refused as not text', () => {
    const bytes = Buffer.from(report('tab'));
    const broken = Buffer.concat([bytes.subarray(0, 40), Buffer.from([0xe4, 0xb8]), bytes.subarray(40)]);
    expect(() => readReport(broken, 'r.txt')).toThrow(/不是文本文件/);
  });
});

describe('bad input: a clear Chinese refusal, never a crash', () => {
  const refuse = (bytes: Uint8Array, name: string, reason: RegExp, limits?: { maxBytes: number }) => {
    let err: unknown;
    try {
      readReport(bytes, name, limits);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ReadError);
    expect((err as Error).message).toMatch(new RegExp(`^${name.replace('.', '\\.')}：`));
    expect((err as Error).message).toMatch(reason);
  };
  it('empty file', () => refuse(new Uint8Array(0), 'a.txt', /文件是空的/));
  it('too large', () => refuse(Buffer.from(report('pipe')), 'a.txt', /文件过大/, { maxBytes: 1000 }));
  it('random bytes named .txt', () => {
    let seed = 7;
    const bytes = Uint8Array.from(
      { length: 4096 },
      () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % 256,
    );
    refuse(bytes, 'a.txt', /不是文本文件/);
  });
  it('a PNG renamed .md', () =>
    refuse(
      Uint8Array.from([
        0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 1, 0,
      ]),
      'x.md',
      /不是文本文件/,
    ));
  it('unsupported type', () => refuse(Buffer.from('x'), 'a.xyz', /不支持的文件类型 \.xyz/));
});

describe('Word 97–2003 .doc', () => {
  it('a file that is not an OLE document is refused', async () => {
    await expect(readReportAsync(Buffer.from('not a word file'), 'a.doc')).rejects.toThrow(
      'a.doc：文件已损坏或不是有效的 Word 文档',
    );
  });
});

describe('saved web page: bounded on hostile markup', () => {
  const read = (html: string) => readReport(Buffer.from(html), 'a.html');
  const timed = <T>(fn: () => T): [T, number] => {
    const t0 = performance.now();
    const r = fn();
    return [r, performance.now() - t0];
  };
  it('100,000 unclosed <div>s read in linear time; the article is found inside them', () => {
    const [r, ms] = timed(() =>
      read('<div>'.repeat(100_000) + '<p>一、总体情况</p><p>六、其他需要报告的事项</p>'),
    );
    expect(r.text).toBe('一、总体情况\n六、其他需要报告的事项\n');
    expect(ms).toBeLessThan(3000);
  });
  it('unmatched end tags and repeated <form>s under deep nesting stay linear', () => {
    const [, ms1] = timed(() => read('<div>'.repeat(100_000) + '</span>'.repeat(100_000)));
    const [, ms2] = timed(() => read('<div>'.repeat(100_000) + '<form>'.repeat(100_000)));
    expect(ms1 + ms2).toBeLessThan(4000);
  });
  it('deeply nested <div>s and <table>s: no stack overflow', () => {
    expect(read('<div>'.repeat(50_000) + '正文' + '</div>'.repeat(50_000)).text).toBe('正文\n');
    const nested = read('<table><tr><td>'.repeat(20_000) + '甲' + '</td></tr></table>'.repeat(20_000));
    expect(nested.text).toBe('甲\n');
    expect(nested.where(1)).toBe('第1个表格 第1行');
  });
  it('a 200×200 table of 50×50-span cells: the span grid is capped', () => {
    let t = '<table>';
    for (let r = 0; r < 200; r++) t += '<tr>' + '<td rowspan=50 colspan=50>1</td>'.repeat(200) + '</tr>';
    const before = process.memoryUsage().rss;
    const [r, ms] = timed(() => read(t + '</table>'));
    expect(ms).toBeLessThan(3000);
    expect(process.memoryUsage().rss - before).toBeLessThan(300 * 1024 * 1024);
    expect(r.text.split('\n').length).toBeLessThan(300);
  });
  it('spans still resolve as before: rowspan, colspan, blank cells, where', () => {
    const r = read(
      '<table><tr><td rowspan=2>甲</td><td colspan=3>乙&nbsp;丙</td></tr><tr><td>1</td><td></td><td>3</td></tr></table>',
    );
    expect(r.text).toBe('甲\t乙 丙\n1\t空\t3\n');
    expect(r.where(2)).toBe('第1个表格 第2行');
  });
  it('entities: invalid code points become U+FFFD, named and hex references are decoded', () => {
    expect(read('<p>&#1114112;&#xD800;&#0; &#x4e2d;&#20013; &lt;&amp;lt;&copy;</p>').text).toBe(
      '\ufffd\ufffd\ufffd 中中 <&lt;©\n',
    );
  });
  it('too many elements: a Chinese refusal', () => {
    expect(() => read('<b>'.repeat(600_000))).toThrow(/^a\.html：网页元素过多/);
  });
});
