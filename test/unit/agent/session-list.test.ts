// SessionService.list in a long-lived agent (`serve` polls it): an ended session's record is
// read from its folder once, then served from memory; open sessions are read at every poll.
// The registry (Redis) gets what changed, and everything after it failed or every 10 minutes.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { Session } from '../../../agent/protocol';
import { noRegistry, type SessionRegistry } from '../../../agent/redis-registry';
import { SessionFiles } from '../../../agent/session-files';
import { SessionService } from '../../../agent/session-service';
import type { SessionRecord } from '../../../agent/session-state';
import type { Slurm } from '../../../agent/slurm';
import type { SqueueRow } from '../../../agent/squeue-parser';
import { buildCatalog } from '../../../agent/template-loader';

const NOW = new Date('2026-11-24T08:00:00Z');

function endedRecord(id: string, jobId: string): SessionRecord {
  const final: Session = {
    id,
    templateId: 'vnc-desktop',
    jobId,
    values: {},
    state: 'ended',
    end: 'cancelled',
    submittedAt: '2026-11-24T07:00:00.000Z',
    endedAt: '2026-11-24T07:30:00.000Z',
    reason: 'The session was cancelled.',
  };
  return { id, templateId: 'vnc-desktop', jobId, values: {}, submittedAt: final.submittedAt, final };
}

describe('listing sessions in a long-lived agent', () => {
  const home = mkdtempSync(join(tmpdir(), 'porthole-list-'));
  after(() => rmSync(home, { recursive: true, force: true }));
  const files = new SessionFiles(home);
  const queue: SqueueRow[] = [
    { jobId: '30', state: 'RUNNING', reason: 'None', nodes: 'node01', startTime: '2026-11-24T07:55:00', name: 'porthole' },
  ];
  const slurm = { myJobs: async () => queue, showJob: async () => undefined } as unknown as Slurm;
  const service = new SessionService({ slurm, files, catalog: buildCatalog([]), jobLibrary: '', registry: noRegistry, now: () => NOW });
  for (const record of [endedRecord('20261124-070000-aaaaa', '10'), endedRecord('20261124-070000-bbbbb', '20')]) {
    files.create(record.id);
    files.writeRecord(record);
  }
  const open: SessionRecord = {
    id: '20261124-075500-ccccc',
    templateId: 'vnc-desktop',
    jobId: '30',
    values: {},
    submittedAt: '2026-11-24T07:55:00.000Z',
  };
  files.create(open.id);
  files.writeRecord(open);
  const stateOf = (sessions: Session[], id: string) => sessions.find((s) => s.id === id)?.state;

  it('reads an ended session once: a later change to its folder does not reach the list', async () => {
    const first = await service.list({ all: true });
    assert.equal(first.length, 3);
    // Were it read again, this would fail the whole list.
    writeFileSync(join(files.dirOf('20261124-070000-aaaaa'), 'session.json'), 'not JSON');
    const second = await service.list({ all: true });
    assert.deepEqual(
      second.find((s) => s.id === '20261124-070000-aaaaa'),
      first.find((s) => s.id === '20261124-070000-aaaaa'),
    );
  });

  it('reads an open session at every poll', async () => {
    assert.equal(stateOf(await service.list({ all: true }), open.id), 'starting');
    writeFileSync(join(files.dirOf(open.id), 'connection.json'), '{}');
    assert.equal(stateOf(await service.list({ all: true }), open.id), 'ready');
  });

  it('keeps a session that ends for good in memory from then on', async () => {
    queue.length = 0;
    writeFileSync(join(files.dirOf(open.id), 'ended'), '0 2026-11-24T07:59:00Z\n');
    assert.equal(stateOf(await service.list({ all: true }), open.id), 'ended');
    assert.ok(files.readRecord(open.id).final, 'the end is written to session.json');
    writeFileSync(join(files.dirOf(open.id), 'session.json'), 'not JSON');
    assert.equal(stateOf(await service.list({ all: true }), open.id), 'ended');
  });

  it('forgets a session whose folder is removed, and skips a folder a launch is still filling', async () => {
    rmSync(files.dirOf('20261124-070000-bbbbb'), { recursive: true });
    files.create('20261124-080000-ddddd');
    const ids = (await service.list({ all: true })).map((s) => s.id).sort();
    assert.deepEqual(ids, ['20261124-070000-aaaaa', open.id].sort());
  });
});

