// PDF bombs: a few megabytes whose content stream inflates to gigabytes (of zero bytes, or of text)
// are refused in Chinese within seconds, with bounded memory, and the next file is read as usual.
import { readFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ReadError, readReportAsync } from '../../grammar/src/index.js';
import { readPdf, TOO_COMPLEX } from '../../grammar/src/read/pdf.js';
import { hasCorpus } from '../corpus.js';
import { bombStream, cjk, pdfWith } from '../fixtures/pdf-bombs.js';

const real = (f: string) => readFileSync(new URL(`../../../shared/corpus/real/${f}`, import.meta.url));

const MB = 1024 * 1024;
/** 4 GiB of zero bytes. */
const zeroBomb = () => pdfWith(bombStream(Buffer.alloc(MB), 4096));
/** 1 GB of text-showing operators. */
const textBomb = () =>
  pdfWith(
    bombStream(
      Buffer.from(
        'BT /F1 12 Tf 50 700 Td (Annual report 0123456789) Tj ET\n'.repeat(Math.ceil(MB / 60)).slice(0, MB),
        'latin1',
      ),
      1000,
    ),
  );

/** The (Flate) content stream of a PDF made by pdfWith. */
const flateOf = (pdf: Buffer) =>
  Buffer.from(/stream\n([^]*)\nendstream/.exec(pdf.toString('latin1'))![1], 'latin1');

function ascii85(b: Buffer): Buffer {
  let out = '';
  for (let i = 0; i < b.length; i += 4) {
    const n = Math.min(4, b.length - i);
    let v = 0;
    for (let j = 0; j < 4; j++) v = v * 256 + (j < n ? b[i + j] : 0);
    if (v === 0 && n === 4) {
      out += 'z';
      continue;
    }
    const digits: string[] = [];
    for (let j = 0; j < 5; j++) {
      digits.unshift(String.fromCharCode(33 + (v % 85)));
      v = Math.floor(v / 85);
    }
    out += digits.slice(0, n + 1).join('');
  }
  return Buffer.from(out + '~>', 'latin1');
}

async function refusal(bytes: Uint8Array): Promise<{ message: string; ms: number }> {
  const t0 = performance.now();
  try {
    await readReportAsync(bytes, 'bomb.pdf');
  } catch (e) {
    expect(e).toBeInstanceOf(ReadError);
    return { message: (e as Error).message, ms: performance.now() - t0 };
  }
  throw new Error('read without refusal');
}

