// What a clerk reads: each kind of finding worded one way, named by its cell, at the line it is about.
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { applyEdits, check, readReport } from '../../grammar/src/index.js';
import { docLines } from '../../grammar/src/read/doc.js';
import { readHtml } from '../../grammar/src/read/html.js';
import { report } from '../fixtures/build.js';

const text = report('pipe');
const base = check(text);

/** Every finding as [line, column, rule, message]. */
const findings = (t: string) => {
  const r = check(t);
  return r.findings.map((f) => {
    const p = r.lines.position(f.range.start);
    return [p.line, p.column, f.ruleId, f.message];
  });
};
const lineOf = (t: string, s: string) => t.split('\n').findIndex((l) => l.startsWith(s)) + 1;

describe('messages', () => {
  it('the base report is clean', () => expect(base.findings).toEqual([]));

  it('subsection-missing: one finding at the heading listing every absent sub-item', () => {
    const t = text.replace(/（三）政府信息管理。[^\n]*\n/, '').replace(/（五）监督保障。[^\n]*\n/, '');
    expect(findings(t)).toEqual([
      [3, 1, 'subsection-missing', '“一、总体情况”缺少2个子项：“（三）政府信息管理”、“（五）监督保障”'],
    ]);
  });

  it('cell-invalid names a Chinese numeral by its row and column, and nothing else is reported', () => {
    const label = '（二）部分公开（区分处理的，只计这一情形，不计其他情形）';
    const t = text.replace(`${label} | 0 |`, `${label} | 一 |`);
    expect(findings(t)).toEqual([
      [
        lineOf(t, label),
        label.length + 4,
        'cell-invalid',
        `表三“${label}”行“自然人”列为“一”，不是数字：请用阿拉伯数字填写`,
      ],
    ]);
  });

  it('a `1件` or `一` inside a row is that cell, named by its column: no cell-count, no other finding', () => {
    const label = '（二）部分公开（区分处理的，只计这一情形，不计其他情形）';
    const t = text
      .replace('规章 | 0 | 0 | 0 |', '规章 | 0 | 1件 | 0 |')
      .replace(`${label} | 0 | 0 |`, `${label} | 0 | 一 |`);
    expect(findings(t)).toEqual([
      [
        lineOf(t, '规章'),
        10,
        'cell-invalid',
        '表二“规章”行“本年废止件数”列为“1件”，不是数字：请只填数字，不带单位',
      ],
      [
        lineOf(t, label),
        label.length + 8,
        'cell-invalid',
        `表三“${label}”行“商业企业”列为“一”，不是数字：请用阿拉伯数字填写`,
      ],
    ]);
  });

  it("a `一` among 表四's numbers is that cell, not a short table", () => {
    const cell = base.report.tables.t4!.t4!.cells![5].range; // 未经复议直接起诉 · 结果维持
    const t = applyEdits(text, [{ ...cell, newText: '一' }]);
    const p = base.lines.position(cell.start);
    expect(findings(t)).toEqual([
      [
        p.line,
        p.column,
        'cell-invalid',
        '表四“未经复议直接起诉”结果维持为“一”，不是数字：请用阿拉伯数字填写',
      ],
    ]);
  });

  it('a heading wrapped onto the next line: one finding naming the whole heading, and a fix that replaces both lines', () => {
    const t = text.replace(
      '四、政府信息公开行政复议、行政诉讼情况\n',
      '四、因政府信息公开工作被申请行政复议、提起行政\n诉讼情况\n',
    );
    const line = lineOf(t, '四、因政府信息公开');
    expect(findings(t)).toEqual([
      [
        line,
        1,
        'section-heading',
        '章节标题“四、因政府信息公开工作被申请行政复议、提起行政诉讼情况”不规范，应为“四、政府信息公开行政复议、行政诉讼情况”',
      ],
    ]);
    expect(applyEdits(t, check(t).findings[0].fix!.edits)).toBe(text);
  });

  it('a Markdown title: report.title without its # marks', () => {
    const r = check(`# ${text}`);
    expect(r.report.title?.text).toBe('青禾县农业农村局2024年政府信息公开工作年度报告');
    expect(r.report.title?.range.start).toBe(2);
    expect(r.findings).toEqual([]);
  });

  it('t4-total: the block named; the sum is only suggested (one relation), its title names the cell', () => {
    const total = base.report.tables.t4!.t4!.cells![14].range; // 复议后起诉 · 总计
    const t = applyEdits(text, [{ ...total, newText: '5' }]);
    const fs = check(t).findings;
    expect(fs.map((f) => [base.lines.position(f.range.start).line, f.ruleId, f.message])).toEqual([
      [
        base.lines.position(total.start).line,
        't4-total',
        '表四“复议后起诉”总计为5，但结果维持、结果纠正、其他结果、尚未审结之和为0',
      ],
    ]);
    expect(fs[0].fix).toBeUndefined();
    expect(fs[0].suggestions!.map((x) => x.title)).toEqual(['将表四“复议后起诉”总计改为0（请先核对各分项）']);
  });

  it('表三 arithmetic: a wrong total is named by its row and column, in the message and the fix', () => {
    const total = base.report.tables.t3!.rows[23]!.cells[0].range;
    const t = applyEdits(text, [{ ...total, newText: '9' }]);
    const fs = check(t).findings;
    expect(fs.map((f) => [base.lines.position(f.range.start).line, f.ruleId, f.message])).toEqual([
      [
        lineOf(text, '（七）总计'),
        't3-outcome-total',
        '表三“（七）总计”行“自然人”列为9，但各办理结果之和为2；改为2可使3处合计关系都成立',
      ],
    ]);
    expect(fs[0].fix!.title).toBe('将表三“（七）总计”行“自然人”列改为2');
  });
});

