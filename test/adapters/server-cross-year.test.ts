// The language server finds last year's report of the same body in the workspace folder, and the
// cross-year findings appear among the document's diagnostics like any other.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createMessageConnection,
  type MessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-jsonrpc/node.js';
import { check } from '../../grammar/src/index.js';
import { PreviousReports, RESCAN_MS } from '../../server/src/cross-year.js';
import { yearReport } from '../fixtures/cross-year.js';
import { wordReport } from '../fixtures/word.js';

const root = path.resolve(import.meta.dirname, '../..');
interface Diag {
  code: string;
  severity: number;
  message: string;
  range: { start: { line: number; character: number } };
}
interface Lsp {
  conn: MessageConnection;
  proc: ChildProcess;
  pushed: Map<string, Diag[]>;
  /** window/showMessage texts, in order. */
  messages: string[];
}
const running: Lsp[] = [];
const dirs: string[] = [];

async function start(folder: string, pull = false, refresh = true): Promise<Lsp> {
  const proc = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(root, 'server/src/server.ts'), '--stdio'],
    {
      stdio: ['pipe', 'pipe', process.env.DEBUG_LSP ? 'inherit' : 'pipe'],
    },
  );
  const conn = createMessageConnection(
    new StreamMessageReader(proc.stdout!),
    new StreamMessageWriter(proc.stdin!),
  );
  const pushed = new Map<string, Diag[]>();
  conn.onNotification('textDocument/publishDiagnostics', (p: { uri: string; diagnostics: Diag[] }) =>
    pushed.set(p.uri, p.diagnostics),
  );
  const messages: string[] = [];
  conn.onNotification('window/showMessage', (p: { message: string }) => messages.push(p.message));
  if (refresh) conn.onRequest('workspace/diagnostic/refresh', () => null);
  conn.listen();
  const uri = pathToFileURL(folder).href;
  await conn.sendRequest('initialize', {
    processId: process.pid,
    rootUri: uri,
    workspaceFolders: [{ uri, name: 'reports' }],
    capabilities: {
      textDocument: pull ? { diagnostic: {} } : {},
      workspace: { diagnostics: { refreshSupport: refresh } },
    },
  });
  conn.sendNotification('initialized', {});
  const l = { conn, proc, pushed, messages };
  running.push(l);
  return l;
}
afterEach(() => {
  for (const l of running.splice(0)) {
    l.conn.dispose();
    l.proc.kill();
  }
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function workspace(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nianbao-cross-year-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

const LAST = yearReport({ title: '临川市松溪区教育局2023年度政府信息公开工作年度报告', year: 2023 });
// Other bodies' reports of 2023 next to it: never compared.
const OTHERS = {
  '卫健局/2023.txt': yearReport({
    title: '松溪区卫生健康局2023年政府信息公开工作年度报告',
    year: 2023,
    facts: { carriedOut: [5, 0, 0, 0, 0, 0] },
  }),
  '2022/教育局.md': yearReport({
    title: '松溪区教育局2022年政府信息公开工作年度报告',
    year: 2022,
    facts: { carriedOut: [7, 0, 0, 0, 0, 0] },
  }),
};
// This year: 3 applications carried in, where last year's report carried 1 forward.
const THIS = yearReport({
  title: '松溪区教育局2024年政府信息公开工作年度报告',
  year: 2024,
  facts: { docs: [2, 1, 10], carriedIn: [3, 0, 0, 0, 0, 0] },
});
const carriedInLine = THIS.split('\n').findIndex((l) => l.startsWith('二、上年结转'));
const firstCell = THIS.split('\n')[carriedInLine].indexOf(' | ') + 3;
const want = [
  {
    code: 'carryover-mismatch',
    severity: 1,
    message: '表三“上年结转”“自然人”为3，但上年报告“结转下年度”为1',
    range: { start: { line: carriedInLine, character: firstCell } },
  },
];
const pick = (ds: Diag[] | undefined) =>
  ds?.map((d) => ({
    code: d.code,
    severity: d.severity,
    message: d.message,
    range: { start: d.range.start },
  }));

describe('language server: last year’s report in the workspace folder', () => {
  it('push: the carryover-mismatch appears once the folder is read, and nothing else', async () => {
    const dir = workspace({ '2023年报告.txt': LAST, ...OTHERS, '2024年报告.txt': THIS });
    const l = await start(dir);
    const uri = pathToFileURL(path.join(dir, '2024年报告.txt')).href;
    l.conn.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'plaintext', version: 1, text: THIS },
    });
    await expect.poll(() => pick(l.pushed.get(uri)), { timeout: 15000 }).toEqual(want);

    // Corrected while editing: the finding goes; what remains is this year's own arithmetic.
    const fixed = THIS.replace(
      '二、上年结转政府信息公开申请数量 | 3 | 0 | 0 | 0 | 0 | 0 | 3 |',
      '二、上年结转政府信息公开申请数量 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |',
    );
    l.conn.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [{ text: fixed }],
    });
    const own = check(fixed).findings.map((f) => f.ruleId);
    expect(own).toEqual(['t3-balance', 't3-balance']);
    await expect.poll(() => l.pushed.get(uri)?.map((d) => d.code), { timeout: 15000 }).toEqual(own);
  });

  it('last year’s report corrected on disk: the finding goes at the next look at the folder', async () => {
    const dir = workspace({ '2023.txt': LAST });
    const l = await start(dir);
    const uri = pathToFileURL(path.join(dir, '2024.txt')).href;
    l.conn.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'plaintext', version: 1, text: THIS },
    });
    await expect.poll(() => pick(l.pushed.get(uri)), { timeout: 15000 }).toEqual(want);
    fs.writeFileSync(
      path.join(dir, '2023.txt'),
      yearReport({
        title: '临川市松溪区教育局2023年度政府信息公开工作年度报告',
        year: 2023,
        facts: { carriedOut: [3, 0, 0, 0, 0, 0] },
      }),
    );
    // The folder is looked at again when the document is next checked, a few seconds on.
    await new Promise((r) => setTimeout(r, RESCAN_MS + 200));
    l.conn.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [{ text: `${THIS}\n` }],
    });
    await expect.poll(() => l.pushed.get(uri), { timeout: 15000 }).toEqual([]);
  });

  it('last year’s report as a Word file', async () => {
    const dir = workspace({});
    fs.writeFileSync(path.join(dir, '青禾县农业农村局2024年报.docx'), await wordReport());
    const now = yearReport({
      title: '青禾县农业农村局2025年政府信息公开工作年度报告',
      year: 2025,
      facts: { rules: [0, 0, 0], docs: [2, 1, 10], carriedIn: [3, 0, 0, 0, 0, 0] },
    });
    const l = await start(dir);
    const uri = pathToFileURL(path.join(dir, '2025.txt')).href;
    l.conn.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'plaintext', version: 1, text: now },
    });
    await expect
      .poll(() => l.pushed.get(uri)?.map((d) => `${d.code}:${d.message}`), { timeout: 15000 })
      .toEqual(['carryover-mismatch:表三“上年结转”“自然人”为3，但上年报告“结转下年度”为1']);
  });

  it.each([
    ['after the server asks the client to refresh', true],
    ['on the next pull of a client that cannot refresh (the server stays up)', false],
  ])('pull: the same diagnostics, %s', async (_, refresh) => {
    const dir = workspace({ 'a/2023.txt': LAST, ...OTHERS });
    const l = await start(dir, true, refresh);
    const uri = pathToFileURL(path.join(dir, 'b/2024.txt')).href;
    l.conn.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'plaintext', version: 1, text: THIS },
    });
    await expect
      .poll(
        async () =>
          pick(
            (
              (await l.conn.sendRequest('textDocument/diagnostic', { textDocument: { uri } })) as {
                items: Diag[];
              }
            ).items,
          ),
        { timeout: 15000, interval: 200 },
      )
      .toEqual(want);
  });

  it('no cross-year diagnostics when last year’s report is of another body, or two years back', async () => {
    const west23 = yearReport({ title: '松溪区西岭街道办事处2023年政府信息公开工作年度报告', year: 2023 });
    const west24 = yearReport({
      title: '西岭街道办事处2024年政府信息公开工作年度报告',
      year: 2024,
      facts: { docs: [2, 1, 10], carriedIn: [2, 0, 0, 0, 0, 0] },
    });
    const dir = workspace({ ...OTHERS, '2023西岭街道.txt': west23 });
    const l = await start(dir);
    const uri = pathToFileURL(path.join(dir, '2024.txt')).href;
    const west = pathToFileURL(path.join(dir, '西岭2024.txt')).href;
    l.conn.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'plaintext', version: 1, text: THIS },
    });
    l.conn.sendNotification('textDocument/didOpen', {
      textDocument: { uri: west, languageId: 'plaintext', version: 1, text: west24 },
    });
    // The street's own report of last year is found: the folder has been read…
    await expect
      .poll(() => l.pushed.get(west)?.map((d) => d.message), { timeout: 15000 })
      .toEqual(['表三“上年结转”“自然人”为2，但上年报告“结转下年度”为1']);
    // …and the bureau's report is compared with none of the other bodies' or years' reports.
    expect(l.pushed.get(uri)).toEqual([]);
  });
});

