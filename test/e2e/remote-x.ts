// Starting an X client inside a session's own Slurm allocation (srun --overlap), on the
// session's display, the way a person would start a program in their desktop.
import type { TestCluster } from './test-cluster';
import { sshRun, sshStart } from './test-cluster';

/** The X display of the Xvnc that job `jobId` runs, e.g. ":1", read from the node's processes. */
export async function displayOfJob(cluster: TestCluster, jobId: string): Promise<string> {
  const result = await sshRun(cluster, `srun --jobid=${jobId} --overlap -N1 -n1 ps -u "$(id -u)" -o pid=,ppid=,args=`);
  if (result.code !== 0) throw new Error(`Could not list the processes of job ${jobId}: ${result.stderr}`);
  const processes = result.stdout
    .split('\n')
    .map((line) => line.trim().match(/^(\d+)\s+(\d+)\s+(.*)$/))
    .filter((m): m is RegExpMatchArray => !!m)
    .map((m) => ({ pid: m[1], ppid: m[2], args: m[3] }));
  // The job's batch script, then the Xvnc among its descendants.
  const script = processes.find((p) => new RegExp(`job0*${jobId}/slurm_script`).test(p.args));
  const inJob = new Set<string>(script ? [script.pid] : []);
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of processes) {
      if (inJob.has(p.ppid) && !inJob.has(p.pid)) {
        inJob.add(p.pid);
        grew = true;
      }
    }
  }
  const xvnc = processes.find((p) => /Xvnc\s+:\d+/.test(p.args) && (inJob.size === 0 || inJob.has(p.pid)));
  const display = xvnc?.args.match(/Xvnc\s+(:\d+)/)?.[1];
  if (!display) throw new Error(`No Xvnc of job ${jobId} among:\n${result.stdout}`);
  return display;
}

/** Starts an xterm at a known place on the session's screen; stop() ends it. */
export function startXterm(cluster: TestCluster, jobId: string, display: string, title: string) {
  return sshStart(cluster, `srun --jobid=${jobId} --overlap -N1 -n1 env DISPLAY=${display} xterm -geometry 80x24+20+40 -fa '' -fn fixed -title ${title} -e bash --norc --noprofile`);
}

/** The size of the X screen on `display` in job `jobId`, as xdpyinfo reports it, e.g. "1280x800". */
export async function screenSize(cluster: TestCluster, jobId: string, display: string): Promise<string> {
  const result = await sshRun(cluster, `srun --jobid=${jobId} --overlap -N1 -n1 env DISPLAY=${display} xdpyinfo`);
  return result.stdout.match(/dimensions:\s+(\d+x\d+) pixels/)?.[1] ?? `(no size: ${result.stderr.trim()})`;
}
