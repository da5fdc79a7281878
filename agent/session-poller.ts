// Keeps `serve`'s view of the sessions fresh and tells the app what changed: one `list` (one
// squeue) per tick. How soon the next tick comes depends on how soon something will change:
// a job just submitted starts within a second on an idle cluster, and a running job's desktop
// server answers within a second or two (its connection.json is what makes it ready), so those
// are looked at every 200 ms; a queued job every second; otherwise every 15 s (a ready desktop
// ends rarely and the app asks again when it cares).
import type { Session } from './protocol';
import { isTransitional, sessionChanged } from './session-state';

export const IMMINENT_POLL_MS = 200;
export const FAST_POLL_MS = 1000;
export const SLOW_POLL_MS = 15_000;

/** The delay before the next look, set by the session closest to a change. */
export function nextPollMs(sessions: Session[]): number {
  if (sessions.some((s) => s.state === 'submitted' || s.state === 'starting')) return IMMINENT_POLL_MS;
  return sessions.some(isTransitional) ? FAST_POLL_MS : SLOW_POLL_MS;
}

export interface PollerDeps {
  list: () => Promise<Session[]>;
  onChange: (session: Session) => void;
  onError: (error: Error) => void;
  setTimer: (fn: () => void, ms: number) => { cancel(): void };
}

export class SessionPoller {
  private known = new Map<string, Session>();
  private timer: { cancel(): void } | undefined;
  private running = false;
  private stopped = false;
  private primed = false;
  /** A kick that came while a tick was running: the next tick comes at once. */
  private kickedWhileRunning = false;

  constructor(private readonly deps: PollerDeps) {}

  /** Polls now, then on the schedule; calling it again (after a launch) polls at once. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.kickedWhileRunning = true;
      return;
    }
    this.timer?.cancel();
    this.timer = this.deps.setTimer(() => void this.tick(), 0);
  }

  /** Records what the caller already told the app, so that it is not announced twice. */
  remember(session: Session): void {
    this.known.set(session.id, session);
  }

  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
  }

  async tick(): Promise<void> {
    if (this.running || this.stopped) return;
    this.running = true;
    let next = SLOW_POLL_MS;
    try {
      const sessions = await this.deps.list();
      for (const session of sessions) {
        // The first round only learns what there is: the app asks sessions.list when it connects.
        if (this.primed && sessionChanged(this.known.get(session.id), session)) this.deps.onChange(session);
        this.known.set(session.id, session);
      }
      this.primed = true;
      next = nextPollMs(sessions);
    } catch (error) {
      this.deps.onError(error as Error);
      next = FAST_POLL_MS * 5;
    } finally {
      this.running = false;
    }
    if (this.kickedWhileRunning) {
      this.kickedWhileRunning = false;
      next = 0;
    }
    if (!this.stopped) this.timer = this.deps.setTimer(() => void this.tick(), next);
  }
}
