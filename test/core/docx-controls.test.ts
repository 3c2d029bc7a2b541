// Word reports whose paragraphs, tables, rows, cells and runs sit inside content controls, custom
// XML, smart tags or mc:AlternateContent read exactly like the plain report: the same lines, the
// same places (第N段, 第N个表格 第M行 count what the reader sees through the wrappers) and the same
// JSON. Tracked changes: deleted and moved-away text and deleted rows are left out, insertions kept.

import type { Document, Element } from '@xmldom/xmldom';
import { describe, expect, it } from 'vitest';
import { check, readReport, toJSON } from '../../grammar/src/index.js';
import { SECTIONS } from '../../grammar/src/template.js';
import { wordReport } from '../fixtures/word.js';
import {
  all,
  children,
  editDocument,
  rewrap,
  run,
  SONGXI,
  songxiValues,
  tracked,
  type Wrapping,
} from '../fixtures/word-controls.js';

const v = songxiValues();
const plain = async () => rewrap(await wordReport(v), {}, SONGXI);

function read(bytes: Uint8Array) {
  const r = readReport(bytes, 'songxi.docx');
  const lines = r.text.split('\n').slice(0, -1);
  return {
    lines,
    wheres: lines.map((_, i) => r.where(i + 1)),
    json: toJSON('songxi.docx', check(r.text), r.where),
  };
}

const VARIANTS: Record<string, Wrapping> = {
  'block-level content controls around every paragraph and table': { block: ['sdt'] },
  'block-level custom XML and AlternateContent': { block: ['customXml', 'alt'] },
  'row-level content controls, custom XML and AlternateContent': { row: ['sdt', 'customXml', 'alt'] },
  'cell-level content controls, custom XML and AlternateContent': { cell: ['sdt', 'customXml', 'alt'] },
  'run-level content controls, smart tags, custom XML and AlternateContent': {
    run: ['sdt', 'smartTag', 'customXml', 'alt'],
  },
  'every level at once, three wrappers deep': {
    block: ['sdt', 'customXml'],
    row: ['customXml', 'sdt'],
    cell: ['sdt', 'alt', 'customXml'],
    run: ['smartTag', 'sdt', 'alt'],
    depth: 3,
  },
};

