// A clock for tests: time moves only when the test says so.
import type { Clock } from '../../../agent/common/clock';

export function manualClock() {
  let now = 0;
  const timers: { at: number; callback: () => void; cleared: boolean }[] = [];
  const clock: Clock = {
    now: () => now,
    setTimeout: (callback, ms) => {
      const timer = { at: now + ms, callback, cleared: false };
      timers.push(timer);
      return timer;
    },
    clearTimeout: (handle) => {
      (handle as { cleared: boolean }).cleared = true;
    },
  };
  /** Moves time on, runs what fell due, then lets promises settle. */
  const advance = async (ms: number) => {
    now += ms;
    for (const timer of timers) {
      if (!timer.cleared && timer.at <= now) {
        timer.cleared = true;
        timer.callback();
      }
    }
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { clock, advance };
}
