// Slurm's start-latency figures on the local test cluster, median over 10 jobs each:
//   sbatch → RUNNING: until squeue reports the job RUNNING (Slurm has allocated node01);
//   sbatch → script started: until the batch script's first line has run on node01.
// The loop runs on the login side in one SSH session, so the SSH hop is not counted.
import { sshRun } from '../cluster/fixture';
import { median, type Bench } from './figures';

const JOBS = 10;

// Prints "<µs to RUNNING> <µs to the script's first line>" per job.
const loginSideLoop = `
set -eu
marker_dir=$(mktemp -d "$HOME/.bench-start.XXXXXX")
trap 'rm -rf "$marker_dir"' EXIT
for i in $(seq ${JOBS}); do
  started=$(date +%s%N)
  job=$(sbatch --parsable --job-name=bench-start --output=/dev/null --wrap "touch $marker_dir/$i; sleep 5")
  until [ "$(squeue -h -j "$job" -o %T)" = RUNNING ]; do :; done
  running=$(date +%s%N)
  until [ -e "$marker_dir/$i" ]; do :; done
  echo $(( (running - started) / 1000 )) $(( ($(date +%s%N) - started) / 1000 ))
  scancel "$job"
done
`;

const bench: Bench = async (context) => {
  const result = await sshRun('bash -s', { input: loginSideLoop, timeoutMs: 120_000 });
  if (result.code !== 0) throw new Error(`the sbatch loop on the login side failed (exit ${result.code}): ${result.stderr}`);
  const rows = result.stdout
    .trim()
    .split('\n')
    .map((line) => line.split(' ').map((micros) => Number(micros) / 1000));
  const toRunning = rows.map(([running]) => running);
  const toScript = rows.map(([, script]) => script);
  context.note(`${rows.length} jobs, one at a time; sbatch → RUNNING each: ${toRunning.map((ms) => ms.toFixed(0)).join(', ')} ms`);
  context.figure({ name: 'sbatch → RUNNING (median)', value: median(toRunning), unit: 'ms', goal: '≤ 1000 ms' });
  context.figure({ name: 'sbatch → job script started on node01 (median)', value: median(toScript), unit: 'ms' });
};
export default bench;
