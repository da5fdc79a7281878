import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openAppLog, serveLogDir } from '../../../main/log/app-log';
import { openLogFolder } from '../../../main/log/log-folder';
import { tempDir } from '../../cluster/fixture';

const REDIS_PASSWORD = 'Redis-pw@with/odd?chars';
const VNC_PASSWORD = 'vN7pQ2xZ';
const SERVE_TOKEN = 'f3a9c1d2e4b5a6978877665544332211';

describe('The app log', () => {
  it('writes timestamped lines to porthole.log in the folder it is given (serve: the config folder’s logs/)', () => {
    const dir = serveLogDir(tempDir('log'));
    const log = openAppLog({ dir, now: () => new Date('2026-11-30T16:00:00Z') });
    log('connected to cluster hpc1');
    assert.equal(log.file, join(dir, 'porthole.log'));
    assert.equal(readFileSync(log.file, 'utf8'), '2026-11-30T16:00:00.000Z connected to cluster hpc1\n');
  });

  it('never writes a Redis password, a VNC password or the web host’s token, however a line quotes them', () => {
    const echoed: string[] = [];
    const log = openAppLog({ dir: tempDir('log'), echo: (line) => echoed.push(line) });
    log.hide(SERVE_TOKEN);
    const usualLines = [
      `the agent on cluster 'hpc1' said: porthole-agent: Redis redis://alice:${REDIS_PASSWORD}@redis.site:6380/0 did not answer`,
      `porthole-agent: Redis rediss://${REDIS_PASSWORD}@redis.site:6380 refused the login`,
      `porthole-agent: Redis redis://redis.site:6380/?password=${REDIS_PASSWORD}&db=0 is unreachable`,
      `the agent on cluster 'hpc1' sent what the protocol does not allow; {"kind":"vnc","node":"node01","password":"${VNC_PASSWORD}"}`,
      `session 1234 connection: vncPassword=${VNC_PASSWORD}`,
      `Porthole is running at http://127.0.0.1:41234/?token=${SERVE_TOKEN}`,
      `refused a WebSocket on /api?token=${SERVE_TOKEN}x: wrong token`,
      `Api call sessions.list failed for ${SERVE_TOKEN}`,
    ];
    for (const line of usualLines) log(line);
    const written = readFileSync(log.file, 'utf8');
    for (const secret of [REDIS_PASSWORD, 'Redis-pw', VNC_PASSWORD, SERVE_TOKEN])
      assert.ok(!written.includes(secret) && !echoed.join('\n').includes(secret), `${secret} leaked:\n${written}`);
    // What a reader needs stays: who, where, what happened.
    assert.match(written, /redis:\/\/alice:\*\*\*@redis\.site:6380\/0 did not answer/);
    assert.match(written, /"node":"node01","password":"\*\*\*"/);
    assert.equal(written.trim().split('\n').length, usualLines.length);
  });

  it('rotates by size, keeping the newest lines and a few older files', () => {
    const dir = tempDir('log');
    const log = openAppLog({ dir, maxBytes: 200, keep: 2 });
    for (let n = 0; n < 40; n++) log(`line ${String(n).padStart(2, '0')} ${'.'.repeat(40)}`);
    assert.deepEqual(readdirSync(dir).sort(), ['porthole.1.log', 'porthole.2.log', 'porthole.log']);
    for (const name of readdirSync(dir)) assert.ok(readFileSync(join(dir, name)).length <= 200, `${name} is over 200 bytes`);
    assert.match(readFileSync(join(dir, 'porthole.log'), 'utf8'), /line 39/);
    assert.match(readFileSync(join(dir, 'porthole.1.log'), 'utf8'), /line 3[0-8]/);
    assert.doesNotMatch(
      readdirSync(dir)
        .map((name) => readFileSync(join(dir, name), 'utf8'))
        .join(''),
      /line 00/,
    );
  });

  it('goes on appending to the file an earlier run left, and rotates it when full', () => {
    const dir = tempDir('log');
    openAppLog({ dir, maxBytes: 100 })('first run '.padEnd(80, '.'));
    openAppLog({ dir, maxBytes: 100 })('second run');
    assert.match(readFileSync(join(dir, 'porthole.1.log'), 'utf8'), /first run/);
    assert.match(readFileSync(join(dir, 'porthole.log'), 'utf8'), /second run/);
  });
});

describe('Open logs', () => {
  it('opens the log folder, making it first when nothing was logged yet', async () => {
    const dir = join(tempDir('log'), 'logs');
    const opened: string[] = [];
    await openLogFolder(dir, async (path) => {
      opened.push(path);
      return '';
    });
    assert.deepEqual(opened, [dir]);
    assert.ok(existsSync(dir));
  });

  it('says which folder could not be opened and why', async () => {
    const dir = tempDir('log');
    await assert.rejects(
      openLogFolder(dir, async () => 'no file manager'),
      new RegExp(`Could not open the log folder ${dir}: no file manager`),
    );
  });
});
