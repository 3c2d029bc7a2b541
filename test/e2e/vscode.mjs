// End-to-end in a real VS Code (code-server + headless Chromium): install the .vsix, open a report
// with a missing row, see the finding in the Problems panel, type `2.` at the missing row and accept
// the completion, then (the line removed again) apply the quick fix with Ctrl+. and check the row was
// inserted. Saves screenshots to test/artifacts/, and those the extension's README shows to
// client-vscode/images/. Run by .ci/run (`npm run e2e`).
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

const root = path.resolve(import.meta.dirname, '../..');
const artifacts = path.join(root, 'test/artifacts');
fs.mkdirSync(artifacts, { recursive: true });
const images = path.join(root, 'client-vscode/images');
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
const original = fs.readFileSync(file, 'utf8');
// The line where “2.重复申请” is missing: the row after it (1-based, for Go to Line).
const nextRow = original.slice(0, original.indexOf('3.要求提供公开出版物')).split('\n').length;
/** Focuses the editor with the cursor at the start of `line` (Go to Line). */
const goToLine = async (page, line) => {
  await page.locator('.monaco-editor .view-lines').first().click();
  await page.keyboard.press('Control+G');
  await page.waitForTimeout(500);
  await page.keyboard.type(String(line));
  await page.keyboard.press('Enter');
  await page.waitForTimeout(300);
  await page.keyboard.press('Home');
};
/** Waits until the file on disk satisfies `ok` (VS Code saves asynchronously). */
const saved = async (page, ok) => {
  for (let i = 0; i < 40 && !ok(fs.readFileSync(file, 'utf8')); i++) await page.waitForTimeout(250);
  return ok(fs.readFileSync(file, 'utf8'));
};
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
// A quiet workbench for the screenshots: no chat side bar, no AI actions in the menus, no welcome page.
fs.mkdirSync(path.join(work, 'ud/User'), { recursive: true });
fs.writeFileSync(
  path.join(work, 'ud/User/settings.json'),
  JSON.stringify({
    'chat.disableAIFeatures': true,
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
  }),
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
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
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
  // Completion: on a new line where the row is missing, type `2.` and accept the first item.
  await goToLine(page, nextRow);
  await page.keyboard.press('Enter');
  await page.keyboard.press('ArrowUp');
  await page.keyboard.type('2.', { delay: 150 });
  const item = page.locator('.suggest-widget .monaco-list-row', { hasText: '2.重复申请' });
  await item
    .first()
    .waitFor({ timeout: 30000 })
    .catch(() => fail('typing 2. at the missing row offered no completion', page));
  const firstItem = await page.locator('.suggest-widget .monaco-list-row.focused').first().textContent();
  if (!firstItem?.includes('2.重复申请')) await fail(`the first completion was “${firstItem}”`, page);
  await page.screenshot({ path: path.join(images, 'completion.png') });
  await page.keyboard.press('Enter');
  await page.waitForTimeout(300);
  await page.keyboard.press('Control+S');
  if (!(await saved(page, (t) => t.includes('\n2.重复申请\n3.要求提供公开出版物 |'))))
    await fail('accepting the completion did not insert the row label', page);
  // Remove the line again: the row is missing once more, for the quick fix.
  await page.keyboard.press('Control+Shift+K');
  await page.keyboard.press('Control+S');
  if (!(await saved(page, (t) => t === original))) await fail('the completed line was not removed', page);
  await page.waitForTimeout(1500);
  await row
    .first()
    .waitFor({ timeout: 30000 })
    .catch(() => fail('the row-missing finding did not come back', page));
  await page.screenshot({ path: path.join(artifacts, 'vscode-problems.png') });
  await page.screenshot({ path: path.join(images, 'problems.png') });
  // Go to the finding and open the quick-fix menu in the editor.
  await row.first().click();
  await goToLine(page, nextRow);
  await page.keyboard.press('Control+.');
  const action = page.locator('.action-widget .monaco-list-row, .context-view .action-label', {
    hasText: '插入“2.重复申请”行',
  });
  await action
    .first()
    .waitFor({ timeout: 30000 })
    .catch(() => fail('the quick fix was not offered', page));
  await page.screenshot({ path: path.join(artifacts, 'vscode-quickfix.png') });
  await page.screenshot({ path: path.join(images, 'quickfix.png') });
  await action.first().click();
  await page.waitForTimeout(1000);
  await page.keyboard.press('Control+S');
  if (
    !(await saved(page, (t) =>
      t.includes('\n2.重复申请 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |\n3.要求提供公开出版物'),
    ))
  )
    await fail('the row was not inserted', page);
  await page.screenshot({ path: path.join(artifacts, 'vscode-fixed.png') });
  console.log(
    'VS Code showed the row-missing finding in the Problems panel; typing 2. there offered 2.重复申请 first and accepting it inserted the label; Ctrl+. applied the quick fix and inserted the row.',
  );
  console.log('e2e: 1 passed, 0 failed');
} catch (e) {
  await fail(String(e?.message ?? e));
} finally {
  await browser?.close();
  cs.kill();
}
