// The one reconnect formula: the delay doubles (by `factor`) from `initialMs` up to `maxMs`,
// and a share of it (`jitter`) is random, so that many workstations that lost the same login
// node do not all come back in the same second. Each place that retries has a named policy.

export interface BackoffPolicy {
  initialMs: number;
  maxMs: number;
  factor: number;
  /** The random share of each delay, 0 to 1: 0.5 is half fixed, half random; 0 is none. */
  jitter: number;
}

// The first retry comes within 200 ms: most drops (a laptop waking, a Wi-Fi switch) heal at once.
export const SSH_RECONNECT: BackoffPolicy = { initialMs: 200, maxMs: 30_000, factor: 2, jitter: 0.5 };

// An agent that died on a live connection is restarted on the same login node as SSH retries it.
export const AGENT_RESTART: BackoffPolicy = SSH_RECONNECT;

// The renderer's links go to Porthole's own host on this machine: one client each, so no crowd
// to spread out (no jitter), and a short ceiling because the host usually comes back at once.
export const HOST_LINK_RECONNECT: BackoffPolicy = { initialMs: 500, maxMs: 5000, factor: 2, jitter: 0 };
export const VIEWER_RECONNECT: BackoffPolicy = { initialMs: 500, maxMs: 5000, factor: 2, jitter: 0 };

/** Delay before attempt `attempt` (1 = the first retry); `random` in [0, 1). */
export function backoffDelay(attempt: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxMs, policy.initialMs * policy.factor ** Math.max(0, attempt - 1));
  // Never 0 ms (a tight loop) while some share is fixed, never above the ceiling.
  return Math.round(ceiling * (1 - policy.jitter) + ceiling * policy.jitter * random());
}
