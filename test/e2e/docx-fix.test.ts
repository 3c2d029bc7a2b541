// Fixes written back into a Word file: the missing row inserted as a real table row (cloned from
// its neighbour, inside the merged group column), the wrong total corrected in its cell. The result
// reads back clean, and LibreOffice opens it.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  check,
  compatibleFixes,
  DEFAULT_LIMITS,
  fixDocx,
  readReport,
  readReportAsync,
} from '../../grammar/src/index.js';
import { T3_ROWS } from '../../grammar/src/template.js';
import { sampleValues } from '../fixtures/build.js';
import { wordReport } from '../fixtures/word.js';

const v = sampleValues();
const REPEAT = T3_ROWS.findIndex((r) => r.label === '2.重复申请');

async function brokenReport() {
  const wrong = structuredClone(v);
  // 一、本年新收 · 总计: its row total and the 总计 column's balance both say it should be 3.
  wrong.t3[0][6] += 1;
  return wordReport(wrong, { omitT3: [REPEAT] });
}

describe('fixDocx', () => {
  it('inserts the missing 表三 row and corrects the wrong 表三 total in the .docx itself', async () => {
    const bytes = await brokenReport();
    const before = readReport(bytes, 'qinghe.docx');
    const found = check(before.text).findings;
    expect(found.map((f) => f.ruleId).sort()).toEqual(['row-missing', 't3-row-total']);
    const result = fixDocx(bytes, compatibleFixes(found), DEFAULT_LIMITS);
    expect(result).toMatchObject({ applied: 2, skipped: 0 });
    const after = readReport(result.bytes, 'qinghe（已修正）.docx');
    const c = check(after.text);
    expect(c.findings).toEqual([]);
    expect(c.report.tables.t3!.values[REPEAT]).toEqual([0, 0, 0, 0, 0, 0, 0]);
    expect(c.report.tables.t3!.values).toEqual(v.t3);
    // A real table row: 第2个表格 now has one row more, in the template's place.
    const line = after.text.split('\n').findIndex((l) => l.startsWith('2.重复申请')) + 1;
    expect(after.where(line)).toBe(`第2个表格 第${REPEAT + 3}行`);
    // Nothing else changed: one new line, one corrected 表三 line.
    const a = after.text.split('\n'),
      b = before.text.split('\n');
    expect(b.filter((l) => !a.includes(l))).toEqual([
      '一、本年新收政府信息公开申请数量\t2\t1\t0\t0\t0\t0\t4',
    ]);
    expect(a.filter((l) => !b.includes(l))).toEqual([
      '一、本年新收政府信息公开申请数量\t2\t1\t0\t0\t0\t0\t3',
      '2.重复申请\t0\t0\t0\t0\t0\t0\t0',
    ]);
  });

  it('LibreOffice opens the corrected file; its own re-save reads back clean', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nianbao-fix-'));
    const bytes = await brokenReport();
    const fixed = fixDocx(
      bytes,
      compatibleFixes(check(readReport(bytes, 'a.docx').text).findings),
      DEFAULT_LIMITS,
    );
    fs.writeFileSync(path.join(dir, 'fixed.docx'), fixed.bytes);
    // LibreOffice parses our XML and writes the document anew.
    const out = path.join(dir, 'resaved');
    const r = spawnSync(
      'soffice',
      [
        '--headless',
        '-env:UserInstallation=file://' + path.join(dir, 'profile'),
        '--convert-to',
        'docx:MS Word 2007 XML',
        '--outdir',
        out,
        path.join(dir, 'fixed.docx'),
      ],
      { encoding: 'utf8', timeout: 120000 },
    );
    expect(r.status, `soffice (libreoffice-writer-nogui) failed: ${r.stderr}`).toBe(0);
    const doc = await readReportAsync(fs.readFileSync(path.join(out, 'fixed.docx')), 'fixed.docx');
    const c = check(doc.text);
    expect(c.findings.map((f) => `${f.ruleId} ${f.message}`)).toEqual([]);
    expect(c.report.tables.t3!.values).toEqual(v.t3);
  }, 180000);

  it('a fix that cannot be placed in the Word structure is left out, the file otherwise fixed', async () => {
    const bytes = await brokenReport();
    const found = check(readReport(bytes, 'a.docx').text).findings;
    const t3 = found.find((f) => f.ruleId === 't3-row-total')!;
    // An edit spanning two cells has no single place in the table.
    const odd = {
      title: '跨单元格',
      edits: [{ start: t3.fix!.edits[0].start - 2, end: t3.fix!.edits[0].end, newText: '1' }],
    };
    const result = fixDocx(
      bytes,
      [odd, ...compatibleFixes(found).filter((f) => f.title !== t3.fix!.title)],
      DEFAULT_LIMITS,
    );
    expect(result).toMatchObject({ applied: 1, skipped: 1 });
    expect(check(readReport(result.bytes, 'a.docx').text).findings.map((f) => f.ruleId)).toEqual([
      't3-row-total',
    ]);
  });
});
