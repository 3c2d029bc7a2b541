// The real reports of ../shared/corpus: what a reviewer expects nianbao to say about each.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { check } from '../../grammar/src/index.js';
import { hasCorpus } from '../corpus.js';

const corpus = new URL('../../../shared/corpus/', import.meta.url);
const read = (p: string) => readFileSync(new URL(p, corpus), 'utf8');
const zeros = (n: number) => Array(n).fill(0);
const t3 = (sparse: Record<number, number[]>) => Array.from({ length: 25 }, (_, r) => sparse[r] ?? zeros(7));
const errors = (r: ReturnType<typeof check>) => r.findings.filter((f) => f.severity === 'error');
const rules = (r: ReturnType<typeof check>) => r.findings.map((f) => f.ruleId);

const SEEDS: Record<string, { year: number; t2: number[]; t3: number[][]; t4: number[] }> = {
  '000_fb6ba744d3ced4a5.txt': { year: 2024, t2: zeros(10), t3: t3({}), t4: zeros(15) },
  '001_3fec25f6ec347ac3.txt': { year: 2024, t2: zeros(10), t3: t3({}), t4: zeros(15) },
  '003_66bd8bba5bd9b9c1.txt': {
    year: 2023,
    t2: [0, 0, 0, 1, 0, 5, 0, 0, 0, 0],
    t3: t3({ 0: [2, 0, 0, 0, 0, 0, 2], 2: [2, 0, 0, 0, 0, 0, 2], 23: [2, 0, 0, 0, 0, 0, 2] }),
    t4: zeros(15),
  },
  '004_2b2a966791f68e4e.txt': {
    year: 2024,
    t2: [0, 0, 0, 0, 0, 0, 4, 1, 0, 0],
    t3: t3({ 0: [0, 1, 0, 0, 0, 0, 1], 2: [0, 1, 0, 0, 0, 0, 1], 23: [0, 1, 0, 0, 0, 0, 1] }),
    t4: zeros(15),
  },
};

describe.skipIf(!hasCorpus)('seeds', () => {
  for (const [file, want] of Object.entries(SEEDS)) {
    it(`${file}: six sections, exact tables, no error`, () => {
      const r = check(read(`seeds/${file}`));
      expect(r.report.sections.map((s) => s.id)).toEqual(['S1', 'S2', 'S3', 'S4', 'S5', 'S6']);
      expect(r.report.year).toBe(want.year);
      expect(r.report.tables.t2!.values).toEqual(want.t2);
      expect(r.report.tables.t3!.values).toEqual(want.t3);
      expect(r.report.tables.t4!.values).toEqual(want.t4);
      expect(errors(r)).toEqual([]);
    });
  }
  it('seed 004: no fee statement, and the [bookmark: _GoBack] artefact', () => {
    const text = read('seeds/004_2b2a966791f68e4e.txt');
    const r = check(text);
    expect(r.report.title?.text).toBe('重庆市綦江区司法局2024年政府信息公开工作年度报告');
    const fee = r.findings.filter((f) => f.ruleId === 'fee-statement-missing');
    expect(fee).toHaveLength(1);
    const ph = r.findings.filter((f) => f.ruleId === 'placeholder');
    expect(ph).toHaveLength(1);
    expect(text.slice(ph[0].range.start, ph[0].range.end)).toBe('[bookmark: _GoBack]');
    expect(r.lines.position(ph[0].range.start).line).toBe(
      text.slice(0, text.indexOf('[bookmark')).split('\n').length,
    );
  });
  it('seed 001: duplicated title and web footer cause no finding', () => {
    const r = check(read('seeds/001_3fec25f6ec347ac3.txt'));
    expect(r.report.title?.year).toBe(2024);
    expect(r.findings).toEqual([]);
  });
});

