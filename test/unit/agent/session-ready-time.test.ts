import assert from 'node:assert/strict';
import { utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { SESSION_FILES, SessionFiles } from '../../../agent/session-files';
import { tempDir } from '../../cluster/fixture';

describe('the time a session became ready', () => {
  const home = tempDir('ready-time');
  const files = new SessionFiles(home);
  const id = '20261124-075500-abcde';
  files.create(id);

  it('is unknown until the job writes connection.json', () => {
    assert.deepEqual([files.folderFacts(id).connectionReady, files.folderFacts(id).readyAt], [false, undefined]);
  });

  it('is when the job wrote connection.json, the same at every later look', () => {
    const file = join(files.dirOf(id), SESSION_FILES.connection);
    writeFileSync(file, '{}');
    const written = new Date('2026-11-24T07:56:10.000Z');
    utimesSync(file, written, written);
    assert.equal(files.folderFacts(id).readyAt, written.toISOString());
    assert.equal(files.folderFacts(id).readyAt, written.toISOString());
  });
});
