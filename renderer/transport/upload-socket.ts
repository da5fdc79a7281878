// One file's bytes to main's upload socket (main/files/upload-socket.ts has the wire), read from
// the File in slices so that a 1 GiB file never sits in the page's memory, and never more than
// a window ahead of what the cluster has acknowledged.

/** Bytes per binary frame. */
const FRAME_BYTES = 256 * 1024;
/** Must not exceed main's UPLOAD_WINDOW_BYTES. */
const WINDOW_BYTES = 8 * 1024 * 1024;

export interface UploadFile {
  file: Blob & { name: string };
  /** Folders above it inside a dropped folder, the top one as made by files.createFolder. */
  subPath: string[];
}

type ServerMessage = { ready: true } | { written: number } | { savedAs: string } | { error: string };

/** Sends the file; resolves with the name it was saved under, rejects with the reason a person reads. */
export function sendFile(
  url: string,
  upload: UploadFile,
  onProgress: (writtenBytes: number) => void,
  signal: AbortSignal,
): Promise<string> {
  const { file, subPath } = upload;
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    let written = 0;
    let wake: (() => void) | null = null;
    let settled = false;
    const settle = (outcome: { savedAs: string } | { error: string }) => {
      if (settled) return;
      settled = true;
      wake?.();
      if ('savedAs' in outcome) resolve(outcome.savedAs);
      else reject(new Error(outcome.error));
      ws.close();
    };
    signal.addEventListener('abort', () => settle({ error: `Upload of ${file.name} cancelled` }), { once: true });
    ws.onopen = () => ws.send(JSON.stringify({ name: file.name, size: file.size, subPath }));
    ws.onerror = () => settle({ error: `${file.name}: the upload's connection to Porthole failed` });
    ws.onclose = () => settle({ error: `${file.name}: Porthole closed the upload before it was done` });
    ws.onmessage = (event: MessageEvent<string>) => {
      const message = JSON.parse(event.data) as ServerMessage;
      if ('ready' in message) void sendBytes();
      else if ('written' in message) {
        written = message.written;
        onProgress(written);
        wake?.();
      } else settle(message);
    };
    const sendBytes = async () => {
      for (let offset = 0; offset < file.size && !settled; offset += FRAME_BYTES) {
        while (offset - written > WINDOW_BYTES && !settled) await new Promise<void>((r) => (wake = r));
        if (settled) return;
        ws.send(await file.slice(offset, offset + FRAME_BYTES).arrayBuffer());
      }
      if (!settled) ws.send(JSON.stringify({ end: true }));
    };
  });
}
