// The fuses `npm run dist` flips, read the way electron-builder reads them: its own loader of
// electron-builder.yml, then its own translation into @electron/fuses options. A misspelt key
// in the yml would be dropped silently by electron-builder; here it fails.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { FuseV1Options } from '@electron/fuses';
import { PlatformPackager } from 'app-builder-lib';
import { getConfig } from 'app-builder-lib/out/util/config/config';
import type { FuseOptionsV1 } from 'app-builder-lib';
import { log } from 'builder-util';
import { REQUIRED_FUSES } from './required-fuses';

const root = fileURLToPath(new URL('../../..', import.meta.url));

// electron-builder logs to stdout, a line in three writes; node:test's runner reads a test file's
// stdout as its own serialized messages, and a log line among them once failed the whole file
// ("Unable to deserialize cloned data"). Here its log goes to stderr.
(log as unknown as { stream: NodeJS.WritableStream }).stream = process.stderr;

async function appliedFuses(): Promise<Record<number, boolean | undefined>> {
  const config = await getConfig(root, null, null);
  assert.ok(config.electronFuses, 'electron-builder.yml sets electronFuses');
  // electron-builder's own translation (it uses nothing of the packager it belongs to).
  const packager = PlatformPackager.prototype as unknown as {
    generateFuseConfig(fuses: FuseOptionsV1): Promise<Record<number, boolean | undefined>>;
  };
  return packager.generateFuseConfig.call(null, config.electronFuses);
}

test('every fuse of the packaged Electron is set to what Porthole requires', async () => {
  // By name, so that a failure says which fuse is wrong.
  const byName = (fuses: Record<number, boolean | undefined>) =>
    Object.fromEntries(
      Object.entries(FuseV1Options)
        .filter(([, n]) => typeof n === 'number')
        .map(([name, n]) => [name, fuses[n as number] ?? 'left at the default']),
    );
  assert.deepEqual(byName(await appliedFuses()), byName(REQUIRED_FUSES));
});

test('asar integrity has what it needs: the app in app.asar, and its hash recorded', async () => {
  const config = await getConfig(root, null, null);
  assert.equal(config.asar, true);
  assert.notEqual(config.disableAsarIntegrity, true);
});
