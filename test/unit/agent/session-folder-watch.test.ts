import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Session } from '../../../agent/protocol';
import { SessionFolderWatch } from '../../../agent/session-folder-watch';

function session(state: Session['state']): Session {
  return { id: 's1', templateId: 't', jobId: '1', values: {}, submittedAt: '2026-11-23T00:00:00.000Z', state };
}

describe('session folder watch', () => {
  it('asks for a look when a starting job writes connection.json, and stops watching once it is ready', async () => {
    const root = mkdtempSync(join(tmpdir(), 'porthole-watch-'));
    mkdirSync(join(root, 's1'));
    let writes = 0;
    let wrote: () => void = () => undefined;
    const watch = new SessionFolderWatch(
      (id) => join(root, id),
      () => {
        writes += 1;
        wrote();
      },
    );
    try {
      watch.follow(session('starting'));
      writeFileSync(join(root, 's1', 'output.log'), 'Xvnc starting\n');
      await new Promise<void>((resolve) => {
        wrote = resolve;
        writeFileSync(join(root, 's1', 'connection.json'), '{}');
      });
      assert.ok(writes >= 1);
      watch.follow(session('ready'));
      const seen = writes;
      writeFileSync(join(root, 's1', 'ended'), '0');
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.equal(writes, seen, 'no longer watched once ready');
    } finally {
      watch.close();
      rmSync(root, { recursive: true, force: true });
    }
  });
});
