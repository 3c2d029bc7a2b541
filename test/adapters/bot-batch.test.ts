// The Feishu bot reviewing a batch: a .zip of a fictional district's reports, or several files
// sent in a row — the built bot on the real SDK against the stand-in of the open platform. What
// the reviewer sees: one summary card (counts as tags, the worst report first, the cross-year
// pairs), the workbook and the page as files; refusals of a zip bomb and of an archive of too
// many files in Chinese.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BotProcess, memory, spawnBot } from '../feishu/harness.js';
import { messageEvent, type Recorded, StandIn } from '../feishu/standin.js';
import { CROSS_PLANTS, district, renderReport } from '../fixtures/generator/district.js';
import { FIGURE_LABELS, unknownDistrict } from '../fixtures/generator/unknown-cells.js';
import { gbk, zipRaw } from '../fixtures/zip.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
const utf8 = (s: string) => new TextEncoder().encode(s);

interface Element {
  tag: string;
  content?: string;
  expanded?: boolean;
  header?: { title: { content: string } };
  elements?: Element[];
  columns?: Array<{ name: string; display_name: string }>;
  rows?: Array<Record<string, string>>;
}
interface CardJson {
  header: {
    title: { content: string };
    template: string;
    text_tag_list?: Array<{ text: { content: string } }>;
  };
  body: { elements: Element[] };
}
const cardOf = (r: Recorded) => JSON.parse((r.json as { content: string }).content) as CardJson;
const tagsOf = (r: Recorded) => cardOf(r).header.text_tag_list!.map((t) => t.text.content);
const panels = (r: Recorded) =>
  cardOf(r)
    .body.elements.filter((e) => e.tag === 'collapsible_panel')
    .map((e) => ({ title: e.header!.title.content, text: e.elements!.map((x) => x.content).join('\n') }));
const markdown = (r: Recorded) =>
  cardOf(r)
    .body.elements.filter((e) => e.tag === 'markdown')
    .map((e) => e.content)
    .join('\n');
const isReply = (r: Recorded, mid: string, type?: string) =>
  r.method === 'POST' &&
  r.path === `/open-apis/im/v1/messages/${mid}/reply` &&
  (!type || (r.json as { msg_type: string }).msg_type === type);

const fileEvent = (
  mid: string,
  key: string,
  name: string,
  extra: { senderId?: string; chatId?: string } = {},
) =>
  messageEvent({
    messageId: mid,
    messageType: 'file',
    content: { file_key: key, file_name: name },
    ...extra,
  });

