// The Feishu bot end to end: the built bot process on the real SDK, against a loopback stand-in of
// the open platform (test/feishu/standin.ts) — over the long connection, over the webhook, and as
// two instances sharing a real Redis.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { check, RULES, readReport } from '../../grammar/src/index.js';
import { T3_ROWS } from '../../grammar/src/template.js';
import { hasCorpus } from '../corpus.js';
import { type BotProcess, records, spawnBot } from '../feishu/harness.js';
import {
  APP_SECRET,
  BOT_MENTION,
  messageEvent,
  type Recorded,
  StandIn,
  signedDelivery,
  TENANT_TOKEN,
} from '../feishu/standin.js';
import { report, sampleValues } from '../fixtures/build.js';
import { wordReport } from '../fixtures/word.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
const real = (name: string) => fileURLToPath(new URL(`../../../shared/corpus/real/${name}`, import.meta.url));
/** `nianbao check --format json` on a file: what the card must agree with. */
const cliJson = (file: string) =>
  JSON.parse(
    spawnSync(process.execPath, ['dist/cli/nianbao.js', 'check', '--format', 'json', file], {
      encoding: 'utf8',
    }).stdout,
  )[0] as { findings: Array<{ ruleId: string; message: string; where?: string }> };
const escaped = (s: string) => s.replace(/[*_~`<>[\]#]/g, (ch) => `&#${ch.codePointAt(0)};`);

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
  schema: string;
  header: {
    title: { content: string };
    template: string;
    subtitle?: { content: string };
    text_tag_list?: Array<{ text: { content: string } }>;
  };
  body: { elements: Element[] };
}
const content = (r: Recorded) => (r.json as { content: string }).content;
const cardOf = (r: Recorded) => JSON.parse(content(r)) as CardJson;
const walk = (es: Element[]): string[] =>
  es.flatMap((e) =>
    e.tag === 'collapsible_panel' ? [e.header!.title.content, ...walk(e.elements!)] : [e.content ?? ''],
  );
/** Every markdown text of the card as sent, panels included. */
const cardText = (r: Recorded) => walk(cardOf(r).body.elements).join('\n');
/** The panels as sent: title, open or closed. */
const panelsOf = (r: Recorded) =>
  cardOf(r)
    .body.elements.filter((e) => e.tag === 'collapsible_panel')
    .map((e) => [e.header!.title.content, e.expanded]);
/** The table components as sent, as rows of cells with the header first. */
const tablesOf = (r: Recorded) =>
  cardOf(r)
    .body.elements.filter((e) => e.tag === 'table')
    .map((t) => [
      t.columns!.map((c) => c.display_name),
      ...t.rows!.map((row) => t.columns!.map((c) => row[c.name])),
    ]);
const isReply = (r: Recorded, mid: string, type?: string) =>
  r.method === 'POST' &&
  r.path === `/open-apis/im/v1/messages/${mid}/reply` &&
  (!type || (r.json as { msg_type: string }).msg_type === type);

function helpers(standin: StandIn) {
  return {
    replies: (mid: string) => standin.requests.filter((r) => isReply(r, mid)),
    /** The progress card replied to `mid`, and the PATCH that turned it into the result. */
    async result(mid: string) {
      const progress = await standin.waitFor((r) => isReply(r, mid, 'interactive'));
      const final = await standin.waitFor(
        (r) => r.method === 'PATCH' && r.path === `/open-apis/im/v1/messages/${progress.replyId}`,
      );
      return { progress, final };
    },
    async text(mid: string) {
      return JSON.parse(content(await standin.waitFor((r) => isReply(r, mid, 'text')))).text as string;
    },
    /** The `n`-th file replied to `mid` (1-based): its name and text. */
    async file(mid: string, n = 1) {
      let seen = 0;
      const r = await standin.waitFor((x) => isReply(x, mid, 'file') && ++seen === n);
      const up = standin.uploads.get(JSON.parse(content(r)).file_key)!;
      return { name: up.name, text: new TextDecoder().decode(up.bytes) };
    },
  };
}

async function until(cond: () => boolean, timeoutMs = 10000) {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Waits until the bot has logged `msg` for `messageId` (at least `times` times). */
async function logged(bot: BotProcess, msg: string, messageId: string, times = 1, timeoutMs = 10000) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (records(bot).filter((r) => r.msg === msg && r.message_id === messageId).length >= times) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`bot did not log “${msg}” for ${messageId}`);
}

const fileEvent = (
  mid: string,
  key: string,
  name: string,
  extra: Partial<Parameters<typeof messageEvent>[0]> = {},
) =>
  messageEvent({
    messageId: mid,
    messageType: 'file',
    content: { file_key: key, file_name: name },
    ...extra,
  });

