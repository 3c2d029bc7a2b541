// The grammar of a report line (grammar/report.ohm) and the parser's use of it.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  classifyLine,
  findHeading,
  headingCandidates,
  numberingOf,
  readRow,
  SECTION_NUMERALS,
  tokenize,
} from '../../grammar/src/parse/grammar.js';

const root = path.resolve(import.meta.dirname, '../..');

describe('the compiled grammar', () => {
  it('is the bundle `npm run grammar` makes from report.ohm now (regenerate it after editing the grammar)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nianbao-ohm-'));
    fs.copyFileSync(path.join(root, 'grammar/report.ohm'), path.join(dir, 'report.ohm'));
    execFileSync(
      process.execPath,
      [
        path.join(root, 'node_modules/@ohm-js/cli/index.js'),
        'generateBundles',
        '--withTypes',
        '--esm',
        path.join(dir, 'report.ohm'),
      ],
      { stdio: 'pipe' },
    );
    for (const f of ['report.ohm-bundle.js', 'report.ohm-bundle.d.ts'])
      expect(fs.readFileSync(path.join(dir, f), 'utf8'), f).toBe(
        fs.readFileSync(path.join(root, 'grammar', f), 'utf8'),
      );
    fs.rmSync(dir, { recursive: true });
  });
});

describe('a line of a report (the `line` rule and its named cases)', () => {
  it('reads a section heading: its numeral, its title and where the title starts', () => {
    expect(classifyLine('一、总体情况')).toEqual({
      kind: 'heading',
      numeral: '一',
      title: '总体情况',
      titleStart: 2,
    });
    expect(classifyLine('  ## 三. 收到和处理政府信息公开申请情况')).toEqual({
      kind: 'heading',
      numeral: '三',
      title: '收到和处理政府信息公开申请情况',
      titleStart: 8,
    });
    expect(classifyLine('六 , 其他需要报告的事项')).toMatchObject({
      kind: 'heading',
      numeral: '六',
      titleStart: 4,
    });
  });
  it('reads a sub-heading, full-width brackets once normalised', () => {
    expect(classifyLine('（一）主动公开'.normalize('NFKC'))).toEqual({
      kind: 'subHeading',
      numeral: '一',
      title: '主动公开',
      titleStart: 3,
    });
    expect(classifyLine('( 十二 ) 监督保障')).toMatchObject({
      kind: 'subHeading',
      numeral: '十二',
      title: '监督保障',
    });
  });
  it('reads a page footer in each of its forms, with its page number', () => {
    for (const [line, page] of [
      ['-3-', 3],
      [' — 12 — ', 12],
      ['第2页', 2],
      ['第 2 页 共 5 页', 2],
      ['2/5', 2],
      ['  14 / 20 ', 14],
    ] as const)
      expect(classifyLine(line), line).toEqual({ kind: 'footer', page });
  });
  it('calls anything else other: prose, a seventh numeral, a date, a number, a footer with text after it', () => {
    for (const line of [
      '本机关2024年政府信息公开工作情况如下。',
      '七、附则',
      '一是加强组织领导',
      '2024/1/1',
      '12',
      '第2页 说明',
      '-3- 其他',
      '(一',
      '',
    ])
      expect(classifyLine(line), line).toEqual({ kind: 'other' });
  });
  it('never reads a long line whole (flattened pages go to the heading search)', () => {
    expect(classifyLine('一、总体情况' + '。'.repeat(300))).toEqual({ kind: 'other' });
  });
});

describe('headings inside a long line', () => {
  it('are found after a sentence end, a space or a closing mark, never inside a word', () => {
    const line = '正文。二、主动公开政府信息情况 表格 三 . 收到申请 统一、规范 x四、办理';
    expect(headingCandidates(line)).toEqual([line.indexOf('二'), line.indexOf('三')]);
    expect(SECTION_NUMERALS).toEqual(['一', '二', '三', '四', '五', '六']);
  });
  it('a page heading is found where the grammar reads it as that heading, whatever its width and spacing', () => {
    const page = '报告\n一，\n总体情况 正文一、总体情况说明 统一、\n                  总体情况';
    expect(findHeading(page, '一', '总体情况')).toEqual([
      [3, 10],
      [13, 19],
      [23, 48],
    ]);
    expect(findHeading('其他 六是其他', '六', '其他')).toEqual([]);
  });
  it('a page holding the title word tens of thousands of times is searched in linear time', () => {
    let page = '';
    for (let i = 0; i < 60000; i++) page += `一${String.fromCharCode(0x4e00 + (i % 20000))}总体情况`;
    page += '总体情况'.repeat(60000);
    const t0 = performance.now();
    expect(findHeading(`一、总体情况${page}`, '一', '总体情况')).toEqual([[0, 6]]);
    expect(performance.now() - t0).toBeLessThan(3000);
  });
});

