// The Feishu bot end to end: the built bot process on the real SDK, against a loopback stand-in of
// the open platform (test/feishu/standin.ts), over the long connection and the webhook.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StandIn, messageEvent, type Recorded } from './feishu/standin.js';
import { spawnBot, type BotProcess } from './feishu/harness.js';

const fixture = (name: string) => new URL(`fixtures/${name}`, import.meta.url);
/** `nianbao check --format json` on a file: what the card must agree with. */
const cliJson = (file: string) => JSON.parse(spawnSync(process.execPath, ['dist/cli/nianbao.js', 'check', '--format', 'json', file], { encoding: 'utf8' }).stdout);

function cardOf(r: Recorded): { header: { title: { content: string }; template: string; subtitle?: { content: string } }; body: { elements: Array<{ tag: string; content?: string }> } } {
  const content = (r.json as { content: string }).content;
  return JSON.parse(content);
}
const cardText = (r: Recorded) => cardOf(r).body.elements.map((e) => e.content ?? '').join('\n');

describe('Feishu bot over the long connection', () => {
  let standin: StandIn;
  let bot: BotProcess;
  beforeAll(async () => {
    standin = await new StandIn().start();
    bot = await spawnBot(standin);
    await standin.waitForConnections(1);
  });
  afterAll(async () => { await bot?.stop(); await standin?.stop(); });

  it('a .txt file: progress card as a reply, then the same card patched with the findings of `nianbao check`; the corrected file sent', async () => {
    const bytes = readFileSync(fixture('example-pipe.txt'));
    standin.files.set('file_txt_1', { bytes });
    const ack = await standin.push(messageEvent({ messageId: 'om_txt_1', messageType: 'file', content: { file_key: 'file_txt_1', file_name: '青禾县农业农村局2025年报.txt' } }));
    expect(ack).toBeLessThan(3000);
    const progress = await standin.waitFor((r) => r.method === 'POST' && r.path === '/open-apis/im/v1/messages/om_txt_1/reply' && (r.json as { msg_type: string }).msg_type === 'interactive');
    expect(cardText(progress)).toContain('正在检查');
    const patch = await standin.waitFor((r) => r.method === 'PATCH');
    expect(patch.path).toBe('/open-apis/im/v1/messages/om_reply_1');
    const card = cardOf(patch);
    const expected = cliJson(fileURLToPath(fixture('example-pipe.txt')))[0];
    expect(card.header.template).toBe('red');
    expect(cardText(patch)).toContain(`共发现 ${expected.findings.length} 个错误`);
    for (const f of expected.findings) expect(cardText(patch)).toContain(f.message.replace(/[*_~`<>[\]#]/g, (ch: string) => `&#${ch.codePointAt(0)};`));
    // The corrected report, uploaded and sent back as a file reply.
    const upload = await standin.waitFor((r) => r.path === '/open-apis/im/v1/files');
    expect(upload.form!.file_name).toBe('青禾县农业农村局2025年报（已修正）.txt');
    const fixed = new TextDecoder().decode(upload.form!.file);
    expect(fixed).toContain('2.重复申请');
    const fileReply = await standin.waitFor((r) => r.path === '/open-apis/im/v1/messages/om_txt_1/reply' && (r.json as { msg_type: string }).msg_type === 'file');
    expect(JSON.parse((fileReply.json as { content: string }).content).file_key).toMatch(/^file_up_/);
  });
});
