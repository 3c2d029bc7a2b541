// `review --feedback DIR`: the folder is checked before any report is read, and the letters' file
// names are safe on every file system, distinct, and never those of a report being reviewed.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMBINED_NAME, safeFileName, writeFeedback } from '../../cli/review/feedback.js';
import { type Review, rowOf } from '../../cli/review/summary.js';
import type { JsonResult } from '../../grammar/src/index.js';
import { nianbaoIn } from '../fixtures/cli.js';

const result = (file: string, body: string): JsonResult => ({
  file,
  year: 2024,
  title: `${body}2024年政府信息公开工作年度报告`,
  sections: [],
  tables: { t2: null, t3: null, t4: null },
  findings: [],
});

describe('review --feedback', () => {
  it('refuses a folder it cannot create or that is a file, before reading any report', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nianbao-feedback-dir-'));
    // A broken report: reading it would be said on stderr.
    fs.writeFileSync(path.join(dir, '坏.docx'), 'PK\u0003\u0004 不完整');
    fs.writeFileSync(path.join(dir, '文件'), '');
    const asFile = nianbaoIn(['review', '--feedback', '文件', '坏.docx'], dir);
    expect(asFile.code).toBe(2);
    expect(asFile.out).toBe('');
    expect(asFile.err).toBe('nianbao：反馈意见目录“文件”已存在且不是目录，未审阅\n');
    const under = nianbaoIn(['review', '--feedback', '文件/反馈', '坏.docx'], dir);
    expect(under.code).toBe(2);
    expect(under.err).toBe('nianbao：无法创建反馈意见目录“文件/反馈”（路径中有一级不是目录），未审阅\n');
    // A new folder is created (and left empty when nothing could be reviewed into it but the file).
    const ok = nianbaoIn(['review', '--feedback', '新目录/反馈', '坏.docx'], dir);
    expect(ok.code).toBe(2);
    expect(fs.readdirSync(path.join(dir, '新目录/反馈'))).toEqual([COMBINED_NAME]);
  });

  it('the letters of an earlier run in the folder reviewed are not reviewed as reports', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nianbao-feedback-again-'));
    fs.writeFileSync(
      path.join(dir, '青禾县民政局.txt'),
      '青禾县民政局2024年政府信息公开工作年度报告\n一、总体情况\n本机关依法公开政府信息。\n',
    );
    const first = nianbaoIn(['review', '--feedback', '反馈', '.'], dir);
    expect(fs.readdirSync(path.join(dir, '反馈')).sort()).toEqual([COMBINED_NAME, '青禾县民政局.docx']);
    const again = nianbaoIn(['review', '--format', 'json', '--feedback', '反馈', '.'], dir);
    expect(again.code).toBe(first.code);
    expect(JSON.parse(again.out).map((r: JsonResult) => r.file)).toEqual(['青禾县民政局.txt']);
  });

  it('file names: no characters a file system refuses, distinct, never over a reviewed report', async () => {
    expect(safeFileName('云溪区/教育局:*?"<>|\\')).toBe('云溪区_教育局________');
    expect(safeFileName(' ..青禾县民政局. ')).toBe('青禾县民政局');
    expect(safeFileName('con')).toBe('con_机关');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nianbao-feedback-names-'));
    const reviewed = path.join(dir, '青禾县教育局.docx');
    const bodies = ['青禾县教育局', '全部反馈意见', '青禾县民政局'];
    const results = bodies.map((b, i) => result(i ? `${b}.txt` : reviewed, b));
    const review: Review = { rows: results.map((r, i) => rowOf(r, bodies[i])), pairs: [] };
    fs.writeFileSync(reviewed, 'the report');
    const out = await writeFeedback(review, results, dir, [reviewed]);
    expect(out.failed).toEqual([]);
    expect(fs.readFileSync(reviewed, 'utf8')).toBe('the report');
    expect(out.combined).toBe(path.join(dir, COMBINED_NAME));
    expect(out.letters.map((l) => [l.body, path.basename(l.file)])).toEqual([
      ['青禾县教育局', '青禾县教育局（2）.docx'],
      ['青禾县民政局', '青禾县民政局.docx'],
      ['全部反馈意见', '全部反馈意见（2）.docx'],
    ]);
  });
});
