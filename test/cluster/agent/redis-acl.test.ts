// The registry on a Redis that asks for passwords, as a site runs it: README's per-user ACL on a
// redis-server of this test's own, and a Sentinel with a password of its own. The agent (serve,
// CLI, doctor) works with the password in its URL or in agent.json, and no line it prints holds
// the password; Redis holds no text a person typed and no log line.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Redis from 'ioredis';
import type { DoctorCheck, Session } from '../../../agent/protocol';
import { loadTestCluster, shellQuote, sshRun } from '../fixture';
import { agent, cancelAll, dueInRedis, installAgent, serveChannel } from './agent-harness';

/** The form's account when none is chosen: the user's default (the test cluster keeps Slurm accounting). */
const DEFAULT_ACCOUNT = loadTestCluster().slurm.accounts.find((account) => account.default)!.name;

const USER = 'porthole';
const secret = (): string => `pw-${randomBytes(12).toString('hex')}`;
const PASSWORD = secret();
const OTHER_PASSWORD = secret();
const ADMIN_PASSWORD = secret();
const MONITOR_PASSWORD = secret();
const READER_PASSWORD = secret();
const SENTINEL_PASSWORD = secret();
const MASTER_NAME = 'porthole-acl';
const TITLE = `Meeting notes ${randomBytes(4).toString('hex')}`;
// What README tells a site to give each user: their own keys, and the commands the agent sends
// (INFO is ioredis's check that the server is ready and, through Sentinel, is the master).
const userAcl = (user: string, password: string): string =>
  `user ${user} on >${password} resetkeys ~porthole:session:${user}:* ~porthole:counters:${user} resetchannels -@all +info +multi +set +hincrby +exec`;
