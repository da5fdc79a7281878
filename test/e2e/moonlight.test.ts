// A Moonlight session in the real UI: listed like any other, with its own Open, which pairs the
// Moonlight client with the node's Sunshine and starts the stream. Sunshine and Moonlight
// cannot be installed here: the job runs the FAKE Sunshine (test/fakes/fake-sunshine.mjs) and
// `porthole serve` finds the FAKE Moonlight (test/fakes/fake-moonlight.mjs) on its PATH.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from './fixtures';
import { addTestCluster, sessionsList, shot, trustAndConnect } from './steps';
import { sshRun } from '../cluster/fixture';

const fakes = join(__dirname, '../fakes');
const version = (JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8')) as { version: string }).version;
let records = '';
const saved = { PATH: process.env.PATH, FAKE_MOONLIGHT_DIR: process.env.FAKE_MOONLIGHT_DIR };

// `porthole serve` inherits this process's environment (fixtures.ts): the fake client comes first on PATH.
test.beforeAll(() => {
  records = mkdtempSync(join(tmpdir(), 'porthole-e2e-moonlight-'));
  mkdirSync(join(records, 'bin'));
  symlinkSync(join(fakes, 'fake-moonlight.mjs'), join(records, 'bin', 'moonlight'));
  process.env.PATH = `${join(records, 'bin')}:${process.env.PATH}`;
  process.env.FAKE_MOONLIGHT_DIR = join(records, 'calls');
});
test.afterAll(() => {
  rmSync(records, { recursive: true, force: true });
  process.env.PATH = saved.PATH;
  if (saved.FAKE_MOONLIGHT_DIR === undefined) delete process.env.FAKE_MOONLIGHT_DIR;
  else process.env.FAKE_MOONLIGHT_DIR = saved.FAKE_MOONLIGHT_DIR;
});

function moonlightCalls(): string[][] {
  const file = join(records, 'calls', 'calls.jsonl');
  return existsSync(file)
    ? readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .map((line) => (JSON.parse(line) as { argv: string[] }).argv)
    : [];
}

test('a Moonlight session has its own Open, which pairs and starts the stream', async ({ page, porthole, cluster }, testInfo) => {
  const name = await test.step('connect to the test cluster', async () => {
    await page.goto(porthole.url);
    const added = await addTestCluster(page, cluster);
    await trustAndConnect(page, cluster, added);
    return added;
  });

  // The job is launched with the agent's CLI, so that its PATH (sbatch passes it on) has the fake Sunshine.
  const session = await test.step('launch a moonlight-desktop job with the FAKE Sunshine on its PATH', async () => {
    const home = cluster.ssh.home;
    const fakesBin = `${home}/.porthole-test-fakes/bin`;
    expect((await sshRun(`mkdir -p ${fakesBin}`)).code).toBe(0);
    const copied = spawnSync(
      'scp',
      ['-q', '-F', cluster.sshConfigFile, join(fakes, 'fake-sunshine.mjs'), `porthole-test:${fakesBin}/sunshine`],
      { encoding: 'utf8' },
    );
    expect(copied.status, copied.stderr).toBe(0);
    const launch = await sshRun(
      `chmod 755 ${fakesBin}/sunshine && PATH=${fakesBin}:/usr/local/bin:/usr/bin:/bin node ~/.porthole/agent/${version}/agent.cjs sessions.launch moonlight-desktop --param partition=gpu --param runtime=native --param hours=0.25 --param cpus=1 --param memoryGb=0.5 --json`,
    );
    expect(launch.code, launch.stderr).toBe(0);
    return JSON.parse(launch.stdout) as { id: string; jobId: string };
  });
  try {
    // The test user's earlier Moonlight sessions are listed too: this one is told apart by its job.
    const item = sessionsList(page)
      .getByRole('listitem', { name: `GPU desktop (Moonlight) on ${name}` })
      .filter({ hasText: `Job ${session.jobId} ` });
    await test.step('the session started outside the app is listed and gets ready', async () => {
      await page.getByRole('link', { name: 'Sessions' }).click();
      // It shows up at the agent's next look (at most 15 s), then gets ready.
      await expect(item.getByRole('status', { name: 'State' })).toHaveText('Ready', { timeout: 60_000 });
    });
    await test.step('Open pairs with Sunshine and starts the stream in Moonlight', async () => {
      await item.getByRole('button', { name: 'Open' }).click();
      await expect(item.getByRole('status').filter({ hasText: 'Moonlight' })).toHaveText(
        /Moonlight is streaming the desktop of node01 \(paired with this computer just now\)/,
        { timeout: 60_000 },
      );
      await shot(page, testInfo, 'moonlight-opened');
      await expect.poll(() => moonlightCalls().map((argv) => argv[0])).toEqual(['list', 'pair', 'list', 'stream']);
      expect(moonlightCalls()[3]).toEqual(['stream', expect.stringMatching(/^198\.51\.100\.\d+:\d+$/), 'Desktop']);
    });
  } finally {
    await sshRun(`scancel ${session.jobId}`);
  }
});
