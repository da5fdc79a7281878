// Time as a person reads it: the countdown of a session and the length of a launch step.

/** Time left until the end of a session: "1 h 05 min left", "9 min 05 s left", "time is up". */
export function formatCountdown(msLeft: number): string {
  if (!Number.isFinite(msLeft)) return '';
  if (msLeft <= 0) return 'time is up';
  const totalSeconds = Math.floor(msLeft / 1000);
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  if (hours > 0) return `${hours} h ${pad(minutes)} min left`;
  if (minutes > 0) return `${minutes} min ${pad(seconds)} s left`;
  return `${seconds} s left`;
}

/** How long a step took: "0.4 s", "12 s", "2 min 03 s", "1 h 02 min". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '';
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)} s`;
  const totalSeconds = Math.round(ms / 1000);
  if (totalSeconds < 60) return `${totalSeconds} s`;
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  if (hours > 0) return `${hours} h ${pad(minutes)} min`;
  return totalSeconds % 60 === 0 ? `${minutes} min` : `${minutes} min ${pad(totalSeconds % 60)} s`;
}

/** Seconds until a reconnect attempt, rounded up so that "in 0 s" is never shown early. */
export function secondsUntil(epochMs: number, now: number): number {
  return Math.max(0, Math.ceil((epochMs - now) / 1000));
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
