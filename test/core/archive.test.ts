import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { listArchive, readArchive, readArchiveEntry } from '../../grammar/src/read/archive.js';
import { gbk, zipRaw } from '../fixtures/zip.js';

const text = (s: string) => new TextEncoder().encode(s);

describe('a zip of reports', () => {
  it('gives the report files of nested folders and lists what it skipped', () => {
    const zip = zipSync({
      '教育局/2024年报告.docx': text('docx bytes'),
      '街道/甲街道/报告.txt': text('一、总体情况'),
      '街道/甲街道/照片.jpg': text('jpeg'),
      '__MACOSX/街道/._报告.txt': text('fork'),
      '空目录/': new Uint8Array(0),
    });
    const { files, skipped } = readArchive(zip, '全区年报.zip');
    expect(files.map((f) => f.name).sort()).toEqual(['教育局/2024年报告.docx', '街道/甲街道/报告.txt']);
    expect(new TextDecoder().decode(files.find((f) => f.name.endsWith('.txt'))!.bytes)).toBe('一、总体情况');
    expect(skipped).toEqual(['街道/甲街道/照片.jpg']);
  });

  it('reads a zip with data in front of it (self-extracting, appended to another file), as unzip does', () => {
    const zip = zipSync({ '甲局/报告.txt': text('一、总体情况'), '乙局/报告.txt': text('二、主动公开') });
    for (const front of [text('MZ\u0000stub of a self-extracting program'), new Uint8Array(70000).fill(7)]) {
      const sfx = new Uint8Array(front.length + zip.length);
      sfx.set(front);
      sfx.set(zip, front.length);
      const { files } = readArchive(sfx, '全区年报.exe.zip');
      expect(files.map((f) => [f.name, new TextDecoder().decode(f.bytes)]).sort()).toEqual([
        ['乙局/报告.txt', '二、主动公开'],
        ['甲局/报告.txt', '一、总体情况'],
      ]);
    }
  });

  it('reads names written in GBK without the UTF-8 flag, as Windows zip tools write them', () => {
    const zip = zipRaw([
      { name: gbk('教育局/2024年报告.txt'), data: text('a') },
      { name: gbk('街道/报告.txt'), data: text('b'), deflate: true },
    ]);
    expect(readArchive(zip, 'x.zip').files.map((f) => f.name)).toEqual([
      '教育局/2024年报告.txt',
      '街道/报告.txt',
    ]);
  });

  it('prefers an Info-ZIP Unicode Path name and keeps UTF-8 names without the flag', () => {
    const zip = zipRaw([
      { name: text('?.txt'), data: text('a'), unicodePath: '教育局.txt' },
      { name: text('街道.txt'), data: text('b') },
      { name: text('年报告.txt'), data: text('c'), utf8: true },
    ]);
    expect(readArchive(zip, 'x.zip').files.map((f) => f.name)).toEqual([
      '教育局.txt',
      '街道.txt',
      '年报告.txt',
    ]);
  });

  it('refuses a zip bomb within the budget, before inflating it all', () => {
    const zip = zipRaw([{ name: text('a.txt'), data: new Uint8Array(8 * 1024 * 1024), deflate: true }]);
    expect(zip.length).toBeLessThan(20_000);
    expect(() => readArchive(zip, '炸弹.zip', { maxUnzippedBytes: 1024 * 1024 })).toThrow(
      '炸弹.zip：解压后内容过大（上限 1 MB），已拒绝',
    );
  });

  it('lists the reports without inflating them; each is inflated on its own within one file’s limit, however small the archive says it is', () => {
    const zip = zipRaw([
      { name: text('甲/2024年报告.txt'), data: text('一、总体情况'), deflate: true },
      { name: text('乙/说明.jpg'), data: text('x') },
      // States 1 KB, inflates to 8 MB.
      {
        name: text('丙/2024年报告.txt'),
        data: new Uint8Array(8 * 1024 * 1024),
        deflate: true,
        statedSize: 1024,
      },
    ]);
    const listed = listArchive(zip, '全区.zip', { maxUnzippedBytes: 1024 * 1024 });
    expect(listed).toEqual({
      entries: [
        { name: '甲/2024年报告.txt', index: 0 },
        { name: '丙/2024年报告.txt', index: 2 },
      ],
      skipped: ['乙/说明.jpg'],
      others: [{ name: '乙/说明.jpg', index: 1 }],
    });
    const limit = { maxBytes: 1024 * 1024 };
    expect(new TextDecoder().decode(readArchiveEntry(zip, 0, '甲/2024年报告.txt', limit))).toBe(
      '一、总体情况',
    );
    expect(() => readArchiveEntry(zip, 2, '丙/2024年报告.txt', limit)).toThrow(
      '丙/2024年报告.txt：解压后超过单个文件的大小上限（1 MB）',
    );
    // An archive that states its size truthfully is refused whole, before anything is inflated.
    const honest = zipRaw([{ name: text('a.txt'), data: new Uint8Array(8 * 1024 * 1024), deflate: true }]);
    expect(() => listArchive(honest, '炸弹.zip', { maxUnzippedBytes: 1024 * 1024 })).toThrow(
      '炸弹.zip：解压后内容过大（上限 1 MB），已拒绝',
    );
  });

  it('refuses an archive of 5,000 files with a clear message', () => {
    const many: Record<string, Uint8Array> = {};
    for (let i = 0; i < 5000; i++) many[`r${i}.txt`] = text('x');
    expect(() => readArchive(zipSync(many, { level: 0 }), '全区.zip')).toThrow(
      '全区.zip：压缩包中的文件过多（上限 2000 个、其中报告 500 份），请分批发送',
    );
  });

  it('refuses more reports than a batch may hold even when the entries are within the limit', () => {
    const many: Record<string, Uint8Array> = {};
    for (let i = 0; i < 30; i++) many[`r${i}.txt`] = text('x');
    expect(() => readArchive(zipSync(many), 'a.zip', { maxReports: 20 })).toThrow('请分批发送');
  });

  it('says plainly when the file is not a zip', () => {
    expect(() => readArchive(text('not a zip at all, just text'), '报告.zip')).toThrow(
      '报告.zip：不是有效的 zip 压缩包（或文件已加密）',
    );
  });
});
