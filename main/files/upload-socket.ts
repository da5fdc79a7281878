// The upload socket: the page streams one file's bytes to main over a WebSocket of the viewer
// bridge (`/files?token=…`, admitted as a viewer stream is: our Host, our page's Origin, a
// one-shot token from `files.uploadUrl`). The same path serves Electron and the web host, so the
// renderer has one way to upload. Wire, text frames of JSON unless said:
//   page → main  {"name": "a.txt", "size": 123, "subPath": ["folder"]}   first, once
//   main → page  {"ready": true}
//   page → main  binary frames of the file's bytes, in order
//   main → page  {"written": n}          bytes on the cluster so far (the page keeps at most
//                                        UPLOAD_WINDOW_BYTES sent beyond it: back-pressure)
//   page → main  {"end": true}           after the last byte
//   main → page  {"savedAs": "a (2).txt"} or {"error": "…"}, then main closes.
// The page closing the socket early cancels: the part file is removed.
import type { IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { z } from 'zod';
import type { SessionFileTransfers, SessionRef } from './session-file-transfers';

/** How far the page may run ahead of the cluster's acknowledgements. */
export const UPLOAD_WINDOW_BYTES = 8 * 1024 * 1024;
/** The largest frame the page sends (it sends 256 KiB). */
const MAX_FRAME_BYTES = 1024 * 1024;
/** Acknowledgements are sent at most this often, in bytes. */
const ACK_EVERY_BYTES = 256 * 1024;

const header = z.strictObject({
  name: z.string().max(1024),
  size: z.number().int().min(0),
  subPath: z.array(z.string().max(1024)).max(32).default([]),
});
const end = z.strictObject({ end: z.literal(true) });

export class UploadEndpoint {
  private readonly wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: MAX_FRAME_BYTES });

  constructor(
    private readonly transfers: SessionFileTransfers,
    private readonly log?: (line: string) => void,
  ) {}

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, target: SessionRef): void {
    this.wss.handleUpgrade(req, socket, head, (ws) => this.serve(ws, target));
  }

  close(): void {
    for (const client of this.wss.clients) client.terminate();
  }

  private serve(ws: WebSocket, target: SessionRef): void {
    const abort = new AbortController();
    const source = new PassThrough({ highWaterMark: UPLOAD_WINDOW_BYTES });
    let file: z.infer<typeof header> | null = null;
    let received = 0;
    let acknowledged = 0;
    let finished = false;
    const send = (message: object) => ws.readyState === ws.OPEN && ws.send(JSON.stringify(message));
    const finish = (message: { savedAs: string } | { error: string }) => {
      if (finished) return;
      finished = true;
      send(message);
      ws.close(1000);
      abort.abort();
    };
    ws.on('close', () => {
      if (!finished) abort.abort();
    });
    const progress = (written: number) => {
      if (written - acknowledged < ACK_EVERY_BYTES && written < (file?.size ?? 0)) return;
      acknowledged = written;
      send({ written });
    };
    ws.on('message', (data: RawData, isBinary: boolean) => {
      const bytes = data as Buffer;
      if (!file) {
        const parsed = isBinary ? null : header.safeParse(safeJson(bytes));
        if (!parsed?.success) return finish({ error: 'Send {"name", "size", "subPath"} first, as a text frame of JSON' });
        file = parsed.data;
        const { name, subPath } = file;
        send({ ready: true });
        this.transfers
          .upload(target, { name, subPath, source }, progress, abort.signal)
          .then((savedAs) => {
            this.log?.(`uploaded ${name} to ${target.cluster}/${target.sessionId} as ${savedAs}`);
            finish({ savedAs });
          })
          .catch((error: Error) => finish({ error: error.message }));
        return;
      }
      if (isBinary) {
        received += bytes.length;
        // A page that ignores the window or the size would have main hold what it sends.
        if (received > file.size) return finish({ error: `${file.name}: more bytes came than its size, ${file.size}` });
        if (received - acknowledged > 2 * UPLOAD_WINDOW_BYTES) return finish({ error: `${file.name}: sent too far ahead of the cluster` });
        source.write(bytes);
        return;
      }
      if (!end.safeParse(safeJson(bytes)).success) return finish({ error: 'Only {"end": true} may follow the bytes' });
      if (received !== file.size) return finish({ error: `${file.name}: ${received} bytes came of its ${file.size}` });
      source.end();
    });
  }
}

function safeJson(bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    return null;
  }
}
