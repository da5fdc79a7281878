// What deserves a desktop notification: a session seen becoming ready, and a ready session
// 10 minutes before its time ends (once). Only changes seen live count, so a restart does not
// repeat old news. Electron's main process shows them (main/electron/desktop-shell.ts), so they
// show while the window is hidden; `porthole serve` keeps the browser's (renderer/notifications).
import type { ApiEvent, SessionState, SessionView } from '../api';

export const WARN_BEFORE_END_MS = 10 * 60 * 1000;

export interface SessionNotice {
  title: string;
  body: string;
  session: SessionView;
}

const keyOf = (session: SessionView) => `${session.cluster}/${session.id}`;

export class SessionNotices {
  private readonly lastState = new Map<string, SessionState>();
  private readonly ready = new Map<string, SessionView>();
  private readonly warned = new Set<string>();

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
