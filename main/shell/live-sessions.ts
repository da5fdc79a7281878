// The sessions that still hold a job (not ended), kept from the Api's event stream, for the
// tray: its count, its menu, and whether closing the window should keep the app running.
import type { ApiEvent, SessionView } from '../api';

export class LiveSessions {
  private readonly byKey = new Map<string, SessionView>();

  /** Takes one event; true when the live sessions changed. */
  apply(event: ApiEvent): boolean {
    if (event.type !== 'session') return false;
    const key = `${event.session.cluster}/${event.session.id}`;
    if (event.session.state === 'ended') return this.byKey.delete(key);
    this.byKey.set(key, event.session);
    return true;
  }

  list(): SessionView[] {
    return [...this.byKey.values()];
  }
}
