// What a person reads for a session's state (docs/architecture.md §6). The e2e tests and the issue use
// these exact words, so they live in one place.
import type { SessionEnd, SessionState } from '../../main/api';

const STATE_WORDS: Record<SessionState, string> = {
  submitted: 'Submitted',
  queued: 'Queued',
  starting: 'Starting',
  ready: 'Ready',
  ended: 'Ended',
};

const END_WORDS: Record<SessionEnd, string> = {
  completed: 'completed',
  failed: 'failed',
  cancelled: 'cancelled',
  timeout: 'time limit reached',
  lost: 'lost',
  idle: 'idle',
};

export function stateWords(session: { state: SessionState; end?: SessionEnd }): string {
  if (session.state !== 'ended') return STATE_WORDS[session.state];
  return session.end ? `Ended — ${END_WORDS[session.end]}` : 'Ended';
}

/** A session that still holds (or waits for) a Slurm allocation. */
export function isActive(session: { state: SessionState }): boolean {
  return session.state !== 'ended';
}

/** Tone for the badge: the colour is never the only signal, the words are always shown. */
export function stateTone(session: { state: SessionState; end?: SessionEnd }): 'waiting' | 'ready' | 'ok' | 'bad' {
  if (session.state === 'ready') return 'ready';
  if (session.state !== 'ended') return 'waiting';
  return session.end === 'completed' || session.end === 'cancelled' || session.end === 'idle' ? 'ok' : 'bad';
}