describe('Feishu bot: a batch of reports', () => {
  let standin: StandIn;
  let bot: BotProcess;
  beforeAll(async () => {
    standin = await new StandIn().start();
    bot = await spawnBot(standin, { NIANBAO_BOT_BATCH_WINDOW_SECONDS: '2' });
    await standin.waitForConnections(1);
  });
  afterAll(async () => {
    await bot?.stop();
    await standin?.stop();
  });

  /** The progress card replied to `mid` and the PATCH that turned it into the answer. */
  async function answer(mid: string, timeoutMs = 60000) {
    const progress = await standin.waitFor((r) => isReply(r, mid, 'interactive'), timeoutMs);
    const final = await standin.waitFor(
      (r) =>
        r.method === 'PATCH' &&
        r.path === `/open-apis/im/v1/messages/${progress.replyId}` &&
        !markdown(r).includes('正在'),
      timeoutMs,
    );
    return { progress, final };
  }
  /** The files replied to `mid`, in order: name and bytes. */
  async function files(mid: string, n: number) {
    await standin.waitFor(() => standin.requests.filter((r) => isReply(r, mid, 'file')).length >= n);
    return standin.requests
      .filter((r) => isReply(r, mid, 'file'))
      .map((r) => standin.uploads.get(JSON.parse((r.json as { content: string }).content).file_key)!);
  }

  it('a .zip of a district (nested folders, a GBK name, an unreadable file): one summary card, worst first, pairs listed; the workbook and page sent', async () => {
    const d = district({ bodies: 4, singleEvery: 4, plantEvery: 2 });
    const entries = [];
    for (const g of d.reports)
      entries.push({
        name: utf8(`区报告/${g.file}`),
        data: await renderReport(g),
        utf8: true,
        deflate: true,
      });
    // A report named in GBK (as a Windows zip tool writes it) and a damaged Word file.
    entries.push({
      name: gbk('教育局/年报告.txt'),
      data: readFileSync(fixture('example-pipe.txt')),
      deflate: true,
    });
    entries.push({ name: utf8('区报告/损坏.docx'), data: utf8('not a word file'), utf8: true });
    standin.files.set('f_zip', { bytes: zipRaw(entries) });
    await standin.push(fileEvent('om_zip', 'f_zip', '云溪区年报.zip'));
    const { final } = await answer('om_zip');
    const card = cardOf(final);
    const total = d.reports.length + 2;
    expect(card.header.title.content).toBe('年报审阅：云溪区年报.zip');
    expect(card.header.template).toBe('red');
    const withErrors = 1 + d.reports.filter((g) => g.expected.length).length;
    const tags = tagsOf(final);
    expect(tags[0]).toBe(`${total} 份报告`);
    expect(tags[1]).toBe('1 份无法读取');
    expect(tags).toContain(`${d.pairs.length} 对跨年度对照`);
    expect(tags.find((t) => t.endsWith('份有错误'))).toBe(`${withErrors} 份有错误`);
    // Worst first: the unreadable file, then the reports with errors.
    const ps = panels(final);
    expect(ps[0].title).toBe('**无法读取（1）**');
    expect(ps[0].text).toBe('- **区报告/损坏.docx**\n　文件已损坏或不是有效的 Word 文档');
    expect(ps[1].title).toBe(`**有错误（${withErrors}）**`);
    expect(ps[1].text).toContain('教育局/年报告.txt');
    // Every cross-year pair, by its two files.
    const pairs = ps.find((p) => p.title.startsWith('**跨年度对照'))!;
    expect(pairs.title).toBe(`**跨年度对照（${d.pairs.length}）**`);
    for (const p of d.pairs) expect(pairs.text).toContain(`区报告/${p.previous} → 区报告/${p.current}`);
    // A pair whose current report contradicts last year's lists that finding under it.
    const crossPlanted = d.reports.filter((g) => g.plant && CROSS_PLANTS.includes(g.plant));
    expect(crossPlanted.length).toBeGreaterThan(0);
    for (const g of crossPlanted)
      expect(pairs.text).toMatch(new RegExp(`区报告/${g.file}\\n　(错误|警告)：`));
    // The workbook and the page, read back.
    const [xlsx, html] = await files('om_zip', 2);
    expect([xlsx.name, html.name]).toEqual(['云溪区年报-审阅汇总.xlsx', '云溪区年报-审阅汇总.html']);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(xlsx.bytes) as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('报告')!;
    const names = sheet.getColumn(1).values.slice(2).map(String);
    expect(names.sort()).toEqual(
      [...d.reports.map((g) => `区报告/${g.file}`), '教育局/年报告.txt', '区报告/损坏.docx'].sort(),
    );
    expect(wb.getWorksheet('跨年度对照')!.rowCount).toBe(d.pairs.length + 1);
    expect(new TextDecoder().decode(html.bytes)).toContain('区报告/损坏.docx');
  });

  it('a report whose key cells cannot be read: its figures shown as "—" with the reason, left out of the totals (which say how many reports they cover), its pair not compared for them', async () => {
    const u = await unknownDistrict();
    standin.files.set('f_unknown', {
      bytes: zipSync(Object.fromEntries([...u.files].map(([name, bytes]) => [name, bytes]))),
    });
    await standin.push(fileEvent('om_unknown', 'f_unknown', '望江县年报.zip'));
    const { final } = await answer('om_unknown');
    const ps = panels(final);
    const all = ps.map((p) => p.text).join('\n');
    const reason = '部分单元格无法读取';
    // The report's line names its unknown figures; the others name none.
    expect(all).toMatch(
      new RegExp(`\\*\\*${u.invalid.file}\\*\\*[^\n]*\n(　[^\n]*\n)?　表二现行有效 —（${reason}）`),
    );
    expect(all).toMatch(
      new RegExp(`\\*\\*${u.blank.file}\\*\\*[^\n]*\n(　[^\n]*\n)?　表三办理结果总计 —（${reason}）`),
    );
    expect(all).toMatch(
      new RegExp(
        `\\*\\*${u.noT4.file}\\*\\*[^\n]*\n(　[^\n]*\n)?　表四行政复议总计 —、表四直接起诉总计 —、表四复议后起诉总计 —（${u.why(u.noT4)}）`,
      ),
    );
    expect(all.match(/ —（/g)).toHaveLength(3);
    // The totals: this year's figure summed over the reports where it is known, with their count.
    const table = cardOf(final).body.elements.find((e) => e.tag === 'table')!;
    expect(table.columns!.map((c) => c.display_name)).toEqual([
      '项目',
      '2023 年度（4 份）',
      '2024 年度（4 份）',
    ]);
    const thisYear = u.d.reports.filter((g) => g.year === 2024);
    for (const [i, label] of FIGURE_LABELS.entries()) {
      const of = thisYear.map((g) => u.figures(g)[i]);
      const known = of.filter((v): v is number => v !== null);
      const sum = known.reduce((a, b) => a + b, 0);
      expect(table.rows!.find((r) => r.item === label)!.y1, label).toBe(
        known.length < of.length ? `${sum}（4份中的${known.length}份；1份有无法读取的单元格）` : String(sum),
      );
    }
    // The pairs: no large change and no "未发现问题" for a figure that could not be compared.
    const pairs = ps.find((p) => p.title.startsWith('**跨年度对照'))!.text;
    const pairOf = (file: string) => pairs.split('\n- ').find((p) => p.includes(`→ ${file}`))!;
    expect(pairOf(u.invalid.file)).toContain(`　无法对照：表二现行有效（2024年${reason}）`);
    expect(pairOf(u.invalid.file)).not.toContain('无法对照：表二本年制发');
    expect(pairOf(u.blank.file)).toContain(`　无法对照：表三办理结果总计（2024年${reason}）`);
    for (const [file, unknown] of [
      [u.invalid.file, '表二'],
      [u.blank.file, '表三办理结果总计'],
    ]) {
      expect(pairOf(file)).not.toContain('未发现问题');
      expect(pairOf(file)).not.toContain(`变化较大：${unknown}`);
    }
  });

  it('a zip bomb is refused with the reason, nothing checked', async () => {
    const zeros = new Uint8Array(45 * 1024 * 1024);
    const bomb = zipRaw(
      Array.from({ length: 5 }, (_, i) => ({
        name: utf8(`r${i}.txt`),
        data: zeros,
        utf8: true,
        deflate: true,
      })),
    );
    expect(bomb.length).toBeLessThan(1024 * 1024);
    standin.files.set('f_bomb', { bytes: bomb });
    await standin.push(fileEvent('om_bomb', 'f_bomb', '炸弹.zip'));
    const { final } = await answer('om_bomb');
    expect(cardOf(final).header.title.content).toBe('年报校对：炸弹.zip');
    expect(markdown(final)).toBe('解压后内容过大（上限 200 MB），已拒绝');
    expect(standin.requests.filter((r) => isReply(r, 'om_bomb', 'file'))).toEqual([]);
  });

  it('a zip of 5,000 files is refused: send in parts', async () => {
    const many: Record<string, Uint8Array> = {};
    for (let i = 0; i < 5000; i++) many[`r${i}.txt`] = utf8('x');
    standin.files.set('f_many', { bytes: zipSync(many, { level: 0 }) });
    await standin.push(fileEvent('om_many', 'f_many', '全区.zip'));
    const { final } = await answer('om_many');
    expect(markdown(final)).toBe('压缩包中的文件过多（上限 2000 个、其中报告 500 份），请分批发送');
  });

  it('a file that is not a zip is refused plainly', async () => {
    standin.files.set('f_notzip', { bytes: utf8('just some text, not an archive') });
    await standin.push(fileEvent('om_notzip', 'f_notzip', '报告.zip'));
    const { final } = await answer('om_notzip');
    expect(markdown(final)).toBe('不是有效的 zip 压缩包（或文件已加密）');
  });

  it('three files sent in a row by one sender: one batch answer on the first; another sender meanwhile gets a single-file card', async () => {
    // The third body of a district planted nowhere: its two years, both clean.
    const d = district({ bodies: 3, singleEvery: 100, plantEvery: 100, seed: 7 });
    const body = d.reports[d.reports.length - 1].body;
    const clean = d.reports.filter((g) => g.body === body);
    expect(clean.map((g) => g.expected)).toEqual([[], []]);
    const three = [...clean, null];
    const ids = ['om_row_1', 'om_row_2', 'om_row_3'];
    for (const [i, g] of three.entries())
      standin.files.set(`f_row_${i}`, {
        bytes: g ? await renderReport(g) : readFileSync(fixture('example-pipe.txt')),
      });
    const names = three.map((g) => (g ? g.file.replace('/', '-') : '青禾县农业农村局2025年报.txt'));
    const who = { senderId: 'ou_reviewer', chatId: 'oc_review' };
    for (const [i, mid] of ids.entries()) await standin.push(fileEvent(mid, `f_row_${i}`, names[i], who));
    // Someone else in another chat, at the same time: today's single-file card.
    standin.files.set('f_alone', { bytes: readFileSync(fixture('example-pipe.txt')) });
    await standin.push(
      fileEvent('om_alone', 'f_alone', 'a.txt', { senderId: 'ou_other', chatId: 'oc_other' }),
    );
    const alone = await answer('om_alone');
    expect(cardOf(alone.final).header.title.content).toBe('年报校对：a.txt');

    const { final } = await answer('om_row_1');
    expect(cardOf(final).header.title.content).toBe('年报审阅：3 份报告');
    expect(tagsOf(final)).toEqual(['3 份报告', '1 份有错误', '2 份无问题', '1 对跨年度对照']);
    const ps = panels(final);
    expect(ps.map((p) => p.title)).toEqual(['**有错误（1）**', '**无问题（2）**', '**跨年度对照（1）**']);
    expect(ps[0].text).toContain('青禾县农业农村局2025年报.txt');
    expect(ps[2].text).toContain(`${names[0]} → ${names[1]}`);
    const sent = await files('om_row_1', 2);
    expect(sent.map((f) => f.name)).toEqual(['3 份报告-审阅汇总.xlsx', '3 份报告-审阅汇总.html']);
    // The other two messages get no answer of their own.
    expect(standin.requests.filter((r) => isReply(r, 'om_row_2') || isReply(r, 'om_row_3'))).toEqual([]);
  });

  it('a file sent alone is answered at once, without waiting for the window; the next one, sent after that answer, gets its own card', async () => {
    const who = { senderId: 'ou_lone', chatId: 'oc_lone' };
    standin.files.set('f_lone', { bytes: readFileSync(fixture('example-pipe.txt')) });
    const sent = Date.now();
    await standin.push(fileEvent('om_lone_1', 'f_lone', '一份.txt', who));
    const first = await answer('om_lone_1');
    // The window here is 2 s: the answer comes well before it would have closed.
    expect(first.final.at - sent).toBeLessThan(1500);
    expect(cardOf(first.final).header.title.content).toBe('年报校对：一份.txt');
    await standin.push(fileEvent('om_lone_2', 'f_lone', '又一份.txt', who));
    const second = await answer('om_lone_2');
    expect(cardOf(second.final).header.title.content).toBe('年报校对：又一份.txt');
  });

  it('a file sent while the first is still being checked: the first is not answered alone; its card becomes the batch of both', async () => {
    const who = { senderId: 'ou_join', chatId: 'oc_join' };
    // The first file takes a while to download, so the second arrives while it is in hand.
    standin.files.set('f_join_1', { bytes: readFileSync(fixture('example-pipe.txt')), delayMs: 800 });
    standin.files.set('f_join_2', { bytes: readFileSync(fixture('example-pipe.txt')) });
    await standin.push(fileEvent('om_join_1', 'f_join_1', '第一份.txt', who));
    const progress = await standin.waitFor((r) => isReply(r, 'om_join_1', 'interactive'));
    expect(markdown(progress)).toContain('正在检查');
    await standin.push(fileEvent('om_join_2', 'f_join_2', '第二份.txt', who));
    const { final } = await answer('om_join_1');
    expect(cardOf(final).header.title.content).toBe('年报审阅：2 份报告');
    expect(tagsOf(final)[0]).toBe('2 份报告');
    const text = panels(final)
      .map((p) => p.text)
      .join('\n');
    for (const name of ['第一份.txt', '第二份.txt']) expect(text).toContain(`**${name}**`);
    // No single-file card was left behind, and the second message has no answer of its own.
    const patched = standin.requests.filter(
      (r) => r.method === 'PATCH' && r.path === `/open-apis/im/v1/messages/${progress.replyId}`,
    );
    expect(patched.some((r) => cardOf(r).header.title.content.startsWith('年报校对'))).toBe(false);
    expect(standin.requests.filter((r) => isReply(r, 'om_join_1', 'interactive'))).toHaveLength(1);
    expect(standin.requests.filter((r) => isReply(r, 'om_join_2'))).toEqual([]);
  });

  it('a 60 KB zip of ten reports with 40,000 repeated rows each: findings bounded, summaries built in a thread and sent, another sender answered as usual, memory under 1 GB', async () => {
    const lines = readFileSync(fixture('clean-tab.txt'), 'utf8').split('\n');
    const total = lines.findIndex((l) => l.startsWith('（七）总计'));
    lines[total] = '1.属于国家秘密 0 '.repeat(40000);
    const big = utf8(lines.join('\n'));
    const entries: Record<string, Uint8Array> = {};
    for (let i = 0; i < 10; i++) entries[`区县${i}/年报.txt`] = big;
    const zip = zipSync(entries, { level: 9 });
    expect(zip.length).toBeLessThan(100 * 1024);
    standin.files.set('f_rows', { bytes: zip });
    await standin.push(fileEvent('om_rows', 'f_rows', '重复行.zip'));
    await standin.waitFor((r) => isReply(r, 'om_rows', 'interactive'));
    standin.files.set('f_rows_other', { bytes: readFileSync(fixture('example-pipe.txt')) });
    const sentAt = Date.now();
    await standin.push(
      fileEvent('om_rows_other', 'f_rows_other', 'c.txt', { senderId: 'ou_c', chatId: 'oc_c' }),
    );
    const other = await answer('om_rows_other');
    const { final } = await answer('om_rows', 120000);
    // Within the usual latency of one check, while the batch runs.
    expect(other.final.at - sentAt).toBeLessThan(5000);
    expect(cardOf(other.final).header.title.content).toBe('年报校对：c.txt');
    expect(tagsOf(final).slice(0, 2)).toEqual(['10 份报告', '10 份有错误']);
    const sent = await files('om_rows', 2);
    expect(sent.map((f) => f.name)).toEqual(['重复行-审阅汇总.xlsx', '重复行-审阅汇总.html']);
    const page = new TextDecoder().decode(sent[1].bytes);
    // Each report's findings are bounded where they are found: the repeats grouped, the count said.
    expect(page).toContain('同类问题还有');
    expect(sent[1].bytes.length).toBeLessThan(5 * 1024 * 1024);
    expect(memory(bot).peakMb).toBeLessThan(1024);
  }, 150000);

  it('entries and files of one name are told apart: every one is answered under a name of its own', async () => {
    // A zip with two entries named r2024.txt, one of them unreadable.
    const zip = zipRaw([
      { name: utf8('r2024.txt'), data: readFileSync(fixture('example-pipe.txt')), utf8: true },
      { name: utf8('r2024.txt'), data: new Uint8Array([0, 1, 2, 3, 255, 254, 0, 0]), utf8: true },
    ]);
    standin.files.set('f_dup_zip', { bytes: zip });
    await standin.push(fileEvent('om_dup_zip', 'f_dup_zip', '重名.zip'));
    const zipped = panels((await answer('om_dup_zip')).final)
      .map((p) => p.text)
      .join('\n');
    expect(zipped).toContain('**r2024.txt**');
    expect(zipped).toContain('r2024（2）.txt');
    // Three files in a row: 报告.txt twice, then a 报告（2）.txt of its own.
    const who = { senderId: 'ou_dup', chatId: 'oc_dup' };
    const names = ['报告.txt', '报告.txt', '报告（2）.txt'];
    for (const [i, name] of names.entries()) {
      standin.files.set(`f_dup_${i}`, { bytes: readFileSync(fixture('example-pipe.txt')) });
      await standin.push(fileEvent(`om_dup_${i}`, `f_dup_${i}`, name, who));
    }
    const { final } = await answer('om_dup_0');
    expect(tagsOf(final)[0]).toBe('3 份报告');
    const text = panels(final)
      .map((p) => p.text)
      .join('\n');
    for (const name of ['报告.txt', '报告（2）.txt', '报告（3）.txt']) expect(text).toContain(`**${name}**`);
  });
});

