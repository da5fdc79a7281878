// Keeps `serve`'s view of the sessions fresh and tells the app what changed: one `list` (one
// squeue) per tick, every second while something is submitted, queued or starting, every
// 15 s otherwise (a ready desktop ends rarely and the app asks again when it cares).
import type { Session } from './protocol';
import { isTransitional, sessionChanged } from './session-state';

export const FAST_POLL_MS = 1000;
export const SLOW_POLL_MS = 15_000;

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

  constructor(private readonly deps: PollerDeps) {}

  /** Polls now, then on the schedule; calling it again (after a launch) polls at once. */
  kick(): void {
    if (this.stopped) return;
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
      if (sessions.some(isTransitional)) next = FAST_POLL_MS;
    } catch (error) {
      this.deps.onError(error as Error);
      next = FAST_POLL_MS * 5;
    } finally {
      this.running = false;
    }
    if (!this.stopped) this.timer = this.deps.setTimer(() => void this.tick(), next);
  }
}
