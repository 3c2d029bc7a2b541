// Files made by a real word processor: our web-page report converted by LibreOffice to .docx and
// .doc, read back cell by cell (Debian package libreoffice-writer-nogui).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { check, readReportAsync } from '../../grammar/src/index.js';
import { htmlReport, sampleValues } from '../fixtures/build.js';

const v = sampleValues();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nianbao-lo-'));
const html = path.join(dir, 'qinghe.html');

beforeAll(() => {
  fs.writeFileSync(html, htmlReport());
  for (const filter of ['docx:MS Word 2007 XML', 'doc:MS Word 97']) {
    const r = spawnSync(
      'soffice',
      [
        '--headless',
        '-env:UserInstallation=file://' + path.join(dir, 'profile'),
        '--infilter=HTML (StarWriter)',
        '--convert-to',
        filter,
        '--outdir',
        dir,
        html,
      ],
      { encoding: 'utf8', timeout: 120000 },
    );
    expect(r.status, `soffice (libreoffice-writer-nogui) failed: ${r.stderr}`).toBe(0);
  }
}, 180000);

describe.each(['qinghe.html', 'qinghe.docx', 'qinghe.doc'])('%s', (file) => {
  it('reads every table cell and finds nothing wrong', async () => {
    const r = await readReportAsync(fs.readFileSync(path.join(dir, file)), file);
    const c = check(r.text);
    expect(c.report.sections.map((s) => s.id)).toEqual(['S1', 'S2', 'S3', 'S4', 'S5', 'S6']);
    expect(c.report.tables.t2!.values).toEqual(v.t2);
    expect(c.report.tables.t3!.values).toEqual(v.t3);
    expect(c.report.tables.t4!.values).toEqual(v.t4);
    expect(c.findings).toEqual([]);
  });
});

describe('qinghe.doc locations', () => {
  it('says where a line is in the Word file: paragraphs by number, table rows by table and row', async () => {
    const r = await readReportAsync(fs.readFileSync(path.join(dir, 'qinghe.doc')), 'qinghe.doc');
    const lines = r.text.split('\n');
    const where = (start: string) => r.where(lines.findIndex((l) => l.startsWith(start)) + 1);
    expect(where('一、总体情况')).toBe('第3段');
    expect(where('规章\t')).toBe('第1个表格 第2行');
    expect(where('行政许可\t')).toBe('第2个表格 第2行');
    expect(where('六、其他需要报告的事项')).toMatch(/^第\d+段$/);
  });
});
