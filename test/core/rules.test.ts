// One behaviour per rule, on our own pipe-layout report.
import { describe, expect, it } from 'vitest';
import { applyEdits, ConfigError, check, fixAll, loadConfig, RULES } from '../../grammar/src/index.js';
import { report } from '../fixtures/build.js';

const text = report('pipe');
const base = check(text);
const only = (t: string, id: string) => check(t).findings.filter((f) => f.ruleId === id);
const cell = (r: number, c: number) => base.report.tables.t3!.rows[r]!.cells[c].range;

describe('rules', () => {
  it('every rule has an id, a Chinese title and explanation, and a severity', () => {
    const ids = RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(27);
    for (const r of RULES) {
      expect(r.title).toMatch(/[\u4e00-\u9fff]/);
      expect(r.description.length).toBeGreaterThan(20);
      expect(['error', 'warning', 'info']).toContain(r.severity);
    }
  });
  it('section-missing names the absent section', () => {
    const s5 = base.report.sections[4],
      s6 = base.report.sections[5];
    expect(
      only(text.slice(0, s5.range.start) + text.slice(s6.range.start), 'section-missing').map(
        (f) => f.message,
      ),
    ).toEqual(['缺少第五部分“五、存在的主要问题及改进情况”']);
  });
  it('section-heading offers the standard wording', () => {
    const t = text.replace(
      '四、政府信息公开行政复议、行政诉讼情况',
      '四、政府信息公开行政复议和行政诉讼情况',
    );
    const [f] = only(t, 'section-heading');
    expect(f.message).toBe(
      '章节标题“四、政府信息公开行政复议和行政诉讼情况”不规范，应为“四、政府信息公开行政复议、行政诉讼情况”',
    );
    expect(applyEdits(t, f.fix!.edits)).toBe(text);
  });
  it('a heading worded as offices do is its section by meaning (section-heading, not section-missing)', () => {
    for (const [std, own] of [
      ['五、存在的主要问题及改进情况', '五、存在问题及整改情况'],
      ['三、收到和处理政府信息公开申请情况', '三、依申请公开办理情况'],
      ['六、其他需要报告的事项', '六、其它需报告事项'],
    ]) {
      expect(check(text.replace(std, own)).findings.map((f) => [f.ruleId, f.message])).toEqual([
        ['section-heading', `章节标题“${own}”不规范，应为“${std}”`],
      ]);
    }
    // A numbered list inside a section is not a heading, even when it speaks of another section's topic.
    const list = text.replace(
      '一是部分栏目更新不够及时；',
      '\n二、主动公开栏目更新不够及时；\n三、依申请公开答复质量有待提高；\n',
    );
    expect(check(list).findings).toEqual([]);
  });
  it('outdated-template for the pre-2019 一、概述', () => {
    const t = text.replace('一、总体情况', '一、概述');
    expect(only(t, 'outdated-template').map((f) => f.message)).toEqual([
      expect.stringContaining('“一、概述”是2019年以前的旧格式'),
    ]);
  });
  it('outdated-template for a one-row （六）其他处理', () => {
    const rows = base.report.tables.t3!.rows;
    const t = applyEdits(text, [
      {
        start: rows[20]!.block.start,
        end: rows[22]!.block.end,
        newText: '（六）其他处理 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |\n',
      },
    ]);
    const r = check(t);
    expect(r.findings.filter((f) => f.ruleId === 'outdated-template')).toHaveLength(1);
    expect(r.findings.filter((f) => f.ruleId === 'row-missing')).toEqual([]);
    expect(r.findings.filter((f) => f.severity === 'error').map((f) => f.ruleId)).toEqual([
      'outdated-template',
    ]);
  });
  it('subsection-missing', () => {
    const t = text.replace('（五）监督保障。本局将政务公开纳入年度考核，全年组织业务培训两次。\n', '');
    expect(only(t, 'subsection-missing').map((f) => f.message)).toEqual([
      '“一、总体情况”缺少子项“（五）监督保障”',
    ]);
  });
  it('table-missing when a table is a pasted image', () => {
    const s3 = base.report.sections[2],
      s4 = base.report.sections[3];
    const t = text.slice(0, s3.range.end) + '\n[图片]\n' + text.slice(s4.range.start);
    expect(only(t, 'table-missing').map((f) => f.message)).toEqual([
      '“三、收到和处理政府信息公开申请情况”中没有可识别的表三（可能是粘贴的图片）',
    ]);
  });
  it('cell-blank for a placeholder: filling 0 is offered, never a fix', () => {
    const t = applyEdits(text, [{ ...cell(5, 2), newText: '/' }]);
    const [f] = only(t, 'cell-blank');
    expect(f.message).toBe('表三“2.其他法律行政法规禁止公开”行“科研机构”列为“/”，没有填数（没有发生应填0）');
    expect(f.fix).toBeUndefined();
    expect(f.suggestions!.map((s) => s.title)).toEqual(['将表三空白单元格填0']);
    expect(applyEdits(t, f.suggestions![0].edits)).toBe(text);
    expect(fixAll(t)).toBe(t);
  });
  it('cell-blank once per row, naming the blank columns; each cell kept as a part', () => {
    const t = applyEdits(
      text,
      [1, 2, 3].map((c) => ({ ...cell(2, c), newText: '—' })),
    );
    const fs = only(t, 'cell-blank');
    expect(fs.map((f) => f.message)).toEqual([
      '表三“（一）予以公开”有3个空白单元格（商业企业“—”、科研机构“—”、社会公益组织“—”），没有发生应填0',
    ]);
    expect(fs[0].parts).toEqual(
      [1, 2, 3].map((c) => ({ start: cell(2, c).start, end: cell(2, c).start + 1 })),
    );
  });
  it("a one-number 表二 row with a bad or empty value is that row's cell, never a missing row", () => {
    const at = (bad: string, row = '行政许可 | 14 |', label = '行政许可') =>
      check(text.replace(row, `${label} | ${bad} |`)).findings.map((f) => [f.ruleId, f.message]);
    expect(at('十四')).toEqual([['cell-invalid', '表二“行政许可”为“十四”，不是数字：请用阿拉伯数字填写']]);
    expect(at('6件', '行政处罚 | 6 |', '行政处罚')).toEqual([
      ['cell-invalid', '表二“行政处罚”为“6件”，不是数字：请只填数字，不带单位'],
    ]);
    expect(at('')).toEqual([['cell-blank', '表二“行政许可”为空白，没有填数（没有发生应填0）']]);
    expect(fixAll(text.replace('行政许可 | 14 |', '行政许可 | 十四 |'))).toBe(
      text.replace('行政许可 | 14 |', '行政许可 | 十四 |'),
    );
  });
  it('table-unreadable once for a table broken apart, instead of row-missing and cell-count findings', () => {
    const rows = base.report.tables.t3!.rows;
    // A conversion that kept a few labels and scattered the numbers: rows 2–22 reduced to their labels.
    const t = applyEdits(
      text,
      rows.slice(2, 23).map((r) => ({ start: r!.cells[0].range.start, end: r!.block.end - 1, newText: '' })),
    );
    const r = check(t);
    expect(r.findings.map((f) => [f.ruleId, f.message])).toEqual([
      ['table-unreadable', '表三无法可靠读取：只识别出模板25行中的4行，请核对原表'],
    ]);
    expect(r.report.tables.t3!.values.flat().every((x) => x === null)).toBe(true);
  });
  it('year-mismatch: two title lines, the title against the period, the year the overview describes', () => {
    const ids = (t: string) => check(t).findings.map((f) => [f.ruleId, f.message]);
    expect(ids('青禾县农业农村局2023年政府信息公开工作年度报告\n' + text)).toContainEqual([
      'year-mismatch',
      '标题中的年份不一致：2023年和2024年',
    ]);
    expect(
      ids(text.replace('统计期限为2024年1月1日至2024年12月31日', '统计期限为2023年1月1日至2023年12月31日')),
    ).toEqual([['year-mismatch', '标题年份为2024年，但统计期限为2023年']]);
    expect(
      ids(
        text
          .replace('（二）依申请公开。2024年', '（二）依申请公开。2023年')
          .replace('（一）主动公开。', '（一）主动公开。2023年，本局'),
      ),
    ).toEqual([
      ['year-mismatch', '标题年份为2024年，但“一、总体情况”所述为2023年（出现2次，没有提到2024年）'],
    ]);
    // Comparisons with an earlier year are not the year described.
    expect(ids(text.replace('（一）主动公开。', '（一）主动公开。较2023年增加，比2023年多。'))).toEqual([]);
  });
  it('narrative-mismatch reads counts written with spaces, and compares with the value the totals imply', () => {
    const prose = (n: string) => text.replace(/收到政府信息公开申请3件/, `新收政府信息公开申请数量 ${n} 件`);
    expect(only(prose('5'), 'narrative-mismatch').map((f) => f.message)).toEqual([
      '正文称“新收政府信息公开申请数量5件”，但表三“一、本年新收政府信息公开申请数量”行“总计”列为3',
    ]);
    expect(only(prose('3'), 'narrative-mismatch')).toEqual([]);
    // A wrong table total is the table's error, not the prose's: one finding, on the cell.
    const wrong = applyEdits(text, [{ ...cell(0, 6), newText: '4' }]);
    expect(check(wrong).findings.map((f) => f.ruleId)).toEqual(['t3-row-total']);
  });
  it("placeholder: the template's instruction text left in the report", () => {
    const t = text.replace(
      '（一）主动公开。',
      '（一）主动公开。（文字描述，不超过300字）XX（单位名称）于XXXX年',
    );
    expect(only(t, 'placeholder').map((f) => f.message)).toEqual([
      '“（文字描述，不超过300字）”：模板说明文字未删除',
      '“XX（单位名称）”：模板说明文字未删除',
      '“XXXX年”：占位符未替换',
    ]);
  });
  it('cell-invalid for a negative number and a decimal count', () => {
    const t = applyEdits(text, [
      { ...cell(5, 2), newText: '-1' },
      { ...cell(6, 3), newText: '1.5' },
    ]);
    expect(only(t, 'cell-invalid').map((f) => f.message)).toEqual([
      '表三“2.其他法律行政法规禁止公开”行“科研机构”列为“-1”，不是有效的数（应为非负整数）',
      '表三“3.危及“三安全一稳定””行“社会公益组织”列为“1.5”，不是有效的数（应为非负整数）',
    ]);
  });
  it('cell-count when a row has an extra number', () => {
    const t = applyEdits(text, [{ start: cell(7, 6).end, end: cell(7, 6).end, newText: ' | 0' }]);
    expect(only(t, 'cell-count').map((f) => f.message)).toEqual([
      '表三“4.保护第三方合法权益”行应有7个数，实际有8个（读到8个数：0、0、0、0、0、0、0、0）',
    ]);
  });
  it('cell-count for 表四 shows what was read: a printed page line among its numbers, the middle of a long list elided', () => {
    const row = '1 | 0 | 0 | 0 | 1 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0';
    expect(text).toContain(row);
    // A browser's print line (date, time, page) caught between the header and the numbers.
    const t = text.replace(row, `2025/3/14 09:05 | 4/7\n${row}`);
    expect(only(t, 'cell-count').map((f) => f.message)).toEqual([
      '表四应有15个数，实际有22个（读到22个数：2025、3、14、09、05、4、7、1、0、0、0、1、…、0、0、0、0）',
    ]);
    const short = text.replace(row, row.replace(/ \| 0$/, ''));
    expect(only(short, 'cell-count').map((f) => f.message)).toEqual([
      '表四应有15个数，实际有14个（读到14个数：1、0、0、0、1、0、0、0、0、0、0、0、0、0）',
    ]);
  });
  it('row-label for a typo, with the standard label as fix', () => {
    const t = text.replace('7.属于行政执法案卷', '7.属于行政执法案件');
    const [f] = only(t, 'row-label');
    expect(f.message).toBe('表三行标签“7.属于行政执法案件”与模板不符，应为“7.属于行政执法案卷”');
    expect(applyEdits(t, f.fix!.edits)).toBe(text);
  });
  it('row-order for a duplicated row', () => {
    const b = base.report.tables.t3!.rows[9]!.block;
    const t = applyEdits(text, [{ start: b.end, end: b.end, newText: text.slice(b.start, b.end) }]);
    expect(only(t, 'row-order').map((f) => f.message)).toContain('表三“6.属于四类过程性信息”行重复出现');
  });
  it('t3-balance when new + carried over ≠ answered + carried forward', () => {
    // Row 1 (carried over) and its total both raised: the row adds up, the balance does not.
    const t = applyEdits(text, [
      { ...cell(1, 0), newText: '2' },
      { ...cell(1, 6), newText: '2' },
    ]);
    expect(only(t, 't3-balance').map((f) => f.message)).toEqual([
      expect.stringContaining('表三“自然人”列：本年新收2+上年结转2=4，但办理结果总计2+结转下年度1=3'),
      expect.stringContaining('表三“总计”列：本年新收3+上年结转2=5，但办理结果总计3+结转下年度1=4'),
    ]);
  });
  it('narrative-mismatch when the prose contradicts 表三', () => {
    const t = text.replace('收到政府信息公开申请3件', '收到政府信息公开申请5件');
    expect(only(t, 'narrative-mismatch').map((f) => f.message)).toEqual([
      '正文称“收到政府信息公开申请5件”，但表三“一、本年新收政府信息公开申请数量”行“总计”列为3',
    ]);
  });
  it('narrative-mismatch never compares the prose with a sum that has a blank or unreadable part', () => {
    const said = (n: number) => text.replace('收到政府信息公开申请3件', `收到政府信息公开申请${n}件`);
    const carriedBlank = (t: string) => applyEdits(t, [{ ...cell(1, 6), newText: '' }]);
    // 5 may be this year's 3 plus last year's carried-over applications, whose total is blank.
    expect(check(carriedBlank(said(5))).findings.map((f) => f.ruleId)).toEqual(['cell-blank']);
    // Fewer than this year's new applications is a mismatch whatever was carried over.
    expect(only(carriedBlank(said(2)), 'narrative-mismatch').map((f) => f.message)).toEqual([
      '正文称“收到政府信息公开申请2件”，但表三“一、本年新收政府信息公开申请数量”行“总计”列为3',
    ]);
    // 表四 with a cell nobody can read: the prose's "no review, no suit" is not compared with its totals.
    const none = text.replace('均在法定期限内答复。', '均在法定期限内答复，未发生行政复议、行政诉讼。');
    expect(only(none, 'narrative-mismatch').map((f) => f.message)).toEqual([
      '正文称“未发生行政复议、行政诉讼”，但表四“行政复议”总计为1，行政诉讼（“未经复议直接起诉”与“复议后起诉”）总计为0',
    ]);
    const unreadable = none.replace(
      '1 | 0 | 0 | 0 | 1 | 0 | 0 | 0 | 0 | 0 |',
      '1 | 0 | 0 | 0 | 1 | 0 | 0 | 若干 | 0 | 0 |',
    );
    expect(unreadable).not.toBe(none);
    expect(only(unreadable, 'narrative-mismatch')).toEqual([]);
  });
  it('placeholder for an unfilled number', () => {
    const t = text.replace('全年组织业务培训两次。', '全年共主动公开条，培训XX次。');
    expect(only(t, 'placeholder').map((f) => f.message)).toEqual([
      '“共主动公开条”：数字未填写',
      '“XX次”：占位符未替换',
    ]);
  });
  it('fee-statement-missing', () => {
    expect(only(text.replace('本年度未收取信息处理费。', '无。'), 'fee-statement-missing')).toHaveLength(1);
  });
});

