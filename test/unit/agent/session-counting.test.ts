// What the agent counts for the site metrics while it lists sessions: a session's time to ready
// and its end, once each, however many agent processes (serve, CLI calls, two login nodes) see
// the change; and nothing, not even a claim, when no registry takes the counts.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { SessionEvent } from '../../../agent/metrics-events';
import { noRegistry, type SessionCounters } from '../../../agent/redis-registry';
import { SessionFiles } from '../../../agent/session-files';
import { SessionService } from '../../../agent/session-service';
import type { SessionRecord } from '../../../agent/session-state';
import type { Slurm } from '../../../agent/slurm';
import type { SqueueRow } from '../../../agent/squeue-parser';
import { buildCatalog } from '../../../agent/template-loader';

const NOW = new Date('2026-11-30T08:00:00Z');
const labels = { template: 'vnc-desktop', partition: 'cpu', account: 'chem' };

describe('counting session events for the site metrics', () => {
  const home = mkdtempSync(join(tmpdir(), 'porthole-counting-'));
  after(() => rmSync(home, { recursive: true, force: true }));
  const files = new SessionFiles(home);
  const queue: SqueueRow[] = [
    { jobId: '30', state: 'RUNNING', reason: 'None', nodes: 'node01', startTime: '2026-11-30T07:55:01', name: 'porthole' },
  ];
  const slurm = { myJobs: async () => queue, showJob: async () => undefined } as unknown as Slurm;
  const counted: SessionEvent[] = [];
  const counters: SessionCounters = { count: async (events) => void counted.push(...events) };
  /** An agent process of its own: what one remembers, another does not. */
  const agentProcess = (withCounters: boolean): SessionService =>
    new SessionService({
      slurm,
      files,
      catalog: buildCatalog([]),
      jobLibrary: '',
      registry: noRegistry,
      counters: withCounters ? counters : undefined,
      now: () => NOW,
    });
  const record: SessionRecord = {
    id: '20261130-075500-ccccc',
    templateId: 'vnc-desktop',
    jobId: '30',
    values: { partition: 'cpu', account: 'chem', title: 'Notes' },
    submittedAt: '2026-11-30T07:55:00.000Z',
  };
  files.create(record.id);
  files.writeRecord(record);
  const dir = files.dirOf(record.id);
  const becomeReady = (): void => {
    writeFileSync(join(dir, 'connection.json'), '{}');
    utimesSync(join(dir, 'connection.json'), new Date('2026-11-30T07:55:04Z'), new Date('2026-11-30T07:55:04Z'));
  };

  it('counts nothing and claims nothing when no registry takes the counts', async () => {
    becomeReady();
    await agentProcess(false).list();
    assert.equal(existsSync(join(dir, 'counted-ready')), false, 'a claim without counters would lose the count for good');
  });

  it('counts the time to ready once across agent processes, and the end once it is settled', async () => {
    const serve = agentProcess(true);
    await serve.list();
    await agentProcess(true).list();
    await serve.list();
    assert.deepEqual(counted, [{ kind: 'ready', seconds: 4, labels }]);

    counted.length = 0;
    queue.length = 0;
    writeFileSync(join(dir, 'ended'), '0 2026-11-30T07:59:00Z\n');
    await Promise.all([serve.list(), agentProcess(true).list()]);
    await serve.list();
    assert.deepEqual(counted, [{ kind: 'end', end: 'completed', labels }]);
  });
});
