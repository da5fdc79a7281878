// The clock code is given instead of reading the time and the timers itself, so a test can move
// time on by hand. Timers are the global ones both Node and browsers have.

export interface Clock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** The time of day, for code that stamps records with it (a test gives a fixed one). */
export type WallClock = () => Date;
