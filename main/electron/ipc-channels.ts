// IPC channel names, derived from API_METHODS: the only place they are spelled.
import type { ApiMethod } from '../api';

export const API_CHANNEL_PREFIX = 'porthole:api:';
export const EVENT_CHANNEL = 'porthole:event';
/** The renderer asks for the snapshot (open prompts, live states) once it listens. */
export const SNAPSHOT_CHANNEL = 'porthole:snapshot';

export function apiChannel(method: ApiMethod): string {
  return `${API_CHANNEL_PREFIX}${method}`;
}