describe.skipIf(!hasCorpus)('real reports', () => {
  it('real/001: two t4-total errors, the 2019 （六） row, the 行政止公开 label', () => {
    const r = check(read('real/001_hongzequ_2023.txt'));
    const t4 = r.findings.filter((f) => f.ruleId === 't4-total');
    expect(t4.map((f) => f.message)).toEqual([
      expect.stringContaining('表四“行政复议”总计为0'),
      expect.stringContaining('表四“复议后起诉”总计为0'),
    ]);
    // One relation per block: the sums are offered, never applied by fix-all.
    expect(t4.every((f) => f.severity === 'error' && !f.fix)).toBe(true);
    expect(t4[0].suggestions![0].edits[0].newText).toBe('11');
    expect(t4[1].suggestions![0].edits[0].newText).toBe('5');
    const old = r.findings.filter((f) => f.ruleId === 'outdated-template');
    expect(old).toHaveLength(1);
    expect(old[0].message).toContain('（六）其他处理');
    expect(rules(r)).not.toContain('row-missing');
    const label = r.findings.filter((f) => f.ruleId === 'row-label');
    expect(label).toHaveLength(1);
    expect(label[0].message).toContain('2.其他法律行政止公开');
    expect(label[0].fix!.edits[0].newText).toBe('2.其他法律行政法规禁止公开');
    expect(
      errors(r)
        .map((f) => f.ruleId)
        .sort(),
    ).toEqual(['outdated-template', 't4-total', 't4-total']);
  });
  it('real/003: no error, every table cell extracted', () => {
    const r = check(read('real/003_huaianshi_2024.txt'));
    expect(errors(r)).toEqual([]);
    const { t2, t3, t4 } = r.report.tables;
    expect(t2!.values.every((v) => v != null)).toBe(true);
    expect(t3!.values.flat().every((v) => v != null)).toBe(true);
    expect(t4!.values.every((v) => v != null)).toBe(true);
    const v = t3!.values;
    expect(v[0][6]! + v[1][6]!).toBe(v[23][6]! + v[24][6]!);
    expect([v[0][6], v[1][6], v[23][6], v[24][6]]).toEqual([3119, 34, 3050, 103]);
  });
  it('real/005: run-together rows split where the totals decide', () => {
    const r = check(read('real/005_pingtan_2022.txt'));
    const v = r.report.tables.t3!.values;
    expect(v[0]).toEqual([71, 3, 0, 0, 0, 0, 74]);
    expect(v[23]).toEqual([72, 3, 0, 0, 0, 0, 75]);
    expect(v.flat().every((x) => x != null)).toBe(true);
    // 表二 has no totals: 8855698 cannot be split reliably, and nianbao says so.
    expect(r.report.tables.t2!.values.slice(3, 6)).toEqual([null, null, null]);
    const run = r.findings.filter((f) => f.ruleId === 'cells-run-together');
    expect(run.some((f) => f.message.includes('8855698') && f.severity === 'warning')).toBe(true);
    expect(run.some((f) => f.message.startsWith('表三') && f.severity === 'info')).toBe(true);
    expect(r.findings.find((f) => f.ruleId === 'section-heading')?.fix?.edits[0].newText).toBe(
      '四、政府信息公开行政复议、行政诉讼情况',
    );
    expect(errors(r)).toEqual([]);
  });
  it.each(['014_pingtan_jingfaju_2022.txt', '018_pingtan_gonganju_2022.txt'])(
    'real/%s: collapsed page read completely',
    (file) => {
      const r = check(read(`real/${file}`));
      expect(r.report.sections.map((s) => s.id)).toEqual(['S1', 'S2', 'S3', 'S4', 'S5', 'S6']);
      expect(r.report.tables.t3!.values.flat().every((x) => x != null)).toBe(true);
      expect(r.report.tables.t4!.values.every((x) => x != null)).toBe(true);
      expect(errors(r)).toEqual([]);
    },
  );
  it('real/018: 1 new + 1 carried over = 2', () => {
    const v = check(read('real/018_pingtan_gonganju_2022.txt')).report.tables.t3!.values;
    expect([v[0][6], v[1][6], v[23][6], v[24][6]]).toEqual([1, 1, 2, 0]);
  });
  it('real/009 (Markdown from PDF): tables across page breaks, balances hold', () => {
    const r = check(read('real/009_shuyangxian_2025.md'));
    expect(r.report.sections.map((s) => s.id)).toEqual(['S1', 'S2', 'S3', 'S4', 'S5', 'S6']);
    const v = r.report.tables.t3!.values;
    expect([v[0][6], v[1][6], v[23][6], v[24][6]]).toEqual([713, 36, 718, 31]);
    expect(errors(r)).toEqual([]);
  });
  it('real/002: the prose counts one office only — reported as a warning, not an error', () => {
    const r = check(read('real/002_hongzequ_2024.txt'));
    const n = r.findings.filter((f) => f.ruleId === 'narrative-mismatch');
    expect(n).toHaveLength(1);
    expect(n[0].severity).toBe('warning');
    expect(n[0].message).toContain('17件');
    expect(n[0].message).toContain('95');
  });
});
