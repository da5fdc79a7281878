// CPU time that processes have used so far, from /proc (Linux clock ticks are 1/100 s).
import { readdirSync, readFileSync } from 'node:fs';

/** The fields of /proc/<pid>/stat after the command's name, or null when the process is gone. */
function statFields(pid: number): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/** The parent of process `pid`, or null when it is gone. */
export function parentOf(pid: number): number | null {
  const fields = statFields(pid);
  return fields ? Number(fields[1]) : null;
}

/** User + system CPU seconds process `pid` has used so far (0 when it is gone). */
export function cpuSecondsOf(pid: number): number {
  const fields = statFields(pid);
  return fields ? (Number(fields[11]) + Number(fields[12])) / 100 : 0;
}

/**
 * The same, over every live process of process group `pgid` (a browser and its helpers), by
 * kind of Chromium process: its `--type` (`renderer`, `gpu-process`), a utility's service
 * (`NetworkService`), `browser` for the one without a type. Chromium rewrites its command lines
 * with spaces between the arguments, not NULs.
 */
export function cpuSecondsOfGroupByKind(pgid: number): Record<string, number> {
  const byKind: Record<string, number> = {};
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const fields = statFields(Number(entry));
    if (!fields || Number(fields[2]) !== pgid) continue;
    const kind = chromiumKind(entry);
    byKind[kind] = (byKind[kind] ?? 0) + (Number(fields[11]) + Number(fields[12])) / 100;
  }
  return byKind;
}

function chromiumKind(pid: string): string {
  let commandLine = '';
  try {
    commandLine = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    // Gone since its stat was read: counted as the browser's.
  }
  const type = /--type=([\w-]+)/.exec(commandLine)?.[1] ?? 'browser';
  const service = /--utility-sub-type=(?:\w+\.)*(\w+)/.exec(commandLine)?.[1];
  return type === 'utility' && service ? service : type;
}
