// The site metrics end to end: real sessions launched by the agent on the test cluster write
// their records and counters to the cluster's Redis, `metrics` prints them in a form `promtool
// check metrics` accepts, and a real Prometheus (Debian's) scraping `metrics --listen` answers
// its query API with the counts of those sessions. The test's agent has a home of its own (so
// that no other test's sessions are counted) and writes to a Redis database of its own.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Redis from 'ioredis';
import type { Session } from '../../../agent/protocol';
import { dashboardQueries } from '../../unit/agent/grafana-dashboard-queries';
import { loadTestCluster, projectRoot, shellQuote, sshRun, tempDir } from '../fixture';
import { agent, cancelAll, installAgent } from './agent-harness';

// Redis's database 9 on the cluster's Redis is this test's alone: every other test writes to 0.
const REDIS_DB = 9;
const TITLE = `Quarterly figures ${randomBytes(4).toString('hex')}`;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function until<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs} ms (last error: ${String(last)})`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

async function stop(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  process.kill(child.pid as number, 'SIGTERM');
  await exited;
}

describe('site metrics scraped by a real Prometheus', () => {
  const cluster = loadTestCluster();
  const redisUrl = `${cluster.redis.url}/${REDIS_DB}`;
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  const launched: Session[] = [];
  const local = tempDir('metrics');
  let home = '';
  let exporter: ChildProcess | undefined;
  let prometheus: ChildProcess | undefined;
  let prometheusPort = 0;
  const env = (): Record<string, string> => ({ HOME: home, PORTHOLE_REDIS_URL: redisUrl });
  const show = async (id: string): Promise<Session> => {
    const shown = await agent(['sessions.show', id, '--json'], { env: env() });
    assert.equal(shown.code, 0, shown.stderr);
    return JSON.parse(shown.stdout) as Session;
  };

  before(async () => {
    installAgent();
    await redis.connect();
    await redis.flushdb();
    const made = await sshRun('mktemp -d "$HOME/porthole-metrics.XXXXXX"');
    assert.equal(made.code, 0, made.stderr);
    home = made.stdout.trim();
  });

  after(async () => {
    await stop(prometheus);
    await stop(exporter);
    await cancelAll(launched);
    if (home) await sshRun(`rm -rf ${shellQuote(home)}`);
    await redis.flushdb().catch(() => undefined);
    redis.disconnect();
  });

  it('counts the sessions the agent launched, and Prometheus’s query API returns those counts', async () => {
    const launch = async (): Promise<Session> => {
      const result = await agent(
        ['sessions.launch', 'xterm', '--param', 'runtime=native', '--param', 'hours=0.1', '--param', `title=${TITLE}`, '--json'],
        { env: env() },
      );
      assert.equal(result.code, 0, result.stderr);
      const session = JSON.parse(result.stdout) as Session;
      launched.push(session);
      return session;
    };
    const kept = await launch();
    const cancelled = await launch();
    assert.equal((await agent(['sessions.cancel', cancelled.id], { env: env() })).code, 0);
    await until('the kept session to be ready', async () => ((await show(kept.id)).state === 'ready' ? true : undefined));
    // Its end is counted once it is settled: the job's `ended` file, or 10 s after Slurm's word.
    const cancelledEnd = await until('the cancelled session to end for good', async () => {
      const session = await show(cancelled.id);
      const final = await sshRun(`grep -q '"final"' ${shellQuote(`${home}/.porthole/sessions/${cancelled.id}/session.json`)}`);
      return session.state === 'ended' && final.code === 0 ? session : undefined;
    });
    assert.equal(cancelledEnd.end, 'cancelled');
    const readyCount = [await show(kept.id), cancelledEnd].filter((s) => s.readyAt).length;

    const printed = await agent(['metrics'], { env: env() });
    assert.equal(printed.code, 0, printed.stderr);
    const promtool = spawnSync('promtool', ['check', 'metrics'], { input: printed.stdout, encoding: 'utf8' });
    assert.equal(promtool.status, 0, `promtool check metrics refused the output:\n${promtool.stdout}${promtool.stderr}\n${printed.stdout}`);
    const defaultAccount = cluster.slurm.accounts.find((account) => account.default)!.name;
    assert.match(
      printed.stdout,
      new RegExp(`^porthole_sessions\\{state="ready",template="xterm",partition="cpu",account="${defaultAccount}"\\} 1$`, 'm'),
    );

    const exporterPort = await freePort();
    exporter = spawn('node', [join(projectRoot, 'dist/agent.cjs'), 'metrics', '--listen', `127.0.0.1:${exporterPort}`], {
      env: { ...process.env, HOME: local, PORTHOLE_REDIS_URL: redisUrl },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    prometheusPort = await freePort();
    writeFileSync(
      join(local, 'prometheus.yml'),
      [
        'global:',
        '  scrape_interval: 1s',
        'scrape_configs:',
        '  - job_name: porthole',
        '    static_configs:',
        `      - targets: ['127.0.0.1:${exporterPort}']`,
        '',
      ].join('\n'),
    );
    prometheus = spawn(
      'prometheus',
      [
        `--config.file=${join(local, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(local, 'data')}`,
        `--web.listen-address=127.0.0.1:${prometheusPort}`,
      ],
      { stdio: 'ignore' },
    );
    const query = async (expression: string): Promise<Record<string, number>> => {
      const response = await fetch(`http://127.0.0.1:${prometheusPort}/api/v1/query?query=${encodeURIComponent(expression)}`);
      const body = (await response.json()) as { data: { result: { metric: Record<string, string>; value: [number, string] }[] } };
      return Object.fromEntries(body.data.result.map((r) => [JSON.stringify(r.metric), Number(r.value[1])]));
    };
    const scraped = await until('Prometheus to have scraped the agent', async () => {
      const up = await query('up{job="porthole"}');
      return Object.values(up)[0] === 1 ? up : undefined;
    });
    assert.ok(scraped);

    assert.deepEqual(await query('sum by (state) (porthole_sessions)'), { [JSON.stringify({ state: 'ready' })]: 1 });
    assert.deepEqual(await query('porthole_active_users'), {
      [JSON.stringify({ __name__: 'porthole_active_users', instance: `127.0.0.1:${exporterPort}`, job: 'porthole' })]: 1,
    });
    assert.deepEqual(await query('sum by (template, partition) (porthole_session_launches_total)'), {
      [JSON.stringify({ partition: 'cpu', template: 'xterm' })]: 2,
    });
    assert.deepEqual(await query('sum by (end) (porthole_sessions_ended_total)'), { [JSON.stringify({ end: 'cancelled' })]: 1 });
    assert.deepEqual(await query('sum(porthole_session_ready_seconds_count)'), { '{}': readyCount });
    const fast = await query('sum(porthole_session_ready_seconds_bucket{le="60"})');
    assert.equal(fast['{}'], readyCount, 'a session on the idle test cluster took more than a minute to be ready');

    // Grafana puts the dashboard's range where $__range is.
    for (const { panel, expr } of dashboardQueries()) {
      const url = `http://127.0.0.1:${prometheusPort}/api/v1/query?query=${encodeURIComponent(expr.replaceAll('$__range', '1h'))}`;
      const answer = (await (await fetch(url)).json()) as { status: string; error?: string };
      assert.equal(answer.status, 'success', `Prometheus refused panel '${panel}': ${expr}: ${answer.error}`);
    }
  });

  it('keeps no secret and no text a person typed in the registry, counters included', async () => {
    const values: string[] = [];
    for (const key of await redis.keys('*')) {
      values.push(key, (await redis.type(key)) === 'hash' ? JSON.stringify(await redis.hgetall(key)) : ((await redis.get(key)) ?? ''));
    }
    assert.ok(
      values.some((value) => value.startsWith('porthole:counters:')),
      `no counters were written: ${values.join('\n')}`,
    );
    // The cancelled session's password went with its end (tidy homes); the kept one's is there.
    const passwords = await sshRun(`cat ${shellQuote(home)}/.porthole/sessions/*/vnc-password 2>/dev/null`);
    const secrets = passwords.stdout.split('\n').filter(Boolean);
    assert.ok(secrets.length >= 1, 'the sessions have no VNC passwords to look for: this test proves nothing');
    for (const text of [...secrets, TITLE]) assert.ok(!values.join('\n').includes(text), `the registry holds '${text}'`);
  });
});
