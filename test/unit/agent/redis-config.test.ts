// The Redis registry's configuration: what agent.json may say, what ioredis is given for it, what
// a URL looks like when shown, and what of a session reaches the site's Redis. The real Redis
// and Sentinel are in test/cluster/agent/redis-acl.test.ts.
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { agentConfigFile, agentConfigPermissionProblem, loadAgentConfig, type RedisConfig } from '../../../agent/agent-config';
import { BadInputError } from '../../../agent/errors';
import type { Session } from '../../../agent/protocol';
import { redactRedisUrl, redisConnection, registryRecord } from '../../../agent/redis-registry';

describe('a Redis URL shown or logged', () => {
  it('hides the password and keeps the user, the host, the port and the database', () => {
    assert.equal(redactRedisUrl('redis://alice:s3cret@redis.example:6380/2'), 'redis://alice:***@redis.example:6380/2');
    assert.equal(redactRedisUrl('rediss://:s3cret@redis.example'), 'rediss://***@redis.example');
  });

  it('hides a lone user part, which people write for a password too', () => {
    assert.equal(redactRedisUrl('redis://s3cret@redis.example'), 'redis://***@redis.example');
  });

  it('hides a password with unescaped @, / or ? whole', () => {
    const shown = redactRedisUrl('redis://alice:se@c/r?et@redis.example:6379');
    assert.equal(shown, 'redis://alice:***@redis.example:6379');
  });

  it('hides a password given in the query', () => {
    assert.equal(redactRedisUrl('redis://redis.example:6379/0?password=s3cret&db=1'), 'redis://redis.example:6379/0?password=***&db=1');
  });

  it('leaves a URL without a password as it is', () => {
    assert.equal(redactRedisUrl('redis://127.0.0.1:16379'), 'redis://127.0.0.1:16379');
  });
});

describe('what ioredis is given', () => {
  const noFile = (path: string): string => {
    throw new Error(`ENOENT: no such file or directory, open '${path}'`);
  };

  it('passes Sentinel credentials and TLS options under their ioredis names', () => {
    const config: RedisConfig = {
      sentinels: [{ host: 's1', port: 26379 }],
      masterName: 'site',
      username: 'alice',
      password: 'master-pw',
      sentinelUsername: 'watcher',
      sentinelPassword: 'sentinel-pw',
      tls: { caFile: '/etc/ssl/site-ca.pem', servername: 'redis.site' },
      sentinelTLS: {},
      enableTLSForSentinelMode: true,
    };
    const { url, options, where } = redisConnection(config, (path) => `PEM of ${path}`);
    assert.equal(url, undefined);
    assert.deepEqual(options.sentinels, [{ host: 's1', port: 26379 }]);
    assert.equal(options.name, 'site');
    assert.equal(options.username, 'alice');
    assert.equal(options.password, 'master-pw');
    assert.equal(options.sentinelUsername, 'watcher');
    assert.equal(options.sentinelPassword, 'sentinel-pw');
    assert.deepEqual(options.tls, { servername: 'redis.site', ca: 'PEM of /etc/ssl/site-ca.pem' });
    assert.deepEqual(options.sentinelTLS, {});
    assert.equal(options.enableTLSForSentinelMode, true);
    assert.doesNotMatch(where, /pw/);
  });

  it('keeps the URL for ioredis and shows it without its password', () => {
    const { url, options, where } = redisConnection({ url: 'rediss://alice:s3cret@redis.site:6380', tls: {} }, noFile);
    assert.equal(url, 'rediss://alice:s3cret@redis.site:6380');
    assert.deepEqual(options.tls, {});
    assert.equal(where, 'Redis at rediss://alice:***@redis.site:6380');
  });

  it('names tls.caFile when the CA cannot be read', () => {
    assert.throws(
      () => redisConnection({ url: 'rediss://redis.site', tls: { caFile: '/nowhere/ca.pem' } }, noFile),
      (error: unknown) =>
        error instanceof BadInputError &&
        error.field === 'redis.tls.caFile' &&
        /"\/nowhere\/ca.pem" is not allowed; a readable PEM file/.test(error.message),
    );
  });
});

