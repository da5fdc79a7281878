// The view-only viewer's one noVNC connection to another user's shared desktop. Not the owner's
// viewer hook (use-vnc.ts): no password (the owner's side authenticates to the desktop, and
// offers this side security None), input is never sent (viewOnly; the owner's side drops it
// anyway), and a refusal is final: when the stream drops, the share is asked for once more,
// and the owner's side's answer ("stopped by its owner", "expired") is why it closed.
import RFB from '@novnc/novnc';
import { useEffect, useRef, useState, type RefObject } from 'react';
import type { SharedViewerTarget } from '../../../main/api';
import { sharedViewerEndWords } from '../../logic/share-words';
import { rfbProperties, WAN_DEFAULTS } from '../../logic/viewer-settings';
import { errorMessage } from '../../transport/api-call-error';

export type SharedVncStatus = { phase: 'connecting' } | { phase: 'connected' } | { phase: 'closed'; reason: string };

/** Streams that drop before they show anything, in a row, before the viewer gives up. */
const MAX_FAILED_STREAMS = 3;

export function useSharedVnc(
  first: SharedViewerTarget,
  reopen: () => Promise<SharedViewerTarget>,
  screen: RefObject<HTMLDivElement | null>,
  now: () => number,
): { status: SharedVncStatus; disconnect(): void } {
  const [status, setStatus] = useState<SharedVncStatus>({ phase: 'connecting' });
  const rfb = useRef<RFB | null>(null);
  const stopped = useRef(false);

  useEffect(() => {
    stopped.current = false;
    let failedInARow = 0;
    const close = (reason: string) => {
      stopped.current = true;
      setStatus({ phase: 'closed', reason });
    };
    const connect = (target: SharedViewerTarget) => {
      if (stopped.current || !screen.current) return;
      const connection = new RFB(screen.current, target.url, { shared: true });
      // Set before the handshake: noVNC then sends no key or pointer event at all.
      connection.viewOnly = true;
      connection.background = '#1b1f24';
      connection.qualityLevel = rfbProperties(WAN_DEFAULTS).qualityLevel;
      connection.compressionLevel = rfbProperties(WAN_DEFAULTS).compressionLevel;
      let showed = false;
      connection.addEventListener('connect', () => {
        showed = true;
        failedInARow = 0;
        connection.scaleViewport = true;
        setStatus({ phase: 'connected' });
      });
      connection.addEventListener('securityfailure', (event) => {
        const reason = (event as CustomEvent<{ reason?: string }>).detail.reason;
        close(`The shared desktop refused the connection${reason ? `: ${reason}` : ''}.`);
      });
      connection.addEventListener('disconnect', () => {
        if (rfb.current === connection) rfb.current = null;
        if (stopped.current) return;
        failedInARow = showed ? 0 : failedInARow + 1;
        if (failedInARow >= MAX_FAILED_STREAMS) return close('The connection to the shared desktop was lost, and did not come back.');
        setStatus({ phase: 'connecting' });
        void next();
      });
      rfb.current = connection;
    };
    const next = async () => {
      try {
        connect(await reopen());
      } catch (error) {
        close(sharedViewerEndWords(errorMessage(error), first.expiresAt, now()));
      }
    };
    connect(first);
    return () => {
      stopped.current = true;
      rfb.current?.disconnect();
      rfb.current = null;
    };
  }, [first, reopen, screen, now]);

  return {
    status,
    disconnect() {
      stopped.current = true;
      rfb.current?.disconnect();
      setStatus({ phase: 'closed', reason: 'You closed the shared desktop.' });
    },
  };
}
