// How the viewer draws the remote desktop, as RFB properties, and when it reconnects.
import { backoffDelay, VIEWER_RECONNECT } from '../../agent/common/backoff';

export type Scaling = 'fit' | 'actual' | 'remote';

export const SCALING_LABELS: Record<Scaling, string> = {
  fit: 'Fit to window',
  actual: '1:1',
  remote: 'Resize remote desktop',
};

export interface ViewerSettings {
  scaling: Scaling;
  /** JPEG quality 0–9 (9 best). */
  quality: number;
  /** Compression 0–9 (9 smallest, most server CPU). */
  compression: number;
}

// Suited to a WAN: noVNC's defaults (quality 6, compression 2) assume a LAN.
export const WAN_DEFAULTS: ViewerSettings = { scaling: 'fit', quality: 5, compression: 6 };

export function rfbProperties(settings: ViewerSettings): {
  scaleViewport: boolean;
  resizeSession: boolean;
  clipViewport: boolean;
  qualityLevel: number;
  compressionLevel: number;
} {
  return {
    scaleViewport: settings.scaling === 'fit',
    resizeSession: settings.scaling === 'remote',
    // 1:1 scrolls inside the desktop region (never the page).
    clipViewport: false,
    qualityLevel: clampLevel(settings.quality),
    compressionLevel: clampLevel(settings.compression),
  };
}

function clampLevel(n: number): number {
  return Math.min(9, Math.max(0, Math.round(n)));
}

/** Delay before the viewer's next reconnect attempt. */
export function viewerRetryDelayMs(attempt: number): number {
  return backoffDelay(attempt, VIEWER_RECONNECT);
}
