// limitHomeQuota (fixture.ts) with btrfs's delayed accounting in mind: a quota group's use is
// settled only when its transaction commits, so a limit set just after files were removed is
// measured from stale figures, and lifting a limit while the group is at it fails with "Disk
// quota exceeded" (seen here) until the removal commits. Syncing first settles both.
import { execFileSync } from 'node:child_process';
import { limitHomeQuota } from './fixture';

function sync(home: string): void {
  execFileSync('btrfs', ['filesystem', 'sync', home]);
}

/** Limits the home to its use plus `headroomBytes`; returns what lifts the limit, retrying after a sync (call it in a `finally`). */
export function limitHomeQuotaSettled(home: string, headroomBytes: number): () => void {
  sync(home);
  const lift = limitHomeQuota(home, headroomBytes);
  return () => {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return lift();
      } catch (error) {
        if (attempt === 5) throw error;
        sync(home);
      }
    }
  };
}