describe('Feishu bot: a batch holds the check slots fairly and within its limits', () => {
  let standin: StandIn;
  let bot: BotProcess;
  beforeAll(async () => {
    standin = await new StandIn().start();
    bot = await spawnBot(standin, {
      NIANBAO_BOT_TEST_FAULTS: '1',
      NIANBAO_BOT_CHECK_TIMEOUT_SECONDS: '2',
      NIANBAO_BOT_BATCH_WINDOW_SECONDS: '1',
      NIANBAO_BOT_BATCH_MEMORY_MB: '8',
    });
    await standin.waitForConnections(1);
  });
  afterAll(async () => {
    await bot?.stop();
    await standin?.stop();
  });

  it('a zip whose files each run to the time limit: another sender is answered meanwhile; those files listed as timed out', async () => {
    // A test-only fault: a check that never ends (see bot-feishu/src/worker.ts).
    const busy = utf8('spin');
    standin.files.set('f_slow', {
      bytes: zipSync({
        'test-fault-busy-1.txt': busy,
        'test-fault-busy-2.txt': busy,
        'test-fault-busy-3.txt': busy,
        '青禾县农业农村局2025年报.txt': readFileSync(fixture('example-pipe.txt')),
      }),
    });
    await standin.push(fileEvent('om_slow', 'f_slow', '慢.zip'));
    await standin.waitFor((r) => isReply(r, 'om_slow', 'interactive'));
    standin.files.set('f_other', { bytes: readFileSync(fixture('example-pipe.txt')) });
    await standin.push(fileEvent('om_other', 'f_other', 'b.txt', { senderId: 'ou_b', chatId: 'oc_b' }));
    const progress = await standin.waitFor((r) => isReply(r, 'om_slow', 'interactive'));
    const other = await standin.waitFor((r) => isReply(r, 'om_other', 'interactive'));
    const otherFinal = await standin.waitFor(
      (r) => r.method === 'PATCH' && r.path === `/open-apis/im/v1/messages/${other.replyId}`,
    );
    const done = (r: Recorded) =>
      r.method === 'PATCH' &&
      r.path === `/open-apis/im/v1/messages/${progress.replyId}` &&
      !markdown(r).includes('正在');
    // The other sender's report was answered while the batch still ran (three checks of 2 s each, one at a time).
    expect(standin.requests.some(done)).toBe(false);
    expect(cardOf(otherFinal).header.title.content).toBe('年报校对：b.txt');
    const final = await standin.waitFor(done, 30000);
    expect(final.at - progress.at).toBeGreaterThanOrEqual(6000);
    // Progress was shown on the card while it ran, no more often than every 2 s.
    const shown = standin.requests.filter(
      (r) =>
        r.method === 'PATCH' &&
        r.path === `/open-apis/im/v1/messages/${progress.replyId}` &&
        markdown(r).includes('正在审阅'),
    );
    expect(shown.length).toBeGreaterThan(0);
    expect(markdown(shown[0])).toMatch(/^正在审阅 1\/4：/);
    for (let i = 1; i < shown.length; i++) expect(shown[i].at - shown[i - 1].at).toBeGreaterThanOrEqual(1500);
    expect(tagsOf(final)).toEqual(['4 份报告', '3 份无法读取', '1 份有错误']);
    const unreadable = panels(final)[0];
    expect(unreadable.title).toBe('**无法读取（3）**');
    for (const n of [1, 2, 3])
      expect(unreadable.text).toContain(
        `- **test-fault-busy-${n}.txt**\n　检查超时（超过 2 秒），文件过于复杂（其余文件照常检查）`,
      );
  }, 60000);

  it('files sent in a row are downloaded when their turn comes, not all first', async () => {
    const who = { senderId: 'ou_turns', chatId: 'oc_turns' };
    const ids = [1, 2, 3, 4].map((n) => `om_turn_${n}`);
    for (const [i, mid] of ids.entries()) {
      // A test-only fault: 1 s of work before the check (see bot-feishu/src/worker.ts).
      standin.files.set(`f_turn_${i}`, { bytes: readFileSync(fixture('example-pipe.txt')) });
      await standin.push(fileEvent(mid, `f_turn_${i}`, `test-fault-slow-${i + 1}.txt`, who));
    }
    const progress = await standin.waitFor((r) => isReply(r, ids[0], 'interactive'));
    const final = await standin.waitFor(
      (r) =>
        r.method === 'PATCH' &&
        r.path === `/open-apis/im/v1/messages/${progress.replyId}` &&
        !markdown(r).includes('正在'),
      30000,
    );
    expect(tagsOf(final)).toEqual(['4 份报告', '4 份有错误']);
    const fetched = ids.map(
      (mid, i) =>
        standin.requests.find(
          (r) => r.method === 'GET' && r.path === `/open-apis/im/v1/messages/${mid}/resources/f_turn_${i}`,
        )!.at,
    );
    // Two in hand at a time: the last is fetched only once an earlier file's check (1 s) is done.
    expect(fetched[3] - fetched[0]).toBeGreaterThanOrEqual(800);
  }, 60000);

  it('a batch stops taking files at its memory budget: the rest listed as not checked, with the reason', async () => {
    // Reports that name their body and year, each with a text of about 3 MB kept for the cross-year pass.
    const base = readFileSync(fixture('clean-tab.txt'), 'utf8');
    const padding =
      `${'本局持续推进政务公开标准化规范化建设，做好政策解读和回应关切工作。'.repeat(4)}\n`.repeat(12000);
    const who = { senderId: 'ou_budget', chatId: 'oc_budget' };
    const ids = [1, 2, 3, 4, 5, 6].map((n) => `om_budget_${n}`);
    for (const [i, mid] of ids.entries()) {
      const text = base
        .replace('一、总体情况\n', `一、总体情况\n${padding}`)
        .replaceAll('2024', String(2010 + i));
      standin.files.set(`f_budget_${i}`, { bytes: utf8(text) });
      await standin.push(fileEvent(mid, `f_budget_${i}`, `报告${i + 1}.txt`, who));
    }
    const progress = await standin.waitFor((r) => isReply(r, ids[0], 'interactive'));
    const final = await standin.waitFor(
      (r) =>
        r.method === 'PATCH' &&
        r.path === `/open-apis/im/v1/messages/${progress.replyId}` &&
        !markdown(r).includes('正在'),
      60000,
    );
    const said = `${markdown(final)}\n${panels(final)
      .map((p) => p.text)
      .join('\n')}`;
    expect(said).toContain('这批报告占用的内存已达上限（8 MB），其余报告未检查；请分批发送。');
    expect(said).toContain('**报告6.txt**\n　本批报告占用的内存已达上限，未检查');
    expect(said).toContain('**报告1.txt**');
    expect(said).not.toContain('**报告1.txt**\n　本批报告占用的内存已达上限');
  }, 90000);
});

