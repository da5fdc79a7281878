// The agent's figures on the local test cluster:
//   slurmctld RPCs per poll (sdiag, the test user's count) with 1, 10 and 50 sessions: goal 1 squeue, flat;
//   launch → ready of vnc-desktop, next to its floor measured in the same run (sbatch → RUNNING,
//   plus Xvnc started alone, as the job starts it, until it reports its display);
//   agent cold start: `node agent.cjs hello` round trip on the login node;
//   a poll of `serve` with a long history: 2,000 ended sessions in the folder.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SessionRegistry } from '../../agent/redis-registry';
import { SessionFiles } from '../../agent/session-files';
import { SessionService } from '../../agent/session-service';
import type { Slurm } from '../../agent/slurm';
import { buildCatalog } from '../../agent/template-loader';
import { installAgent, AGENT_FILE } from '../cluster/agent/agent-harness';
import { sshRun } from '../cluster/fixture';
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

const launchToReady = `
for run in 1 2 3; do
  t0=$(date +%s%N)
  id=$(node "$A" sessions.launch vnc-desktop --param hours=0.1 --json | node -pe 'JSON.parse(require("fs").readFileSync(0, "utf8")).id')
  until node "$A" sessions.show "$id" --json | grep -q '"state": "ready"'; do
    [ $(( ($(date +%s%N) - t0) / 1000000000 )) -lt 60 ] || { echo "session $id not ready after 60 s" >&2; exit 1; }
  done
  t1=$(date +%s%N)
  node "$A" sessions.cancel "$id" >/dev/null
  # The floor: sbatch → RUNNING, then Xvnc alone in a bare job, on its own Unix socket, until it
  # reports its display (-displayfd), which is when the job library takes it as started.
  m=$(mktemp -d "$HOME/.bench-floor.XXXXXX")
  s0=$(date +%s%N)
  job=$(sbatch --parsable -t 5 --output=/dev/null --wrap "exec bash -c 'date +%s%N >$m/start; Xvnc -displayfd 3 -rfbport -1 -rfbunixpath $m/vnc.sock -nolisten tcp -SecurityTypes None 3>$m/display 2>/dev/null & until [ -s $m/display ]; do sleep 0.02; done; date +%s%N >$m/up; wait'")
  for _ in $(seq 3000); do [ "$(squeue -h -j "$job" -o %T)" = RUNNING ] && break; done
  s1=$(date +%s%N)
  for _ in $(seq 1500); do [ -e "$m/up" ] && break; sleep 0.02; done
  echo $(( (t1 - t0) / 1000 )) $(( (s1 - s0) / 1000 )) $(( ($(cat "$m/up") - $(cat "$m/start")) / 1000 ))
  scancel "$job"; rm -rf "$m"
done
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
  const rows = (await login(launchToReady))
    .trim()
    .split('\n')
    .map((line) => line.split(' ').map((micros) => Number(micros) / 1000));
  const floor = median(rows.map(([, running, xvnc]) => running + xvnc));
  context.note(
    `launch → ready per run: ${rows.map(([ms]) => ms.toFixed(0)).join(', ')} ms; floor parts (sbatch → RUNNING + Xvnc up): ${rows.map(([, r, x]) => `${r.toFixed(0)}+${x.toFixed(0)}`).join(', ')} ms`,
  );
  context.figure({
    name: 'launch → ready, vnc-desktop native (median of 3)',
    value: median(rows.map(([ms]) => ms)),
    unit: 'ms',
    baseline: { name: 'floor: sbatch → RUNNING + Xvnc start', value: floor },
  });
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