const RECORD_KEYS = [
  'user',
  'id',
  'templateId',
  'jobId',
  'state',
  'end',
  'node',
  'partition',
  'numbers',
  'submittedAt',
  'startedAt',
  'readyAt',
  'account',
  'endsAt',
  'endedAt',
];

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** A CA and a certificate for 127.0.0.1 signed by it, as a site's Redis would have. */
function makeCertificates(dir: string): void {
  const openssl = (...args: string[]): void => {
    const made = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8', timeout: 20_000 });
    if (made.status !== 0) throw new Error(`openssl ${args.join(' ')} failed: ${made.stderr}`);
  };
  const key = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl('req', '-x509', ...key, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '1', '-subj', '/CN=porthole test CA');
  openssl('req', ...key, '-keyout', 'redis.key', '-out', 'redis.csr', '-subj', '/CN=127.0.0.1');
  writeFileSync(join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1\n');
  openssl(
    'x509',
    '-req',
    '-in',
    'redis.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'redis.pem',
    '-days',
    '1',
    '-extfile',
    'san.ext',
  );
}

function assertNoSecret(text: string, where: string): void {
  for (const password of [PASSWORD, OTHER_PASSWORD, SENTINEL_PASSWORD, 'wrong-' + PASSWORD])
    assert.ok(!text.includes(password), `${where} shows a password:\n${text}`);
}

describe('Redis with passwords and a per-user ACL', () => {
  const dir = mkdtempSync(join(tmpdir(), 'porthole-redis-acl-'));
  const daemons: ChildProcess[] = [];
  const launched: Session[] = [];
  let redisPort = 0;
  let tlsPort = 0;
  let sentinelPort = 0;
  let admin: Redis;
  // A home of the test user's own for the agent.json cases, so that no other test sees that file.
  let home = '';
  const url = (password: string): string => `redis://${USER}:${password}@127.0.0.1:${redisPort}`;

  function start(name: string, command: string, config: string): void {
    const file = join(dir, `${name}.conf`);
    writeFileSync(file, config, { mode: 0o600 });
    daemons.push(spawn(command, [file], { stdio: 'ignore' }));
  }

  before(async () => {
    installAgent();
    redisPort = await freePort();
    tlsPort = await freePort();
    sentinelPort = await freePort();
    makeCertificates(dir);
    start(
      'redis',
      'redis-server',
      [
        `bind 127.0.0.1\nport ${redisPort}\nsave ""\nappendonly no\ndir ${dir}`,
        `tls-port ${tlsPort}\ntls-cert-file ${dir}/redis.pem\ntls-key-file ${dir}/redis.key\ntls-ca-cert-file ${dir}/ca.pem\ntls-auth-clients no`,
        'user default off',
        userAcl(USER, PASSWORD),
        userAcl('alice', OTHER_PASSWORD),
        // README's read-only user for the site's admins, as `metrics` uses it.
        `user porthole-admin on >${READER_PASSWORD} resetkeys ~porthole:session:* ~porthole:counters:* resetchannels -@all +scan +get +mget +ttl +hgetall`,
        `user admin on >${ADMIN_PASSWORD} ~* &* +@all`,
        // What Sentinel's own documentation gives the user it monitors a master with.
        `user monitor on >${MONITOR_PASSWORD} allchannels -@all +multi +slaveof +ping +exec +subscribe +config|rewrite +role +publish +info +client|setname +client|kill +script|kill`,
        '',
      ].join('\n'),
    );
    admin = new Redis({
      port: redisPort,
      host: '127.0.0.1',
      username: 'admin',
      password: ADMIN_PASSWORD,
      maxRetriesPerRequest: 1,
      retryStrategy: () => 200,
    });
    // Refused connections while the server starts are expected: the wait below asks again.
    admin.on('error', () => undefined);
    await until('redis-server answering', async () => (await admin.ping()) === 'PONG');
    start(
      'sentinel',
      'redis-sentinel',
      [
        `bind 127.0.0.1\nport ${sentinelPort}\ndir ${dir}`,
        `requirepass ${SENTINEL_PASSWORD}`,
        `sentinel monitor ${MASTER_NAME} 127.0.0.1 ${redisPort} 1`,
        `sentinel auth-user ${MASTER_NAME} monitor`,
        `sentinel auth-pass ${MASTER_NAME} ${MONITOR_PASSWORD}`,
        '',
      ].join('\n'),
    );
    const sentinel = new Redis({
      port: sentinelPort,
      host: '127.0.0.1',
      password: SENTINEL_PASSWORD,
      maxRetriesPerRequest: 1,
      retryStrategy: () => 200,
    });
    sentinel.on('error', () => undefined);
    try {
      await until(
        'the sentinel naming the master',
        async () =>
          ((await sentinel.call('SENTINEL', 'get-master-addr-by-name', MASTER_NAME)) as string[] | null)?.[1] === String(redisPort),
      );
    } finally {
      sentinel.disconnect();
    }
    const made = await sshRun('mktemp -d "$HOME/porthole-redis-acl.XXXXXX"');
    assert.equal(made.code, 0, made.stderr);
    home = made.stdout.trim();
  });

  after(async () => {
    await cancelAll(launched);
    if (home) await sshRun(`rm -rf ${shellQuote(home)}`);
    admin?.disconnect();
    for (const child of daemons) {
      if (child.exitCode !== null) continue;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('launches and lists with the password in the URL, and Redis gets the session without its title', async () => {
    const env = { PORTHOLE_REDIS_URL: url(PASSWORD) };
    const launch = await agent(
      ['sessions.launch', 'xterm', '--param', 'runtime=native', '--param', 'hours=0.1', '--param', `title=${TITLE}`, '--json'],
      { env },
    );
    assert.equal(launch.code, 0, launch.stderr);
    const session = JSON.parse(launch.stdout) as Session;
    launched.push(session);
    assertNoSecret(launch.stderr, 'launch');
    const listed = await agent(['sessions.list', '--all', '--json'], { env });
    assert.equal(listed.code, 0, listed.stderr);
    assertNoSecret(listed.stderr, 'list');

    const record = JSON.parse((await admin.get(`porthole:session:${USER}:${session.id}`)) ?? 'null');
    assert.ok(record, 'the launched session is not in Redis');
    assert.ok(!JSON.stringify(record).includes(TITLE), `Redis holds the title: ${JSON.stringify(record)}`);
    assert.equal(record.templateId, 'xterm');
    assert.equal(record.numbers.hours, 0.1);
    // The metrics' counters, under the same ACL: the launch is counted, with no text a person typed.
    const counters = await admin.hgetall(`porthole:counters:${USER}`);
    assert.ok(Object.keys(counters).includes(JSON.stringify(['launch', 'xterm', 'cpu', DEFAULT_ACCOUNT])), JSON.stringify(counters));
    assert.ok(!JSON.stringify(counters).includes(TITLE), `Redis's counters hold the title: ${JSON.stringify(counters)}`);
    // Every session of the user, failed ones included: none carries a reason or a form's text.
    const keys = await admin.keys(`porthole:session:${USER}:*`);
    assert.equal(keys.length, dueInRedis(JSON.parse(listed.stdout) as Session[]).length);
    for (const value of await admin.mget(keys)) {
      const extra = Object.keys(JSON.parse(value as string)).filter((key) => !RECORD_KEYS.includes(key));
      assert.deepEqual(extra, [], `a record in Redis holds more than the registry's fields: ${value}`);
    }
  });

  it('says in doctor and in serve’s log where Redis is, without the password, when the password is wrong', async () => {
    const env = { PORTHOLE_REDIS_URL: url(`wrong-${PASSWORD}`) };
    const doctor = await agent(['doctor', '--json'], { env });
    assert.equal(doctor.code, 0, doctor.stderr);
    const redis = (JSON.parse(doctor.stdout) as DoctorCheck[]).find((c) => c.name === 'redis');
    assert.equal(redis?.status, 'warn');
    assert.match(
      redis?.message ?? '',
      new RegExp(`Redis at redis://${USER}:\\*\\*\\*@127\\.0\\.0\\.1:${redisPort} does not answer: WRONGPASS`),
    );
    assertNoSecret(doctor.stdout + doctor.stderr, 'doctor');

    const serve = serveChannel(env);
    let log = '';
    serve.child.stderr.on('data', (chunk: Buffer) => (log += chunk.toString('utf8')));
    const listed = await serve.call('sessions.list', { all: true });
    assert.ok(Array.isArray(listed.result), JSON.stringify(listed.error));
    assert.equal(await serve.close(), 0);
    assert.match(log, new RegExp(`Redis at redis://${USER}:\\*\\*\\*@127\\.0\\.0\\.1:${redisPort} cannot be reached \\(WRONGPASS`));
    assertNoSecret(log, 'serve’s log');
  });

  it('gives an admin with README’s read-only ACL the site metrics, launches included, and shows the password nowhere', async () => {
    const reader = `redis://porthole-admin:${READER_PASSWORD}@127.0.0.1:${redisPort}`;
    const metrics = await agent(['metrics'], { env: { PORTHOLE_REDIS_URL: reader } });
    assert.equal(metrics.code, 0, metrics.stderr);
    assert.match(
      metrics.stdout,
      new RegExp(`^porthole_session_launches_total\\{template="xterm",partition="cpu",account="${DEFAULT_ACCOUNT}"\\} [1-9]`, 'm'),
    );
    assert.match(metrics.stdout, /^porthole_registry_unreadable_entries 0$/m);
    assert.ok(!(metrics.stdout + metrics.stderr).includes(READER_PASSWORD), 'metrics shows the admin’s password');
    assert.doesNotMatch(metrics.stderr, /NOPERM/, 'metrics sends a command README’s admin ACL does not allow');
  });

  it('answers doctor with the right password, and shows it nowhere', async () => {
    const doctor = await agent(['doctor', '--json'], { env: { PORTHOLE_REDIS_URL: url(PASSWORD) } });
    assert.equal(doctor.code, 0, doctor.stderr);
    const redis = (JSON.parse(doctor.stdout) as DoctorCheck[]).find((c) => c.name === 'redis');
    assert.deepEqual([redis?.status, redis?.message], ['ok', `Redis at redis://${USER}:***@127.0.0.1:${redisPort} answers.`]);
    assertNoSecret(doctor.stdout + doctor.stderr, 'doctor');
  });

  it('lets a user with README’s ACL write their own sessions, and neither read nor write another user’s', async () => {
    await admin.set(`porthole:session:alice:20261130-150000-aaaaa`, '{"user":"alice"}', 'EX', 600);
    const asUser = new Redis({
      port: redisPort,
      host: '127.0.0.1',
      username: USER,
      password: PASSWORD,
      lazyConnect: true,
      maxRetriesPerRequest: 1,
    });
    try {
      await asUser.connect();
      await assert.rejects(asUser.get(`porthole:session:alice:20261130-150000-aaaaa`), /NOPERM/);
      await assert.rejects(asUser.set(`porthole:session:alice:20261130-150000-aaaaa`, 'taken over'), /NOPERM/);
      await assert.rejects(asUser.keys('porthole:session:*'), /NOPERM/);
      assert.deepEqual(await asUser.multi().set(`porthole:session:${USER}:20261130-150000-bbbbb`, '{}', 'EX', 60).exec(), [[null, 'OK']]);
    } finally {
      asUser.disconnect();
    }
    assert.equal(await admin.get(`porthole:session:alice:20261130-150000-aaaaa`), '{"user":"alice"}');
  });

  describe('with agent.json', () => {
    const writeConfig = async (config: unknown, mode: string): Promise<void> => {
      const file = `${home}/.porthole/agent.json`;
      const written = await sshRun(
        `mkdir -p ${shellQuote(`${home}/.porthole`)} && cat > ${shellQuote(file)} && chmod ${mode} ${shellQuote(file)}`,
        { input: JSON.stringify(config) },
      );
      assert.equal(written.code, 0, written.stderr);
    };
    const sentinelConfig = (sentinelPassword?: string) => ({
      redis: {
        sentinels: [{ host: '127.0.0.1', port: sentinelPort }],
        masterName: MASTER_NAME,
        username: USER,
        password: PASSWORD,
        ...(sentinelPassword && { sentinelPassword }),
      },
    });
    const doctor = async (): Promise<{ checks: DoctorCheck[]; stderr: string }> => {
      const result = await agent(['doctor', '--json'], { env: { HOME: home } });
      assert.equal(result.code, 0, result.stderr);
      assertNoSecret(result.stdout + result.stderr, 'doctor');
      return { checks: JSON.parse(result.stdout) as DoctorCheck[], stderr: result.stderr };
    };

    it('reaches the master through a Sentinel that asks for its own password, given as sentinelPassword', async () => {
      await writeConfig(sentinelConfig(SENTINEL_PASSWORD), '600');
      const { checks } = await doctor();
      assert.deepEqual(checks.find((c) => c.name === 'redis')?.status, 'ok', JSON.stringify(checks.find((c) => c.name === 'redis')));
      await writeConfig(sentinelConfig(), '600');
      const without = (await doctor()).checks.find((c) => c.name === 'redis');
      assert.equal(without?.status, 'warn', 'the Sentinel answered without its password: this test proves nothing');
    });

    it('speaks TLS to a rediss:// URL and checks Redis’s certificate against tls.caFile', async () => {
      const caFile = `${home}/site-ca.pem`;
      const copied = await sshRun(`cat > ${shellQuote(caFile)}`, { input: readFileSync(join(dir, 'ca.pem'), 'utf8') });
      assert.equal(copied.code, 0, copied.stderr);
      const tlsUrl = `rediss://127.0.0.1:${tlsPort}`;
      await writeConfig({ redis: { url: tlsUrl, username: USER, password: PASSWORD, tls: { caFile } } }, '600');
      const trusted = (await doctor()).checks.find((c) => c.name === 'redis');
      assert.deepEqual([trusted?.status, trusted?.message], ['ok', `Redis at ${tlsUrl} answers.`]);
      await writeConfig({ redis: { url: tlsUrl, username: USER, password: PASSWORD } }, '600');
      const untrusted = (await doctor()).checks.find((c) => c.name === 'redis');
      assert.equal(untrusted?.status, 'warn');
      assert.match(untrusted?.message ?? '', /does not answer: .*(self[- ]signed|unable to verify|certificate)/i);
    });

    it('warns in doctor and in the log when agent.json is readable by others, and not when it is 0600', async () => {
      await writeConfig(sentinelConfig(SENTINEL_PASSWORD), '644');
      const open = await doctor();
      const check = open.checks.find((c) => c.name === 'agent.json');
      assert.equal(check?.status, 'warn');
      assert.match(check?.message ?? '', /agent\.json has mode 0644: other users can read it, and it may hold your Redis password/);
      assert.match(open.stderr, /porthole-agent: .*agent\.json has mode 0644/);

      await writeConfig(sentinelConfig(SENTINEL_PASSWORD), '600');
      const closed = await doctor();
      assert.equal(closed.checks.find((c) => c.name === 'agent.json')?.status, 'ok');
      assert.doesNotMatch(closed.stderr, /agent\.json has mode/);
    });
  });
});