describe('Feishu bot over the long connection', () => {
  let standin: StandIn;
  let bot: BotProcess;
  let h: ReturnType<typeof helpers>;
  beforeAll(async () => {
    standin = await new StandIn().start();
    bot = await spawnBot(standin, { NIANBAO_BOT_MAX_MB: '1' });
    await standin.waitForConnections(1);
    h = helpers(standin);
  });
  afterAll(async () => {
    await bot?.stop();
    await standin?.stop();
  });

  it('fetches a token with the app secret and the bot info at start', () => {
    expect(standin.calls('POST', '/open-apis/auth/v3/tenant_access_token/internal').length).toBeGreaterThan(
      0,
    );
    expect(standin.calls('GET', '/open-apis/bot/v3/info')[0].authorization).toBe(`Bearer ${TENANT_TOKEN}`);
  });

  it('a .txt file: a progress card as a reply, patched with the findings of `nianbao check`; the corrected file sent back', async () => {
    standin.files.set('f_txt', { bytes: readFileSync(fixture('example-pipe.txt')) });
    const ack = await standin.push(fileEvent('om_txt', 'f_txt', '青禾县农业农村局2025年报.txt'));
    expect(ack).toBeLessThan(3000);
    const { progress, final } = await h.result('om_txt');
    expect(cardOf(progress).schema).toBe('2.0');
    expect(cardText(progress)).toContain('正在检查');
    const card = cardOf(final);
    expect(card.header.template).toBe('red');
    expect(card.header.title.content).toBe('年报校对：青禾县农业农村局2025年报.txt');
    const expected = cliJson(fixture('example-pipe.txt'));
    expect(cardText(final)).toContain(`共发现 ${expected.findings.length} 个错误。`);
    expect(cardOf(final).header.text_tag_list!.map((t) => t.text.content)).toEqual(['2 个错误']);
    for (const f of expected.findings) expect(cardText(final)).toContain(escaped(f.message));
    // Errors in an open panel, located in the template's words, with the suggested fix.
    expect(panelsOf(final)).toEqual([['**错误（2）**', true]]);
    expect(cardText(final)).toContain('位置：三、收到和处理政府信息公开申请情况');
    expect(cardText(final)).toContain('建议：插入“2.重复申请”行（可自动修复）');
    // The key figures in the card's table components, as read from the file.
    expect(tablesOf(final)).toEqual([
      [
        ['项目', '自然人', '商业企业', '科研机构', '社会公益组织', '法律服务机构', '其他', '总计'],
        ['一、本年新收政府信息公开申请数量', '2', '1', '0', '0', '0', '0', '3'],
        ['二、上年结转政府信息公开申请数量', '1', '0', '0', '0', '0', '0', '1'],
        ['（七）总计', '2', '1', '0', '0', '0', '0', '3'],
        ['四、结转下年度继续办理', '1', '0', '0', '0', '0', '0', '1'],
      ],
      [
        ['项目', '结果维持', '结果纠正', '其他结果', '尚未审结', '总计'],
        ['行政复议', '1', '0', '0', '0', '2'],
        ['未经复议直接起诉', '0', '0', '0', '0', '0'],
        ['复议后起诉', '0', '0', '0', '0', '0'],
      ],
    ]);
    const fixed = await h.file('om_txt');
    expect(fixed.name).toBe('青禾县农业农村局2025年报（已修正）.txt');
    // The missing row is inserted; the 表四 total (one relation: which side is wrong is a guess) is
    // left as written, still an error for the drafter to decide.
    expect(check(fixed.text).findings.map((f) => [f.ruleId, f.message])).toEqual([
      ['t4-total', '表四“行政复议”总计为2，但结果维持、结果纠正、其他结果、尚未审结之和为1'],
    ]);
    expect(fixed.text).toContain('2.重复申请 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |');
    // The download went to the message's resource with the tenant token.
    const dl = standin.calls('GET', '/open-apis/im/v1/messages/om_txt/resources/f_txt')[0];
    expect(dl.query.type).toBe('file');
    expect(dl.authorization).toBe(`Bearer ${TENANT_TOKEN}`);
  });

  it('a .docx file: every finding of `nianbao check` (none for our Word report), green card, no corrected file', async () => {
    const bytes = await wordReport();
    const dir = mkdtempSync(path.join(os.tmpdir(), 'nianbao-bot-'));
    writeFileSync(path.join(dir, 'qinghe.docx'), bytes);
    expect(cliJson(path.join(dir, 'qinghe.docx')).findings).toEqual([]);
    standin.files.set('f_docx', { bytes });
    await standin.push(fileEvent('om_docx', 'f_docx', 'qinghe.docx'));
    const { final } = await h.result('om_docx');
    expect(cardOf(final).header.template).toBe('green');
    expect(cardOf(final).header.subtitle?.content).toBe(
      '青禾县农业农村局2024年政府信息公开工作年度报告 · 2024 年度',
    );
    expect(cardText(final)).toContain('未发现问题');
    expect(tablesOf(final)[0][1][0]).toBe('一、本年新收政府信息公开申请数量');
    expect(panelsOf(final)).toEqual([]);
    await logged(bot, '已答复', 'om_docx');
    expect(h.replies('om_docx').filter((r) => (r.json as { msg_type: string }).msg_type === 'file')).toEqual(
      [],
    );
  });

  it('a .docx with a missing row: the corrected Word file comes back, the row inserted in its table', async () => {
    const bytes = await wordReport(sampleValues(), {
      omitT3: [T3_ROWS.findIndex((r) => r.label === '2.重复申请')],
    });
    standin.files.set('f_docx_fix', { bytes });
    await standin.push(fileEvent('om_docx_fix', 'f_docx_fix', '青禾县农业农村局年报.docx'));
    const { final } = await h.result('om_docx_fix');
    expect(cardText(final)).toContain('表三缺少“2.重复申请”行');
    expect(cardText(final)).toContain('已在 Word 文件中修正 1 处，修正后的文件随后发送。');
    const r = await standin.waitFor((x) => isReply(x, 'om_docx_fix', 'file'));
    const up = standin.uploads.get(JSON.parse(content(r)).file_key)!;
    expect(up.name).toBe('青禾县农业农村局年报（已修正）.docx');
    expect(standin.requests.find((x) => x.form?.file_name === up.name)!.form!.file_type).toBe('doc');
    const back = readReport(up.bytes, up.name);
    expect(check(back.text).findings).toEqual([]);
    expect(back.where(back.text.split('\n').findIndex((l) => l.startsWith('2.重复申请')) + 1)).toMatch(
      /^第2个表格 第\d+行$/,
    );
  });

  it.skipIf(!hasCorpus)(
    'a real PDF: the findings of `nianbao check` with their pages; the corrected text sent',
    async () => {
      standin.files.set('f_pdf', { bytes: readFileSync(real('001_hongzequ_2023.pdf')) });
      await standin.push(fileEvent('om_pdf', 'f_pdf', '001_hongzequ_2023.pdf'));
      const { final } = await h.result('om_pdf');
      const expected = cliJson(real('001_hongzequ_2023.pdf'));
      expect(expected.findings.length).toBe(4);
      const text = cardText(final);
      for (const f of expected.findings) {
        expect(text).toContain(escaped(f.message));
        expect(text).toContain(f.where!);
      }
      expect(text).toMatch(/第4页/);
      // Nothing can be written into a PDF: no fix is marked as automatic; the text comes instead.
      expect(text).not.toContain('可自动修复）');
      expect(text).toContain('PDF 文件不能直接修改，修复无法写回原文件；');
      expect(panelsOf(final)[0]).toEqual([expect.stringMatching(/^\*\*错误（\d+）\*\*$/), true]);
      const fixed = await h.file('om_pdf');
      expect(fixed.name).toBe('001_hongzequ_2023（已修正文本）.txt');
      // 表四's totals are not rewritten from their parts: they stay errors in the corrected text too.
      expect(
        check(fixed.text)
          .findings.filter((f) => f.ruleId === 't4-total')
          .map((f) => f.message),
      ).toEqual(expected.findings.filter((f) => f.ruleId === 't4-total').map((f) => f.message));
    },
  );

  it('over the card size limit: the first findings in the card, the full result as a file', async () => {
    // A draft full of unfilled blanks in its prose: two hundred of them, listed up to the per-rule bound
    // (100, then one finding counting the rest) — still more than a card holds.
    const many = report('pipe').replace(
      '全年组织业务培训两次。',
      '本局共发布XX件，'.repeat(250) + '全年组织业务培训两次。',
    );
    standin.files.set('f_many', { bytes: new TextEncoder().encode(many) });
    await standin.push(fileEvent('om_many', 'f_many', 'many.txt'));
    const { final } = await h.result('om_many');
    const total = check(many).findings.length;
    expect(total).toBeGreaterThan(100);
    expect(check(many).findings.some((f) => /同类问题还有\d+处/.test(f.message))).toBe(true);
    expect(Buffer.byteLength(content(final))).toBeLessThan(30 * 1024);
    const more = cardText(final).match(/另有 (\d+) 个问题未在卡片中列出/);
    expect(more).not.toBeNull();
    const full = await h.file('om_many', 1);
    expect(full.name).toBe('many-校对结果.txt');
    expect(full.text.match(/^　规则：/gm)!.length).toBe(total);
  });

  it.skipIf(!hasCorpus)(
    'the unfilled Word template: blanks once per table, never filled with 0, no corrected file',
    async () => {
      standin.files.set('f_blank', { bytes: readFileSync(real('template_blank.docx')) });
      await standin.push(fileEvent('om_blank', 'f_blank', 'template_blank.docx'));
      const { final } = await h.result('om_blank');
      const t = cardText(final);
      for (const table of ['表二全部10个', '表三全部175个', '表四全部15个'])
        expect(t).toContain(`${table}单元格都是空白，表格尚未填写`);
      expect(t).not.toContain('修正后的');
      // The unfilled tables are errors (open); read as blanks, the figures show as —.
      expect(panelsOf(final)[0]).toEqual([expect.stringMatching(/^\*\*错误（\d+）\*\*$/), true]);
      for (const table of tablesOf(final))
        for (const row of table.slice(1)) expect(new Set(row.slice(1))).toEqual(new Set(['—']));
      // Nothing is certain to fix: no corrected Word file follows the card.
      await new Promise((r) => setTimeout(r, 1500));
      expect(standin.requests.filter((x) => isReply(x, 'om_blank', 'file'))).toEqual([]);
    },
  );

  it('pasted text and post messages (plain and locale-wrapped) are checked like files', async () => {
    const text = report('pipe').replace('2.重复申请', '2.重复申清');
    const expected = check(text).findings;
    expect(expected.map((f) => f.ruleId)).toEqual(['row-label']);
    await standin.push(messageEvent({ messageId: 'om_text', messageType: 'text', content: { text } }));
    const pasted = (await h.result('om_text')).final;
    expect(cardText(pasted)).toContain(escaped(expected[0].message));
    // A warning only: said as such (never “0 个错误”), in a closed panel, the report's own label quoted.
    expect(cardText(pasted)).toContain('**未发现错误，有 1 个警告。**');
    expect(cardOf(pasted).header.template).toBe('orange');
    expect(panelsOf(pasted)).toEqual([['**警告（1）**', false]]);
    expect(cardText(pasted)).toContain('表三“2.重复申请”行（报告中写作“2.重复申清”）');
    expect(content(pasted)).not.toContain('0 个错误');
    const paragraphs = text.split('\n').map((line) => [{ tag: 'text', text: line }]);
    await standin.push(
      messageEvent({
        messageId: 'om_post',
        messageType: 'post',
        content: { title: '', content: paragraphs },
      }),
    );
    expect(cardText((await h.result('om_post')).final)).toContain(escaped(expected[0].message));
    await standin.push(
      messageEvent({
        messageId: 'om_post_zh',
        messageType: 'post',
        content: { zh_cn: { title: '', content: paragraphs } },
      }),
    );
    expect(cardText((await h.result('om_post_zh')).final)).toContain(escaped(expected[0].message));
  });

  it('in a group: a reply to a file that @-mentions the bot checks that file; without a mention, silence', async () => {
    standin.files.set('f_group', { bytes: readFileSync(fixture('example-pipe.txt')) });
    standin.messages.set('om_group_file', {
      msg_type: 'file',
      content: JSON.stringify({ file_key: 'f_group', file_name: '年报.txt' }),
    });
    await standin.push(
      fileEvent('om_group_file', 'f_group', '年报.txt', { chatType: 'group', chatId: 'oc_group' }),
    );
    await logged(bot, '群消息未 @ 机器人，已忽略', 'om_group_file');
    await standin.push(
      messageEvent({
        messageId: 'om_group_ask',
        chatType: 'group',
        chatId: 'oc_group',
        messageType: 'text',
        content: { text: '@_user_1 检查' },
        parentId: 'om_group_file',
        mentions: [BOT_MENTION],
      }),
    );
    const { final } = await h.result('om_group_ask');
    expect(cardText(final)).toContain('表三缺少“2.重复申请”行');
    expect(standin.calls('GET', '/open-apis/im/v1/messages/om_group_file')).toHaveLength(1);
    expect(standin.calls('GET', '/open-apis/im/v1/messages/om_group_file/resources/f_group')).toHaveLength(1);
    expect(h.replies('om_group_file')).toEqual([]);
    // A replied-to message the bot may not read: the answer names the permission that is missing.
    standin.messages.set('om_group_locked', {
      status: 400,
      code: 99991672,
      msg: 'Access denied. One of the following scopes is required: [im:message.group_msg]',
    });
    await standin.push(
      messageEvent({
        messageId: 'om_group_ask2',
        chatType: 'group',
        chatId: 'oc_group',
        messageType: 'text',
        content: { text: '@_user_1 检查' },
        parentId: 'om_group_locked',
        mentions: [BOT_MENTION],
      }),
    );
    expect(await h.text('om_group_ask2')).toBe(
      '无法读取被回复的消息（飞书错误码 99991672）：机器人缺少“获取群组中所有消息”（im:message.group_msg）权限，请联系管理员在开发者后台开通并发布新版本；也可以直接把报告文件发给我。',
    );
    // Someone else mentioned: still silence.
    await standin.push(
      messageEvent({
        messageId: 'om_group_other',
        chatType: 'group',
        messageType: 'text',
        content: { text: '@_user_1 看看' },
        mentions: [{ key: '@_user_1', id: { open_id: 'ou_someone' }, name: '张三' }],
      }),
    );
    await logged(bot, '群消息未 @ 机器人，已忽略', 'om_group_other');
    expect(h.replies('om_group_other')).toEqual([]);
  });

  it('messages from bots are ignored', async () => {
    await standin.push(
      messageEvent({
        messageId: 'om_from_bot',
        messageType: 'text',
        content: { text: '帮助' },
        senderType: 'app',
      }),
    );
    await logged(bot, '来自机器人或应用的消息，已忽略', 'om_from_bot');
    expect(h.replies('om_from_bot')).toEqual([]);
  });

  it('one answer per message_id: a re-delivery with a new event_id, and again after a reconnect', async () => {
    standin.files.set('f_dup', { bytes: readFileSync(fixture('example-pipe.txt')) });
    await standin.push(fileEvent('om_dup', 'f_dup', 'a.txt'));
    await standin.push(fileEvent('om_dup', 'f_dup', 'a.txt'));
    await logged(bot, '重复投递的消息，已忽略', 'om_dup');
    const before = standin.sockets.length;
    standin.dropConnections();
    const [reconnected] = await standin.waitForConnections(1, before);
    await standin.push(fileEvent('om_dup', 'f_dup', 'a.txt'), reconnected);
    await logged(bot, '重复投递的消息，已忽略', 'om_dup', 2);
    await logged(bot, '已答复', 'om_dup');
    expect(
      h.replies('om_dup').filter((r) => (r.json as { msg_type: string }).msg_type === 'interactive'),
    ).toHaveLength(1);
  });

  it('a stale replay (older than the configured age) is ignored', async () => {
    await standin.push(
      messageEvent({
        messageId: 'om_stale',
        messageType: 'text',
        content: { text: '帮助' },
        createTime: Date.now() - 3600_000,
      }),
    );
    await logged(bot, '过期的重放事件，已忽略', 'om_stale');
    expect(h.replies('om_stale')).toEqual([]);
  });

  it('a slow answer does not delay the acknowledgement', async () => {
    standin.files.set('f_slow', { bytes: readFileSync(fixture('example-pipe.txt')) });
    standin.downloadDelayMs = 4000;
    const t0 = Date.now();
    const ack = await standin.push(fileEvent('om_slow', 'f_slow', 'slow.txt'));
    expect(ack).toBeLessThan(3000);
    const { final } = await h.result('om_slow');
    standin.downloadDelayMs = 0;
    expect(final.at - t0).toBeGreaterThanOrEqual(4000);
  });

  it('one chat is answered in order; across chats at most the configured number of checks run at once', async () => {
    const bytes = readFileSync(fixture('example-pipe.txt'));
    standin.downloadDelayMs = 400;
    standin.maxDownloading = 0;
    const logStart = bot.output.length;
    for (let i = 0; i < 6; i++) standin.files.set(`f_conc_${i}`, { bytes });
    // Two messages in one chat, then four in four other chats.
    await standin.push(fileEvent('om_order_1', 'f_conc_0', 'a.txt', { chatId: 'oc_order' }));
    await standin.push(fileEvent('om_order_2', 'f_conc_1', 'b.txt', { chatId: 'oc_order' }));
    for (let i = 2; i < 6; i++)
      await standin.push(fileEvent(`om_conc_${i}`, `f_conc_${i}`, 'c.txt', { chatId: `oc_conc_${i}` }));
    const first = await h.result('om_order_1');
    const second = await h.result('om_order_2');
    for (let i = 2; i < 6; i++) await h.result(`om_conc_${i}`);
    standin.downloadDelayMs = 0;
    expect(second.progress.at).toBeGreaterThanOrEqual(first.final.at);
    // Downloads run outside the check slots: the five chats download at once (within the default
    // 2 checks + 4 files in hand), while at most NIANBAO_BOT_CONCURRENCY (default 2) checks overlap.
    expect(standin.maxDownloading).toBe(5);
    let running = 0;
    let most = 0;
    for (const line of bot.output.slice(logStart)) {
      if (line.includes('"msg":"开始检查"')) most = Math.max(most, ++running);
      if (line.includes('"msg":"检查结束"')) running--;
    }
    expect(most).toBeGreaterThanOrEqual(1);
    expect(most).toBeLessThanOrEqual(2);
  });

  it('50 file events at once: all acknowledged within 3 s, all answered', async () => {
    const bytes = readFileSync(fixture('example-pipe.txt'));
    for (let i = 0; i < 50; i++) standin.files.set(`f_burst_${i}`, { bytes });
    const acks = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        standin.push(
          fileEvent(`om_burst_${i}`, `f_burst_${i}`, `burst${i}.txt`, { chatId: `oc_burst_${i % 7}` }),
        ),
      ),
    );
    expect(Math.max(...acks)).toBeLessThan(3000);
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => h.result(`om_burst_${i}`)));
    for (const { final } of results) expect(cardText(final)).toContain('共发现 2 个错误');
  }, 60000);

  it.skipIf(!hasCorpus)(
    'refusals are answered in Chinese: too large, unsupported, corrupt, encrypted, not a report',
    async () => {
      standin.files.set('f_big', { bytes: new Uint8Array(1.5 * 1024 * 1024).fill(0x31) });
      await standin.push(fileEvent('om_big', 'f_big', 'big.txt'));
      expect(cardText((await h.result('om_big')).final)).toContain('文件过大（1.5 MB，上限 1.0 MB）');

      await standin.push(fileEvent('om_xlsx', 'f_none', '统计表.xlsx'));
      expect(await h.text('om_xlsx')).toContain('暂不支持 .xlsx 文件“统计表.xlsx”');
      expect(standin.requests.filter((r) => r.path.includes('/om_xlsx/resources/'))).toEqual([]);

      standin.files.set('f_bad', { bytes: new Uint8Array(4096).map((_, i) => (i * 7919) % 251) });
      await standin.push(fileEvent('om_bad', 'f_bad', '年报.docx'));
      expect(cardText((await h.result('om_bad')).final)).toContain('不是有效的 Word 文档');

      const dir = mkdtempSync(path.join(os.tmpdir(), 'nianbao-bot-'));
      const locked = path.join(dir, 'locked.pdf');
      const q = spawnSync('qpdf', [
        '--encrypt',
        'secret',
        'owner',
        '256',
        '--',
        real('001_hongzequ_2023.pdf'),
        locked,
      ]);
      expect(q.status, 'qpdf (Debian package qpdf) is needed for this test').toBe(0);
      standin.files.set('f_locked', { bytes: readFileSync(locked) });
      await standin.push(fileEvent('om_locked', 'f_locked', 'locked.pdf'));
      expect(cardText((await h.result('om_locked')).final)).toContain('PDF 已加密');

      standin.files.set('f_minutes', {
        bytes: new TextEncoder().encode(
          '青禾县农业农村局办公室会议纪要\n'.repeat(3) +
            '会议研究了春耕备耕工作，要求各股室按分工抓好落实。\n'.repeat(20),
        ),
      });
      await standin.push(fileEvent('om_minutes', 'f_minutes', '会议纪要.txt'));
      const minutes = await h.result('om_minutes');
      expect(cardOf(minutes.final).header.template).toBe('red');
      expect(cardText(minutes.final)).toContain('看起来不是政府信息公开工作年度报告');
    },
  );

  it("a failed download is answered with the open platform's error code", async () => {
    standin.files.set('f_gone', { status: 400, code: 234003, msg: 'File not in msg.' });
    await standin.push(fileEvent('om_gone', 'f_gone', '年报.pdf'));
    expect(cardText((await h.result('om_gone')).final)).toContain('下载文件失败（飞书错误码 234003）');
  });

  it('a card that can no longer be updated (230031): the result is sent as a new reply', async () => {
    standin.files.set('f_expired', { bytes: readFileSync(fixture('example-pipe.txt')) });
    standin.patchCode = 230031;
    await standin.push(fileEvent('om_expired', 'f_expired', 'a.txt'));
    let n = 0;
    const second = await standin.waitFor((r) => isReply(r, 'om_expired', 'interactive') && ++n === 2);
    standin.patchCode = 0;
    expect(standin.requests.filter((r) => r.method === 'PATCH' && r.at <= second.at).length).toBeGreaterThan(
      0,
    );
    expect(cardText(second)).toContain('共发现 2 个错误');
  });

  it('a message recalled before the answer: the answer goes to the chat as a new message', async () => {
    standin.replyCodes.set('om_recalled', 230011);
    await standin.push(
      messageEvent({
        messageId: 'om_recalled',
        chatId: 'oc_recalled',
        messageType: 'text',
        content: { text: '帮助' },
      }),
    );
    const sent = await standin.waitFor(
      (r) =>
        r.method === 'POST' &&
        r.path === '/open-apis/im/v1/messages' &&
        (r.json as { receive_id?: string }).receive_id === 'oc_recalled',
    );
    expect(sent.query.receive_id_type).toBe('chat_id');
    expect(cardOf(sent).header.title.content).toBe('年报校对：使用说明');
    expect(cardText(sent)).toContain('命令：');
  });

  it('commands: 帮助, 规则, 模板 (a blank Word template that checks clean but for its placeholders)', async () => {
    await standin.push(
      messageEvent({ messageId: 'om_help', messageType: 'text', content: { text: '帮助' } }),
    );
    expect(cardText(await standin.waitFor((r) => isReply(r, 'om_help', 'interactive')))).toContain(
      '模板 —— 发送一份空白报告模板',
    );
    await standin.push(
      messageEvent({ messageId: 'om_rules', messageType: 'text', content: { text: '规则' } }),
    );
    const rules = cardText(await standin.waitFor((r) => isReply(r, 'om_rules', 'interactive')));
    for (const r of RULES) expect(rules).toContain(`（${r.id}，`);
    await standin.push(messageEvent({ messageId: 'om_tpl', messageType: 'text', content: { text: '模板' } }));
    const r = await standin.waitFor((x) => isReply(x, 'om_tpl', 'file'));
    const tpl = standin.uploads.get(JSON.parse(content(r)).file_key)!;
    expect(tpl.name).toMatch(/^政府信息公开工作年度报告模板（\d{4}年度）\.docx$/);
    const c = check(readReport(tpl.bytes, tpl.name).text);
    expect(c.report.sections).toHaveLength(6);
    expect(new Set(c.findings.map((f) => f.ruleId))).toEqual(new Set(['placeholder']));
    // Real Word tables, every cell of the template in its place.
    for (const t of ['t2', 't3', 't4'] as const)
      expect([c.report.tables[t]!.values].flat(2).every((x) => x === 0)).toBe(true);
    const read = readReport(tpl.bytes, tpl.name);
    expect(read.where(read.text.split('\n').findIndex((l) => l.includes('（七）总计')) + 1)).toMatch(
      /^第2个表格/,
    );
  });

  it('more than the per-user rate in a minute: one polite refusal, the rest unanswered', async () => {
    const ids = Array.from({ length: 22 }, (_, i) => `om_rate_${i}`);
    for (const id of ids)
      await standin.push(
        messageEvent({ messageId: id, senderId: 'ou_busy', messageType: 'text', content: { text: '帮助' } }),
      );
    expect(await h.text('om_rate_20')).toContain('请求过于频繁：每人每分钟最多检查 20 次');
    await logged(bot, '请求过于频繁', 'om_rate_21');
    for (const id of ids.slice(0, 20)) await standin.waitFor((r) => isReply(r, id, 'interactive'));
    expect(h.replies('om_rate_21')).toEqual([]);
  });

  it('logs hold no app secret, token or report text', () => {
    const out = bot.output.join('\n');
    expect(out.length).toBeGreaterThan(1000);
    expect(out).not.toContain(APP_SECRET);
    expect(out).not.toContain(TENANT_TOKEN);
    expect(out).not.toContain('全年组织业务培训两次');
    expect(out).not.toContain('重复申清');
    expect(out).not.toContain('青禾县');
  });
});

