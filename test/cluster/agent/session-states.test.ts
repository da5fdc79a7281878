// A session's life as a person sees it in `list`/`show`, on the real cluster: queued with the
// pending reason while the node is full, ready, timeout at its 1-minute limit, failed with its
// log when the server cannot start, lost when Slurm forgot the job and the folder has no trace.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Session } from '../../../agent/protocol';
import { projectRoot, sshRun } from '../fixture';
import { agent, agentJson, cancelAll, installAgent, launch, waitForSession } from './agent-harness';

describe('session states on the real cluster', () => {
  const started: (Session | undefined)[] = [];
  let timeLimited: Session;

  before(async () => {
    installAgent([`${projectRoot}/test/cluster/agent/templates/broken-server`]);
    // Started first: its one minute runs while the other cases do.
    timeLimited = await launch('vnc-desktop', { hours: '0.0166', runtime: 'native' });
    started.push(timeLimited);
    await waitForSession(timeLimited.id, (s) => s.state !== 'submitted' && s.state !== 'queued', 30_000);
  });

  after(() => cancelAll(started));

  it('shows the pending reason while the node is full, then becomes ready', async () => {
    // Other tests may run jobs on node01 too: take every CPU that is idle rather than the whole node.
    const idle = Number((await sshRun('sinfo -h -n node01 -o %C')).stdout.trim().split('/')[1]);
    assert.ok(idle > 0, 'node01 has no idle CPU to fill');
    const filler = await sshRun(
      `sbatch --parsable --cpus-per-task=${idle} --mem=1G --job-name=porthole-test-filler --output=/dev/null --wrap "sleep 300"`,
    );
    assert.equal(filler.code, 0, filler.stderr);
    const fillerJob = filler.stdout.trim();
    try {
      // Whether the filler runs or waits itself, a session submitted after it has to wait.
      const waiting = await launch('xterm', { hours: '0.25', runtime: 'native' });
      started.push(waiting);
      const queued = await waitForSession(waiting.id, (s) => s.state === 'queued', 30_000);
      assert.match(queued.reason ?? '', /Waiting|waiting/);
      assert.match(queued.reason ?? '', /Slurm: (Resources|Priority)/);
      await sshRun(`scancel ${fillerJob}`);
      const ready = await waitForSession(waiting.id, (s) => s.state === 'ready' || s.state === 'ended', 60_000);
      assert.equal(ready.state, 'ready', JSON.stringify(ready));
      assert.equal(ready.node, 'node01');
    } finally {
      await sshRun(`scancel ${fillerJob}`);
    }
  });

  it('fails with the log as its reason when the server cannot start', async () => {
    const broken = await launch('broken-server', { hours: '0.1' });
    started.push(broken);
    const ended = await waitForSession(broken.id, (s) => s.state === 'ended', 60_000);
    assert.equal(ended.end, 'failed');
    assert.match(ended.reason ?? '', /Unrecognized option: -no-such-option-porthole-test/);
    const logs = await agentJson<{ text: string }>(['sessions.logs', broken.id, '--lines', '1000']);
    assert.match(logs.text, /starting a server that cannot start/);
  });

  it('is lost when Slurm no longer knows the job and its folder has no trace', async () => {
    const id = '20200101-000000-lostx';
    const record = { id, templateId: 'vnc-desktop', jobId: '999999', values: {}, submittedAt: '2020-01-01T00:00:00.000Z' };
    const made = await sshRun(`d=~/.porthole/sessions/${id}; rm -rf "$d"; mkdir -p -m 700 "$d" && cat > "$d/session.json"`, {
      input: JSON.stringify(record),
    });
    assert.equal(made.code, 0, made.stderr);
    const session = await agentJson<Session>(['sessions.show', id]);
    assert.equal(session.state, 'ended');
    assert.equal(session.end, 'lost');
    const listed = await agentJson<Session[]>(['sessions.list', '--all']);
    assert.ok(listed.some((s) => s.id === id && s.end === 'lost'));
  });

  it('answers an unknown session and a bad value with exit 2 and a message naming the field', async () => {
    const unknown = await agent(['sessions.show', 'no-such-session']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /no session 'no-such-session'/);
    const bad = await agent(['sessions.launch', 'vnc-desktop', '--param', 'partition=gpux']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /partition: "gpux" is not allowed; .*choose one of: cpu, gpu/);
  });

  it('ends as timeout at its one-minute limit', { timeout: 240_000 }, async () => {
    const ended = await waitForSession(timeLimited.id, (s) => s.state === 'ended', 200_000);
    assert.equal(ended.end, 'timeout', JSON.stringify(ended));
  });
});