describe('Word wrappers', () => {
  it('the plain report (松溪市住房和城乡建设局 2023) reads right', async () => {
    const r = read(await plain());
    expect(r.json.year).toBe(2023);
    expect(r.json.sections.map((s) => s.heading)).toEqual(SECTIONS.map((s) => s.standard));
    expect(r.json.tables).toEqual({ t2: v.t2, t3: v.t3, t4: v.t4 });
    expect(r.json.findings.filter((f) => f.severity === 'error')).toEqual([]);
  });

  for (const [name, wrapping] of Object.entries(VARIANTS)) {
    it(`${name}: read exactly like the plain report`, async () => {
      const base = await plain();
      const wrapped = rewrap(await wordReport(v), wrapping, SONGXI);
      expect(wrapped.length).toBeGreaterThan(base.length);
      expect(read(wrapped)).toEqual(read(base));
    });
  }

  it('every paragraph and table inside 50 nested wrappers', async () => {
    const wrapped = rewrap(await wordReport(v), { block: ['sdt', 'customXml'], depth: 50 }, SONGXI);
    expect(read(wrapped)).toEqual(read(await plain()));
  });

  it('tracked changes: deleted rows, deleted and moved-away text left out; inserted and moved-to text kept', async () => {
    const edited = editDocument(
      await wordReport(v),
      (doc) => {
        const [, t3] = all(doc.documentElement as unknown as Element, 'tbl');
        const rows = all(t3, 'tr');
        // A deleted row with other numbers before （一）予以公开, and 新收's total retyped as a deletion plus an insertion.
        const publicRow = rows.find((tr) => tr.textContent!.includes('（一）予以公开'))!;
        const gone = publicRow.cloneNode(true) as Element;
        for (const t of all(gone, 't')) if (/^\d+$/.test(t.textContent!)) t.textContent = '99';
        markRow(doc, gone, 'del');
        t3.insertBefore(gone, publicRow);
        markRow(doc, rows.find((tr) => tr.textContent!.includes('二、上年结转'))!, 'ins');
        const newTotal = children(rows.find((tr) => tr.textContent!.startsWith('一、本年新收'))!)
          .filter((c) => c.localName === 'tc')
          .pop()!;
        retype(doc, all(newTotal, 'p')[0], [
          tracked(doc, 'del', run(doc, '15', 'delText')),
          tracked(doc, 'ins', run(doc, '16')),
        ]);
        // Prose: an inserted word beside a deleted one; a moved word.
        const paras = all(doc.documentElement as unknown as Element, 'p');
        const fee = paras.find((p) => p.textContent === '本年度未收取信息处理费。')!;
        retype(doc, fee, [
          run(doc, '本年度'),
          tracked(doc, 'ins', run(doc, '未收取')),
          tracked(doc, 'del', run(doc, '已收取', 'delText')),
          run(doc, '信息处理费。'),
        ]);
        const late = paras.find((p) => p.textContent === '栏目更新不够及时。')!;
        retype(doc, late, [
          tracked(doc, 'moveFrom', run(doc, '及时')),
          run(doc, '栏目更新不够'),
          tracked(doc, 'moveTo', run(doc, '及时')),
          run(doc, '。'),
        ]);
      },
      SONGXI,
    );
    expect(read(edited)).toEqual(read(await plain()));
  });

  it('a content control still showing its placeholder text is a blank cell', async () => {
    const edited = editDocument(
      await wordReport(v),
      (doc) => {
        const t3 = all(doc.documentElement as unknown as Element, 'tbl')[1];
        const row = all(t3, 'tr').find((tr) => tr.textContent!.startsWith('一、本年新收'))!;
        const cell = children(row).filter((c) => c.localName === 'tc')[3]; // 科研机构
        const sdt = doc.createElementNS(W, 'w:sdt');
        const pr = sdt.appendChild(doc.createElementNS(W, 'w:sdtPr'));
        pr.appendChild(doc.createElementNS(W, 'w:showingPlcHdr'));
        sdt
          .appendChild(doc.createElementNS(W, 'w:sdtContent'))
          .appendChild(run(doc, '单击或点击此处输入数字。'));
        retype(doc, all(cell, 'p')[0], [sdt]);
      },
      SONGXI,
    );
    const r = read(edited);
    expect(r.json.tables.t3![0]).toEqual([12, 3, null, 1, 0, 0, 16]);
    expect(r.lines.join('\n')).not.toContain('单击');
  });
});

const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';

/** Marks a table row as a tracked insertion or deletion (deleted text becomes w:delText in w:del). */
function markRow(doc: Document, tr: Element, kind: 'ins' | 'del'): void {
  let trPr = children(tr).find((c) => c.localName === 'trPr');
  if (!trPr) trPr = tr.insertBefore(doc.createElementNS(W, 'w:trPr'), tr.firstChild) as Element;
  trPr.appendChild(tracked(doc, kind));
  if (kind === 'del') {
    for (const r of all(tr, 'r')) {
      for (const t of all(r, 't')) {
        const d = doc.createElementNS(W, 'w:delText');
        d.textContent = t.textContent;
        r.replaceChild(d, t);
      }
      const del = tracked(doc, 'del');
      r.parentNode!.replaceChild(del, r);
      del.appendChild(r);
    }
  }
}

/** Replaces a paragraph's runs with `content`. */
function retype(_doc: Document, p: Element, content: Element[]): void {
  for (const c of children(p)) if (c.localName !== 'pPr') p.removeChild(c);
  for (const c of content) p.appendChild(c);
}