describe('PDF bombs', () => {
  (hasCorpus ? it : it.skip).each([
    ['zero bytes: 4 GiB from a few MB', zeroBomb],
    ['text: 1 GB of operators', textBomb],
  ])(
    '%s — refused in Chinese within seconds; the next file reads',
    async (_, make) => {
      const bomb = make();
      expect(bomb.length).toBeLessThan(20 * MB);
      const rss0 = process.memoryUsage.rss();
      const { message, ms } = await refusal(bomb);
      expect(message).toBe(`bomb.pdf：${TOO_COMPLEX}`);
      expect(ms).toBeLessThan(20000);
      expect(process.memoryUsage.rss() - rss0).toBeLessThan(1024 * MB);
      console.log(`${_}: ${bomb.length} bytes, refused in ${ms.toFixed(0)} ms`);
      const next = await readReportAsync(real('003_huaianshi_2024.pdf'), 'next.pdf');
      expect(next.text).toContain('政府信息公开');
    },
    60000,
  );

  it.each([
    [
      'ASCIIHex',
      '[/ASCIIHexDecode /FlateDecode]',
      (b: Buffer) => Buffer.from(b.toString('hex') + '>', 'latin1'),
    ],
    ['ASCII85', '[/ASCII85Decode /FlateDecode]', ascii85],
  ])(
    'a bomb behind an %s wrapper is seen by the inflate check too',
    async (_, filter, wrap) => {
      const { message, ms } = await refusal(pdfWith(wrap(flateOf(zeroBomb())), filter));
      expect(message).toBe(`bomb.pdf：${TOO_COMPLEX}`);
      expect(ms).toBeLessThan(20000);
    },
    60000,
  );

  it.each([
    ['zero bytes', zeroBomb],
    ['text', textBomb],
  ])(
    '%s, deflated twice so the first check cannot see it: refused when pdf.js inflates past the budget',
    async (name, make) => {
      const twice = deflateSync(flateOf(make()));
      const rss0 = process.memoryUsage.rss();
      const { message, ms } = await refusal(pdfWith(twice, '[/FlateDecode /FlateDecode]'));
      expect(message).toBe(`bomb.pdf：${TOO_COMPLEX}`);
      expect(ms).toBeLessThan(30000);
      expect(process.memoryUsage.rss() - rss0).toBeLessThan(1024 * MB);
      console.log(`${name} bomb deflated twice: refused in ${ms.toFixed(0)} ms`);
    },
    60000,
  );

  it('a bomb no inflate check sees (RunLength, 1 GiB of zero bytes from 16 MB) is stopped by the memory watch', async () => {
    const rss0 = process.memoryUsage.rss();
    const { message, ms } = await refusal(
      pdfWith(Buffer.alloc(16 * MB, Buffer.from([0x81, 0x00])), '/RunLengthDecode'),
    );
    expect(message).toBe(`bomb.pdf：${TOO_COMPLEX}`);
    expect(ms).toBeLessThan(30000);
    expect(process.memoryUsage.rss() - rss0).toBeLessThan(1024 * MB);
    console.log(`RunLength bomb: refused in ${ms.toFixed(0)} ms`);
  }, 60000);

  it('a page ruled with thousands of lines (and numbers in them) reads in bounded time', async () => {
    const ops: string[] = ['0.5 w'];
    for (let i = 0; i <= 1500; i++)
      ops.push(
        `20 ${20 + i * 0.5} m 575 ${20 + i * 0.5} l S`,
        `${20 + i * 0.37} 20 m ${20 + i * 0.37} 800 l S`,
      );
    for (let i = 0; i < 60; i++)
      ops.push(`BT /F1 6 Tf ${30 + (i % 6) * 90} ${40 + Math.floor(i / 6) * 70} Td (${i}) Tj ET`);
    ops.push('BT /F1 12 Tf 40 810 Td (Annual report of a fictional office, ruled all over) Tj ET');
    const t0 = performance.now();
    const r = await readReportAsync(pdfWith(deflateSync(Buffer.from(ops.join('\n')))), 'ruled.pdf');
    expect(r.text).toContain('Annual report');
    expect(performance.now() - t0).toBeLessThan(15000);
  }, 60000);

  it('a valid page whose content stream inflates to 40 MB (a table page ruled in tiny strokes) is read', async () => {
    const text = [
      '某某县人民政府办公室2024年政府信息公开工作年度报告',
      '一、总体情况',
      '本年度本机关坚持以公开为常态，不公开为例外。',
      '三、收到和处理政府信息公开申请情况',
    ];
    const head = text.map((t, i) => `BT /F2 12 Tf 50 ${780 - i * 20} Td ${cjk(t)} Tj ET\n`).join('');
    const table = `BT /F2 10 Tf 50 600 Td ${cjk('信息内容')} Tj ET\n`;
    const stroke = '0 0 m 1 1 l S\n';
    const strokes = stroke.repeat(Math.ceil((40 * MB) / stroke.length));
    const pdf = pdfWith(deflateSync(Buffer.from(head + table + strokes, 'latin1')));
    const rss0 = process.memoryUsage.rss();
    const t0 = performance.now();
    const r = await readReportAsync(pdf, 'ruled.pdf');
    const ms = performance.now() - t0;
    for (const t of text) expect(r.text).toContain(t);
    expect(ms).toBeLessThan(30000);
    expect(process.memoryUsage.rss() - rss0).toBeLessThan(1024 * MB);
    console.log(`page of 40 MB: read in ${ms.toFixed(0)} ms`);
  }, 60000);

  it.skipIf(!hasCorpus)(
    'time limit, text cap and heap limit each stop the worker; the reader recovers',
    async () => {
      const pdf = real('003_huaianshi_2024.pdf');
      const base = { timeoutMs: 60000, maxInflatedBytes: 200 * MB };
      await expect(readPdf(pdf, { ...base, timeoutMs: 1 })).rejects.toThrow(/^读取超时/);
      await expect(readPdf(pdf, { ...base, maxChars: 500 })).rejects.toThrow(TOO_COMPLEX);
      await expect(readPdf(pdf, { ...base, maxInflatedBytes: 1000 })).rejects.toThrow(TOO_COMPLEX);
      await expect(readPdf(pdf, { ...base, maxHeapMb: 4 })).rejects.toThrow(TOO_COMPLEX);
      expect((await readPdf(pdf, base)).text).toContain('政府信息公开');
    },
    60000,
  );
});
