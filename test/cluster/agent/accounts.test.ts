// Slurm accounting on the test cluster (slurmdbd): the user's accounts and QOS as cluster.info
// gives them, launches that run under the account and QOS chosen (as sacct records them), the
// field errors that submit nothing, and a job.sh starting `#!/bin/bash -l` running as a login shell.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ClusterInfo, Session } from '../../../agent/protocol';
import { loadTestCluster, projectRoot, sshRun } from '../fixture';
import { agent, agentJson, cancelAll, installAgent } from './agent-harness';

// The test template's folder, read by the agent through PORTHOLE_TEMPLATE_DIRS: no other test's agent sees it.
const env = { PORTHOLE_TEMPLATE_DIRS: `${projectRoot}/test/cluster/agent/templates` };
const TEMPLATE = 'accounts-login-shell';

/** What test/cluster/up set up in slurmdbd. */
const contract = loadTestCluster().slurm;

const launched: Session[] = [];
after(() => cancelAll(launched));
before(() => installAgent());

async function launch(params: Record<string, string>) {
  const args = ['sessions.launch', TEMPLATE, ...Object.entries(params).flatMap(([k, v]) => ['--param', `${k}=${v}`]), '--json'];
  const result = await agent(args, { env });
  if (result.code === 0) launched.push(JSON.parse(result.stdout) as Session);
  return result;
}

/** sacct's account and QOS of a job; slurmdbd hears of a job (and then of its QOS, `Unknown` until then) a moment after sbatch. */
async function accountingOf(jobId: string): Promise<string> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const row = (await sshRun(`sacct -j ${jobId} -X -n -P -o account,qos`)).stdout.trim();
    if ((row && !row.includes('Unknown')) || Date.now() > deadline) return row;
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

async function sessionsOfTemplate(): Promise<string[]> {
  const all = await agentJson<Session[]>(['sessions.list', '--all'], { env });
  return all.filter((s) => s.templateId === TEMPLATE).map((s) => s.id);
}

describe('Slurm accounts and QOS', () => {
  it("cluster.info lists the user's accounts, the default first, each with its QOS and their MaxWall", async () => {
    const info = await agentJson<ClusterInfo>(['cluster.info']);
    assert.deepEqual(
      info.accounts.map((a) => ({ name: a.name, default: a.isDefault, qos: [...a.qos].sort() })),
      [...contract.accounts]
        .sort((a, b) => Number(b.default) - Number(a.default))
        .map((a) => ({ name: a.name, default: a.default, qos: [...a.qos].sort() })),
    );
    for (const qos of contract.qos) assert.equal(info.qos.find((q) => q.name === qos.name)?.maxWallMinutes, qos.maxWallMinutes, qos.name);
  });

  it('a launch with account=chem runs under chem', async () => {
    const result = await launch({ account: 'chem' });
    assert.equal(result.code, 0, result.stderr);
    const session = JSON.parse(result.stdout) as Session;
    assert.equal(session.values.account, 'chem');
    assert.equal(await accountingOf(session.jobId), 'chem|normal');
  });

  it('an account the user lacks is a field error naming the allowed ones, and nothing is submitted', async () => {
    const before = await sessionsOfTemplate();
    const result = await launch({ account: 'biology' });
    assert.equal(result.code, 2, result.stdout);
    const error = JSON.parse(result.stderr).error as { message: string; data: { field: string; allowed: string } };
    assert.equal(error.data.field, 'account');
    assert.match(error.data.allowed, /choose one of: physics, chem/);
    assert.deepEqual(await sessionsOfTemplate(), before);
  });

  it("a QOS's MaxWall bounds hours: above it is a field error, within it the job runs under that QOS", async () => {
    const over = await launch({ account: 'physics', qos: 'debug', hours: '1' });
    assert.equal(over.code, 2, over.stdout);
    const error = JSON.parse(over.stderr).error as { data: { field: string; allowed: string } };
    assert.equal(error.data.field, 'hours');
    assert.match(error.data.allowed, /at most 0\.5 \(30 minutes, the MaxWall of QOS 'debug'\)/);

    const within = await launch({ account: 'physics', qos: 'debug', hours: '0.5' });
    assert.equal(within.code, 0, within.stderr);
    assert.equal(await accountingOf((JSON.parse(within.stdout) as Session).jobId), 'physics|debug');
  });

  it('a partition closed to the chosen account (AllowAccounts) is a field error', async () => {
    const closed = contract.partitions.find((p) => p.name === 'gpu')!;
    const result = await launch({ account: 'chem', partition: closed.name });
    assert.equal(result.code, 2, result.stdout);
    const error = JSON.parse(result.stderr).error as { data: { field: string; allowed: string } };
    assert.equal(error.data.field, 'partition');
    assert.match(error.data.allowed, /open to account 'chem'; choose one of: cpu/);
  });

  it('a QOS the chosen account does not allow is a field error', async () => {
    const result = await launch({ account: 'chem', qos: 'debug', hours: '0.25' });
    assert.equal(result.code, 2, result.stdout);
    assert.equal((JSON.parse(result.stderr).error as { data: { field: string } }).data.field, 'qos');
  });
});

describe("the template's own shebang", () => {
  it('a job.sh starting #!/bin/bash -l runs as a login shell', async () => {
    const result = await launch({});
    assert.equal(result.code, 0, result.stderr);
    const session = JSON.parse(result.stdout) as Session;
    const file = `~/.porthole/sessions/${session.id}/login-shell`;
    const deadline = Date.now() + 30_000;
    let answer = '';
    while (!answer && Date.now() < deadline) {
      answer = (await sshRun(`cat ${file} 2>/dev/null`)).stdout.trim();
      if (!answer) await new Promise((resolve) => setTimeout(resolve, 300));
    }
    assert.equal(answer, 'yes');
  });
});
