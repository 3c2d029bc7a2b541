// The Feishu bot and accepted findings: a .zip holding a .nianbao-baseline.json leaves out the
// findings it accepts and counts them on the card (已核实 N); an accepted total whose value changed
// is listed again. The built bot on the real SDK against the stand-in of the open platform.
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baselineKeyOf, check, formatBaseline } from '../../grammar/src/index.js';
import { type BotProcess, spawnBot } from '../feishu/harness.js';
import { messageEvent, type Recorded, StandIn } from '../feishu/standin.js';
import { report, sampleValues } from '../fixtures/build.js';

const utf8 = (s: string) => new TextEncoder().encode(s);
const cardText = (r: Recorded) => (r.json as { content: string }).content;
const isReply = (r: Recorded, mid: string) =>
  r.method === 'POST' && r.path === `/open-apis/im/v1/messages/${mid}/reply`;

/** A report with two planted errors: 表三's first total (4 for 3) and 表四's first total. */
function planted(t4Total: number, year = 2024): string {
  const v = sampleValues();
  v.t3[0][6] = 4;
  v.t4[4] = t4Total;
  return report('pipe', v, year);
}
const T4 = '表四“行政复议”总计为';
const T3 = '表三“一、本年新收政府信息公开申请数量”行“总计”列为4';

describe('Feishu bot: a zip with accepted findings', () => {
  let standin: StandIn;
  let bot: BotProcess;
  beforeAll(async () => {
    standin = await new StandIn().start();
    bot = await spawnBot(standin, { NIANBAO_BOT_BATCH_WINDOW_SECONDS: '0' });
    await standin.waitForConnections(1);
  });
  afterAll(async () => {
    await bot?.stop();
    await standin?.stop();
  });

  async function review(mid: string, files: Record<string, string>): Promise<string> {
    standin.files.set(`f_${mid}`, {
      bytes: zipSync(Object.fromEntries(Object.entries(files).map(([k, v]) => [k, utf8(v)]))),
    });
    await standin.push(
      messageEvent({
        messageId: mid,
        messageType: 'file',
        content: { file_key: `f_${mid}`, file_name: '报告.zip' },
      }),
    );
    const progress = await standin.waitFor((r) => isReply(r, mid), 60000);
    const final = await standin.waitFor(
      (r) =>
        r.method === 'PATCH' &&
        r.path === `/open-apis/im/v1/messages/${progress.replyId}` &&
        !cardText(r).includes('正在'),
      60000,
    );
    return cardText(final);
  }

  it('leaves out exactly the accepted finding, through moved lines, and lists it again once its value changes', async () => {
    const accepted = planted(2);
    const r = check(accepted);
    const entry = baselineKeyOf(r.report, r.findings.find((f) => f.ruleId === 't4-total')!);
    const baseline = formatBaseline({ version: 1, entries: [entry] });

    const without = await review('om_b0', { '2024/a.txt': accepted });
    expect(without).toContain(T4);
    expect(without).not.toContain('已核实');

    // Lines moved by a paragraph added above; the baseline in the zip's top folder.
    const moved = accepted.replace('一、总体情况\n', '一、总体情况\n本局今年新增一段说明。\n');
    const card = await review('om_b1', { '2024/a.txt': moved, '.nianbao-baseline.json': baseline });
    expect(card).toContain(T3);
    expect(card).not.toContain(T4);
    expect(card).toContain('已核实 1 个问题，未列出');
    expect(card).not.toContain('不是报告');

    const changed = await review('om_b2', { '2024/a.txt': planted(3), '.nianbao-baseline.json': baseline });
    expect(changed).toContain(`${T4}3`);
    expect(changed).not.toContain('已核实');
  });
});
