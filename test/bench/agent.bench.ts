// The agent's figures on the local test cluster:
//   slurmctld RPCs per poll (sdiag, the test user's count) with 1, 10 and 50 sessions: goal 1 squeue, flat;
//   launch → ready of vnc-desktop through `serve` (the session.changed the app gets), next to the
//   floor in the same run (sbatch → Xvnc answering in a bare job, in pairs: launch-floor.ts);
//   agent cold start: `node agent.cjs hello` round trip on the login node;
//   a poll of `serve` with a long history: 2,000 ended sessions in the folder.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SessionRegistry } from '../../agent/redis-registry';
import { SessionFiles } from '../../agent/session-files';
import { SessionService } from '../../agent/session-service';
import type { Slurm } from '../../agent/slurm';
import { buildCatalog } from '../../agent/template-loader';
import type { Session } from '../../agent/protocol';
import { installAgent, AGENT_FILE, serveChannel } from '../cluster/agent/agent-harness';
import { loadTestCluster, sshRun } from '../cluster/fixture';
import { inFloorPairs } from './launch-floor';
import { median, type Bench, type BenchContext } from './figures';

async function login(script: string, timeoutMs = 300_000): Promise<string> {
  const result = await sshRun('bash -s', { input: `set -euo pipefail\nA=~/${AGENT_FILE}\n${script}`, timeoutMs });
  if (result.code !== 0) throw new Error(`bench script failed (exit ${result.code}): ${result.stderr}`);
  return result.stdout;
}

// Sessions whose jobs are real (sleeping) jobs, in a HOME of their own so nothing else is counted.
const rpcPerPoll = (sessions: number) => `
home=$(mktemp -d "$HOME/.bench-agent.XXXXXX")
jobs=()
for i in $(seq ${sessions}); do jobs+=("$(sbatch --parsable -c1 --mem=16M -t 5 --job-name=bench-agent --output=/dev/null --wrap 'sleep 120')"); done
mkdir -p -m 700 "$home/.porthole/sessions"
i=0
for job in "\${jobs[@]}"; do
  i=$((i+1)); id="20261123-000000-b$(printf %04d "$i")"
  mkdir -m 700 "$home/.porthole/sessions/$id"
  printf '{"id":"%s","templateId":"vnc-desktop","jobId":"%s","values":{},"submittedAt":"%s"}' "$id" "$job" "$(date -u +%Y-%m-%dT%H:%M:%S.000Z)" >"$home/.porthole/sessions/$id/session.json"
done
# "<all RPCs but sdiag's own> <job-query RPCs>" summed over message types (all users: take the min).
rpcs() { sdiag | awk '/by message type/{f=1} /by user/{f=0} f && $1 ~ /^REQUEST_|^MESSAGE_/ && $1 != "REQUEST_STATS_INFO" {n=$4; sub("count:","",n); t+=n; if ($1 ~ /^REQUEST_JOB_(USER_)?INFO/) j+=n} END {print t, j}'; }
for poll in 1 2 3 4 5; do
  read -r t0 j0 < <(rpcs); HOME="$home" node "$A" sessions.list --all --json >/dev/null; read -r t1 j1 < <(rpcs)
  echo $((t1 - t0)) $((j1 - j0))
done
scancel "\${jobs[@]}"; rm -rf "$home"
`;

const coldStart = `for i in $(seq 10); do t0=$(date +%s%N); node "$A" hello --json >/dev/null; echo $(( ($(date +%s%N) - t0) / 1000 )); done`;

const bench: Bench = async (context) => {
  installAgent();
  for (const sessions of [1, 10, 50]) {
    const polls = (await login(rpcPerPoll(sessions)))
      .trim()
      .split('\n')
      .map((line) => line.split(' ').map(Number));
    context.note(
      `${sessions} sessions, 5 polls, [all RPCs, job-query RPCs] each: ${polls.map(([t, j]) => `[${t}, ${j}]`).join(' ')} (one squeue = partition + federation + job info; other users' traffic may add to a poll)`,
    );
    const plural = sessions > 1 ? 's' : '';
    context.figure({
      name: `slurmctld job-query RPCs (squeue) per poll, ${sessions} session${plural} (min of 5)`,
      value: Math.min(...polls.map(([, j]) => j)),
      unit: 'RPC',
      goal: '1, flat',
    });
    context.figure({
      name: `slurmctld RPCs of all types per poll, ${sessions} session${plural} (min of 5)`,
      value: Math.min(...polls.map(([t]) => t)),
      unit: 'RPC',
      goal: 'flat',
    });
  }
  await launchFigures(context);
  const cold = (await login(coldStart))
    .trim()
    .split('\n')
    .map((micros) => Number(micros) / 1000);
  context.figure({ name: 'agent cold start, hello round trip on the login node (median of 10)', value: median(cold), unit: 'ms' });
  await longHistoryPoll(context);
};
export default bench;

const HISTORY = 2000;

/**
 * The session list a `serve` poll makes, in-process on this machine's disk, with HISTORY ended
 * sessions and one open one. The first poll reads every record (as every poll did before ended
 * records were kept in memory); later ones read only the open session.
 */
