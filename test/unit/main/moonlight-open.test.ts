// Open on a Moonlight session, against the FAKE Sunshine and the FAKE Moonlight client
// (test/fakes/): pairing without a typed PIN, a wrong PIN that both sides call a success, a
// Sunshine that presents another certificate, another client's pairing request that races
// ours, a node this network cannot reach, a client that is not installed.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { after, describe, it } from 'node:test';
import type { SunshineConnection } from '../../../agent/protocol';
import { locateMoonlight } from '../../../main/moonlight/client-locator';
import { moonlightRunner, type MoonlightRun, type MoonlightRunner } from '../../../main/moonlight/moonlight-process';
import { readMoonlightPath } from '../../../main/moonlight/moonlight-settings';
import { openMoonlight } from '../../../main/moonlight/open-moonlight';
import { sunshineWebApi } from '../../../main/moonlight/sunshine-web-api';
import { fakeMoonlightOnPath, startFakeSunshine, type FakeMoonlight, type FakeSunshine } from '../../fakes/moonlight-fakes';

const home = mkdtempSync(join(tmpdir(), 'porthole-moonlight-home-'));
const settingsFile = join(home, 'settings.json');

function clientOf(fake: FakeMoonlight): MoonlightRunner {
  return moonlightRunner(locateMoonlight({ platform: 'linux', env: fake.env, home, settingsFile }), fake.env);
}

function connectionOf(sunshine: FakeSunshine, overrides: Partial<SunshineConnection> = {}): SunshineConnection {
  return {
    kind: 'sunshine',
    node: 'gpu07',
    host: sunshine.host,
    portBase: sunshine.portBase,
    username: sunshine.username,
    password: sunshine.password,
    certSha256: sunshine.certSha256,
    ...overrides,
  };
}

/** Stands in for the agent's relay to the node's loopback: a plain TCP stream to the web UI on 127.0.0.1. */
function webUiStream(sunshine: FakeSunshine): () => Promise<Duplex> {
  return () =>
    new Promise((resolve, reject) => {
      const socket = connect(sunshine.portBase + 1, sunshine.host, () => resolve(socket));
      socket.once('error', reject);
    });
}

const verbs = (fake: FakeMoonlight) => fake.calls().map((call) => call.argv[0]);
const started: FakeSunshine[] = [];
const clients: FakeMoonlight[] = [];
const stateDirs: string[] = [];
after(() => {
  started.forEach((sunshine) => sunshine.stop());
  clients.forEach((client) => client.remove());
  for (const dir of [home, ...stateDirs]) rmSync(dir, { recursive: true, force: true });
});

/** A node's Sunshine state folder, kept across the jobs of one test. */
function nodeStateDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'porthole-node-state-'));
  stateDirs.push(dir);
  return dir;
}

function moonlightClient(options?: { uniqueId?: string }): FakeMoonlight {
  const client = fakeMoonlightOnPath(options);
  clients.push(client);
  return client;
}

