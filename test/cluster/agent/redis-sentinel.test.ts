// The optional Redis registry through Sentinel: a master, a replica and three sentinels of this
// test's own on loopback ports. Killing the master must not stop the agent listing sessions,
// and once Sentinel has promoted the replica the sessions are in Redis again.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { DoctorCheck, Session } from '../../../agent/protocol';
import { agent, agentJson, cancelAll, dueInRedis, installAgent, launch } from './agent-harness';

const MASTER = 16610;
const REPLICA = 16611;
const SENTINELS = [26610, 26611, 26612];
const env = { PORTHOLE_REDIS_SENTINELS: SENTINELS.map((p) => `127.0.0.1:${p}`).join(','), PORTHOLE_REDIS_MASTER: 'porthole-test-failover' };

function redisCli(port: number, ...args: string[]): string {
  return spawnSync('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args], { encoding: 'utf8', timeout: 5000 }).stdout.trim();
}

async function until(what: string, check: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

describe('Redis Sentinel failover', () => {
  const dir = mkdtempSync(join(tmpdir(), 'porthole-sentinel-'));
  const daemons = new Map<string, ChildProcess>();
  // A session of this test's own, so the registry has something to hold whatever ran before.
  let own: Session | undefined;

  function start(name: string, command: string, config: string): void {
    const file = join(dir, `${name}.conf`);
    writeFileSync(file, config);
    daemons.set(name, spawn(command, [file], { stdio: 'ignore' }));
  }

  before(async () => {
    installAgent();
    own = await launch('xterm', { runtime: 'native', hours: '0.1' });
    const base = (port: number) => `bind 127.0.0.1\nport ${port}\nsave ""\nappendonly no\ndir ${dir}\nprotected-mode yes\n`;
    start('master', 'redis-server', base(MASTER));
    start('replica', 'redis-server', `${base(REPLICA)}replicaof 127.0.0.1 ${MASTER}\n`);
    await until('the replica syncing', () => /master_link_status:up/.test(redisCli(REPLICA, 'info', 'replication')));
    for (const port of SENTINELS) {
      start(
        `sentinel-${port}`,
        'redis-sentinel',
        `bind 127.0.0.1\nport ${port}\ndir ${dir}\nsentinel monitor ${env.PORTHOLE_REDIS_MASTER} 127.0.0.1 ${MASTER} 2\nsentinel down-after-milliseconds ${env.PORTHOLE_REDIS_MASTER} 1000\nsentinel failover-timeout ${env.PORTHOLE_REDIS_MASTER} 5000\n`,
      );
    }
    await until('the sentinels seeing each other', () =>
      /num-other-sentinels\s+2/.test(redisCli(SENTINELS[0], 'sentinel', 'master', env.PORTHOLE_REDIS_MASTER).replace(/\n/g, ' ')),
    );
  });

  after(async () => {
    await cancelAll([own]);
    for (const child of daemons.values()) if (child.exitCode === null) child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes the sessions to the master with a TTL and no secrets', async () => {
    const sessions = await agentJson<Session[]>(['sessions.list', '--all'], { env });
    assert.ok(
      sessions.some((s) => s.id === own?.id),
      'the session this test launched is not listed',
    );
    const keys = redisCli(MASTER, 'keys', 'porthole:session:porthole:*').split('\n').filter(Boolean);
    assert.equal(keys.length, dueInRedis(sessions).length);
    assert.ok(Number(redisCli(MASTER, 'ttl', keys[0])) > 3000);
    assert.doesNotMatch(redisCli(MASTER, 'get', keys[0]), /password/i);
  });

  it('keeps listing sessions from the folders while the master is down', async () => {
    // Session records only: the metrics' counters live beside them.
    const before = redisCli(MASTER, 'keys', 'porthole:session:*').split('\n').filter(Boolean).length;
    daemons.get('master')?.kill('SIGKILL');
    const listed = await agent(['sessions.list', '--all', '--json'], { env });
    assert.equal(listed.code, 0, listed.stderr);
    assert.equal(dueInRedis(JSON.parse(listed.stdout)).length, Number(before));
  });

  it('has every session in Redis again after Sentinel promotes the replica', { timeout: 60_000 }, async () => {
    await until(
      'the failover to the replica',
      () => redisCli(SENTINELS[0], 'sentinel', 'get-master-addr-by-name', env.PORTHOLE_REDIS_MASTER).endsWith(String(REPLICA)),
      45_000,
    );
    redisCli(REPLICA, 'flushall');
    const sessions = await agentJson<Session[]>(['sessions.list', '--all'], { env });
    assert.equal(Number(redisCli(REPLICA, 'dbsize')), dueInRedis(sessions).length);
    const doctor = await agentJson<DoctorCheck[]>(['doctor'], { env });
    assert.equal(doctor.find((c) => c.name === 'redis')?.status, 'ok');
  });
});