describe('Feishu bot behind a webhook', () => {
  const KEY = 'standin-encrypt-key-5b1e';
  let standin: StandIn;
  let bot: BotProcess;
  let h: ReturnType<typeof helpers>;
  const post = (body: string, headers: Record<string, string>) =>
    fetch(`http://127.0.0.1:${bot.port}/webhook/event`, { method: 'POST', body, headers });
  beforeAll(async () => {
    standin = await new StandIn().start();
    bot = await spawnBot(standin, {
      FEISHU_MODE: 'webhook',
      FEISHU_ENCRYPT_KEY: KEY,
      FEISHU_VERIFICATION_TOKEN: 'vt-standin',
      NIANBAO_BOT_PORT: '0',
    });
    h = helpers(standin);
  });
  afterAll(async () => {
    await bot?.stop();
    await standin?.stop();
  });

  it('a health endpoint; other paths 404; oversized bodies 413', async () => {
    const base = `http://127.0.0.1:${bot.port}`;
    expect(await (await fetch(`${base}/healthz`)).text()).toBe('ok');
    expect((await fetch(`${base}/other`, { method: 'POST', body: '{}' })).status).toBe(404);
    expect((await post('x'.repeat(2 * 1024 * 1024), { 'content-type': 'application/json' })).status).toBe(
      413,
    );
  });

  it('answers the URL verification challenge', async () => {
    const d = signedDelivery({ type: 'url_verification', challenge: 'ch-123', token: 'vt-standin' }, KEY);
    const res = await post(d.body, d.headers);
    expect(await res.json()).toEqual({ challenge: 'ch-123' });
  });

  it('a signed, encrypted event is acknowledged at once and answered; a retry of it is not answered again', async () => {
    standin.files.set('f_hook', { bytes: readFileSync(fixture('example-pipe.txt')) });
    const event = fileEvent('om_hook', 'f_hook', '年报.txt');
    const d = signedDelivery(event, KEY);
    const res = await post(d.body, d.headers);
    expect(res.status).toBe(200);
    expect(cardText((await h.result('om_hook')).final)).toContain('共发现 2 个错误');
    const retry = signedDelivery(fileEvent('om_hook', 'f_hook', '年报.txt'), KEY);
    expect((await post(retry.body, retry.headers)).status).toBe(200);
    await logged(bot, '重复投递的消息，已忽略', 'om_hook');
    expect(
      h.replies('om_hook').filter((r) => (r.json as { msg_type: string }).msg_type === 'interactive'),
    ).toHaveLength(1);
  });

  it('forged, wrongly keyed or unsigned deliveries are rejected with 401 and never handled', async () => {
    const forged = signedDelivery(
      messageEvent({ messageId: 'om_forged', messageType: 'text', content: { text: '帮助' } }),
      KEY,
      'guessed-key',
    );
    expect((await post(forged.body, forged.headers)).status).toBe(401);
    const wrongKey = signedDelivery(
      messageEvent({ messageId: 'om_wrongkey', messageType: 'text', content: { text: '帮助' } }),
      'another-app-key',
    );
    expect((await post(wrongKey.body, wrongKey.headers)).status).toBe(401);
    const unsigned = signedDelivery(
      messageEvent({ messageId: 'om_unsigned', messageType: 'text', content: { text: '帮助' } }),
      KEY,
    );
    expect((await post(unsigned.body, { 'content-type': 'application/json' })).status).toBe(401);
    const plain = JSON.stringify(
      messageEvent({ messageId: 'om_plain', messageType: 'text', content: { text: '帮助' } }),
    );
    expect((await post(plain, { 'content-type': 'application/json' })).status).toBe(401);
    // A genuine event afterwards is answered: the rejected ones were not queued before it.
    const ok = signedDelivery(
      messageEvent({ messageId: 'om_after', messageType: 'text', content: { text: '帮助' } }),
      KEY,
    );
    await post(ok.body, ok.headers);
    await standin.waitFor((r) => isReply(r, 'om_after'));
    for (const id of ['om_forged', 'om_wrongkey', 'om_unsigned', 'om_plain'])
      expect(h.replies(id)).toEqual([]);
    await until(() => records(bot).filter((r) => r.msg === '事件签名校验失败，已拒绝').length === 4);
  });

  it("a signed event with another app's verification token is rejected", async () => {
    const ev = messageEvent({ messageId: 'om_token', messageType: 'text', content: { text: '帮助' } });
    (ev.header as { token: string }).token = 'vt-other-app';
    const d = signedDelivery(ev, KEY);
    await post(d.body, d.headers);
    await logged(bot, 'Verification Token 不符，已拒绝', 'om_token');
    expect(h.replies('om_token')).toEqual([]);
  });
});

