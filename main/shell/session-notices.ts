// What deserves a desktop notification: a session seen becoming ready, and a ready session
// 10 minutes before its time ends (once). Only changes seen live count, so a restart does not
// repeat old news. Electron's main process shows them (main/electron/desktop-shell.ts), so they
// show while the window is hidden; `porthole serve` keeps the browser's (renderer/notifications).
import { idleMinutesLeft } from '../../agent/common/idle-stop';
import type { ApiEvent, SessionState, SessionView } from '../api';

export const WARN_BEFORE_END_MS = 10 * 60 * 1000;

export interface SessionNotice {
  title: string;
  body: string;
  session: SessionView;
  /** A button on the notification (where the OS shows them) that keeps an idle desktop running. */
  keepRunning?: boolean;
}

const keyOf = (session: SessionView) => `${session.cluster}/${session.id}`;

export class SessionNotices {
  private readonly lastState = new Map<string, SessionState>();
  private readonly ready = new Map<string, SessionView>();
  private readonly warned = new Set<string>();
  /** The idle stop each session was last warned about: a new one (after Keep running) warns again. */
  private readonly idleWarned = new Map<string, string>();

  fromEvent(event: ApiEvent): SessionNotice | null {
    if (event.type !== 'session') return null;
    const { session } = event;
    const key = keyOf(session);
    const before = this.lastState.get(key);
    this.lastState.set(key, session.state);
    if (session.state === 'ready') this.ready.set(key, session);
    else this.ready.delete(key);
    if (session.state !== 'ready' || before === undefined || before === 'ready') return null;
    return {
      title: `${session.templateName} is ready`,
      body: `On ${session.cluster}${session.node ? ` (${session.node})` : ''}. Click to open it.`,
      session,
    };
  }

  /** A ready desktop that nobody uses will be stopped: once per stop time, with a Keep running button. */
  idleStopFromEvent(event: ApiEvent, now: number): SessionNotice | null {
    if (event.type !== 'session') return null;
    const { session } = event;
    const key = keyOf(session);
    if (session.state !== 'ready' || !session.idleStopAt) {
      this.idleWarned.delete(key);
      return null;
    }
    if (this.idleWarned.get(key) === session.idleStopAt) return null;
    this.idleWarned.set(key, session.idleStopAt);
    return {
      title: `${session.templateName}: idle, stops in ${idleMinutesLeft(session.idleStopAt, now)} min`,
      body: `No viewer and no input on ${session.cluster}: it will be stopped to free its node. Keep running to keep it.`,
      session,
      keepRunning: true,
    };
  }

  endingSoon(now: number): SessionNotice[] {
    const notices: SessionNotice[] = [];
    for (const [key, session] of this.ready) {
      const left = session.endsAt ? Date.parse(session.endsAt) - now : NaN;
      if (this.warned.has(key) || !(left > 0 && left <= WARN_BEFORE_END_MS)) continue;
      this.warned.add(key);
      notices.push({
        title: `${session.templateName} ends in ${Math.ceil(left / 60_000)} min`,
        body: `Its time on ${session.cluster} runs out; save your work.`,
        session,
      });
    }
    return notices;
  }
}
