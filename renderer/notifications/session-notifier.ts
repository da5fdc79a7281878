// Desktop notifications: when a session becomes ready, when an idle one will be stopped, and 10
// minutes before its time ends.
// Only changes seen live count: reloading the page does not repeat old news.
import type { SessionView } from '../../main/api';
import { idleMinutesLeft } from '../../agent/common/idle-stop';
import { sessionKey } from '../logic/session-key';
import type { AppState } from '../stores/app-state';

export const WARN_BEFORE_END_MS = 10 * 60 * 1000;

/** Asked on a click (browsers ignore a request that no person caused). */
export function requestNotificationPermission(): void {
  if (typeof Notification !== 'undefined' && Notification.permission === 'default') void Notification.requestPermission();
}

function notify(title: string, body: string, tag: string): void {
  if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
  try {
    new Notification(title, { body, tag });
  } catch {
    // Some platforms allow notifications only from a service worker; the in-app state still shows it.
  }
}

export function startSessionNotifier(app: AppState, checkEveryMs = 15_000): () => void {
  const warned = new Set<string>();
  let previous = app.sessions.getState().sessions;
  const unsubscribe = app.sessions.subscribe((state) => {
    for (const [key, session] of Object.entries(state.sessions)) {
      const before = previous[key];
      if (session.state === 'ready' && before && before.state !== 'ready') {
        notify(
          `${session.templateName} is ready`,
          `On ${session.cluster}${session.node ? ` (${session.node})` : ''}. Open it in Porthole.`,
          `ready-${key}`,
        );
      }
      if (session.state === 'ready' && session.idleStopAt && before && before.idleStopAt !== session.idleStopAt) {
        notify(
          `${session.templateName}: idle, stops in ${idleMinutesLeft(session.idleStopAt, app.now())} min`,
          `No viewer and no input on ${session.cluster}: it will be stopped to free its node. Keep running in Porthole keeps it.`,
          `idle-${key}`,
        );
      }
    }
    previous = state.sessions;
  });
  const warnEnding = () => {
    const now = app.now();
    for (const session of Object.values(app.sessions.getState().sessions) as SessionView[]) {
      const key = sessionKey(session);
      if (session.state !== 'ready' || !session.endsAt || warned.has(key)) continue;
      const left = Date.parse(session.endsAt) - now;
      if (left > 0 && left <= WARN_BEFORE_END_MS) {
        warned.add(key);
        notify(
          `${session.templateName} ends in ${Math.ceil(left / 60_000)} min`,
          `Its time on ${session.cluster} runs out; save your work.`,
          `ending-${key}`,
        );
      }
    }
  };
  const timer = setInterval(warnEnding, checkEveryMs);
  return () => {
    unsubscribe();
    clearInterval(timer);
  };
}
