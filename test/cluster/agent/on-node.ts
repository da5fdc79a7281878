// Acting on node01 as a given Unix user, the way a program of that user on the node would: inside
// node01's network, mount and UTS namespaces (its own /tmp and loopback), with that user's ids.
// The login side cannot stand in for the node: node01's /tmp is a bind mount of its own.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadTestCluster } from '../fixture';

/** The command line that runs `script` in bash on node01 as `user`: its network, mount and UTS namespaces, that user's ids. */
export function onNodeCommand(user: string, script: string): string[] {
  const cluster = loadTestCluster();
  const nodePid = readFileSync(cluster.pidFiles.slurmd, 'utf8').trim();
  const home = user === cluster.ssh.user ? cluster.ssh.home : '/nonexistent';
  return [
    'nsenter',
    '-t',
    nodePid,
    '-n',
    '-m',
    '-u',
    'setpriv',
    `--reuid=${user}`,
    `--regid=${user}`,
    '--init-groups',
    '--',
    'env',
    '-i',
    `HOME=${home}`,
    'PATH=/usr/bin:/bin',
    'bash',
    '-c',
    script,
  ];
}

/** Runs `script` on node01 as `user` (see onNodeCommand) and waits for it, at most 20 s. */
export function onNode(user: string, script: string): { code: number; stdout: string; stderr: string } {
  const [command, ...args] = onNodeCommand(user, script);
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: 20_000 });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}
