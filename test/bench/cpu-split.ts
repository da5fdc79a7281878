// Two machines on one box: a person's workstation and the compute node are different computers,
// but here they share two cores, and a viewer's CPU was taken from Xvnc and the workload it
// watched, which then drew fewer frames to be counted. For frame rates the moving-desktop bench
// gives the node's job CPU 0 (its job.sh pins itself) and the workstation's side CPU 1: the
// client (Chromium, or vncviewer and its Xvfb) and this process (the app's bridge or the native
// viewer's tap, and ssh2). sshd and Slurm's daemons stay free on both.
import { execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';

/** The CPU the workstation's side runs on; the job's is CPU 0 (test/bench/templates/bench-motion/job.sh). */
const WORKSTATION_CPU = '1';

/** Whether this machine has the two CPUs the split needs; without them nothing is pinned. */
export const cpuSplit = availableParallelism() >= 2;

/** `command args…` as a workstation process: through taskset onto the workstation's CPU. */
export function onWorkstationCpu(command: string, args: string[]): [string, string[]] {
  return cpuSplit ? ['taskset', ['-c', WORKSTATION_CPU, command, ...args]] : [command, args];
}

/** Pins every thread of this process to the workstation's CPU until the returned function frees it again. */
export function pinThisProcess(): () => void {
  if (!cpuSplit) return () => undefined;
  const pin = (cpus: string) => execFileSync('taskset', ['-a', '-p', '-c', cpus, String(process.pid)], { stdio: 'ignore' });
  pin(WORKSTATION_CPU);
  return () => pin(`0-${availableParallelism() - 1}`);
}
