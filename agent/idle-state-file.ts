import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

// The idle watcher's state file in the session folder (templates/lib/job-lib.sh, porthole_watch_idle):
// one line, written atomically by the job, `warning <stop time> <minutes>` while the desktop is idle
// and its stop is near, `stopped <time> <minutes>` once the job stops it; no file while someone is
// there. And the file `keep-running` the agent writes for the watcher (sessions.keepRunning).

export const IDLE_STATE_FILE = 'idle-state';
export const KEEP_RUNNING_FILE = 'keep-running';

/** What the watcher last said: a stop that is coming (`stopped` false) or one that happened. */
export interface IdleState {
  stopped: boolean;
  /** ISO 8601: when the job stops (stopped false) or stopped (true) the desktop. */
  at: string;
  /** The idle minutes the session was launched with. */
  minutes: number;
}

/** The file's text as an IdleState; undefined for no file, or a line that is not one (a job of an older library). */
export function parseIdleState(text: string | undefined): IdleState | undefined {
  const match = /^(warning|stopped) (\S+) (\d+)\s*$/.exec(text ?? '');
  if (!match || Number.isNaN(Date.parse(match[2]))) return undefined;
  return { stopped: match[1] === 'stopped', at: new Date(match[2]).toISOString(), minutes: Number(match[3]) };
}

/**
 * The session's idle state as a person should see it: a warning older than the last Keep running
 * is over already, though the watcher (which polls up to a minute apart) has not cleared it yet.
 */
export function readIdleState(sessionDir: string): IdleState | undefined {
  const stateFile = join(sessionDir, IDLE_STATE_FILE);
  const written = statSync(stateFile, { throwIfNoEntry: false });
  if (!written) return undefined;
  const state = parseIdleState(readOrNothing(stateFile));
  const keptAt = statSync(join(sessionDir, KEEP_RUNNING_FILE), { throwIfNoEntry: false })?.mtimeMs;
  if (state && !state.stopped && keptAt !== undefined && keptAt >= written.mtimeMs) return undefined;
  return state;
}

/** The watcher removes its file when someone comes back, maybe between the stat and the read. */
function readOrNothing(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
