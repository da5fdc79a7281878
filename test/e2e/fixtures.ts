// Playwright fixtures: each test gets its own `porthole serve` (fresh PORTHOLE_HOME), the page
// opened on the address it printed, and the test cluster's description.
import { writeFileSync } from 'node:fs';
import { test as base, expect } from '@playwright/test';
import { loadTestCluster, type TestCluster } from '../cluster/fixture';
import { startPortholeServer, type PortholeServer } from './porthole-server';

export const test = base.extend<{ porthole: PortholeServer; cluster: TestCluster }>({
  // The page's own warnings and errors, printed with a failure: the app reports a cache write
  // it could not make (History) only there.
  page: async ({ page }, use, testInfo) => {
    const lines: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'warning' || message.type() === 'error') lines.push(`${message.type()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => lines.push(`uncaught: ${error.message}`));
    await use(page);
    if (testInfo.status !== testInfo.expectedStatus && lines.length > 0) {
      await testInfo.attach('page-console.log', { body: lines.join('\n'), contentType: 'text/plain' });
    }
  },
  // Playwright's fixture signature: the first parameter must be an object pattern.
  // eslint-disable-next-line no-empty-pattern
  cluster: async ({}, use) => {
    await use(loadTestCluster());
  },
  // eslint-disable-next-line no-empty-pattern
  porthole: async ({}, use, testInfo) => {
    const server = await startPortholeServer();
    try {
      await use(server);
    } finally {
      if (testInfo.status !== testInfo.expectedStatus) {
        writeFileSync(testInfo.outputPath('porthole-serve.log'), server.log());
        await testInfo.attach('porthole-serve.log', { body: server.log(), contentType: 'text/plain' });
      }
      await server.stop();
    }
  },
});

export { expect };
