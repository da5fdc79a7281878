// The transfers of one viewer's session: uploads (one at a time, in the order given, each with
// its own outcome so one failure leaves the others going) and downloads, each with progress and
// a way to cancel it.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiLink } from '../../transport/link';
import { errorMessage } from '../../transport/api-call-error';
import { sendFile, type UploadFile } from '../../transport/upload-socket';
import type { DroppedItems } from '../../logic/dropped-files';

export interface Transfer {
  id: string;
  direction: 'upload' | 'download';
  name: string;
  doneBytes: number;
  totalBytes: number;
  status: 'waiting' | 'running' | 'done' | 'failed' | 'cancelled';
  /** Where it was saved (`savedAs` remote name, or the local path), or why it failed. */
  note?: string;
}

let nextId = 0;
const newId = () => `t${Date.now().toString(36)}-${(nextId += 1)}`;

export function useFileTransfers(link: ApiLink, target: { cluster: string; id: string }, onUploaded: () => void) {
  const [transfers, setTransfers] = useState<Transfer[]>([]);
  const aborts = useRef(new Map<string, AbortController>());
  const queue = useRef<Promise<void>>(Promise.resolve());
  const update = useCallback(
    (id: string, change: Partial<Transfer>) => setTransfers((all) => all.map((t) => (t.id === id ? { ...t, ...change } : t))),
    [],
  );

  useEffect(
    () =>
      link.subscribe((event) => {
        if (event.type === 'fileProgress') update(event.transferId, { doneBytes: event.doneBytes, totalBytes: event.totalBytes });
      }),
    [link, update],
  );

  const uploadOne = useCallback(
    async (transfer: Transfer, upload: UploadFile) => {
      const abort = aborts.current.get(transfer.id)!;
      if (abort.signal.aborted) return;
      update(transfer.id, { status: 'running' });
      try {
        const url = await link.call('files.uploadUrl', target.cluster, target.id);
        const savedAs = await sendFile(url, upload, (doneBytes) => update(transfer.id, { doneBytes }), abort.signal);
        const where = [...upload.subPath, savedAs].join('/');
        update(transfer.id, {
          status: 'done',
          doneBytes: transfer.totalBytes,
          note: where === transfer.name ? 'Saved' : `Saved as ${where}`,
        });
        onUploaded();
      } catch (error) {
        update(
          transfer.id,
          abort.signal.aborted ? { status: 'cancelled', note: 'Cancelled' } : { status: 'failed', note: errorMessage(error) },
        );
      } finally {
        aborts.current.delete(transfer.id);
      }
    },
    [link, target, update, onUploaded],
  );

  const upload = useCallback(
    (items: DroppedItems) => {
      const planned: { transfer: Transfer; upload: () => Promise<UploadFile | null> }[] = [];
      for (const file of items.files) {
        planned.push({ transfer: waiting(file.name, file.size), upload: async () => ({ file, subPath: [] }) });
      }
      for (const folder of items.folders) {
        // The folder is made once, before its first file: its name may come back numbered.
        let made: Promise<string> | null = null;
        const folderName = () => (made ??= link.call('files.createFolder', target.cluster, target.id, folder.name));
        for (const { file, subPath } of folder.files) {
          planned.push({
            transfer: waiting([folder.name, ...subPath, file.name].join('/'), file.size),
            upload: async () => ({ file, subPath: [await folderName(), ...subPath] }),
          });
        }
      }
      for (const { transfer } of planned) aborts.current.set(transfer.id, new AbortController());
      setTransfers((all) => [...all, ...planned.map((p) => p.transfer)]);
      for (const { transfer, upload: prepare } of planned) {
        queue.current = queue.current.then(async () => {
          try {
            const prepared = await prepare();
            if (prepared) await uploadOne(transfer, prepared);
          } catch (error) {
            update(transfer.id, { status: 'failed', note: errorMessage(error) });
          }
        });
      }
    },
    [link, target, update, uploadOne],
  );

  const download = useCallback(
    async (name: string, size: number) => {
      const transfer: Transfer = { ...waiting(name, size), direction: 'download', status: 'running' };
      setTransfers((all) => [...all, transfer]);
      try {
        const { savedTo } = await link.call('files.download', target.cluster, target.id, name, transfer.id);
        update(transfer.id, { status: 'done', doneBytes: size, note: `Saved to ${savedTo}` });
      } catch (error) {
        const message = errorMessage(error);
        update(transfer.id, /cancelled$/.test(message) ? { status: 'cancelled', note: 'Cancelled' } : { status: 'failed', note: message });
      }
    },
    [link, target, update],
  );

  const cancel = useCallback(
    (transfer: Transfer) => {
      if (transfer.direction === 'download') void link.call('files.cancelDownload', transfer.id);
      else {
        aborts.current.get(transfer.id)?.abort();
        if (transfer.status === 'waiting') update(transfer.id, { status: 'cancelled', note: 'Cancelled' });
      }
    },
    [link, update],
  );

  const clearFinished = useCallback(() => setTransfers((all) => all.filter((t) => t.status === 'waiting' || t.status === 'running')), []);

  return { transfers, upload, download, cancel, clearFinished };
}

function waiting(name: string, size: number): Transfer {
  return { id: newId(), direction: 'upload', name, doneBytes: 0, totalBytes: size, status: 'waiting' };
}
