// Joins one viewer WebSocket to its relay byte stream, each direction ending on its own.
// Two stream.pipeline()s over the same pair treated the other direction's normal end as
// "Premature close" and tore both down at once: the desktop's last bytes (a login refusal) were
// lost and the relay's own error never reached the viewer.
import type { Duplex, Readable } from 'node:stream';
import type { WebSocket } from 'ws';
import { RfbMessageEnds } from './rfb-message-ends';

/** Above this much unsent data towards the viewer, the relay is paused (backpressure). */
const HIGH_WATER_BYTES = 4 * 1024 * 1024;
/** After the viewer leaves, the relay gets this long to close by itself after its EOF. */
const RELAY_GRACE_MS = 5_000;
/** A message longer than this goes to the viewer in parts of this size (a whole screen's first update). */
const MAX_HELD_BYTES = 256 * 1024;
/** A desktop that stops this long inside a message is no longer followed (rfb-message-ends.ts). */
const STALL_MS = 50;
/** WebSocket close reasons are at most 123 bytes. */
const MAX_REASON = 120;

export interface ViewerStreamEnd {
  /** Why the stream ended when it was not a clean end: the relay's own words when it gave any. */
  error?: string;
}

/**
 * `relay` may still be opening: what the viewer sends meanwhile is kept and written once it is
 * there. `onEnd` is called once: with the reason when the stream failed, else when it ends.
 */
export function joinViewerStream(ws: WebSocket, relay: Promise<Duplex>, onEnd: (end: ViewerStreamEnd) => void): void {
  const early: Buffer[] = [];
  const messageEnds = new RfbMessageEnds();
  let stream: Duplex | undefined;
  let ended = false;
  const finish = (end: ViewerStreamEnd) => {
    if (ended) return;
    ended = true;
    onEnd(end);
  };

  ws.on('message', (data: Buffer) => {
    messageEnds.fromViewer(data);
    if (!stream) early.push(data);
    else if (stream.writable && !stream.write(data)) ws.pause();
  });
  // A bad frame from the viewer: ws reports it, then closes the socket (handled below).
  ws.on('error', () => undefined);
  ws.once('close', () => {
    if (!stream) return finish({});
    // EOF lets the desktop server close the connection its own way; a relay that does not
    // follow is closed for it.
    stream.end();
    setTimeout(() => stream?.destroy(), RELAY_GRACE_MS).unref();
    finish({});
  });

  relay.then(
    (opened) => {
      if (ws.readyState !== ws.OPEN) {
        opened.destroy();
        return finish({});
      }
      stream = opened;
      attach(ws, opened, messageEnds, finish);
      for (const chunk of early.splice(0)) opened.write(chunk);
    },
    (error: Error) => {
      closeWith(ws, 1011, error.message);
      finish({ error: error.message });
    },
  );
}

function attach(ws: WebSocket, relay: Duplex, messageEnds: RfbMessageEnds, finish: (end: ViewerStreamEnd) => void): void {
  const stderr = stderrTail((relay as Duplex & { stderr?: Readable }).stderr);
  let exitCode: number | undefined;
  relay.on('exit', (code: unknown) => (exitCode = typeof code === 'number' ? code : undefined));
  relay.on('drain', () => ws.resume());
  // What the relay gave within one turn of the event loop goes out as one message, up to the
  // end of the last whole RFB message in it: an update arrives as many pieces (a bulk one as
  // 32 KiB SSH packets, a moving window's as ~40 small writes), and a message each costs the
  // viewer more. Measured in Chromium reading 256 MiB (no DevTools attached): 100–155 MiB/s
  // joined per turn, 28–87 as a message per packet. Under glxgears (~40 pieces an update), a
  // message per update instead of per turn took Chromium from 24–26 to 18–19 ms of CPU a frame.
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  /** How many of the pending bytes end a message: what may go out now. */
  let wholeBytes = 0;
  let flushQueued = false;
  let stallTimer: NodeJS.Timeout | undefined;
  const flush = () => {
    flushQueued = false;
    if (wholeBytes === 0 || ws.readyState !== ws.OPEN) return;
    const joined = pending.length === 1 ? pending[0] : Buffer.concat(pending, pendingBytes);
    const rest = joined.subarray(wholeBytes);
    pending = rest.length ? [rest] : [];
    pendingBytes = rest.length;
    ws.send(joined.subarray(0, wholeBytes), () => {
      if (relay.isPaused() && ws.bufferedAmount < HIGH_WATER_BYTES / 2) relay.resume();
    });
    wholeBytes = 0;
    if (ws.bufferedAmount > HIGH_WATER_BYTES) relay.pause();
  };
  const queueFlush = () => {
    if (!flushQueued) setImmediate(flush);
    flushQueued = true;
  };
  // A message cut short for long would hold the viewer's screen: send what is there and stop
  // following the stream (one the follower misread ends up here too).
  const watchForStall = (bytesThen: number) => {
    stallTimer = setTimeout(() => {
      stallTimer = undefined;
      if (pendingBytes === wholeBytes) return;
      if (pendingBytes !== bytesThen) return watchForStall(pendingBytes);
      messageEnds.abandon();
      wholeBytes = pendingBytes;
      flush();
    }, STALL_MS).unref();
  };
  relay.on('data', (chunk: Buffer) => {
    const end = messageEnds.fromDesktop(chunk);
    if (end >= 0) wholeBytes = pendingBytes + end;
    pending.push(chunk);
    pendingBytes += chunk.length;
    if (pendingBytes - wholeBytes >= MAX_HELD_BYTES) wholeBytes = pendingBytes;
    if (wholeBytes > 0) queueFlush();
    if (pendingBytes > wholeBytes && !stallTimer) watchForStall(pendingBytes);
  });
  // The desktop side is done: what was sent goes out first (ws keeps frames in order), then
  // the close, with the relay's reason when it failed.
  const relayDone = (error?: Error) => {
    clearTimeout(stallTimer);
    wholeBytes = pendingBytes;
    flush();
    if (ws.readyState !== ws.OPEN) return;
    const reason = error?.message ?? (exitCode ? stderr() || `the relay exited with code ${exitCode}` : '');
    if (reason) {
      closeWith(ws, 1011, reason);
      finish({ error: reason });
    } else ws.close(1000);
  };
  // An exec channel (the `relay <id>` fallback) reports its exit code between its EOF and its
  // close: wait for the close.
  relay.once('end', () => setTimeout(() => relayDone(), 250).unref());
  relay.once('close', () => setImmediate(() => relayDone()));
  relay.on('error', (error: Error) => relayDone(error));
}

function closeWith(ws: WebSocket, code: number, reason: string): void {
  if (ws.readyState === ws.OPEN || ws.readyState === ws.CONNECTING)
    ws.close(code, Buffer.from(reason.trim()).subarray(0, MAX_REASON).toString());
}

/** The last words the relay wrote to stderr, for the viewer and the log. */
function stderrTail(stderr: Readable | undefined): () => string {
  let text = '';
  stderr?.on('data', (chunk: Buffer) => (text = (text + chunk.toString()).slice(-500)));
  return () => text.trim().split('\n').at(-1) ?? '';
}
