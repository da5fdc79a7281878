// A connection state as a person reads it.
import type { ConnectionState } from '../../main/api';
import { secondsUntil } from './durations';

export interface ConnectionWords {
  /** The state, steady while it lasts: what a live region may announce. */
  label: string;
  /** Time to the next attempt ("in 5 s"), which changes every second: never inside a live region. */
  countdown?: string;
  detail?: string;
  tone: 'ok' | 'waiting' | 'bad';
}

export function connectionWords(state: ConnectionState, now: number): ConnectionWords {
  switch (state.status) {
    case 'connected':
      // Part of the label, so that a move to another login node is announced like any change.
      return { label: state.loginNode ? `Connected to login node ${state.loginNode}` : 'Connected', tone: 'ok' };
    case 'connecting':
      return { label: 'Connecting…', detail: state.reason, tone: 'waiting' };
    case 'reconnecting': {
      // The same words while it waits and while it tries, so that a live region says them once.
      const waiting = state.nextAttemptAt !== undefined && state.nextAttemptAt > now;
      const countdown = waiting ? `in ${secondsUntil(state.nextAttemptAt!, now)} s` : undefined;
      return { label: 'Offline, reconnecting', countdown, detail: state.reason, tone: 'waiting' };
    }
    case 'failed':
      return { label: 'Offline, could not connect', detail: state.reason, tone: 'bad' };
    case 'offline':
      return { label: 'Not connected', detail: state.reason, tone: 'bad' };
  }
}

/** The cluster answers and its sessions are live. */
export function isLive(state: ConnectionState): boolean {
  return state.status === 'connected';
}