describe('agent.json', () => {
  const home = mkdtempSync(join(tmpdir(), 'porthole-agent-config-'));
  after(() => rmSync(home, { recursive: true, force: true }));
  mkdirSync(join(home, '.porthole'));
  const file = agentConfigFile(home);
  const write = (config: unknown, mode = 0o600): void => {
    writeFileSync(file, JSON.stringify(config));
    chmodSync(file, mode);
  };

  it('takes the Sentinel options', () => {
    write({
      redis: {
        sentinels: [{ host: '127.0.0.1', port: 26379 }],
        masterName: 'porthole',
        sentinelPassword: 'pw',
        enableTLSForSentinelMode: true,
        tls: {},
      },
    });
    const config = loadAgentConfig(home, {});
    assert.equal(config.redis?.sentinelPassword, 'pw');
    assert.equal(config.redis?.enableTLSForSentinelMode, true);
  });

  it('refuses a Sentinel option without sentinels, naming it', () => {
    write({ redis: { url: 'redis://127.0.0.1:6379', sentinelPassword: 'pw' } });
    assert.throws(
      () => loadAgentConfig(home, {}),
      /agent\.json:1:\d+: redis\.sentinelPassword: "\(hidden\)" is not allowed; sentinelPassword is for Sentinel: give sentinels too/,
    );
  });

  it('refuses a password both in the URL and beside it', () => {
    write({ redis: { url: 'redis://alice@127.0.0.1:6379', password: 'pw' } });
    assert.throws(
      () => loadAgentConfig(home, {}),
      /redis\.password: "\(hidden\)" is not allowed; the url names a user or password already/,
    );
    write({ redis: { url: 'rediss://127.0.0.1:6379', username: 'alice', password: 'pw', tls: {} } });
    assert.equal(loadAgentConfig(home, {}).redis?.password, 'pw');
  });

  it('refuses TLS to the master without tls options', () => {
    write({ redis: { sentinels: [{ host: '127.0.0.1', port: 26379 }], enableTLSForSentinelMode: true } });
    assert.throws(() => loadAgentConfig(home, {}), /redis\.enableTLSForSentinelMode: true is not allowed; TLS to the master needs tls/);
  });

  it('refuses a URL that is not redis:// without showing its password', () => {
    write({ redis: { url: 'http://alice:s3cret@redis.site' } });
    assert.throws(
      () => loadAgentConfig(home, {}),
      (error: Error) =>
        /redis\.url: "http:\/\/alice:\*\*\*@redis\.site" is not allowed; a URL that starts with redis:\/\//.test(error.message) &&
        !error.message.includes('s3cret'),
    );
    write({});
    assert.throws(
      () => loadAgentConfig(home, { PORTHOLE_REDIS_URL: 'redis:/alice:s3cret@redis.site' }),
      (error: Error) => /PORTHOLE_REDIS_URL/.test(error.message) && !error.message.includes('s3cret'),
    );
  });

  it('refuses an option ioredis calls otherwise', () => {
    write({ redis: { url: 'redis://127.0.0.1:6379', sentinel_password: 'pw' } });
    assert.throws(
      () => loadAgentConfig(home, {}),
      /agent\.json:1:\d+: redis\.sentinel_password: "\(an option\)" is not allowed; not an option here; the options here are: url, sentinels, masterName, username, password, tls, sentinelUsername, sentinelPassword, sentinelTLS, enableTLSForSentinelMode$/,
    );
    write({ redis: { url: 'rediss://127.0.0.1:6379', tls: { ca: '/etc/ssl/ca.pem' } } });
    assert.throws(() => loadAgentConfig(home, {}), /redis\.tls\.ca: .*the options here are: caFile, servername$/);
  });

  it('says when others can read it, and not when it is its owner’s alone', () => {
    write({}, 0o644);
    assert.match(
      agentConfigPermissionProblem(file) ?? '',
      /agent\.json has mode 0644: other users can read it, and it may hold your Redis password; run chmod 600/,
    );
    chmodSync(file, 0o620);
    assert.match(agentConfigPermissionProblem(file) ?? '', /other users can write it/);
    chmodSync(file, 0o600);
    assert.equal(agentConfigPermissionProblem(file), undefined);
  });
});

describe('what of a session goes to Redis', () => {
  const session: Session = {
    id: '20261130-150000-abcde',
    templateId: 'vnc-desktop',
    jobId: '42',
    state: 'ended',
    end: 'failed',
    reason: 'The desktop server could not start: Fatal server error: cannot open /home/alice/thesis-draft',
    node: 'node01',
    values: { partition: 'gpu', hours: 2, cpus: 4, title: 'Meeting with the ethics board', runtime: 'apptainer', fullscreen: true },
    submittedAt: '2026-11-30T15:00:00.000Z',
    startedAt: '2026-11-30T15:00:01.000Z',
    endedAt: '2026-11-30T15:00:05.000Z',
  };

  it('keeps ids, state words, times, node, partition and numbers, and no text a person typed or a log line', () => {
    assert.deepEqual(JSON.parse(JSON.stringify(registryRecord(session, 'alice'))), {
      user: 'alice',
      id: '20261130-150000-abcde',
      templateId: 'vnc-desktop',
      jobId: '42',
      state: 'ended',
      end: 'failed',
      node: 'node01',
      partition: 'gpu',
      numbers: { hours: 2, cpus: 4 },
      submittedAt: '2026-11-30T15:00:00.000Z',
      startedAt: '2026-11-30T15:00:01.000Z',
      endedAt: '2026-11-30T15:00:05.000Z',
    });
  });
});
