// The floor a desktop launch is compared with, and the pairing that keeps the comparison fair
// (ui.bench.ts and agent.bench.ts): sbatch → Xvnc answering, or → the first whole screen received,
// in a bare job that asks Slurm for what a launch of the VNC desktop asks for, each side starting only once the other's job has left
// the queue (docs/field-notes.md, "Slurm": a job submitted while the node still cleans up after
// another waits for the scheduler's next pass, about 2.7 s here).
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { loadTestCluster, sshRun } from '../cluster/fixture';

/**
 * What a floor job waits for: `greeting`, Xvnc answering (a client has its RFB greeting: what the
 * agent's "ready" is); `first screen`, a client on the node logged in and holding the whole first
 * framebuffer update (Raw, nothing to decode: what "first remote pixels" is at the least).
 */
export type FloorEnd = 'greeting' | 'first screen';

/** The first-screen client (rfb-floor.cjs), in the test user's home, which the node shares. */
const CLIENT = '.porthole-bench-rfb-floor.cjs';

/** One floor job: sbatch → its end, and how much of that Slurm took to start it. */
export interface FloorRun {
  ms: number;
  /** sbatch → the job started (its output file created by slurmstepd: jobStartedAt). */
  slurmStartMs: number;
}

/**
 * When Slurm started a job, to the millisecond: slurmstepd creates the job's output file as the
 * job starts (btrfs keeps a file's birth time). Slurm's own times are whole seconds.
 */
export function jobStartedAt(outputFile: string): number {
  return statSync(outputFile).birthtimeMs;
}

/**
 * sbatch → `until` on the node, measured by a bare job: what no launch can beat. Xvnc starts as
 * the job library starts it, with the VNC desktop's default screen (it reports its display with
 * -displayfd, then it is taken as started). Gives the run and the job's id.
 */
export async function floorOnce(until: FloorEnd): Promise<[FloorRun, string]> {
  const port = 5960 + Math.floor(Math.random() * 30);
  const marker = `.porthole-bench-floor-${process.pid}-${port}`;
  const xvnc = `Xvnc -displayfd 3 -geometry 1920x1080 -depth 24 -rfbport ${port} -localhost -SecurityTypes None -UseBlacklist=0 3>"$d/display" 2>/dev/null & x=$!`;
  // A bash script (sbatch --wrap runs sh, which has no /dev/tcp); the marker holds the end as
  // nanoseconds (greeting) or milliseconds (first screen) since the epoch.
  const job =
    until === 'greeting'
      ? [
          '#!/bin/bash',
          'd=$(mktemp -d)',
          // The VNC desktop's default screen: a larger framebuffer is more for Xvnc to set up.
          xvnc,
          'until [ -s "$d/display" ]; do sleep 0.005; done',
          `exec 3<>/dev/tcp/127.0.0.1/${port} && head -c 12 <&3 >/dev/null && date +%s%N > "$HOME/${marker}"`,
          'sleep 1; kill $x; rm -rf "$d"',
        ]
      : [
          '#!/bin/bash',
          'd=$(mktemp -d)',
          // The client starts with Xvnc, so Node's own start-up is not on the floor's path.
          `node "$HOME/${CLIENT}" first-update ${port} "$d/display" > "$d/at" & c=$!`,
          xvnc,
          `wait $c && mv "$d/at" "$HOME/${marker}.part" && mv "$HOME/${marker}.part" "$HOME/${marker}"`,
          'kill $x; rm -rf "$d"',
        ];
  const submitted = await sshRun(
    `t0=$(date +%s%N); job=$(sbatch --parsable -c 1 --mem=2G -t 60 -J bench-floor -o "$HOME/${marker}.out" <<'JOB'\n${job.join('\n')}\nJOB\n) && echo $t0 $job`,
  );
  if (submitted.code !== 0) throw new Error(`sbatch of the floor job failed: ${submitted.stderr}`);
  const [t0, jobId] = submitted.stdout.trim().split(' ');
  try {
    for (let i = 0; i < 600; i++) {
      const read = await sshRun(`cat "$HOME/${marker}" 2>/dev/null`);
      const end = read.stdout.trim();
      if (end) {
        const submittedAt = Number(BigInt(t0) / 1000n) / 1000;
        const endedAt = until === 'greeting' ? Number(BigInt(end) / 1000n) / 1000 : Number(end);
        const startedAt = jobStartedAt(join(loadTestCluster().ssh.home, `${marker}.out`));
        return [{ ms: endedAt - submittedAt, slurmStartMs: startedAt - submittedAt }, jobId];
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`The floor job never got to its ${until}`);
  } finally {
    // Also when it failed: the job's end marker and output file leave the test user's home.
    await sshRun(`scancel ${jobId} 2>/dev/null; rm -f "$HOME/${marker}" "$HOME/${marker}.out"`);
  }
}

/** Waits until these jobs have left Slurm's queue, completing included. */
export async function untilGone(jobIds: string[]): Promise<void> {
  if (jobIds.length === 0) return;
  for (let i = 0; i < 300; i++) {
    const listed = await sshRun(`squeue -h -t PENDING,CONFIGURING,RUNNING,COMPLETING -j ${jobIds.join(',')} -o %i 2>/dev/null`);
    if (!listed.stdout.trim()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`jobs ${jobIds.join(', ')} were still in the queue after 30 s`);
}

/**
 * Runs `pairs` launch/floor pairs in turn, floor first then launch first (ABBA), each side once the
 * other's job has left the queue: both wait for the same things. `launch` gives its job id.
 */
export async function inFloorPairs(pairs: number, until: FloorEnd, launch: () => Promise<string>): Promise<FloorRun[]> {
  if (until === 'first screen') {
    const put = await sshRun(`cat > ~/${CLIENT}`, { input: readFileSync(join(__dirname, 'rfb-floor.cjs'), 'utf8') });
    if (put.code !== 0) throw new Error(`could not copy the floor's RFB client: ${put.stderr}`);
  }
  try {
    return await floorPairs(pairs, until, launch);
  } finally {
    if (until === 'first screen') await sshRun(`rm -f ~/${CLIENT}`);
  }
}

async function floorPairs(pairs: number, until: FloorEnd, launch: () => Promise<string>): Promise<FloorRun[]> {
  const floors: FloorRun[] = [];
  let lastJobs: string[] = [];
  const floor = async () => {
    await untilGone(lastJobs);
    const [run, jobId] = await floorOnce(until);
    floors.push(run);
    lastJobs = [jobId];
  };
  const launched = async () => {
    await untilGone(lastJobs);
    lastJobs = [await launch()];
  };
  for (let run = 0; run < pairs; run++) {
    if (run % 2 === 0) {
      await floor();
      await launched();
    } else {
      await launched();
      await floor();
    }
  }
  await untilGone(lastJobs);
  return floors;
}