describe('Feishu bot shutdown with a batch', () => {
  it('SIGTERM while files wait for the rest of their batch: they are reviewed and answered, then the process exits 0', async () => {
    const standin = await new StandIn().start();
    try {
      const bot = await spawnBot(standin, { NIANBAO_BOT_BATCH_WINDOW_SECONDS: '60' });
      await standin.waitForConnections(1);
      const who = { senderId: 'ou_r', chatId: 'oc_r' };
      for (const i of [1, 2]) {
        standin.files.set(`f_bye_${i}`, { bytes: readFileSync(fixture('example-pipe.txt')) });
        await standin.push(fileEvent(`om_bye_${i}`, `f_bye_${i}`, `${i}.txt`, who));
      }
      const exit = bot.stop();
      const progress = await standin.waitFor((r) => isReply(r, 'om_bye_1', 'interactive'));
      const final = await standin.waitFor(
        (r) =>
          r.method === 'PATCH' &&
          r.path === `/open-apis/im/v1/messages/${progress.replyId}` &&
          !markdown(r).includes('正在'),
      );
      expect(tagsOf(final)).toEqual(['2 份报告', '2 份有错误']);
      expect(await exit).toBe(0);
    } finally {
      await standin.stop();
    }
  });
});

describe('Feishu bot: a batch in plain-text mode with figures nobody could read', () => {
  it('each report line names its unknown figures with the reason; its pair says which figures could not be compared', async () => {
    const standin = await new StandIn().start();
    const bot = await spawnBot(standin, { NIANBAO_BOT_TEXT_ONLY: '1' });
    try {
      await standin.waitForConnections(1);
      const u = await unknownDistrict();
      standin.files.set('f_text_unknown', { bytes: zipSync(Object.fromEntries(u.files)) });
      await standin.push(fileEvent('om_text_unknown', 'f_text_unknown', '望江县年报.zip'));
      const reply = await standin.waitFor((r) => isReply(r, 'om_text_unknown', 'text'), 60000);
      const lines: string[] = JSON.parse((reply.json as { content: string }).content).text.split('\n');
      const reason = '部分单元格无法读取';
      expect(lines.find((l) => l.includes(`】${u.invalid.file}：`))).toMatch(
        new RegExp(`；表二现行有效 —（${reason}）$`),
      );
      expect(lines.find((l) => l.includes(`】${u.blank.file}：`))).toMatch(
        new RegExp(`；表三办理结果总计 —（${reason}）$`),
      );
      const pair = lines.find((l) => l.startsWith('【跨年度对照】') && l.includes(`→ ${u.blank.file}`))!;
      expect(pair).toMatch(new RegExp(`：表三办理结果总计无法对照（2024年${reason}）$`));
      expect(pair).not.toContain('未发现问题');
    } finally {
      await bot.stop();
      await standin.stop();
    }
  }, 90000);
});