describe('two bot processes', () => {
  let standin: StandIn;
  let redis: ChildProcess | undefined;
  let port = 0;
  beforeAll(async () => {
    standin = await new StandIn().start();
    port = await freePort();
    redis = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    await waitForPort(port);
  });
  afterAll(async () => {
    redis?.kill();
    await standin?.stop();
  });

  async function deliverTwice(env: Record<string, string>, mid: string): Promise<number> {
    const first = standin.sockets.length;
    const a = await spawnBot(standin, env);
    const b = await spawnBot(standin, env);
    try {
      const [one, two] = await standin.waitForConnections(2, first);
      standin.files.set(`f_${mid}`, { bytes: readFileSync(fixture('example-pipe.txt')) });
      // Feishu gives each delivery to one random connection: here one to each instance.
      await Promise.all([
        standin.push(fileEvent(mid, `f_${mid}`, 'a.txt'), one),
        standin.push(fileEvent(mid, `f_${mid}`, 'a.txt'), two),
      ]);
      await helpers(standin).result(mid);
      await new Promise((r) => setTimeout(r, 1500));
      return helpers(standin)
        .replies(mid)
        .filter((r) => (r.json as { msg_type: string }).msg_type === 'interactive').length;
    } finally {
      await Promise.all([a.stop(), b.stop()]);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  it('sharing a real Redis (REDIS_URL), they answer a message delivered to both exactly once', async () => {
    expect(await deliverTwice({ REDIS_URL: `redis://127.0.0.1:${port}` }, 'om_shared')).toBe(1);
  }, 40000);

  it('without Redis each instance only knows its own deliveries (the reason REDIS_URL exists)', async () => {
    expect(await deliverTwice({}, 'om_unshared')).toBe(2);
  }, 40000);
});

describe('Feishu bot in plain-text mode (clients without cards)', () => {
  let standin: StandIn;
  let bot: BotProcess;
  beforeAll(async () => {
    standin = await new StandIn().start();
    bot = await spawnBot(standin, {
      NIANBAO_BOT_TEXT_ONLY: '1',
      NIANBAO_BOT_REQUEST_TIMEOUT_SECONDS: '2',
      NIANBAO_BOT_MAX_QUEUED: '2',
      NIANBAO_BOT_CHECK_TIMEOUT_SECONDS: '5',
      NIANBAO_BOT_TEST_FAULTS: '1',
    });
    await standin.waitForConnections(1);
  });
  afterAll(async () => {
    await bot?.stop();
    await standin?.stop();
  });

  it('answers with text messages only: the findings, then the corrected file', async () => {
    standin.files.set('f_plain', { bytes: readFileSync(fixture('example-pipe.txt')) });
    await standin.push(fileEvent('om_plain_text', 'f_plain', '年报.txt'));
    const h = helpers(standin);
    const text = await h.text('om_plain_text');
    expect(text.split('\n').slice(0, 2)).toEqual([
      '年报校对：年报.txt',
      '青禾县农业农村局2024年政府信息公开工作年度报告 · 2024 年度',
    ]);
    expect(text).toContain('共发现 2 个错误。');
    expect(text).not.toContain('0 个警告');
    expect(text).toContain('错误：表三缺少“2.重复申请”行');
    expect((await h.file('om_plain_text')).name).toBe('年报（已修正）.txt');
    expect(
      standin.requests.filter(
        (r) =>
          (r.json as { msg_type?: string } | undefined)?.msg_type === 'interactive' || r.method === 'PATCH',
      ),
    ).toEqual([]);
  });

  it('mention markup in a file name is shown, never sent as a mention', async () => {
    standin.files.set('f_at', { bytes: Buffer.from('x') });
    await standin.push(fileEvent('om_at', 'f_at', '<at user_id="all">所有人</at>.exe'));
    const text = await helpers(standin).text('om_at');
    expect(text).toContain('暂不支持 .exe 文件“＜at user_id="all"＞所有人＜/at＞.exe”');
    expect(text).not.toMatch(/[<>]/);
  });

  it('a full queue: the message beyond it is told to come back later', async () => {
    const bytes = readFileSync(fixture('example-pipe.txt'));
    standin.downloadDelayMs = 800;
    for (let i = 0; i < 3; i++) standin.files.set(`f_q${i}`, { bytes });
    for (let i = 0; i < 3; i++)
      await standin.push(fileEvent(`om_q${i}`, `f_q${i}`, 'a.txt', { chatId: `oc_q${i}` }));
    expect(await helpers(standin).text('om_q2')).toBe('当前检查的报告较多，请几分钟后再发送一次。');
    for (let i = 0; i < 2; i++) expect(await helpers(standin).text(`om_q${i}`)).toContain('共发现 2 个错误');
    standin.downloadDelayMs = 0;
    for (let i = 0; i < 2; i++) await logged(bot, '已答复', `om_q${i}`);
  });

  it.skipIf(!hasCorpus)(
    'a check over the time limit is stopped and answered (a test-only fault: a check that never ends)',
    async () => {
      standin.files.set('f_slowpdf', { bytes: readFileSync(real('003_huaianshi_2024.pdf')) });
      await standin.push(fileEvent('om_slowpdf', 'f_slowpdf', 'test-fault-busy.pdf'));
      expect(await helpers(standin).text('om_slowpdf')).toBe(
        '无法检查“test-fault-busy.pdf”：检查超时（超过 5 秒）：文件过于复杂。请把报告另存为 .docx 或 .txt 后重新发送。',
      );
    },
  );

  it('every request has a timeout: a download that hangs is answered', async () => {
    standin.files.set('f_hang', { bytes: readFileSync(fixture('example-pipe.txt')) });
    standin.downloadDelayMs = 4000;
    await standin.push(fileEvent('om_hang', 'f_hang', '年报.txt'));
    expect(await helpers(standin).text('om_hang')).toBe(
      '无法检查“年报.txt”：下载文件超时（2 秒内未能下载完成），请稍后重新发送。',
    );
    standin.downloadDelayMs = 0;
  });
});

describe('Feishu bot shutdown', () => {
  it('SIGTERM: the report in hand is still answered, then the process exits 0', async () => {
    const standin = await new StandIn().start();
    try {
      const bot = await spawnBot(standin);
      await standin.waitForConnections(1);
      standin.files.set('f_bye', { bytes: readFileSync(fixture('example-pipe.txt')) });
      standin.downloadDelayMs = 1000;
      await standin.push(fileEvent('om_bye', 'f_bye', 'a.txt'));
      await standin.waitFor((r) => r.path === '/open-apis/im/v1/messages/om_bye/resources/f_bye');
      const exit = bot.stop();
      const { final } = await helpers(standin).result('om_bye');
      expect(cardText(final)).toContain('共发现 2 个错误');
      expect(await exit).toBe(0);
      expect(records(bot).map((r) => r.msg)).toContain('已停止');
    } finally {
      await standin.stop();
    }
  });
});

describe('bot configuration', () => {
  it('missing or wrong settings: a Chinese message and exit code 2, no stack trace', () => {
    const r = spawnSync(process.execPath, ['dist/bot-feishu/src/main.js'], {
      env: {
        PATH: process.env.PATH,
        FEISHU_MODE: 'webhook',
        FEISHU_DOMAIN: 'open.feishu',
        FEISHU_APP_SECRET: 's',
      },
      encoding: 'utf8',
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('缺少环境变量 FEISHU_APP_ID');
    expect(
      spawnSync(process.execPath, ['dist/bot-feishu/src/main.js'], {
        env: { PATH: process.env.PATH, FEISHU_APP_ID: 'app1', FEISHU_APP_SECRET: 's' },
        encoding: 'utf8',
      }).stderr,
    ).toContain('FEISHU_APP_ID 应形如 cli_ 加 16 位十六进制字符');
    expect(r.stderr).toContain('webhook 模式必须设置 FEISHU_ENCRYPT_KEY');
    expect(r.stderr).toContain('FEISHU_DOMAIN 应为 feishu、lark 或开放平台地址');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
  it('credentials the open platform refuses: a clear start-up error, not a bot that silently never connects', async () => {
    const standin = await new StandIn().start();
    try {
      const r = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const p = spawn(process.execPath, ['dist/bot-feishu/src/main.js'], {
          env: {
            PATH: process.env.PATH,
            FEISHU_APP_ID: 'cli_a1b2c3d4e5f60718',
            FEISHU_APP_SECRET: 'wrong',
            FEISHU_DOMAIN: standin.url,
          },
        });
        let stderr = '';
        p.stderr.on('data', (d) => {
          stderr += d;
        });
        p.on('exit', (code) => resolve({ code, stderr }));
      });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(
        '无法建立长连接（请检查 FEISHU_APP_ID、FEISHU_APP_SECRET 和 FEISHU_DOMAIN）',
      );
      expect(r.stderr).not.toContain('wrong');
    } finally {
      await standin.stop();
    }
  });
  it('an unreachable Redis: a clear start-up error', () => {
    const r = spawnSync(process.execPath, ['dist/bot-feishu/src/main.js'], {
      env: {
        PATH: process.env.PATH,
        FEISHU_APP_ID: 'cli_a1b2c3d4e5f60718',
        FEISHU_APP_SECRET: 'x',
        REDIS_URL: 'redis://127.0.0.1:1',
      },
      encoding: 'utf8',
      timeout: 20000,
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('无法连接 Redis（REDIS_URL）');
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
}

async function waitForPort(port: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const ok = await new Promise<boolean>((resolve) => {
      const c = net
        .connect(port, '127.0.0.1', () => {
          c.end();
          resolve(true);
        })
        .on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('redis-server did not start (Debian package redis-server is needed for this test)');
}