describe('an unreadable table', () => {
  it('is said once: its single （六） row is not also called the 2019 template', () => {
    const lines = report('tab').split('\n');
    const i = lines.findIndex((l) => l.startsWith('（六）其他处理'));
    lines.splice(i, 3, '（六）其他处理\t0\t0\t0\t0\t0\t0\t0');
    // Every 表三 row's numbers doubled, as a broken conversion leaves them.
    const a = lines.findIndex((l) => l.startsWith('一、本年新收'));
    const b = lines.findIndex((l) => l.startsWith('四、结转下年度'));
    for (let k = a; k <= b; k++) lines[k] = lines[k].replace(/((\t\d+)+)$/, '$1$1');
    expect(check(lines.join('\n')).findings.map((f) => f.ruleId)).toEqual(['table-unreadable']);
  });
});

describe('configuration', () => {
  it('turns rules off and changes severities', () => {
    const t = text
      .replace('本年度未收取信息处理费。', '无。')
      .replace('7.属于行政执法案卷', '7.属于行政执法案件');
    const config = loadConfig({ rules: { 'fee-statement-missing': 'off', 'row-label': 'error' } });
    const r = check(t, { config });
    expect(r.findings.map((f) => `${f.ruleId}:${f.severity}`)).toEqual(['row-label:error']);
  });
  it('rejects unknown rules and bad levels with a Chinese message', () => {
    expect(() => loadConfig({ rules: { 'no-such-rule': 'off' } }, '.nianbaorc.json')).toThrow(ConfigError);
    expect(() => loadConfig({ rules: { 'row-label': 'loud' } }, '.nianbaorc.json')).toThrow(
      '规则“row-label”的级别应为 off、info、warning 或 error',
    );
    expect(() => loadConfig([], 'x')).toThrow('应为 JSON 对象');
  });
});
