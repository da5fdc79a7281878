// Files into and out of one session's folder, for the Api and the upload socket: asks the agent
// where the folder is (main never builds a remote path from free text), then moves the bytes
// over the cluster's one SFTP session (sftp-transfers.ts). Downloads go to the workstation's
// Downloads folder, report progress as Api events and can be cancelled by their id.
import { mkdir } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import type { ApiEvent } from '../api';
import type { LiveCluster } from '../live-cluster';
import { PortholeError } from '../errors';
import { createFreeFolder, downloadFile, ensureSubFolders, listFolder, uploadFile, type RemoteFileEntry } from './sftp-transfers';

export interface FileTransferDeps {
  connected: (cluster: string) => Promise<LiveCluster>;
  /** The workstation's folder downloads go to (PORTHOLE_DOWNLOADS, else ~/Downloads). */
  downloadsFolder: () => string;
  emit: (event: ApiEvent) => void;
}

export interface SessionRef {
  cluster: string;
  sessionId: string;
}

export class SessionFileTransfers {
  private readonly downloads = new Map<string, AbortController>();

  constructor(private readonly deps: FileTransferDeps) {}

  private async open(target: SessionRef) {
    const live = await this.deps.connected(target.cluster);
    const { folder } = await live.agent.call('files.folder', { id: target.sessionId });
    return { live, folder, sftp: await live.connection.sftp() };
  }

  async list(target: SessionRef): Promise<{ folder: string; entries: RemoteFileEntry[] }> {
    const { sftp, folder } = await this.open(target);
    return { folder, entries: await listFolder(sftp, folder) };
  }

  /** A new folder for a dropped folder; resolves with its name (numbered when the name was taken). */
  async createFolder(target: SessionRef, name: string): Promise<string> {
    const { sftp, folder } = await this.open(target);
    return createFreeFolder(sftp, folder, name);
  }

  async upload(
    target: SessionRef,
    file: { name: string; subPath: string[]; source: Readable },
    progress: (writtenBytes: number) => void,
    signal: AbortSignal,
  ): Promise<string> {
    const { live, sftp, folder } = await this.open(target);
    await ensureSubFolders(sftp, folder, file.subPath);
    return uploadFile(sftp, {
      folder,
      subPath: file.subPath,
      name: file.name,
      source: file.source,
      onProgress: progress,
      signal,
      probe: async () => (await live.agent.call('files.probeWrite', { id: target.sessionId })).code,
    });
  }

  async download(target: SessionRef, name: string, transferId: string): Promise<{ savedTo: string }> {
    if (this.downloads.has(transferId)) throw new PortholeError(`A transfer '${transferId}' is already under way`, { field: 'transferId' });
    const abort = new AbortController();
    this.downloads.set(transferId, abort);
    try {
      const { sftp, folder } = await this.open(target);
      const localFolder = this.deps.downloadsFolder();
      await mkdir(localFolder, { recursive: true });
      let lastSent = 0;
      const savedTo = await downloadFile(sftp, {
        folder,
        name,
        localFolder,
        signal: abort.signal,
        onProgress: (doneBytes, totalBytes) => {
          // One event per half MiB: enough for a bar, few enough for a 1 GiB file.
          if (doneBytes - lastSent < 512 * 1024 && doneBytes < totalBytes) return;
          lastSent = doneBytes;
          this.deps.emit({ type: 'fileProgress', transferId, doneBytes, totalBytes });
        },
      });
      return { savedTo };
    } finally {
      this.downloads.delete(transferId);
    }
  }

  cancelDownload(transferId: string): void {
    this.downloads.get(transferId)?.abort();
  }
}