describe('a workspace of more report files than the server reads', () => {
  // 600 report files (by their extension) that are no reports, in the workspace's top folder: listed
  // breadth first in name order, they come before every report in a subfolder.
  const notes = Object.fromEntries(
    Array.from({ length: 600 }, (_, i) => [
      `会议纪要${String(i).padStart(3, '0')}.txt`,
      `第${i}次例会纪要。\n`,
    ]),
  );
  async function open(files: Record<string, string>) {
    const dir = workspace({ ...notes, ...OTHERS, ...files });
    const l = await start(dir);
    const uri = pathToFileURL(path.join(dir, '2024/教育局年报.txt')).href;
    l.conn.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'plaintext', version: 1, text: THIS },
    });
    return { l, uri };
  }

  it('last year’s report after the 600 others, named by its year, is found', async () => {
    const { l, uri } = await open({ '归档/2023/教育局年报.txt': LAST });
    await expect.poll(() => pick(l.pushed.get(uri)), { timeout: 30000 }).toEqual(want);
    expect(l.messages).toEqual([]);
  }, 60000);

  it('last year’s report beyond the bound and named by no year: the server says, once, that it looked in part', async () => {
    const { l, uri } = await open({ '归档/旧/教育局年报.txt': LAST });
    await expect
      .poll(() => l.messages, { timeout: 30000 })
      .toEqual([expect.stringMatching(/^年报校对：工作区“.+”中的报告文件超过 500 个，未全部查找上年报告/)]);
    expect(l.pushed.get(uri)).toEqual([]);
    // Checked again (an edit, a later look at the folder): not said again.
    await new Promise((r) => setTimeout(r, RESCAN_MS + 200));
    l.conn.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [{ text: `${THIS}\n` }],
    });
    await new Promise((r) => setTimeout(r, 2000));
    expect(l.pushed.get(uri)).toEqual([]);
    expect(l.messages).toHaveLength(1);
  }, 60000);
});