describe('writing sessions to the registry from a long-lived agent', () => {
  const home = mkdtempSync(join(tmpdir(), 'porthole-registry-'));
  after(() => rmSync(home, { recursive: true, force: true }));
  const files = new SessionFiles(home);
  let now = NOW;
  let redisUp = true;
  const written: string[][] = [];
  const registry: SessionRegistry = {
    publish: async (sessions) => {
      written.push(sessions.map((s) => s.id).sort());
      return redisUp;
    },
    status: () => ({ configured: true, healthy: redisUp, message: '' }),
    close: async () => undefined,
  };
  const queue: SqueueRow[] = [
    { jobId: '30', state: 'RUNNING', reason: 'None', nodes: 'node01', startTime: '2026-11-24T07:55:00', name: 'porthole' },
  ];
  const slurm = { myJobs: async () => queue, showJob: async () => undefined } as unknown as Slurm;
  const service = new SessionService({ slurm, files, catalog: buildCatalog([]), jobLibrary: '', registry, now: () => now });
  const ended = endedRecord('20261124-070000-aaaaa', '10');
  const open: SessionRecord = {
    id: '20261124-075500-ccccc',
    templateId: 'vnc-desktop',
    jobId: '30',
    values: {},
    submittedAt: '2026-11-24T07:55:00.000Z',
  };
  for (const record of [ended, open]) {
    files.create(record.id);
    files.writeRecord(record);
  }
  const poll = async () => {
    written.length = 0;
    await service.list();
    return written.slice();
  };

  it('writes every session at the first poll, then nothing while nothing changes', async () => {
    assert.deepEqual(await poll(), [[ended.id, open.id].sort()]);
    assert.deepEqual(await poll(), []);
  });

  it('writes only the session that changed', async () => {
    writeFileSync(join(files.dirOf(open.id), 'connection.json'), '{}');
    assert.deepEqual(await poll(), [[open.id]]);
  });

  it('writes every session again once the registry answers after failing', async () => {
    redisUp = false;
    rmSync(join(files.dirOf(open.id), 'connection.json'));
    assert.deepEqual(await poll(), [[open.id]]);
    redisUp = true;
    assert.deepEqual(await poll(), [[ended.id, open.id].sort()]);
    assert.deepEqual(await poll(), []);
  });

  it('writes every session every 10 minutes, so that a Redis that lost its data fills again', async () => {
    now = new Date(NOW.getTime() + 9 * 60_000);
    assert.deepEqual(await poll(), []);
    now = new Date(NOW.getTime() + 11 * 60_000);
    assert.deepEqual(await poll(), [[ended.id, open.id].sort()]);
  });

  it('writes every session when the doctor asks, whatever changed', async () => {
    written.length = 0;
    await service.registerAll();
    assert.deepEqual(written, [[ended.id, open.id].sort()]);
  });
});

describe("a look with Slurm's last answer (after a write in a session folder)", () => {
  const home = mkdtempSync(join(tmpdir(), 'porthole-list-'));
  after(() => rmSync(home, { recursive: true, force: true }));
  const files = new SessionFiles(home);
  const queue: SqueueRow[] = [
    { jobId: '40', state: 'RUNNING', reason: 'None', nodes: 'node01', startTime: '2026-11-24T07:55:00', name: 'porthole' },
  ];
  let squeues = 0;
  const slurm = { myJobs: async () => (squeues++, [...queue]), showJob: async () => undefined } as unknown as Slurm;
  const service = new SessionService({ slurm, files, catalog: buildCatalog([]), jobLibrary: '', registry: noRegistry, now: () => NOW });
  const record = (id: string, jobId: string): SessionRecord => ({
    id,
    templateId: 'vnc-desktop',
    jobId,
    values: {},
    submittedAt: '2026-11-24T07:55:00.000Z',
  });
  const add = (r: SessionRecord) => (files.create(r.id), files.writeRecord(r));

  it('shows the desktop ready as soon as its connection.json is there, without asking Slurm again', async () => {
    add(record('20261124-075500-ddddd', '40'));
    assert.equal((await service.list({ all: true }))[0].state, 'starting');
    assert.equal(squeues, 1);
    writeFileSync(join(files.dirOf('20261124-075500-ddddd'), 'connection.json'), '{}');
    const [ready] = await service.list({ all: true, askSlurm: false });
    assert.equal(ready.state, 'ready');
    assert.equal(ready.node, 'node01');
    assert.equal(squeues, 1);
  });

  it("asks Slurm after all when its last answer had an open session's job queued or did not list it", async () => {
    queue.push({ jobId: '41', state: 'PENDING', reason: 'Priority', nodes: '', startTime: 'N/A', name: 'porthole' });
    add(record('20261124-075600-eeeee', '41'));
    const sessions = await service.list({ all: true, askSlurm: false });
    assert.equal(squeues, 2);
    assert.equal(sessions.find((s) => s.id === '20261124-075600-eeeee')?.state, 'queued');
    // The job starts and its desktop answers before the next scheduled look.
    queue[1] = { ...queue[1], state: 'RUNNING', reason: 'None', nodes: 'node01' };
    writeFileSync(join(files.dirOf('20261124-075600-eeeee'), 'connection.json'), '{}');
    const after = await service.list({ all: true, askSlurm: false });
    assert.equal(squeues, 3);
    assert.equal(after.find((s) => s.id === '20261124-075600-eeeee')?.state, 'ready');
  });
});
