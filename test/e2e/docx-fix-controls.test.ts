// Fixes written into Word files whose rows and cells sit inside content controls and other
// wrappers, or carry tracked changes: the missing row is inserted beside its neighbour (outside a
// control that holds that neighbour alone, inside one that holds the rows around it), the wrong
// total is corrected inside its wrapped cell, and the result reads exactly like the fixed plain
// report. LibreOffice opens what we write. Documents too large for a tree are refused in Chinese.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Element } from '@xmldom/xmldom';
import { describe, expect, it } from 'vitest';
import { MAX_WRITE_ELEMENTS } from '../../grammar/src/fix/write-docx.js';
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
import {
  all,
  children,
  editDocument,
  rewrap,
  run,
  tracked,
  type Wrapping,
} from '../fixtures/word-controls.js';

const v = sampleValues();
const REPEAT = T3_ROWS.findIndex((r) => r.label === '2.重复申请');
const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';

async function brokenReport() {
  const wrong = structuredClone(v);
  // 一、本年新收 · 总计: its row total and the 总计 column's balance both say it should be 3.
  wrong.t3[0][6] += 1;
  return wordReport(wrong, { omitT3: [REPEAT] });
}

/** Checks, fixes and reads back: the lines, places and findings after the fix. */
function fixAndRead(bytes: Uint8Array) {
  const found = check(readReport(bytes, 'a.docx').text).findings;
  const result = fixDocx(bytes, compatibleFixes(found), DEFAULT_LIMITS);
  const after = readReport(result.bytes, 'a.docx');
  const lines = after.text.split('\n').slice(0, -1);
  return {
    found: found.map((f) => f.ruleId).sort(),
    result,
    lines,
    wheres: lines.map((_, i) => after.where(i + 1)),
    after: check(after.text),
  };
}

/** All rows of 表三 after its two header rows inside one row-level content control. */
function oneControlAroundRows(bytes: Uint8Array): Uint8Array {
  return editDocument(bytes, (doc) => {
    const t3 = all(doc.documentElement as unknown as Element, 'tbl')[1];
    const rows = children(t3)
      .filter((c) => c.localName === 'tr')
      .slice(2);
    const sdt = doc.createElementNS(W, 'w:sdt');
    const id = doc.createElementNS(W, 'w:id');
    id.setAttributeNS(W, 'w:val', '77');
    sdt.appendChild(doc.createElementNS(W, 'w:sdtPr')).appendChild(id);
    const content = doc.createElementNS(W, 'w:sdtContent');
    sdt.appendChild(content);
    t3.insertBefore(sdt, rows[0]);
    for (const tr of rows) content.appendChild(tr);
  });
}

const VARIANTS: Record<string, Wrapping> = {
  'each row and each cell in a content control': { row: ['sdt'], cell: ['sdt'] },
  'rows, cells, blocks and runs in nested controls, custom XML and AlternateContent': {
    block: ['sdt', 'customXml'],
    row: ['customXml', 'sdt', 'alt'],
    cell: ['sdt', 'customXml', 'alt'],
    run: ['smartTag', 'sdt'],
    depth: 2,
  },
};

