// The sessions of every cluster as last heard, with when this window first saw each state
// (for the launch steps) and which clusters are live right now. A session of a cluster that
// is not live is shown as cached, never as live.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { FieldValues, SessionView } from '../../main/api';
import type { SeenAt } from '../logic/launch-steps';
import { sessionKey } from '../logic/session-key';
import type { ApiLink } from '../transport/link';

export interface SessionsState {
  sessions: Record<string, SessionView>;
  seenAt: Record<string, SeenAt>;
  /** Clusters whose sessions are live now: when they were last listed (epoch ms). */
  liveSince: Record<string, number>;
  /** When each session was last heard of from its cluster (epoch ms); cached ones keep theirs. */
  lastSeenAt: Record<string, number>;
  refresh(cluster: string): Promise<void>;
  apply(sessions: SessionView[]): void;
  /** Sessions from the local cache, shown until their cluster answers. */
  seedCached(entries: { session: SessionView; lastSeenAt: number }[]): void;
  markNotLive(cluster: string): void;
  launch(cluster: string, templateId: string, values: FieldValues): Promise<SessionView>;
  cancel(key: string): Promise<void>;
  /** Restarts an idle desktop's clock; the answer no longer carries its idle stop. */
  keepRunning(key: string): Promise<void>;
  logs(key: string): Promise<string>;
}

export function createSessionsStore(
  link: ApiLink,
  now: () => number,
  onSeen: (sessions: SessionView[], at: number) => void,
): StoreApi<SessionsState> {
  return createStore<SessionsState>((set, get) => ({
    sessions: {},
    seenAt: {},
    liveSince: {},
    lastSeenAt: {},
    async refresh(cluster) {
      const list = await link.call('sessions.list', cluster);
      // A cached session its cluster no longer lists must not look live; History keeps it.
      const listed = new Set(list.map(sessionKey));
      const sessions = Object.fromEntries(
        Object.entries(get().sessions).filter(([key, session]) => session.cluster !== cluster || listed.has(key)),
      );
      set({ sessions });
      get().apply(list);
      set({ liveSince: { ...get().liveSince, [cluster]: now() } });
    },
    apply(incoming) {
      if (incoming.length === 0) return;
      const at = now();
      const sessions = { ...get().sessions };
      const seenAt = { ...get().seenAt };
      const lastSeenAt = { ...get().lastSeenAt };
      const fresh: SessionView[] = [];
      for (const session of incoming) {
        const key = sessionKey(session);
        // Ended is final (docs/architecture.md §6): a late answer that still says running does not undo it.
        if (sessions[key]?.state === 'ended' && session.state !== 'ended') continue;
        fresh.push(session);
        sessions[key] = session;
        lastSeenAt[key] = at;
        const seen = seenAt[key];
        // A session first met in a later state (listed after a reload) has no step times to
        // give: only changes seen here, or a launch from here, are timed.
        if (!seen) seenAt[key] = session.state === 'submitted' ? { submitted: at } : {};
        else if (seen[session.state] === undefined) seenAt[key] = { ...seen, [session.state]: at };
      }
      set({ sessions, seenAt, lastSeenAt });
      if (fresh.length) onSeen(fresh, at);
    },
    seedCached(entries) {
      const sessions = { ...get().sessions };
      const lastSeenAt = { ...get().lastSeenAt };
      for (const { session, lastSeenAt: seen } of entries) {
        const key = sessionKey(session);
        if (sessions[key]) continue;
        sessions[key] = session;
        lastSeenAt[key] = seen;
      }
      set({ sessions, lastSeenAt });
    },
    markNotLive(cluster) {
      if (get().liveSince[cluster] === undefined) return;
      const liveSince = { ...get().liveSince };
      delete liveSince[cluster];
      set({ liveSince });
    },
    async launch(cluster, templateId, values) {
      const session = await link.call('sessions.launch', cluster, templateId, values);
      get().apply([session]);
      return session;
    },
    async cancel(key) {
      const session = get().sessions[key];
      if (!session) return;
      const answer = await link.call('sessions.cancel', session.cluster, session.id);
      get().apply([answer]);
      // scancel returns before Slurm has ended the job: ask again until the session says it
      // ended, in case no change is pushed soon (the agent polls rarely when nothing starts).
      for (const delayMs of [1000, 2000, 4000, 8000, 15000]) {
        if (get().sessions[key]?.state === 'ended') return;
        await new Promise((resolve) => setTimeout(resolve, delayMs));
        if (get().sessions[key]?.state === 'ended') return;
        // One failed look is fine here: the next one, or a change the agent pushes, brings the end.
        await get()
          .refresh(session.cluster)
          .catch(() => undefined);
      }
    },
    async keepRunning(key) {
      const session = get().sessions[key];
      if (!session) return;
      get().apply([await link.call('sessions.keepRunning', session.cluster, session.id)]);
    },
    async logs(key) {
      const session = get().sessions[key];
      if (!session) return '';
      return link.call('sessions.logs', session.cluster, session.id, 200);
    },
  }));
}
