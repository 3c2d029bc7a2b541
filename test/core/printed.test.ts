// Text copied from a printed PDF (pdftotext: pages separated by form feeds): the lines a browser or a
// word processor prints at the top and bottom of every page are not report text, whatever they say.
import { describe, expect, it } from 'vitest';
import { check } from '../../grammar/src/index.js';
import { report } from '../fixtures/build.js';

const text = report('pipe');
const base = check(text);
const messages = (t: string) => check(t).findings.map((f) => `${f.ruleId} ${f.message}`);

/** The text cut into pages before the given lines, each page with the header and footer `edge` gives it. */
function paginate(t: string, before: string[], edge: (page: number, of: number) => [string, string]): string {
  const cuts = before.map((b) => {
    const at = t.indexOf(b);
    expect(at, b).toBeGreaterThan(0);
    return at;
  });
  const pieces = [0, ...cuts].map((c, i) => t.slice(c, cuts[i] ?? t.length));
  return pieces
    .map((p, i) => {
      const [head, foot] = edge(i + 1, pieces.length);
      return `${i ? '\f' : ''}${head}\n\n${p.replace(/\n$/, '')}\n\n${foot}\n`;
    })
    .join('');
}

describe('printed pages', () => {
  // Page breaks inside 表三 (between two rows) and inside 表四 (between its header and its numbers).
  const breaks = ['5.属于三类内部事务信息', '1 | 0 | 0 | 0 | 1 | 0 | 0'];

  it('a browser header (date, time, title) and footer (address, n/m) on every page: nothing reported', () => {
    const t = paginate(text, breaks, (n, of) => [
      `2026/3/14 下午3:07          某某区人民政府2024年政府信息公开工作年度报告_专题栏目_门户网站`,
      `https://www.example.gov.cn/col/col1234/art/2025/art_5678.html          ${n}/${of}`,
    ]);
    expect(t.split('\f')).toHaveLength(3);
    expect(messages(t)).toEqual(messages(text));
    expect(check(t).report.tables.t4!.values).toEqual(base.report.tables.t4!.values);
    expect(check(t).report.tables.t3!.values).toEqual(base.report.tables.t3!.values);
  });

  it('a running header and a page number in its own wording: nothing reported', () => {
    const t = paginate(text, breaks, (n, of) => [
      `某某区政务服务数据管理局  （${2024}）第${n + 7}号材料`,
      `— 共${of}面 · 第${n}面 —`,
    ]);
    expect(messages(t)).toEqual(messages(text));
  });

  it('without page breaks the same lines are report text: 表四 then counts their numbers, and says which it read', () => {
    const row = '1 | 0 | 0 | 0 | 1 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0';
    const t = text.replace(row, `https://www.example.gov.cn/art/2025/1/20/art.html 2/3\n${row}`);
    expect(messages(t).filter((m) => m.startsWith('cell-count'))).toEqual([
      'cell-count 表四应有15个数，实际有20个（读到20个数：2025、1、20、2、3、1、0、0、0、1、0、0、…、0、0、0、0）',
    ]);
  });
});
