// The words of a coming idle stop, the same in the session list, the tray and the notification.

/** Whole minutes until an idle stop, at least 1: "stops in 0 min" would read as stopped already. */
export function idleMinutesLeft(idleStopAt: string, now: number): number {
  return Math.max(1, Math.ceil((Date.parse(idleStopAt) - now) / 60_000));
}

/** `Idle: stops in 9 min`. */
export function idleStopWords(idleStopAt: string, now: number): string {
  return `Idle: stops in ${idleMinutesLeft(idleStopAt, now)} min`;
}