describe('locations', () => {
  it('.doc body: paragraphs by number (empty ones counted, as Word counts them), rows by table and row', () => {
    // The body as the .doc reader gets it: U+E007 ends a cell, U+E00D ends a paragraph inside a cell.
    const C = '\ue007',
      P = '\ue00d';
    const body = `标题\n\n一、总体情况\n规章${C}0${C}0${C}0${C}\n行政许可${C}1${P}（含转办）${C}\n二、主动公开\n甲${C}1${C}\n`;
    expect(docLines(body)).toEqual({
      text: '标题\n一、总体情况\n规章\t0\t0\t0\n行政许可\t1 （含转办）\n二、主动公开\n甲\t1\n',
      wheres: ['第1段', '第3段', '第1个表格 第1行', '第1个表格 第2行', '第4段', '第2个表格 第1行'],
    });
  });

  it('an HTML page: prose by paragraph, tables by table and row', () => {
    const page =
      '<html><body><div><h1>某局2024年政府信息公开工作年度报告</h1><p>一、总体情况</p><p>本局……</p>' +
      '<table><tr><td>规章</td><td>0</td></tr></table><p>六、其他需要报告的事项</p></div></body></html>';
    const { text: t, wheres } = readHtml(page);
    expect(t.split('\n').slice(0, -1)).toEqual([
      '某局2024年政府信息公开工作年度报告',
      '一、总体情况',
      '本局……',
      '规章\t0',
      '六、其他需要报告的事项',
    ]);
    expect(wheres).toEqual(['第1段', '第2段', '第3段', '第1个表格 第1行', '第4段']);
  });

  it("an HTML article without the title takes it from the page's <title>, site name cut off", () => {
    const page =
      '<html><head><title>某局2024年政府信息公开工作年度报告_某县人民政府</title></head><body>' +
      '<div class="nav">首页 &gt; 政务公开</div><div class="art"><p>一、总体情况</p><p>本局……</p>' +
      '<p>六、其他需要报告的事项</p></div></body></html>';
    const { text: t, wheres } = readHtml(page);
    expect(t.split('\n')[0]).toBe('某局2024年政府信息公开工作年度报告');
    expect(wheres[0]).toBe('网页标题');
    expect(check(t).report.title?.text).toBe('某局2024年政府信息公开工作年度报告');
  });
});

describe('a damaged Word file', () => {
  const NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"';
  const good = `<?xml version="1.0"?><w:document ${NS}><w:body><w:p><w:r><w:t>一、总体情况</w:t></w:r></w:p></w:body></w:document>`;
  const refusal = (xml: string) => {
    try {
      readReport(zipSync({ 'word/document.xml': strToU8(xml) }), '报告.docx');
    } catch (e) {
      return (e as Error).message;
    }
    return 'read';
  };
  it("is explained plainly, never with the XML parser's words", () => {
    expect(refusal(good)).toBe('read');
    expect(refusal(good.slice(0, -20))).toBe(
      '报告.docx：文件已损坏或不是有效的 Word 文档（document.xml 不完整）',
    );
    expect(refusal(good.replace('</w:t>', '</w:x>'))).toBe(
      '报告.docx：文件已损坏或不是有效的 Word 文档（document.xml 内容有误）',
    );
  });
});
