// The idle stop's cost on the node: CPU of the job's idle watcher (templates/lib/job-lib.sh,
// porthole_idle_watcher: its own time and that of the programs it runs), per hour of a watched
// desktop. Measured on node01 with 1 idle minute (a look every 2 s) and no viewer, the dearer path
// (both programs run at each look), for 60 s; a Keep running every 20 s keeps it from stopping.
// Two desktops, one after the other: a real xterm desktop (VNC: `ss` + `xprintidle`), and a
// Moonlight desktop with the FAKE Sunshine (Sunshine cannot be installed here; the check is an
// `awk` of the log file the fake writes as the real one does, + `xprintidle`). A look costs the same whatever the minutes; a site's usual
// idle minutes (30 or more) give a look every 60 s, 60 an hour. Goal (issue 18): under 1 s an hour.
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import type { Session } from '../../agent/protocol';
import { installFakeSunshine } from '../cluster/agent/agent-harness';
import { makePrivateAgentHome, type PrivateAgentHome } from '../cluster/agent/private-agent-home';
import { shellQuote, sshRun } from '../cluster/fixture';
import type { Bench, BenchContext } from './figures';

const SAMPLE_S = 60;
const LOOK_EVERY_S = 2;

/** utime + stime + cutime + cstime of a process, in seconds: its own CPU and its reaped children's. */
function cpuWithChildren(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0) / 100;
}

/** The watcher: the process working in the session's folder that holds its pause FIFO open. */
function watcherPid(sessionDir: string): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readlinkSync(`/proc/${entry}/cwd`) !== sessionDir) continue;
      if (readdirSync(`/proc/${entry}/fd`).some((fd) => readlinkSync(`/proc/${entry}/fd/${fd}`).endsWith('/idle-pause')))
        return Number(entry);
    } catch {
      // Gone meanwhile, or a descriptor closed between the listing and the look.
    }
  }
  return undefined;
}

/** The watcher's CPU seconds a look, on a desktop launched with `launch` (agent arguments and environment). */
async function cpuPerLook(
  box: PrivateAgentHome,
  launch: { args: string[]; env?: Record<string, string> },
  what: string,
  note: BenchContext['note'],
): Promise<number> {
  let session: Session | undefined;
  try {
    session = await box.agentJson<Session>(['sessions.launch', ...launch.args], launch.env);
    const sessionDir = `${box.home}/.porthole/sessions/${session.id}`;
    let pid: number | undefined;
    for (let i = 0; i < 60 && pid === undefined; i++) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      pid = watcherPid(sessionDir);
    }
    if (pid === undefined) throw new Error(`no idle watcher of session ${session.id} within 60 s`);
    const keep = setInterval(() => void box.agent(['sessions.keepRunning', (session as Session).id]), 20_000);
    const before = cpuWithChildren(pid);
    await new Promise((resolve) => setTimeout(resolve, SAMPLE_S * 1000));
    const used = cpuWithChildren(pid) - before;
    clearInterval(keep);
    const shown = await box.agentJson<Session>(['sessions.show', session.id]);
    if (shown.state !== 'ready') throw new Error(`the desktop did not stay ready while measured: ${JSON.stringify(shown)}`);
    const perLook = used / (SAMPLE_S / LOOK_EVERY_S);
    note(`${what}: watcher PID ${pid}: ${used.toFixed(2)} s CPU in ${SAMPLE_S} s, ${(perLook * 1000).toFixed(1)} ms a look (no viewer)`);
    return perLook;
  } finally {
    if (session) await sshRun(`scancel ${shellQuote(session.jobId)}`);
  }
}

const bench: Bench = async ({ figure, note }) => {
  const box = await makePrivateAgentHome();
  try {
    await box.writeSiteConfig({ idle: { minutes: 1 } });
    const vnc = await cpuPerLook(
      box,
      { args: ['xterm', '--param', 'hours=0.25', '--param', 'runtime=native'] },
      'VNC, ss + xprintidle',
      note,
    );
    figure({ name: 'idle watcher CPU per hour, idle minutes ≥ 30 (a look a minute)', value: vnc * 60, unit: 's', goal: '< 1 s' });
    figure({ name: 'idle watcher CPU per hour, 1 idle minute (a look every 2 s)', value: vnc * 1800, unit: 's' });

    const fakesBin = `${box.home}/fakes-bin`;
    await installFakeSunshine(fakesBin);
    const moonlightArgs = ['moonlight-desktop', '--param', 'partition=gpu', '--param', 'runtime=native', '--param', 'hours=0.25'];
    const moonlight = await cpuPerLook(
      box,
      {
        args: [...moonlightArgs, '--param', 'cpus=1', '--param', 'memoryGb=0.5'],
        env: { PATH: `${fakesBin}:/usr/local/bin:/usr/bin:/bin` },
      },
      'Moonlight (FAKE Sunshine), awk of sunshine.log + xprintidle',
      note,
    );
    figure({
      name: 'Moonlight idle watcher CPU per hour, idle minutes ≥ 30 (a look a minute)',
      value: moonlight * 60,
      unit: 's',
      goal: '< 1 s',
    });
  } finally {
    await box.remove();
  }
};

export default bench;
