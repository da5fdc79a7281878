// Reconnect delays: exponential with full jitter, capped, so that many workstations that lost
// the same login node do not all come back in the same second.

export interface BackoffPolicy {
  initialMs: number;
  maxMs: number;
  factor: number;
}

// The first retry comes within 200 ms: most drops (a laptop waking, a Wi-Fi switch) heal at once.
export const DEFAULT_BACKOFF: BackoffPolicy = { initialMs: 200, maxMs: 30_000, factor: 2 };

/** Delay before attempt `attempt` (1 = the first retry); `random` in [0, 1). */
export function backoffDelay(attempt: number, policy: BackoffPolicy = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxMs, policy.initialMs * policy.factor ** Math.max(0, attempt - 1));
  // Half fixed, half jitter: never 0 ms (a tight loop), never above the ceiling.
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}
