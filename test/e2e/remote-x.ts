// Starting an X client inside a session's own Slurm allocation (srun --overlap), on the
// session's display with the session's X cookie, the way a person would start a program in
// their desktop.
import { sshRun, sshStart } from '../cluster/fixture';

/** Shell text for the session folder of job `jobId` (its WorkDir), on the login side. */
function sessionDirOf(jobId: string): string {
  return `"$(scontrol show job ${jobId} | grep -o 'WorkDir=[^ ]*' | cut -d= -f2)"`;
}

/** `env DISPLAY=… XAUTHORITY=…` for a program in job `jobId`'s desktop: its display needs the session's cookie. */
function inDesktop(jobId: string, display: string): string {
  return `srun --jobid=${jobId} --overlap -N1 -n1 env DISPLAY=${display} XAUTHORITY=${sessionDirOf(jobId)}/xauthority`;
}

/** The X display of job `jobId`'s desktop, e.g. ":1", from the connection.json its job wrote. */
export async function displayOfJob(jobId: string): Promise<string> {
  const result = await sshRun(`cat ${sessionDirOf(jobId)}/connection.json`);
  const display = /"display":(\d+)/.exec(result.stdout)?.[1];
  if (result.code !== 0 || !display) throw new Error(`No display in the connection.json of job ${jobId}: ${result.stdout}${result.stderr}`);
  return `:${display}`;
}

/** Where startXterm's window appears on the remote screen: 80×24 cells of the 6×13 `fixed` font, at +20+40. */
export const XTERM_AREA = { x: 20, y: 40, width: 80 * 6, height: 24 * 13 };

/** Starts an xterm at a known place on the session's screen (XTERM_AREA); stop() ends it. */
export function startXterm(jobId: string, display: string, title: string) {
  return sshStart(
    `${inDesktop(jobId, display)} xterm -geometry 80x24+${XTERM_AREA.x}+${XTERM_AREA.y} -fa '' -fn fixed -title ${title} -e bash --norc --noprofile`,
  );
}

/** The size of the X screen on `display` in job `jobId`, as xdpyinfo reports it, e.g. "1280x800". */
export async function screenSize(jobId: string, display: string): Promise<string> {
  const result = await sshRun(`${inDesktop(jobId, display)} xdpyinfo`);
  return result.stdout.match(/dimensions:\s+(\d+x\d+) pixels/)?.[1] ?? `(no size: ${result.stderr.trim()})`;
}
