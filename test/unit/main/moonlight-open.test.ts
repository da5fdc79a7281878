// Open on a Moonlight session, against the FAKE Sunshine and the FAKE Moonlight client
// (test/fakes/): pairing without a typed PIN, a wrong PIN that both sides call a success,
// a node this network cannot reach, a client that is not installed.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
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
import { fakeMoonlightOnPath, startFakeSunshine, type FakeMoonlight, type FakeSunshine } from '../../fakes/moonlight-fakes';

const home = mkdtempSync(join(tmpdir(), 'porthole-moonlight-home-'));
const settingsFile = join(home, 'settings.json');

function clientOf(fake: FakeMoonlight): MoonlightRunner {
  return moonlightRunner(locateMoonlight({ platform: 'linux', env: fake.env, home, settingsFile }), fake.env);
}

function connectionOf(sunshine: FakeSunshine, overrides: Partial<SunshineConnection> = {}): SunshineConnection {
  return { kind: 'sunshine', node: 'gpu07', host: sunshine.host, portBase: sunshine.portBase, username: sunshine.username, password: sunshine.password, ...overrides };
}

/** Stands in for the SSH forwardOut: a plain TCP stream to the web UI. */
function webUiStream(sunshine: FakeSunshine): () => Promise<Duplex> {
  return () =>
    new Promise((resolve, reject) => {
      const socket = connect(sunshine.portBase + 1, sunshine.host, () => resolve(socket));
      socket.once('error', reject);
    });
}

const verbs = (fake: FakeMoonlight) => fake.calls().map((call) => call.argv[0]);
const started: FakeSunshine[] = [];
after(() => started.forEach((sunshine) => sunshine.stop()));

async function sunshineFor(stateDir?: string): Promise<FakeSunshine> {
  const sunshine = await startFakeSunshine(stateDir);
  started.push(sunshine);
  return sunshine;
}

describe('Open on a Moonlight session', () => {
  it('pairs with a PIN nobody types, checks it with `moonlight list`, then starts the stream', async () => {
    const sunshine = await sunshineFor();
    const moonlight = fakeMoonlightOnPath();
    const opened = await openMoonlight({ sessionId: 's1', connection: connectionOf(sunshine), moonlight: clientOf(moonlight), openWebUiStream: webUiStream(sunshine), clientName: 'Porthole test' });
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
    const stateDir = mkdtempSync(join(tmpdir(), 'porthole-node-state-'));
    const moonlight = fakeMoonlightOnPath();
    const first = await sunshineFor(stateDir);
    await openMoonlight({ sessionId: 's1', connection: connectionOf(first), moonlight: clientOf(moonlight), openWebUiStream: webUiStream(first), clientName: 'Porthole test' });
    await moonlight.waitForCall('stream');
    first.stop();
    // The next job on the same node: a new Sunshine with the node's state, new credentials.
    const second = await sunshineFor(stateDir);
    const opened = await openMoonlight({ sessionId: 's2', connection: connectionOf(second), moonlight: clientOf(moonlight), openWebUiStream: webUiStream(second), clientName: 'Porthole test' });
    assert.equal(opened.paired, 'already');
    await moonlight.waitForCall('stream', 2);
    assert.deepEqual(verbs(moonlight), ['list', 'pair', 'list', 'stream', 'list', 'stream']);
  });

  it('catches a wrong PIN that Moonlight and Sunshine both report as a success, and streams nothing', async () => {
    const sunshine = await sunshineFor();
    const moonlight = fakeMoonlightOnPath();
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
      openMoonlight({ sessionId: 's1', connection: connectionOf(sunshine), moonlight: mistyping, openWebUiStream: webUiStream(sunshine), clientName: 'Porthole test' }),
      /Pairing with node gpu07 did not take: Moonlight and Sunshine both reported success, but `moonlight list` says this computer is not paired/,
    );
    assert.equal(pairRuns[0]?.code, 0, 'the fake client should report success on a wrong PIN, as the real one does');
    assert.match(sunshine.output(), /PIN did not match/);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.deepEqual(verbs(moonlight), ['list', 'pair', 'list']);
  });

  it('says the node is not reachable from this network instead of starting a client that hangs', async () => {
    const sunshine = await sunshineFor();
    sunshine.stop();
    await new Promise((resolve) => setTimeout(resolve, 200));
    const moonlight = fakeMoonlightOnPath();
    await assert.rejects(
      openMoonlight({ sessionId: 's1', connection: connectionOf(sunshine), moonlight: clientOf(moonlight), openWebUiStream: webUiStream(sunshine), clientName: 'Porthole test' }),
      (error: Error) => {
        assert.match(error.message, new RegExp(`Node gpu07 \\(127\\.0\\.0\\.1\\) is not reachable from this network: port ${sunshine.portBase} of its Sunshine`));
        assert.match(error.message, /VPN/);
        return true;
      },
    );
    assert.deepEqual(moonlight.calls(), [], 'Moonlight was started for a node it cannot reach');
  });

  it('reports wrong Sunshine credentials rather than pairing', async () => {
    const sunshine = await sunshineFor();
    const moonlight = fakeMoonlightOnPath();
    await assert.rejects(
      openMoonlight({ sessionId: 's1', connection: connectionOf(sunshine, { password: 'not-the-password' }), moonlight: clientOf(moonlight), openWebUiStream: webUiStream(sunshine), clientName: 'Porthole test' }),
      /Sunshine on gpu07 refused this session's web credentials \(HTTP 401\)/,
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.ok(!verbs(moonlight).includes('stream'), 'Moonlight streamed with credentials Sunshine refused');
  });
});

