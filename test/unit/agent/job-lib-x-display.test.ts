// job-lib.sh's porthole_read_display, in a real bash with a real pipe (a process substitution,
// as porthole_start_x_server makes it): the X server's display number comes through the pipe the
// moment the server writes it (-displayfd), and a server that dies without writing one ends the
// wait at once. The X server is a fake (a bash script that writes what an X server would), so
// that this runs without one.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { shippedJobLibrary } from './fixtures';

/** Runs the fake server `server` (bash, writes to fd 3) and porthole_read_display on its pipe; gives what the job saw. */
function readDisplayOf(server: string): { code: number; display: string; ms: number; serverAlive: boolean } {
  const script = `${shippedJobLibrary}
exec {fd}< <(exec bash -c "$SERVER" 3>&1 1>/dev/null)
pid=$!
start=$EPOCHREALTIME
porthole_read_display "$fd" "$pid"; code=$?
alive=no; kill -0 "$pid" 2>/dev/null && alive=yes
echo "$code|\${display-}|$start|$EPOCHREALTIME|$alive"
kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
exit 0`;
  const run = spawnSync('bash', ['-c', script], { env: { ...process.env, SERVER: server }, encoding: 'utf8', timeout: 30_000 });
  assert.equal(run.status, 0, run.stderr);
  const [code, display, start, end, alive] = run.stdout.trim().split('|');
  return { code: Number(code), display, ms: (Number(end) - Number(start)) * 1000, serverAlive: alive === 'yes' };
}

describe('reading the X server’s display from its pipe (job-lib.sh)', () => {
  it('takes the display the server reports while it keeps running', () => {
    const seen = readDisplayOf('sleep 0.3; echo 7 >&3; sleep 30');
    assert.deepEqual([seen.code, seen.display, seen.serverAlive], [0, '7', true]);
  });

  it('stops waiting when the server dies without reporting, long before the 10 s limit', () => {
    const seen = readDisplayOf('sleep 0.2; exit 1');
    assert.equal(seen.code, 1);
    assert.equal(seen.display, '');
    assert.ok(seen.ms < 5000, `waited ${seen.ms.toFixed(0)} ms for a server that had died`);
  });

  it('refuses a report that is not a display number, and stops the server', () => {
    const seen = readDisplayOf('echo "no display" >&3; sleep 30');
    assert.deepEqual([seen.code, seen.display, seen.serverAlive], [1, '', false]);
  });
});