describe('the workspace folder scan is bounded', () => {
  /** What a PreviousReports with these limits finds for this year's report once it has read the folder. */
  async function found(files: Record<string, string>, limits: { maxFiles: number; maxBytes: number }) {
    const dir = workspace(files);
    const reports = new PreviousReports(limits);
    const said: string[] = [];
    reports.onBound = (m) => said.push(m);
    reports.setFolders([pathToFileURL(dir).href]);
    const uri = pathToFileURL(path.join(dir, 'z-2024.txt')).href;
    const current = check(THIS);
    let changes = 0;
    reports.onChange = () => changes++;
    // The scan (and then the load of the report found) runs in the background.
    reports.previousFor(uri, current.report);
    await reports.idle();
    reports.previousFor(uri, current.report);
    await reports.idle();
    return { previous: reports.previousFor(uri, current.report), changes, said };
  }

  it('finds last year’s report within the limits', async () => {
    const r = await found({ 'b/2023.txt': LAST }, { maxFiles: 2, maxBytes: 1 << 20 });
    expect(r.previous?.title?.text).toBe('临川市松溪区教育局2023年度政府信息公开工作年度报告');
    expect(r.changes).toBeGreaterThan(0);
  });

  it('a long report of last year: named from its head, then read whole', async () => {
    const long = yearReport({
      title: '临川市松溪区教育局2023年度政府信息公开工作年度报告',
      year: 2023,
      problems: '一是栏目更新仍需加快，二是解读形式仍需丰富。'.repeat(600),
    });
    expect(long.length).toBeGreaterThan(12000);
    const r = await found({ '2023.txt': long }, { maxFiles: 500, maxBytes: 1 << 20 });
    expect(r.previous?.text).toBe(long);
    expect(r.previous?.tables.t3?.rows[24]?.cells[0].value).toBe(1);
  });

  const two = { 'a.txt': LAST.replace('教育局', '水务局'), 'b.txt': OTHERS['卫健局/2023.txt'] };
  it('reads no more than maxFiles report files (nearest folders first, in name order), and says so', async () => {
    const r = await found({ ...two, 'c/d/教育局.txt': LAST }, { maxFiles: 2, maxBytes: 1 << 20 });
    expect(r.previous).toBeNull();
    expect(r.said).toEqual([expect.stringContaining('中的报告文件超过 2 个，未全部查找上年报告')]);
  });

  it('reads first the files named with last year, wherever they are', async () => {
    const r = await found({ ...two, 'c/d/2023/教育局.txt': LAST }, { maxFiles: 2, maxBytes: 1 << 20 });
    expect(r.previous?.title?.text).toBe('临川市松溪区教育局2023年度政府信息公开工作年度报告');
    expect(r.said).toEqual([]);
  });

  it('skips files over the size limit', async () => {
    const r = await found({ '2023.txt': LAST }, { maxFiles: 500, maxBytes: LAST.length });
    expect(Buffer.byteLength(LAST)).toBeGreaterThan(LAST.length);
    expect(r.previous).toBeNull();
  });
});

