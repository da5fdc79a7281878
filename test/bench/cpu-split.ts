// Two machines on one box: a person's workstation and the compute node are different computers,
// but here they share two cores, and a viewer's CPU was taken from Xvnc and the workload it
// watched, which then drew fewer frames to be counted. For frame rates the moving-desktop bench
// gives the node's job CPU 0 (its job.sh pins itself) and the workstation's side CPU 1: the
// client (Chromium, or vncviewer and its Xvfb) and this process (the app's bridge or the native
// viewer's tap, and ssh2). The route's hops on the cluster (sshd on the login node and the
// relay's ssh it runs, sshd on the node) are the cluster's work and go with the job: left free,
// they ran on whichever CPU was idler, so a client that left its CPU half idle had the
// cluster's hops run there and the node's CPU to itself (docs/field-notes.md).
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { parentOf } from './process-cpu';

/** The CPU the workstation's side runs on; the job's is CPU 0 (test/bench/templates/bench-motion/job.sh). */
const WORKSTATION_CPU = '1';
const CLUSTER_CPU = '0';
const ALL_CPUS = `0-${availableParallelism() - 1}`;

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
  return () => pin(ALL_CPUS);
}

/**
 * Pins the daemons whose PIDs `pidFiles` hold (the cluster's sshds), and every process under
 * them, to the cluster's CPU until the returned function frees them again; what they start
 * meanwhile (a viewer's relay) inherits the CPU.
 */
export function pinClusterSide(pidFiles: string[]): () => void {
  if (!cpuSplit) return () => undefined;
  const roots = pidFiles.map((file) => Number(readFileSync(file, 'utf8').trim()));
  const pinAll = (cpus: string) => {
    for (const pid of withDescendants(roots)) {
      try {
        execFileSync('taskset', ['-a', '-p', '-c', cpus, String(pid)], { stdio: 'ignore' });
      } catch {
        // gone meanwhile
      }
    }
  };
  pinAll(CLUSTER_CPU);
  return () => pinAll(ALL_CPUS);
}

/** `roots` and every process below them, from each process's parent in /proc. */
function withDescendants(roots: number[]): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const parent = parentOf(Number(entry));
    if (parent !== null) children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
  }
  const found: number[] = [];
  const visit = (pid: number) => {
    found.push(pid);
    for (const child of children.get(pid) ?? []) visit(child);
  };
  roots.forEach(visit);
  return found;
}
