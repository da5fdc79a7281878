// cluster.info with Slurm accounting on the test cluster (slurmdbd), measured inside `serve` on
// the login node as the app uses it: `hello` when the app connects, then cluster.info when the
// Launch view opens (the first one waits for the sacctmgr that `serve` started at once), then
// cluster.info again (accounting kept). Beside it: the two Slurm commands that could tell a
// user's associations, timed alone, and the Slurm commands each cluster.info runs (counted by
// shims on PATH that log, then run the real command).
import { installAgent, AGENT_FILE } from '../cluster/agent/agent-harness';
import { sshRun } from '../cluster/fixture';
import { median, type Bench } from './figures';

async function login(script: string): Promise<string> {
  const result = await sshRun('bash -s', { input: `set -euo pipefail\nA=~/${AGENT_FILE}\n${script}`, timeoutMs: 300_000 });
  if (result.code !== 0) throw new Error(`bench script failed (exit ${result.code}): ${result.stderr}`);
  return result.stdout;
}

// Prints "<hello ms> <first cluster.info ms> <later cluster.info ms…>", measured in one serve.
const timedServe = `
node - "$A" <<'JS'
const { spawn } = require('node:child_process');
const agent = spawn(process.execPath, [process.argv[2], 'serve'], { stdio: ['pipe', 'pipe', 'inherit'] });
const waiting = new Map();
let buffer = '';
let next = 0;
agent.stdout.on('data', (chunk) => {
  buffer += chunk;
  for (let end; (end = buffer.indexOf('\\n')) >= 0; buffer = buffer.slice(end + 1)) {
    const message = JSON.parse(buffer.slice(0, end));
    waiting.get(message.id)?.(message);
  }
});
const call = (method) =>
  new Promise((resolve, reject) => {
    const id = ++next;
    const started = process.hrtime.bigint();
    waiting.set(id, (m) => (m.error ? reject(new Error(m.error.message)) : resolve(Number(process.hrtime.bigint() - started) / 1e6)));
    agent.stdin.write(JSON.stringify({ jsonrpc: '2.0', id, method, params: {} }) + '\\n');
  });
(async () => {
  const times = [await call('hello'), await call('cluster.info')];
  for (let i = 0; i < 10; i++) times.push(await call('cluster.info'));
  console.log(times.map((t) => t.toFixed(1)).join(' '));
  agent.stdin.end();
})();
JS
`;

const SLURM_COMMANDS = ['sacctmgr', 'scontrol', 'sinfo', 'squeue'];
// The same, with shims that log each Slurm command; prints the log of a first and a later cluster.info.
const countedServe = `
shims=$(mktemp -d "$HOME/.bench-shims.XXXXXX"); trap 'rm -rf "$shims"' EXIT
for c in ${SLURM_COMMANDS.join(' ')}; do
  real=$(command -v "$c")
  printf '#!/bin/sh\\necho "%s $*" >>"%s/log"\\nexec %s "$@"\\n' "$c" "$shims" "$real" >"$shims/$c"; chmod 755 "$shims/$c"
done
{ printf '{"jsonrpc":"2.0","id":1,"method":"hello","params":{}}\\n'; sleep 1.5; : >"$shims/log"
  printf '{"jsonrpc":"2.0","id":2,"method":"cluster.info","params":{}}\\n'; sleep 1.5; mv "$shims/log" "$shims/first"
  printf '{"jsonrpc":"2.0","id":3,"method":"cluster.info","params":{}}\\n'; sleep 1.5; mv "$shims/log" "$shims/later"; } |
  PATH="$shims:$PATH" node "$A" serve >/dev/null
echo "first: $(grep -v '^squeue' "$shims/first" | paste -sd ';')"
echo "later: $(grep -v '^squeue' "$shims/later" | paste -sd ';')"
`;

const commandTimes = `
for i in $(seq 5); do
  t0=$(date +%s%N); sacctmgr --noheader --parsable2 show user name="$USER" withassoc format=Cluster,Account,Partition,QOS,DefaultQOS,MaxWall,DefaultAccount >/dev/null
  t1=$(date +%s%N); scontrol show assoc_mgr users="$USER" flags=users,assoc,qos >/dev/null
  t2=$(date +%s%N); echo $(( (t1 - t0) / 1000 )) $(( (t2 - t1) / 1000 ))
done
`;

const bench: Bench = async (context) => {
  installAgent();
  const [hello, first, ...later] = (await login(timedServe)).trim().split(' ').map(Number);
  context.note(
    `serve on the login node: hello ${hello.toFixed(0)} ms, then cluster.info ${first.toFixed(0)} ms, then ${later.join(', ')} ms`,
  );
  context.figure({ name: 'cluster.info time with accounting, first after hello', value: first, unit: 'ms', goal: '< 150 ms' });
  context.figure({
    name: 'cluster.info time with accounting, later calls (median of 10)',
    value: median(later),
    unit: 'ms',
    goal: '< 150 ms',
  });

  const counted = (await login(countedServe)).trim().split('\n');
  for (const line of counted) context.note(`Slurm commands of cluster.info, ${line}`);
  const later2 = counted.find((line) => line.startsWith('later:'))?.replace('later: ', '') ?? '';
  context.figure({
    name: 'Slurm commands per cluster.info once accounting is read',
    value: later2 ? later2.split(';').length : 0,
    unit: 'commands',
    goal: 'one Slurm call',
  });

  const rows = (await login(commandTimes))
    .trim()
    .split('\n')
    .map((line) => line.split(' ').map((micros) => Number(micros) / 1000));
  context.figure({ name: 'sacctmgr show user withassoc alone (median of 5)', value: median(rows.map(([s]) => s)), unit: 'ms' });
  context.figure({
    name: 'scontrol show assoc_mgr users=<u> flags=users,assoc,qos alone (median of 5; has no QOS list per association)',
    value: median(rows.map(([, s]) => s)),
    unit: 'ms',
  });
};
export default bench;