describe('Feishu bot: a batch in plain-text mode, over its time limit', () => {
  it('the files checked in time are summarised as text, the rest listed as not checked, with the reason', async () => {
    const standin = await new StandIn().start();
    const bot = await spawnBot(standin, {
      NIANBAO_BOT_TEXT_ONLY: '1',
      NIANBAO_BOT_TEST_FAULTS: '1',
      NIANBAO_BOT_CHECK_TIMEOUT_SECONDS: '2',
      NIANBAO_BOT_BATCH_TIMEOUT_SECONDS: '3',
    });
    try {
      await standin.waitForConnections(1);
      // Checked one at a time: the first runs to its 2 s limit, the batch's 3 s end during the second.
      standin.files.set('f_late', {
        bytes: zipSync({
          'test-fault-busy-1.txt': utf8('spin'),
          'test-fault-busy-2.txt': utf8('spin'),
          '年报.txt': readFileSync(fixture('example-pipe.txt')),
        }),
      });
      await standin.push(fileEvent('om_late', 'f_late', '迟.zip'));
      const reply = await standin.waitFor((r) => isReply(r, 'om_late', 'text'), 30000);
      expect(JSON.parse((reply.json as { content: string }).content).text).toBe(
        [
          '年报审阅：迟.zip',
          '共审阅 3 份报告：无法读取 1 份，未检查 2 份；跨年度对照 0 对。',
          '审阅超过时限（3 秒），其余报告未检查；请分批发送。',
          '【无法读取】test-fault-busy-1.txt：检查超时（超过 2 秒），文件过于复杂（其余文件照常检查）',
          '【未检查】test-fault-busy-2.txt：审阅已中止，未检查',
          '【未检查】年报.txt：审阅已中止，未检查',
        ].join('\n'),
      );
      const sent = await standin.waitFor(
        () => standin.requests.filter((r) => isReply(r, 'om_late', 'file')).length === 2,
      );
      expect(sent).toBeTruthy();
      expect(standin.requests.some((r) => r.method === 'PATCH')).toBe(false);
    } finally {
      await bot.stop();
      await standin.stop();
    }
  }, 60000);
});