describe('a table row on one line (the `row` rule)', () => {
  it('reads its numbering in each form, its label and its cells', () => {
    expect(readRow('（一）本年新收政府信息公开申请数量 12 0 3'.normalize('NFKC'))).toEqual({
      kind: 'row',
      numbering: { form: 'bracketed', value: 1, text: '(一)' },
      label: '本年新收政府信息公开申请数量',
      labelStart: 3,
      cells: [
        { kind: 'number', text: '12', start: 18, end: 20 },
        { kind: 'number', text: '0', start: 21, end: 22 },
        { kind: 'number', text: '3', start: 23, end: 24 },
      ],
    });
    expect(readRow('3.其他 — 2')).toMatchObject({
      numbering: { form: 'arabic', value: 3 },
      label: '其他',
      cells: [
        { kind: 'placeholder', text: '—' },
        { kind: 'number', text: '2' },
      ],
    });
    expect(readRow('十一、行政 许可 5')).toMatchObject({
      numbering: { form: 'chinese', value: 11, text: '十一、' },
      label: '行政 许可',
    });
    expect(readRow('规章 0 0 1')?.numbering).toBeNull();
  });
  it('is no row without a label or without a cell', () => {
    expect(readRow('12 0 3')).toBeNull();
    expect(readRow('行政许可')).toBeNull();
  });
  it('a label starting with a decimal is not numbered (1.5 is no numbering)', () => {
    expect(numberingOf('1.5万件')).toBeNull();
    expect(numberingOf('10、其他')).toEqual({ form: 'arabic', value: 10, text: '10、' });
  });
});

describe('tokenize (the cells of a table region)', () => {
  const kinds = (s: string) => tokenize(s).map((t) => [t.kind, t.text]);
  it('splits at TABs, pipes and spaces; placeholders stand alone', () => {
    expect(kinds('行政许可\t12\t—\t/ | 无 |-0.5')).toEqual([
      ['label', '行政许可'],
      ['number', '12'],
      ['placeholder', '—'],
      ['placeholder', '/'],
      ['placeholder', '无'],
      ['number', '-0.5'],
    ]);
  });
  it('keeps item numbers and numbers with a unit inside the label, and digits run into a label apart', () => {
    expect(kinds('1.收到申请数 2024年共3件 12')).toEqual([
      ['label', '1.收到申请数'],
      ['label', '2024年共3件'],
      ['number', '12'],
    ]);
    expect(kinds('规章00 5')).toEqual([
      ['label', '规章'],
      ['number', '00'],
      ['number', '5'],
    ]);
  });
  it('reads thousands separators only in the grouped shape: 1 to 3 digits, then groups of three', () => {
    expect(kinds('1,483 4,166.21 12,345,678')).toEqual([
      ['number', '1,483'],
      ['number', '4,166.21'],
      ['number', '12,345,678'],
    ]);
    // Not the shape: each is read as before, never as one number.
    for (const s of ['1,23', '1,2345', '0,100', '12,345,6', '1483,000'])
      expect(kinds(s).map(([, t]) => t)).not.toContain(s);
  });
  it('gives offsets in the text, across lines and across the pieces a long line is cut into', () => {
    const text = 'a 1\n' + '9 '.repeat(300) + '7';
    const toks = tokenize(text);
    expect(toks).toHaveLength(303);
    for (const t of toks) expect(text.slice(t.start, t.end)).toBe(t.text);
    expect(toks[toks.length - 1]).toEqual({
      kind: 'number',
      text: '7',
      start: text.length - 1,
      end: text.length,
    });
  });
});