describe('finding the Moonlight client', () => {
  const nowhere = { PATH: mkdtempSync(join(tmpdir(), 'porthole-empty-path-')) };

  it('says how to install Moonlight on each platform when it is not there', () => {
    assert.throws(() => locateMoonlight({ platform: 'linux', env: nowhere, home, settingsFile }), /Moonlight is not installed on this computer .*`flatpak install flathub com\.moonlight_stream\.Moonlight`.*"moonlightPath" in .*settings\.json/);
    assert.throws(() => locateMoonlight({ platform: 'darwin', env: nowhere, home, settingsFile }), /move Moonlight\.app to \/Applications/);
    assert.throws(() => locateMoonlight({ platform: 'win32', env: nowhere, home, settingsFile }), /Install it from https:\/\/moonlight-stream\.org/);
  });

  it('finds it on PATH, in the Flatpak export, in /Applications and in Program Files', () => {
    const moonlight = fakeMoonlightOnPath();
    assert.equal(locateMoonlight({ platform: 'linux', env: moonlight.env, home, settingsFile }).command, join(moonlight.binDir, 'moonlight'));
    const only = (file: string) => (candidate: string) => candidate === file;
    const flatpak = '/var/lib/flatpak/exports/bin/com.moonlight_stream.Moonlight';
    assert.equal(locateMoonlight({ platform: 'linux', env: nowhere, home, settingsFile, isExecutable: only(flatpak) }).command, flatpak);
    const app = '/Applications/Moonlight.app/Contents/MacOS/Moonlight';
    assert.equal(locateMoonlight({ platform: 'darwin', env: nowhere, home, settingsFile, isExecutable: only(app) }).command, app);
    const windows = join('C:\\Program Files', 'Moonlight Game Streaming', 'Moonlight.exe');
    assert.equal(locateMoonlight({ platform: 'win32', env: { ProgramFiles: 'C:\\Program Files' }, home, settingsFile, isExecutable: only(windows) }).command, windows);
  });

  it('names the setting, the value and what is allowed when the configured path is wrong', async () => {
    assert.throws(() => locateMoonlight({ platform: 'linux', env: nowhere, home, settingsFile, configuredPath: '/no/such/moonlight' }), /moonlightPath: '\/no\/such\/moonlight' \(in .*settings\.json\) is not a program this computer can run; give the path of the Moonlight executable/);
    writeFileSync(settingsFile, JSON.stringify({ moonlightPath: 'moonlight' }));
    await assert.rejects(readMoonlightPath(settingsFile), /moonlightPath: "moonlight" in .*settings\.json is not allowed; give the absolute path of the Moonlight executable/);
    writeFileSync(settingsFile, JSON.stringify({ moonlightPath: '/opt/moonlight/bin/moonlight' }));
    assert.equal(await readMoonlightPath(settingsFile), '/opt/moonlight/bin/moonlight');
  });
});
