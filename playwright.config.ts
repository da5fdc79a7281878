// End-to-end tests: the real UI in Debian's Chromium, through `porthole serve`, against the
// local test cluster (test/cluster/up) and the real agent. Playwright's own browsers cannot be
// downloaded on these machines (docs/field-notes.md), so the system Chromium is used.
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: 'test/e2e',
  testMatch: '**/*.test.ts',
  // Throws, saying what to run, when the build or the test cluster is not usable: no test skips for it.
  globalSetup: './test/e2e/global-setup.ts',
  outputDir: 'test-results/e2e',
  // One test at a time: they share one small cluster (two cores) and its one compute node.
  workers: 1,
  fullyParallel: false,
  timeout: 240_000,
  expect: { timeout: 20_000 },
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    viewport: { width: 1024, height: 700 },
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    },
    permissions: ['notifications', 'clipboard-read', 'clipboard-write'],
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
  },
});
