// Positions a Word user can find: findings in a .docx and in the .doc LibreOffice saves from it
// name the table and row (第2个表格 第15行) or the paragraph (第5段), in the JSON's `where`, the
// command's text output and the review summary — never only a line of the extracted text.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { locationOf } from '../../cli/review/summary.js';
import { check, type JsonResult, readReportAsync, toJSON } from '../../grammar/src/index.js';
import { T3_ROWS } from '../../grammar/src/template.js';
import { sampleValues } from '../fixtures/build.js';
import { wordReport } from '../fixtures/word.js';
import { editDocument } from '../fixtures/word-controls.js';
import { libreOffice, toolAvailable } from '../matrix/convert.js';

const root = path.resolve(import.meta.dirname, '../..');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nianbao-where-'));
const soffice = toolAvailable('soffice');

/** The fixture's 表三 (the 2nd table) has two header rows; a template row's Word row follows them. */
const t3Row = (label: string) => 2 + T3_ROWS.findIndex((r) => r.label === label) + 1;

// Three errors planted in 青禾县农业农村局's report: a 表三 row total, a 表四 total, and the prose
// count of applications in （二）依申请公开 (the 5th paragraph: title, period, heading 一, （一）, （二）).
const expected = [
  {
    ruleId: 'narrative-mismatch',
    where: '第5段',
    message: '正文称“收到政府信息公开申请8件”，但表三“一、本年新收政府信息公开申请数量”行“总计”列为3',
  },
  {
    ruleId: 't3-row-total',
    where: `第2个表格 第${t3Row('1.本机关不掌握相关政府信息')}行`,
    message:
      '表三“1.本机关不掌握相关政府信息”行“总计”列为2，但本行各类申请人之和为1；改为1可使2处合计关系都成立',
  },
  {
    ruleId: 't4-total',
    where: '第3个表格 第2行',
    message: '表四“行政复议”总计为2，但结果维持、结果纠正、其他结果、尚未审结之和为1',
  },
];

const files: Record<'docx' | 'doc', string> = {
  docx: path.join(dir, '年报.docx'),
  doc: path.join(dir, '年报.doc'),
};

beforeAll(async () => {
  const v = sampleValues();
  v.t3[T3_ROWS.findIndex((r) => r.label === '1.本机关不掌握相关政府信息')][6] = 2;
  v.t4[4] = 2;
  const docx = editDocument(await wordReport(v, { typedNumbers: true }), null, [['申请3件', '申请8件']]);
  fs.writeFileSync(files.docx, docx);
  if (soffice) fs.writeFileSync(files.doc, (await libreOffice([docx], 'doc'))[0]);
}, 180_000);

async function json(file: string): Promise<JsonResult> {
  const read = await readReportAsync(fs.readFileSync(file), path.basename(file));
  return toJSON(path.basename(file), check(read.text), read.where);
}

function cli(args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'cli/nianbao.ts'), ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
  });
  return r.stdout;
}

for (const kind of ['docx', 'doc'] as const) {
  describe.skipIf(kind === 'doc' && !soffice)(
    `.${kind}${kind === 'doc' ? '（LibreOffice 另存）' : ''}`,
    () => {
      it('JSON: each planted error, and nothing else, at its table row or paragraph; line and column kept', async () => {
        const r = await json(files[kind]);
        expect(r.findings.map(({ ruleId, where, message }) => ({ ruleId, where, message }))).toEqual(
          expected,
        );
        for (const f of r.findings) {
          expect(f.line).toBeGreaterThan(0);
          expect(f.column).toBeGreaterThan(0);
        }
      });
      it('text output: the file then the row or paragraph, not a line of the extracted text', () => {
        const out = cli(['check', files[kind]]).split('\n');
        const name = files[kind];
        expect(out.filter((l) => l.startsWith(name))).toEqual([
          `${name}:第5段  警告  ${expected[0].message}  [narrative-mismatch]`,
          `${name}:${expected[1].where}  错误  ${expected[1].message}  [t3-row-total]${kind === 'docx' ? ' （可自动修复）' : ''}`,
          // One relation per 表四 block: a suggestion only, never marked as fixable.
          `${name}:${expected[2].where}  错误  ${expected[2].message}  [t4-total]`,
        ]);
      });
      it('review summary: the location is the row or paragraph', async () => {
        const r = await json(files[kind]);
        expect(r.findings.map(locationOf)).toEqual(expected.map((e) => e.where));
      });
    },
  );
}

describe('text files', () => {
  it('keep file:line:col', () => {
    const file = path.join(dir, 'r.txt');
    fs.writeFileSync(file, '一、总体情况\n本年度收到申请3件。\n');
    const out = cli(['check', file]);
    expect(out).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+  `, 'm'));
    expect(out).not.toContain('段');
  });
});
