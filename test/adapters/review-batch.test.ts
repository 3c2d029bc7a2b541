// A batch stopped by its time limit (the signal) after its first file: the files not checked are
// 未检查 in every summary (page, workbook, CSV, the Feishu card), never 无法读取.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { DomUtils, parseDocument } from 'htmlparser2';
import { describe, expect, it } from 'vitest';
import { batchCard, batchText } from '../../bot-feishu/src/batch-card.js';
import { type BatchInput, reviewBatch } from '../../cli/review/batch.js';
import { toHtml } from '../../cli/review/html.js';
import { toCsv } from '../../cli/review/summary.js';
import type { FileOutcome } from '../../cli/review/types.js';
import run from '../../cli/review/worker.js';
import { toXlsx } from '../../cli/review/xlsx.js';
import { report } from '../fixtures/build.js';
import { renderedPage } from '../fixtures/rendered-page.js';

const utf8 = (s: string) => new TextEncoder().encode(s);

describe('a batch stopped before all its files were checked', () => {
  it('the files not checked are 未检查, not 无法读取, in every summary', async () => {
    const inputs: BatchInput[] = ['甲.txt', '乙.txt', '丙.txt'].map((name) => ({
      name,
      bytes: utf8(report('pipe')),
    }));
    const stop = new AbortController();
    const batch = await reviewBatch(inputs, {
      threads: 1,
      maxBytes: 1 << 24,
      signal: stop.signal,
      // The first file checked stops the batch; a file in flight then fails as the bot's do.
      run: async (task) => {
        const outcome = (await run(task)) as FileOutcome;
        if (stop.signal.aborted) throw new Error('stopped');
        stop.abort();
        return outcome;
      },
    });
    expect(batch.stopped).toBe(true);
    const { rows } = batch.review;
    expect(rows.map((r) => r.status)).toEqual(['clean', 'unchecked', 'unchecked']);
    expect(rows[1].reason).toBe('乙.txt：审阅已中止，未检查');

    const csv = toCsv(batch.review).split('\r\n');
    expect(csv.slice(1, 4).map((l) => l.split(',').slice(0, 5).join(','))).toEqual([
      '甲.txt,青禾县农业农村局,2024,txt,无问题',
      '乙.txt,,,txt,未检查',
      '丙.txt,,,txt,未检查',
    ]);

    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await toXlsx(batch.review)) as unknown as ArrayBuffer);
    const statuses: unknown[] = [];
    wb.getWorksheet('报告')!.eachRow((r) => void statuses.push(r.getCell(5).value));
    expect(statuses).toEqual(['状态', '无问题', '未检查', '未检查']);

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nianbao-stopped-'));
    fs.writeFileSync(path.join(dir, 'r.html'), toHtml(batch.review));
    const doc = parseDocument(await renderedPage(path.join(dir, 'r.html')));
    const cells = DomUtils.getElementsByTagName('td', DomUtils.getElementById('reports', doc)!);
    // Worst first: the files not checked before the clean one.
    expect(cells.filter((c) => c.attribs.class?.startsWith('status')).map(DomUtils.textContent)).toEqual([
      '未检查',
      '未检查',
      '无问题',
    ]);
    const line = DomUtils.textContent(DomUtils.getElementsByTagName('p', doc)[0]);
    expect(line).toContain('无法读取 0 份，未检查 2 份；');

    expect(batchText('批.zip', batch.review).split('\n').slice(1)).toEqual([
      '共审阅 3 份报告：无问题 1 份，未检查 2 份；跨年度对照 0 对。',
      '【未检查】丙.txt：审阅已中止，未检查',
      '【未检查】乙.txt：审阅已中止，未检查',
    ]);
    const card = JSON.stringify(batchCard('批.zip', batch.review));
    expect(card).toContain('2 份未检查');
    expect(card).toContain('未检查（2）');
    expect(card).not.toMatch(/份无法读取|无法读取（/);
  });
});