describe('the workspace scan never holds up the editor', () => {
  it('heavy Word files in the folder are read off the main thread: the event loop stays responsive', async () => {
    // Four .docx of about 15 MB of paragraphs each, next to last year's report: reading one on the
    // thread that answers the editor blocks it for seconds.
    const { strToU8, Zip, ZipDeflate } = await import('fflate');
    const heavy = () => {
      const out: Uint8Array[] = [];
      const zip = new Zip((err, data) => {
        if (err) throw err;
        out.push(data);
      });
      const file = new ZipDeflate('word/document.xml', { level: 1 });
      zip.add(file);
      file.push(
        strToU8(
          '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>',
        ),
      );
      const chunk = strToU8('<w:p><w:r><w:t>本机关依法公开政府信息。</w:t></w:r></w:p>'.repeat(20000));
      for (let n = 0; n < 15e6; n += chunk.length) file.push(chunk);
      file.push(strToU8('</w:body></w:document>'), true);
      zip.end();
      return Buffer.concat(out);
    };
    const dir = workspace({ 'a-2023.txt': LAST });
    const bytes = heavy();
    for (let i = 0; i < 4; i++) fs.writeFileSync(path.join(dir, `附件${i}.docx`), bytes);
    const reports = new PreviousReports();
    reports.setFolders([pathToFileURL(dir).href]);
    const uri = pathToFileURL(path.join(dir, 'z-2024.txt')).href;
    const current = check(THIS);
    const { monitorEventLoopDelay } = await import('node:perf_hooks');
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    try {
      reports.previousFor(uri, current.report);
      await reports.idle();
      reports.previousFor(uri, current.report);
      await reports.idle();
    } finally {
      delay.disable();
      await reports.close();
    }
    expect(reports.previousFor(uri, current.report)?.title?.text).toBe(
      '临川市松溪区教育局2023年度政府信息公开工作年度报告',
    );
    // Reading one such file on the main thread blocks it for about 5 s (2 cores); in the worker the
    // longest pause is the machine's own scheduling, well under a second even under load.
    expect(delay.max / 1e6).toBeLessThan(1000);
  }, 120000);
});