async function waitUntil(done: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`waited ${timeoutMs} ms for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function sunshineFor(stateDir?: string): Promise<FakeSunshine> {
  const sunshine = await startFakeSunshine(stateDir);
  started.push(sunshine);
  return sunshine;
}

describe('Open on a Moonlight session', () => {
  it('pairs with a PIN nobody types, checks it with `moonlight list`, then starts the stream', async () => {
    const sunshine = await sunshineFor();
    const moonlight = moonlightClient();
    const opened = await openMoonlight({
      sessionId: 's1',
      connection: connectionOf(sunshine),
      moonlight: clientOf(moonlight),
      openWebUiStream: webUiStream(sunshine),
      clientName: 'Porthole test',
    });
    assert.equal(opened.paired, 'now');
    await moonlight.waitForCall('stream');
    assert.deepEqual(verbs(moonlight), ['list', 'pair', 'list', 'stream']);
    const address = `${sunshine.host}:${sunshine.portBase}`;
    const [, pair, , stream] = moonlight.calls();
    assert.equal(pair.argv[1], address);
    assert.match(pair.argv[3], /^\d{4}$/);
    assert.deepEqual(stream.argv, ['stream', address, 'Desktop']);
    assert.match(sunshine.output(), /pairing done/);
    assert.ok(!sunshine.output().includes(sunshine.password), 'the fake Sunshine printed the password');
  });

  it('does not pair again with a node it is paired with, even after a new job there', async () => {
    const stateDir = nodeStateDir();
    const moonlight = moonlightClient();
    const first = await sunshineFor(stateDir);
    await openMoonlight({
      sessionId: 's1',
      connection: connectionOf(first),
      moonlight: clientOf(moonlight),
      openWebUiStream: webUiStream(first),
      clientName: 'Porthole test',
    });
    await moonlight.waitForCall('stream');
    first.stop();
    // The next job on the same node: a new Sunshine with the node's state, new credentials.
    const second = await sunshineFor(stateDir);
    const opened = await openMoonlight({
      sessionId: 's2',
      connection: connectionOf(second),
      moonlight: clientOf(moonlight),
      openWebUiStream: webUiStream(second),
      clientName: 'Porthole test',
    });
    assert.equal(opened.paired, 'already');
    await moonlight.waitForCall('stream', 2);
    assert.deepEqual(verbs(moonlight), ['list', 'pair', 'list', 'stream', 'list', 'stream']);
  });

  it('catches a wrong PIN that Moonlight and Sunshine both report as a success, and streams nothing', async () => {
    const sunshine = await sunshineFor();
    const moonlight = moonlightClient();
    const real = clientOf(moonlight);
    const pairRuns: MoonlightRun[] = [];
    // A client that pairs with another PIN than the one Sunshine is given.
    const mistyping: MoonlightRunner = {
      run: async (args, timeoutMs, signal) => {
        const changed = args[0] === 'pair' ? [...args.slice(0, 3), args[3] === '0000' ? '1111' : '0000'] : args;
        const result = await real.run(changed, timeoutMs, signal);
        if (args[0] === 'pair') pairRuns.push(result);
        return result;
      },
      start: real.start,
    };
    await assert.rejects(
      openMoonlight({
        sessionId: 's1',
        connection: connectionOf(sunshine),
        moonlight: mistyping,
        openWebUiStream: webUiStream(sunshine),
        clientName: 'Porthole test',
      }),
      /Pairing with node gpu07 did not take: Moonlight and Sunshine both reported success, but `moonlight list` says this computer is not paired/,
    );
    assert.equal(pairRuns[0]?.code, 0, 'the fake client should report success on a wrong PIN, as the real one does');
    assert.match(sunshine.output(), /PIN did not match/);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.deepEqual(verbs(moonlight), ['list', 'pair', 'list']);
  });

  it("refuses a Sunshine that presents another certificate than the session's, and sends it no credential", async () => {
    const sunshine = await sunshineFor();
    // What answers on the session's port is not the Sunshine whose certificate the agent read.
    const otherNode = await sunshineFor();
    const moonlight = moonlightClient();
    await assert.rejects(
      openMoonlight({
        sessionId: 's1',
        connection: connectionOf(sunshine, { certSha256: otherNode.certSha256 }),
        moonlight: clientOf(moonlight),
        openWebUiStream: webUiStream(sunshine),
        clientName: 'Porthole test',
      }),
      /Sunshine's web UI on gpu07 presented a certificate that is not the session's \(SHA-256 [0-9a-f]{16}…, expected [0-9a-f]{16}…\): Porthole sent it no credential and will not pair/,
    );
    assert.doesNotMatch(sunshine.output(), /web UI:/, 'a request (with the credentials) reached the web UI');
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.deepEqual(verbs(moonlight), ['list'], 'Moonlight paired with a Sunshine Porthole could not check');
  });

  it("refuses a connection that comes without the certificate's fingerprint", async () => {
    const sunshine = await sunshineFor();
    const moonlight = moonlightClient();
    await assert.rejects(
      openMoonlight({
        sessionId: 's1',
        connection: connectionOf(sunshine, { certSha256: undefined }),
        moonlight: clientOf(moonlight),
        openWebUiStream: webUiStream(sunshine),
        clientName: 'Porthole test',
      }),
      /Session 's1' came without the fingerprint of its Sunshine certificate/,
    );
    assert.deepEqual(moonlight.calls(), []);
  });

  it('leaves only this computer paired when another client, asking at the same moment, takes the PIN', async () => {
    const sunshine = await sunshineFor();
    const moonlight = moonlightClient();
    const address = `${sunshine.host}:${sunshine.portBase}`;
    // Another user read the PIN in the argv of `moonlight pair` on this computer and asked
    // Sunshine to pair with it first; its uniqueid comes first in Sunshine's map, so the PIN
    // Porthole posts goes to its request, and it pairs.
    const intruder = moonlightClient({ uniqueId: '00000000-0000-4000-8000-000000000000' });
    const real = clientOf(moonlight);
    let intruderPairing: Promise<MoonlightRun> | undefined;
    const raced: MoonlightRunner = {
      run: async (args, timeoutMs, signal) => {
        if (args[0] === 'pair' && !intruderPairing) {
          intruderPairing = clientOf(intruder).run(['pair', address, '--pin', args[3]], 10_000);
          await waitUntil(() => sunshine.output().includes('uniqueid 00000000-'), "the intruder's pairing request");
        }
        return real.run(args, timeoutMs, signal);
      },
      start: real.start,
    };
    const opened = await openMoonlight({
      sessionId: 's1',
      connection: connectionOf(sunshine),
      moonlight: raced,
      openWebUiStream: webUiStream(sunshine),
      clientName: 'Porthole test',
      pinTakenGraceMs: 500,
    });
    assert.equal(opened.paired, 'now');
    await moonlight.waitForCall('stream');
    await intruderPairing;
    assert.match(
      sunshine.output(),
      /PIN given to the pairing of uniqueid 00000000-[^;]*; pairing done/,
      'the intruder did not take the PIN: the test tests nothing',
    );
    assert.deepEqual(verbs(moonlight), ['list', 'pair', 'list', 'pair', 'list', 'stream']);
    assert.equal((await clientOf(intruder).run(['list', address], 10_000)).code, 1, 'the intruder is still paired with the node');
    assert.equal((await real.run(['list', address], 10_000)).code, 0, 'this computer is not paired');
    const listed = await sunshineWebApi({
      openStream: webUiStream(sunshine),
      node: 'gpu07',
      username: sunshine.username,
      password: sunshine.password,
      certSha256: sunshine.certSha256,
    }).listClients();
    assert.equal(listed.length, 1, JSON.stringify(listed));
    assert.match(listed[0].name, /^Porthole test [0-9a-f]{6}$/);
  });

  it('keeps the clients paired before and pairs once when no other client asks', async () => {
    const stateDir = nodeStateDir();
    const sunshine = await sunshineFor(stateDir);
    const address = `${sunshine.host}:${sunshine.portBase}`;
    const laptop = moonlightClient();
    await openMoonlight({
      sessionId: 's1',
      connection: connectionOf(sunshine),
      moonlight: clientOf(laptop),
      openWebUiStream: webUiStream(sunshine),
      clientName: 'Porthole laptop',
    });
    const desktop = moonlightClient();
    await openMoonlight({
      sessionId: 's1',
      connection: connectionOf(sunshine),
      moonlight: clientOf(desktop),
      openWebUiStream: webUiStream(sunshine),
      clientName: 'Porthole desktop',
    });
    assert.equal(
      (await clientOf(laptop).run(['list', address], 10_000)).code,
      0,
      "pairing this computer removed the person's other computer",
    );
    assert.equal((sunshine.output().match(/PIN given/g) ?? []).length, 2, 'one PIN per pairing');
  });

  it('says the node is not reachable from this network instead of starting a client that hangs', async () => {
    const sunshine = await sunshineFor();
    sunshine.stop();
    await new Promise((resolve) => setTimeout(resolve, 200));
    const moonlight = moonlightClient();
    await assert.rejects(
      openMoonlight({
        sessionId: 's1',
        connection: connectionOf(sunshine),
        moonlight: clientOf(moonlight),
        openWebUiStream: webUiStream(sunshine),
        clientName: 'Porthole test',
      }),
      (error: Error) => {
        assert.match(
          error.message,
          new RegExp(`Node gpu07 \\(127\\.0\\.0\\.1\\) is not reachable from this network: port ${sunshine.portBase} of its Sunshine`),
        );
        assert.match(error.message, /VPN/);
        return true;
      },
    );
    assert.deepEqual(moonlight.calls(), [], 'Moonlight was started for a node it cannot reach');
  });

  it('reports wrong Sunshine credentials rather than pairing', async () => {
    const sunshine = await sunshineFor();
    const moonlight = moonlightClient();
    await assert.rejects(
      openMoonlight({
        sessionId: 's1',
        connection: connectionOf(sunshine, { password: 'not-the-password' }),
        moonlight: clientOf(moonlight),
        openWebUiStream: webUiStream(sunshine),
        clientName: 'Porthole test',
      }),
      /Sunshine on gpu07 refused this session's web credentials \(HTTP 401\)/,
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.ok(!verbs(moonlight).includes('stream'), 'Moonlight streamed with credentials Sunshine refused');
  });
});

describe('finding the Moonlight client', () => {
  const nowhere = { PATH: nodeStateDir() };

  it('says how to install Moonlight on each platform when it is not there', () => {
    assert.throws(
      () => locateMoonlight({ platform: 'linux', env: nowhere, home, settingsFile }),
      /Moonlight is not installed on this computer .*`flatpak install flathub com\.moonlight_stream\.Moonlight`.*"moonlightPath" in .*settings\.json/,
    );
    assert.throws(() => locateMoonlight({ platform: 'darwin', env: nowhere, home, settingsFile }), /move Moonlight\.app to \/Applications/);
    assert.throws(
      () => locateMoonlight({ platform: 'win32', env: nowhere, home, settingsFile }),
      /Install it from https:\/\/moonlight-stream\.org/,
    );
  });

  it('finds it on PATH, in the Flatpak export, in /Applications and in Program Files', () => {
    const moonlight = moonlightClient();
    assert.equal(
      locateMoonlight({ platform: 'linux', env: moonlight.env, home, settingsFile }).command,
      join(moonlight.binDir, 'moonlight'),
    );
    const only = (file: string) => (candidate: string) => candidate === file;
    const flatpak = '/var/lib/flatpak/exports/bin/com.moonlight_stream.Moonlight';
    assert.equal(locateMoonlight({ platform: 'linux', env: nowhere, home, settingsFile, isExecutable: only(flatpak) }).command, flatpak);
    const app = '/Applications/Moonlight.app/Contents/MacOS/Moonlight';
    assert.equal(locateMoonlight({ platform: 'darwin', env: nowhere, home, settingsFile, isExecutable: only(app) }).command, app);
    const windows = join('C:\\Program Files', 'Moonlight Game Streaming', 'Moonlight.exe');
    assert.equal(
      locateMoonlight({ platform: 'win32', env: { ProgramFiles: 'C:\\Program Files' }, home, settingsFile, isExecutable: only(windows) })
        .command,
      windows,
    );
  });

  it('names the setting, the value and what is allowed when the configured path is wrong', async () => {
    assert.throws(
      () => locateMoonlight({ platform: 'linux', env: nowhere, home, settingsFile, configuredPath: '/no/such/moonlight' }),
      /moonlightPath: '\/no\/such\/moonlight' \(in .*settings\.json\) is not a program this computer can run; give the path of the Moonlight executable/,
    );
    writeFileSync(settingsFile, JSON.stringify({ moonlightPath: 'moonlight' }));
    await assert.rejects(
      readMoonlightPath(settingsFile),
      /moonlightPath: "moonlight" in .*settings\.json is not allowed; give the absolute path of the Moonlight executable/,
    );
    writeFileSync(settingsFile, JSON.stringify({ moonlightPath: '/opt/moonlight/bin/moonlight' }));
    assert.equal(await readMoonlightPath(settingsFile), '/opt/moonlight/bin/moonlight');
  });
});
