// Conversions by the programs offices use: LibreOffice (Word → PDF, Word → .doc) and Chromium
// (web page → PDF). Results are cached under the system temp directory by a hash of their input,
// so re-runs convert only what changed.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export const CACHE_DIR = join(tmpdir(), 'nianbao-matrix-cache');
const LO_PROFILE = 'file:///tmp/lo-profile-matrix';
const LO_LOCK = join(tmpdir(), 'lo-profile-matrix.lock');

function run(cmd: string, args: string[], timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (err, _out, stderr) => {
      if (err) reject(new Error(`${cmd} 失败：${err.message}\n${stderr}`));
      else resolve();
    });
  });
}

const hash = (bytes: Uint8Array, salt: string) =>
  createHash('sha256').update(salt).update(bytes).digest('hex').slice(0, 24);

export function toolAvailable(cmd: 'soffice' | 'chromium'): boolean {
  return ['/usr/bin', '/usr/local/bin', '/bin'].some((d) => existsSync(join(d, cmd)));
}

/**
 * Converts Word files with LibreOffice in one run (several files per soffice invocation, which
 * starts once): `to` is the target extension, `pdf` or `doc`. Same order as the inputs.
 */
export async function libreOffice(inputs: Uint8Array[], to: 'pdf' | 'doc'): Promise<Uint8Array[]> {
  mkdirSync(CACHE_DIR, { recursive: true });
  const keys = inputs.map((b) => hash(b, `lo-${to}-1`));
  const missing = [...new Set(keys.filter((k) => !existsSync(join(CACHE_DIR, `${k}.${to}`))))];
  if (missing.length) {
    const work = mkdtempSync(join(tmpdir(), 'nianbao-lo-'));
    try {
      const files = missing.map((k) => {
        const f = join(work, `${k}.docx`);
        writeFileSync(f, inputs[keys.indexOf(k)]);
        return f;
      });
      const out = join(work, 'out');
      // One soffice at a time per profile (flock): parallel runs on one profile clash.
      for (let i = 0; i < files.length; i += 40) {
        await run(
          'flock',
          [
            LO_LOCK,
            'soffice',
            `-env:UserInstallation=${LO_PROFILE}`,
            '--headless',
            '--norestore',
            '--convert-to',
            to === 'doc' ? 'doc:MS Word 97' : 'pdf',
            '--outdir',
            out,
            ...files.slice(i, i + 40),
          ],
          600000,
        );
      }
      for (const k of missing) {
        const f = join(out, `${k}.${to}`);
        if (!existsSync(f)) throw new Error(`LibreOffice 没有生成 ${k}.${to}`);
        renameSync(f, join(CACHE_DIR, `${k}.${to}`));
      }
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }
  return keys.map((k) => new Uint8Array(readFileSync(join(CACHE_DIR, `${k}.${to}`))));
}

/**
 * Prints web pages to PDF with headless Chromium, two at a time; with `headerFooter`, as the print
 * dialog does by default: the date and time and the page's title at the top of every page, its
 * file:// address and the page number (1/3) at the bottom.
 */
export async function chromiumPdf(pages: string[], headerFooter = false): Promise<Uint8Array[]> {
  mkdirSync(CACHE_DIR, { recursive: true });
  const keys = pages.map((p) =>
    hash(new TextEncoder().encode(p), headerFooter ? 'chromium-pdf-hf-1' : 'chromium-pdf-1'),
  );
  const missing = [...new Set(keys.filter((k) => !existsSync(join(CACHE_DIR, `${k}.pdf`))))];
  const one = async (k: string) => {
    const work = mkdtempSync(join(tmpdir(), 'nianbao-chromium-'));
    try {
      const html = join(work, 'page.html');
      writeFileSync(html, pages[keys.indexOf(k)]);
      const pdf = join(work, 'page.pdf');
      await run(
        'chromium',
        [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--no-first-run',
          `--user-data-dir=${join(work, 'profile')}`,
          ...(headerFooter ? [] : ['--no-pdf-header-footer']),
          `--print-to-pdf=${pdf}`,
          pathToFileURL(html).href,
        ],
        120000,
      );
      if (!existsSync(pdf)) throw new Error('Chromium 没有生成 PDF');
      renameSync(pdf, join(CACHE_DIR, `${k}.pdf`));
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  };
  const queue = [...missing];
  await Promise.all(
    [0, 1].map(async () => {
      for (let k = queue.shift(); k; k = queue.shift()) await one(k);
    }),
  );
  return keys.map((k) => new Uint8Array(readFileSync(join(CACHE_DIR, `${k}.pdf`))));
}