describe('fixDocx through wrappers', () => {
  for (const [name, wrapping] of Object.entries(VARIANTS)) {
    it(`${name}: the row inserted in its place, the total corrected in its cell`, async () => {
      const plain = fixAndRead(await brokenReport());
      const wrapped = fixAndRead(rewrap(await brokenReport(), wrapping));
      expect(wrapped.found).toEqual(['row-missing', 't3-row-total']);
      expect(wrapped.result).toMatchObject({ applied: 2, skipped: 0 });
      expect(wrapped.after.findings).toEqual([]);
      expect(wrapped.after.report.tables.t3!.values).toEqual(v.t3);
      expect(wrapped.lines).toEqual(plain.lines);
      expect(wrapped.wheres).toEqual(plain.wheres);
      expect(wrapped.wheres[wrapped.lines.findIndex((l) => l.startsWith('2.重复申请'))]).toBe(
        `第2个表格 第${REPEAT + 3}行`,
      );
    });
  }

  it('one content control around many rows: the new row goes inside it, between its neighbours', async () => {
    const plain = fixAndRead(await brokenReport());
    const bytes = oneControlAroundRows(await brokenReport());
    const wrapped = fixAndRead(bytes);
    expect(wrapped.result).toMatchObject({ applied: 2, skipped: 0 });
    expect(wrapped.lines).toEqual(plain.lines);
    expect(wrapped.wheres).toEqual(plain.wheres);
  });

  it('a 表三 total retyped as a tracked change is corrected; the deleted text stays deleted', async () => {
    const bytes = editDocument(await brokenReport(), (doc) => {
      const t3 = all(doc.documentElement as unknown as Element, 'tbl')[1];
      const tcs = children(all(t3, 'tr')[2]).filter((c) => c.localName === 'tc');
      const total = tcs[tcs.length - 1]; // 一、本年新收 · 总计
      const p = all(total, 'p')[0];
      for (const c of children(p)) p.removeChild(c);
      p.appendChild(tracked(doc, 'del', run(doc, '7', 'delText')));
      p.appendChild(tracked(doc, 'ins', run(doc, String(v.t3[0][6] + 1))));
    });
    const fixed = fixAndRead(bytes);
    expect(fixed.found).toEqual(['row-missing', 't3-row-total']);
    expect(fixed.after.findings).toEqual([]);
    expect(fixed.after.report.tables.t3!.values).toEqual(v.t3);
    expect(fixed.lines).toEqual(fixAndRead(await brokenReport()).lines);
  });

  it('a cell showing a content control placeholder is not written into', async () => {
    const bytes = editDocument(await wordReport(v), (doc) => {
      const t4 = all(doc.documentElement as unknown as Element, 'tbl')[2];
      const cell = children(all(t4, 'tr')[1]).filter((c) => c.localName === 'tc')[14];
      const p = all(cell, 'p')[0];
      for (const c of children(p)) p.removeChild(c);
      const sdt = p.appendChild(doc.createElementNS(W, 'w:sdt'));
      sdt
        .appendChild(doc.createElementNS(W, 'w:sdtPr'))
        .appendChild(doc.createElementNS(W, 'w:showingPlcHdr'));
      sdt
        .appendChild(doc.createElementNS(W, 'w:sdtContent'))
        .appendChild(run(doc, '单击或点击此处输入数字。'));
    });
    const text = readReport(bytes, 'a.docx').text;
    const line = text.split('\n').find((l) => l.startsWith('1\t'))!;
    expect(line.endsWith('\t空')).toBe(true); // the placeholder reads as a blank cell
    const at = text.indexOf(line) + line.length;
    const result = fixDocx(
      bytes,
      [{ title: '填写0', edits: [{ start: at - 1, end: at, newText: '0' }] }],
      DEFAULT_LIMITS,
    );
    expect(result).toMatchObject({ applied: 0, skipped: 1 });
    expect(result.bytes).toBe(bytes);
  });

  it(`a document of more than ${MAX_WRITE_ELEMENTS} elements is read, but fixes are refused with a reason`, async () => {
    const empty = '<w:p><w:pPr><w:jc w:val="left"/></w:pPr></w:p>'.repeat(MAX_WRITE_ELEMENTS / 3 + 1);
    const bytes = editDocument(await brokenReport(), null, [['<w:sectPr', `${empty}<w:sectPr`]]);
    const found = check(readReport(bytes, 'a.docx').text).findings;
    expect(found.map((f) => f.ruleId).sort()).toEqual(['row-missing', 't3-row-total']);
    const t0 = performance.now();
    const result = fixDocx(bytes, compatibleFixes(found), DEFAULT_LIMITS);
    expect(performance.now() - t0).toBeLessThan(10000);
    expect(result.applied).toBe(0);
    expect(result.bytes).toBe(bytes);
    expect(result.refused).toMatch(/^Word 文档内容过多（\d+ 个元素，上限 200000），无法写入修复$/);
  });

  it('LibreOffice opens the fixed wrapped files; its re-saves read back clean', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nianbao-fix-sdt-'));
    const inputs: Record<string, Uint8Array> = {
      'controls.docx': rewrap(await brokenReport(), VARIANTS['each row and each cell in a content control']),
      'one-control.docx': oneControlAroundRows(await brokenReport()),
    };
    for (const [name, bytes] of Object.entries(inputs)) {
      fs.writeFileSync(
        path.join(dir, name),
        fixDocx(bytes, compatibleFixes(check(readReport(bytes, name).text).findings), DEFAULT_LIMITS).bytes,
      );
    }
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
        ...Object.keys(inputs).map((n) => path.join(dir, n)),
      ],
      { encoding: 'utf8', timeout: 180000 },
    );
    expect(r.status, `soffice (libreoffice-writer-nogui) failed: ${r.stderr}`).toBe(0);
    for (const name of Object.keys(inputs)) {
      const doc = await readReportAsync(fs.readFileSync(path.join(out, name)), name);
      const c = check(doc.text);
      expect(
        c.findings.map((f) => `${f.ruleId} ${f.message}`),
        name,
      ).toEqual([]);
      expect(c.report.tables.t3!.values, name).toEqual(v.t3);
      expect(c.report.tables.t4!.values, name).toEqual(v.t4);
    }
  }, 240000);
});
