// Sees a desktop become ready (or a job end) the moment its job writes connection.json (or
// `ended`), instead of at the next poll: the folders of sessions that are about to change are
// watched, and a write there asks the poller to look at once. Where the home is on a network
// file system, writes from a compute node raise no event here; the poller still finds them.
import { watch, type FSWatcher } from 'node:fs';
import type { Session } from './protocol';
import { isTransitional } from './session-state';

const WATCHED_FILES = new Set(['connection.json', 'ended']);

export class SessionFolderWatch {
  private readonly watchers = new Map<string, FSWatcher>();

  constructor(
    private readonly folderOf: (id: string) => string,
    private readonly onWrite: () => void,
  ) {}

  /** Watches the session's folder while it is about to change, and stops after. */
  follow(session: Session): void {
    const watching = this.watchers.get(session.id);
    if (!isTransitional(session)) {
      watching?.close();
      this.watchers.delete(session.id);
      return;
    }
    if (watching) return;
    try {
      const watcher = watch(this.folderOf(session.id), (_event, file) => {
        if (file && WATCHED_FILES.has(file.toString())) this.onWrite();
      });
      watcher.on('error', () => this.watchers.delete(session.id));
      this.watchers.set(session.id, watcher);
    } catch {
      // No watching here (no inotify, a folder gone): polling still finds the change.
    }
  }

  close(): void {
    for (const watcher of this.watchers.values()) watcher.close();
    this.watchers.clear();
  }
}
