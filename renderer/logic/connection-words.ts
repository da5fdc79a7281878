// A connection state as a person reads it.
import type { ConnectionState } from '../../main/api';
import { secondsUntil } from './durations';

export interface ConnectionWords {
  label: string;
  detail?: string;
  tone: 'ok' | 'waiting' | 'bad';
}

export function connectionWords(state: ConnectionState, now: number): ConnectionWords {
  switch (state.status) {
    case 'connected':
      return { label: 'Connected', tone: 'ok' };
    case 'connecting':
      return { label: 'Connecting…', detail: state.reason, tone: 'waiting' };
    case 'reconnecting': {
      const label =
        state.nextAttemptAt !== undefined && state.nextAttemptAt > now
          ? `Offline, reconnecting in ${secondsUntil(state.nextAttemptAt, now)} s`
          : 'Offline, reconnecting…';
      return { label, detail: state.reason, tone: 'waiting' };
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