async function longHistoryPoll(context: BenchContext): Promise<void> {
  const home = mkdtempSync(join(tmpdir(), 'porthole-bench-history-'));
  try {
    const files = new SessionFiles(home);
    for (let i = 0; i < HISTORY; i++) {
      const id = `20250101-${String(i).padStart(6, '0')}-bench`;
      const submittedAt = '2025-01-01T00:00:00.000Z';
      files.create(id);
      files.writeRecord({
        id,
        templateId: 'vnc-desktop',
        jobId: String(1000 + i),
        values: { hours: '1' },
        submittedAt,
        final: {
          id,
          templateId: 'vnc-desktop',
          jobId: String(1000 + i),
          values: { hours: '1' },
          state: 'ended',
          end: 'cancelled',
          submittedAt,
          endedAt: '2025-01-01T01:00:00.000Z',
          reason: 'The session was cancelled.',
        },
      });
    }
    files.create('20261124-000000-open0');
    files.writeRecord({
      id: '20261124-000000-open0',
      templateId: 'vnc-desktop',
      jobId: '1',
      values: {},
      submittedAt: new Date().toISOString(),
    });
    const slurm = {
      myJobs: async () => [{ jobId: '1', state: 'PENDING', reason: 'Resources', nodes: '', name: 'porthole' }],
      showJob: async () => undefined,
    } as unknown as Slurm;
    // A registry that counts what it is given stands in for Redis (its own round trip is not timed).
    let registered = 0;
    const registry: SessionRegistry = {
      publish: async (sessions) => ((registered += sessions.length), true),
      status: () => ({ configured: true, healthy: true, message: '' }),
      close: async () => undefined,
    };
    const service = new SessionService({ slurm, files, catalog: buildCatalog([]), jobLibrary: '', registry, now: () => new Date() });
    const timed = async () => {
      registered = 0;
      const started = performance.now();
      await service.list();
      return [performance.now() - started, registered];
    };
    const [first, firstRegistered] = await timed();
    const later: number[][] = [];
    for (let i = 0; i < 10; i++) later.push(await timed());
    context.note(
      `${HISTORY} ended sessions and 1 open in a session folder on this machine's disk (an NFS home pays a round trip per file read); later polls: median of 10`,
    );
    context.figure({
      name: `agent poll in serve, ${HISTORY} ended sessions in the folder, after its first poll`,
      value: median(later.map(([ms]) => ms)),
      unit: 'ms',
      baseline: { name: 'first poll (reads every record)', value: first },
    });
    context.figure({
      name: `sessions written to Redis per poll in serve, ${HISTORY} ended sessions, nothing changed`,
      value: median(later.map(([, n]) => n)),
      unit: 'sessions',
      baseline: { name: 'first poll', value: firstRegistered },
    });
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

const LAUNCHES = 6;

/**
 * Launches of vnc-desktop through one `serve`, as the app makes them, each timed from the call to
 * the session.changed that says ready; the steps in between from the notifications and the
 * job's connection.json (written when Xvnc answers; the shared home is this machine's disk).
 */
async function launchFigures(context: BenchContext): Promise<void> {
  const home = loadTestCluster().ssh.home;
  const serve = serveChannel();
  try {
    const hello = await serve.call('hello', {});
    if (hello.error) throw new Error(`serve did not answer hello: ${hello.error.message}`);
    const toReady: number[] = [];
    const steps = { toSubmitted: [] as number[], toStarting: [] as number[], toConnectionFile: [] as number[], toNotified: [] as number[] };
    const floorRuns = await inFloorPairs(LAUNCHES, 'greeting', async () => {
      const started = Date.now();
      const launched = await serve.call('sessions.launch', { templateId: 'vnc-desktop', values: {} });
      if (launched.error) throw new Error(`sessions.launch failed: ${launched.error.message}`);
      const submitted = Date.now();
      const session = launched.result as Session;
      const seen = new Map<string, number>();
      for (let i = 0; i < 6000 && !seen.has('ready'); i++) {
        for (const note of serve.notes.splice(0))
          if (note.params.id === session.id && !seen.has(note.params.state)) seen.set(note.params.state, Date.now());
        if (!seen.has('ready')) await new Promise((r) => setTimeout(r, 2));
      }
      const ready = seen.get('ready');
      if (ready === undefined) throw new Error(`session ${session.id} was not ready within 12 s: ${JSON.stringify([...seen])}`);
      const written = statSync(join(home, '.porthole/sessions', session.id, 'connection.json')).mtimeMs;
      toReady.push(ready - started);
      steps.toSubmitted.push(submitted - started);
      steps.toStarting.push((seen.get('starting') ?? Number.NaN) - started);
      steps.toConnectionFile.push(written - started);
      steps.toNotified.push(ready - written);
      await serve.call('sessions.cancel', { id: session.id });
      return session.jobId;
    });
    const floors = floorRuns.map((run) => run.ms);
    const each = (values: number[]) => values.map((v) => v.toFixed(0)).join(', ');
    const m = (values: number[]) => median(values.filter(Number.isFinite)).toFixed(0);
    context.note(
      `${LAUNCHES} launches and ${LAUNCHES} floor jobs in pairs (floor first, then launch first, …), each after the other's job left the queue: launches ${each(toReady)} ms; floors ${each(floors)} ms; launch − floor per pair: ${each(toReady.map((ms, i) => ms - floors[i]))} ms, median ${m(toReady.map((ms, i) => ms - floors[i]))} ms`,
    );
    context.note(
      `launch steps from the call (medians): sbatch done (launch answered) ${m(steps.toSubmitted)} ms, 'starting' notified ${m(steps.toStarting)} ms, connection.json written ${m(steps.toConnectionFile)} ms, 'ready' notified ${m(steps.toNotified)} ms after it`,
    );
    context.figure({
      name: 'launch → ready, vnc-desktop native, through serve (median)',
      value: median(toReady),
      unit: 'ms',
      baseline: { name: 'floor: sbatch → Xvnc answering', value: median(floors), compare: 'difference' },
    });
  } finally {
    await serve.close();
  }
}
