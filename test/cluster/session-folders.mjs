// The session folders the agent makes in the test users' homes, one per launch. A test or bench
// run removes those it made once their jobs have left the queue: each run left ~50 behind for
// good, and ~2,500 made History's offline test fail at random (a long history is its own test:
// the UI bench seeds 10,000 sessions in the page's cache). Plain JavaScript: test/run.mjs
// imports it too.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const readCluster = (clusterJson) => JSON.parse(readFileSync(clusterJson, 'utf8'));

/** Every session folder under the test cluster's homes, by path. */
export function sessionFolders(clusterJson) {
  if (!existsSync(clusterJson)) return new Set();
  const homes = join(readCluster(clusterJson).stateDir, 'home');
  const found = new Set();
  for (const user of existsSync(homes) ? readdirSync(homes) : []) {
    const sessions = join(homes, user, '.porthole/sessions');
    if (!existsSync(sessions)) continue;
    for (const id of readdirSync(sessions)) found.add(join(sessions, id));
  }
  return found;
}

/**
 * Removes the folders made since `before` whose job is no longer queued (or that never had one).
 * With Slurm not answering, it removes nothing. Returns how many it removed and left.
 */
export function removeFinishedSessionFoldersSince(clusterJson, before) {
  const made = [...sessionFolders(clusterJson)].filter((folder) => !before.has(folder));
  if (made.length === 0) return { removed: 0, left: 0 };
  let queued;
  try {
    const env = { ...process.env, SLURM_CONF: readCluster(clusterJson).slurm.conf };
    queued = new Set(execFileSync('squeue', ['-h', '-o', '%i'], { env, encoding: 'utf8', timeout: 10_000 }).split('\n').filter(Boolean));
  } catch {
    return { removed: 0, left: made.length };
  }
  let removed = 0;
  for (const folder of made) {
    if (queued.has(jobIdOf(folder))) continue;
    rmSync(folder, { recursive: true, force: true });
    removed += 1;
  }
  return { removed, left: made.length - removed };
}

function jobIdOf(folder) {
  try {
    return String(JSON.parse(readFileSync(join(folder, 'session.json'), 'utf8')).jobId ?? '');
  } catch {
    return '';
  }
}
