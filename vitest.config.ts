import { defineConfig } from 'vitest/config';

// Four projects, run together by `npm test`:
//   core      the checking core on text, Word, PDF and web pages (no external programs) — seconds;
//   bounds    hostile inputs (zip and stream bombs, pathological lines) against the limits — slow by design;
//   adapters  the CLI, the language server and the Feishu bot, each in its own process;
//   e2e       real external producers and clients: LibreOffice, Chromium, Neovim, a packaged .vsix.
// `npm run test:core` runs the fast part alone.
export default defineConfig({
  test: {
    testTimeout: 60000,
    // Without ../shared/corpus the tests that read it are skipped; this says so once.
    globalSetup: ['test/corpus-setup.ts'],
    projects: ['core', 'bounds', 'adapters', 'e2e'].map((name) => ({
      extends: true,
      test: { name, include: [`test/${name}/**/*.test.ts`] },
    })),
  },
});
