// A host key that differs from the one Porthole trusted before, or is of a type never seen for
// that host, is a warning with no way to accept it from the app.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect } from './fixtures';
import { addTestCluster, clusterCard, shot } from './steps';

test('warns about a changed host key and offers no way to accept it', async ({ page, porthole, cluster }, testInfo) => {
  // Porthole "trusted" another key for this address before: the compute node's, for instance.
  const otherKey = readFileSync(cluster.ssh.knownHostsFile, 'utf8')
    .split('\n')
    .find((line) => line.startsWith('node01 '))!
    .split(' ')
    .slice(1)
    .join(' ');
  const portholeHome = join(porthole.home, 'porthole');
  mkdirSync(portholeHome, { recursive: true });
  writeFileSync(join(portholeHome, 'known_hosts'), `[${cluster.ssh.host}]:${cluster.ssh.port} ${otherKey}\n`);

  await page.goto(porthole.url);
  const name = await addTestCluster(page, cluster);
  const warning = page.getByRole('alertdialog', { name: 'Warning: the host key has changed' });
  await expect(warning).toBeVisible({ timeout: 60_000 });
  await expect(warning).toContainText(cluster.ssh.hostKeyFingerprint);
  await expect(warning.getByRole('button', { name: 'Trust' })).toHaveCount(0);
  await shot(page, testInfo, 'clusters-host-key-changed');
  await warning.getByRole('button', { name: 'Close' }).click();
  await expect(clusterCard(page, name).getByText('Connected', { exact: true })).toHaveCount(0);
  await expect(clusterCard(page, name)).toContainText(/changed/i);
});

test('refuses a key of a type never seen for a known host, listing the keys that are known', async ({
  page,
  porthole,
  cluster,
}, testInfo) => {
  // Porthole knows an ECDSA key for this address; the login node offers only ed25519.
  const keyDir = mkdtempSync(join(tmpdir(), 'porthole-e2e-key-'));
  let knownKey: string;
  let knownFingerprint: string;
  try {
    execFileSync('ssh-keygen', ['-q', '-t', 'ecdsa', '-N', '', '-C', '', '-f', join(keyDir, 'known')]);
    knownKey = readFileSync(join(keyDir, 'known.pub'), 'utf8').trim();
    knownFingerprint = execFileSync('ssh-keygen', ['-l', '-f', join(keyDir, 'known.pub')], { encoding: 'utf8' }).split(' ')[1];
  } finally {
    rmSync(keyDir, { recursive: true, force: true });
  }
  const portholeHome = join(porthole.home, 'porthole');
  mkdirSync(portholeHome, { recursive: true });
  writeFileSync(join(portholeHome, 'known_hosts'), `[${cluster.ssh.host}]:${cluster.ssh.port} ${knownKey}\n`);

  await page.goto(porthole.url);
  const name = await addTestCluster(page, cluster);
  const warning = page.getByRole('alertdialog', { name: 'Warning: the host key has changed' });
  await expect(warning).toBeVisible({ timeout: 60_000 });
  await expect(warning).toContainText('answered with a key of type ssh-ed25519, but only keys of other types are known for it');
  await expect(warning).toContainText(`ecdsa-sha2-nistp256 ${knownFingerprint}`);
  await expect(warning).toContainText(`ssh-ed25519 ${cluster.ssh.hostKeyFingerprint}`);
  await expect(warning.getByRole('button', { name: 'Trust' })).toHaveCount(0);
  await shot(page, testInfo, 'clusters-host-key-other-type');
  await warning.getByRole('button', { name: 'Close' }).click();
  await expect(clusterCard(page, name).getByText('Connected', { exact: true })).toHaveCount(0);
  await expect(clusterCard(page, name)).toContainText(/only keys of other types are known/);
});
