// One noVNC RFB connection to a session's desktop, kept alive: when the stream drops while the
// session is still ready, it asks main for a fresh viewer URL and connects again by itself (a
// viewer URL opens one stream, soon after it is issued: never keep one for later).
// The VNC password lives only in this closure and in RFB's memory: never in the DOM or a URL.
import RFB from '@novnc/novnc';
import { useEffect, useRef, useState, type RefObject } from 'react';
import { rfbProperties, viewerRetryDelayMs, type ViewerSettings } from '../../logic/viewer-settings';
import { errorMessage } from '../../transport/api-call-error';
import type { ApiLink } from '../../transport/link';

export type VncStatus =
  | { phase: 'connecting' }
  | { phase: 'connected' }
  | { phase: 'reconnecting'; attempt: number; reason: string }
  | { phase: 'stopped'; reason: string };

export interface VncHandle {
  status: VncStatus;
  remoteClipboard: string;
  rfb: RefObject<RFB | null>;
  disconnect(): void;
}

export function useVnc(
  link: ApiLink,
  target: { cluster: string; id: string },
  screen: RefObject<HTMLDivElement | null>,
  settings: ViewerSettings,
  sessionReady: boolean,
): VncHandle {
  const rfb = useRef<RFB | null>(null);
  const [status, setStatus] = useState<VncStatus>({ phase: 'connecting' });
  const [remoteClipboard, setRemoteClipboard] = useState('');
  const stopped = useRef(false);
  const settingsRef = useRef(settings);
  settingsRef.current = settings;
  const readyRef = useRef(sessionReady);
  readyRef.current = sessionReady;

  useEffect(() => {
    stopped.current = false;
    let attempt = 0;
    let retry: ReturnType<typeof setTimeout> | undefined;
    const scheduleRetry = (reason: string) => {
      if (stopped.current) return;
      if (!readyRef.current) {
        setStatus({ phase: 'stopped', reason: 'The session is no longer running' });
        return;
      }
      attempt += 1;
      setStatus({ phase: 'reconnecting', attempt, reason });
      retry = setTimeout(() => void open(), viewerRetryDelayMs(attempt));
    };
    const open = async () => {
      if (stopped.current || !screen.current) return;
      let url: string;
      let password: string;
      try {
        performance.mark('porthole:viewer:url-requested');
        ({ url, password } = await link.call('sessions.viewerUrl', target.cluster, target.id));
      } catch (error) {
        return scheduleRetry(errorMessage(error));
      }
      if (stopped.current || !screen.current) return;
      const socket = new WebSocket(url);
      socket.addEventListener('open', () => performance.mark('porthole:viewer:socket-open'), { once: true });
      const connection = new RFB(screen.current, socket, { credentials: { password }, shared: true });
      connection.background = '#1b1f24';
      // Quality and compression are asked for in the handshake; scaling waits for the first
      // framebuffer (set before it, noVNC divides by a zero width and shows a 0×0 canvas).
      connection.qualityLevel = rfbProperties(settingsRef.current).qualityLevel;
      connection.compressionLevel = rfbProperties(settingsRef.current).compressionLevel;
      connection.addEventListener('credentialsrequired', () => connection.sendCredentials({ password }));
      connection.addEventListener('connect', () => {
        attempt = 0;
        performance.mark('porthole:viewer:rfb-connect');
        Object.assign(connection, rfbProperties(settingsRef.current));
        setStatus({ phase: 'connected' });
        connection.focus({ preventScroll: true });
      });
      connection.addEventListener('clipboard', (event) => setRemoteClipboard(String((event as CustomEvent<{ text: string }>).detail.text)));
      connection.addEventListener('securityfailure', (event) => {
        const detail = (event as CustomEvent<{ reason?: string }>).detail;
        setStatus({ phase: 'stopped', reason: `The desktop refused the login${detail.reason ? `: ${detail.reason}` : ''}` });
        stopped.current = true;
      });
      connection.addEventListener('disconnect', (event) => {
        if (rfb.current === connection) rfb.current = null;
        const clean = (event as CustomEvent<{ clean: boolean }>).detail.clean;
        scheduleRetry(clean ? 'the desktop closed the connection' : 'the connection to the desktop was lost');
      });
      rfb.current = connection;
    };
    void open();
    return () => {
      stopped.current = true;
      clearTimeout(retry);
      rfb.current?.disconnect();
      rfb.current = null;
    };
  }, [link, target.cluster, target.id, screen]);

  useEffect(() => {
    if (rfb.current && status.phase === 'connected') Object.assign(rfb.current, rfbProperties(settings));
  }, [settings, status.phase]);

  return {
    status,
    remoteClipboard,
    rfb,
    disconnect() {
      stopped.current = true;
      rfb.current?.disconnect();
      setStatus({ phase: 'stopped', reason: 'Disconnected' });
    },
  };
}
