// End-to-end in a real VS Code (code-server + headless Chromium): install the .vsix, open a report
// with a missing row, see the finding in the Problems panel, apply the quick fix with Ctrl+., and
// check the row was inserted. Saves screenshots to test/artifacts/. Run by .ci/run (`npm run e2e`).
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

const root = path.resolve(import.meta.dirname, '../..');
const artifacts = path.join(root, 'test/artifacts');
fs.mkdirSync(artifacts, { recursive: true });
const launcher = execFileSync('bash', [path.join(root, '../shared/tools/code-server.sh')], {
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'inherit'],
})
  .trim()
  .split('\n')
  .pop();
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'nianbao-e2e-'));
const folder = path.join(work, 'reports');
fs.mkdirSync(folder);
// A report of our fictional body with the row “2.重复申请” deleted (the README example).
const file = path.join(folder, 'qinghe.txt');
fs.copyFileSync(path.join(root, 'test/fixtures/example-pipe.txt'), file);
execFileSync(
  launcher,
  [
    '--extensions-dir',
    path.join(work, 'ext'),
    '--install-extension',
    path.join(root, 'client-vscode/nianbao.vsix'),
  ],
  { stdio: 'inherit' },
);
const port = 18080 + Math.floor(Math.random() * 500);
const cs = spawn(
  launcher,
  [
    '--auth',
    'none',
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--user-data-dir',
    path.join(work, 'ud'),
    '--extensions-dir',
    path.join(work, 'ext'),
    folder,
  ],
  { stdio: ['ignore', 'pipe', 'pipe'] },
);
const fail = async (msg, page) => {
  if (page) await page.screenshot({ path: path.join(artifacts, 'vscode-failure.png') }).catch(() => {});
  console.error(`e2e: ${msg}`);
  cs.kill();
  process.exit(1);
};
let browser;
try {
  for (let i = 0; i < 120; i++) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (r.ok) break;
    } catch {
      /* starting */
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(folder)}`);
  await page.waitForSelector('.monaco-workbench', { timeout: 120000 });
  await page.waitForTimeout(3000);
  // Open the report from the Explorer.
  await page
    .locator('.explorer-folders-view .monaco-list-row', { hasText: 'qinghe.txt' })
    .first()
    .click({ timeout: 60000 });
  await page.waitForSelector('.monaco-editor .view-lines', { timeout: 60000 });
  await page.keyboard.press('Control+Shift+M');
  const row = page.locator('.markers-panel .monaco-list-row', { hasText: '表三缺少“2.重复申请”行' });
  await row
    .first()
    .waitFor({ timeout: 90000 })
    .catch(() => fail('the Problems panel never showed the row-missing finding', page));
  await page.screenshot({ path: path.join(artifacts, 'vscode-problems.png') });
  // Go to the finding and open the quick-fix menu.
  await row.first().click();
  await page.waitForTimeout(500);
  await page.keyboard.press('Control+.');
  const action = page.locator('.action-widget .monaco-list-row, .context-view .action-label', {
    hasText: '插入“2.重复申请”行',
  });
  await action
    .first()
    .waitFor({ timeout: 30000 })
    .catch(() => fail('the quick fix was not offered', page));
  await page.screenshot({ path: path.join(artifacts, 'vscode-quickfix.png') });
  await action.first().click();
  await page.waitForTimeout(1000);
  await page.keyboard.press('Control+S');
  for (
    let i = 0;
    i < 40 && !fs.readFileSync(file, 'utf8').includes('2.重复申请 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |');
    i++
  )
    await page.waitForTimeout(250);
  if (!fs.readFileSync(file, 'utf8').includes('2.重复申请 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |'))
    await fail('the row was not inserted', page);
  await page.screenshot({ path: path.join(artifacts, 'vscode-fixed.png') });
  console.log(
    'VS Code showed the row-missing finding in the Problems panel; Ctrl+. applied the quick fix and inserted the row.',
  );
  console.log('e2e: 1 passed, 0 failed');
} catch (e) {
  await fail(String(e?.message ?? e));
} finally {
  await browser?.close();
  cs.kill();
}
