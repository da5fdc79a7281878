// Playwright fixtures: each test gets its own `porthole serve` (fresh PORTHOLE_HOME), the page
// opened on the address it printed, and the test cluster's description.
import { writeFileSync } from 'node:fs';
import { test as base, expect } from '@playwright/test';
import { loadTestCluster, type TestCluster } from '../cluster/fixture';
import { startPortholeServer, type PortholeServer } from './porthole-server';

export const test = base.extend<{ porthole: PortholeServer; cluster: TestCluster }>({
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
