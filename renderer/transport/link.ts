// What the renderer holds: an ApiClient (main/api.ts) plus whether Porthole's host answers.
// The Electron bridge is always there; the WebSocket to `porthole serve` can drop.
import type { ApiClient } from '../../main/api';

export type LinkStatus = 'connecting' | 'online' | 'offline';

export interface ApiLink extends ApiClient {
  readonly status: LinkStatus;
  /** Called on every status change; returns its unsubscribe. */
  onStatus(handler: (status: LinkStatus) => void): () => void;
}
