import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  deriveSession,
  isTransitional,
  sessionChanged,
  SUBMIT_GRACE_MS,
  type SessionFolderFacts,
  type SessionRecord,
} from '../../../agent/session-state';
import type { SqueueRow } from '../../../agent/squeue-parser';

const submittedAt = '2026-11-23T00:00:00.000Z';
const record: SessionRecord = { id: 's1', templateId: 'vnc-desktop', jobId: '7', values: { hours: 1 }, submittedAt };
const emptyFolder: SessionFolderFacts = { connectionReady: false, logTail: '' };
const soon = new Date(Date.parse(submittedAt) + 1000);
const later = new Date(Date.parse(submittedAt) + SUBMIT_GRACE_MS + 1000);

function row(state: string, extra: Partial<SqueueRow> = {}): SqueueRow {
  return { jobId: '7', state, reason: 'None', nodes: state === 'PENDING' ? '' : 'node01', name: 'porthole-s1', ...extra };
}

describe('session state', () => {
  it('carries the time the desktop became ready, while ready and after it ends', () => {
    const readyAt = '2026-11-23T00:00:40.000Z';
    const folder = { ...emptyFolder, connectionReady: true, readyAt };
    const ready = deriveSession(record, { queued: row('RUNNING', { startTime: '2026-11-23T00:00:05' }) }, folder, soon);
    assert.equal(ready.state, 'ready');
    assert.equal(ready.readyAt, readyAt);
    const done = deriveSession(
      record,
      { shown: { jobId: '7', state: 'COMPLETED', reason: 'None', nodes: 'node01', exitCode: '0:0', endTime: '2026-11-23T01:00:00' } },
      folder,
      later,
    );
    assert.equal(done.state, 'ended');
    assert.equal(done.readyAt, readyAt);
  });

  it('is submitted right after sbatch, before Slurm lists the job', () => {
    assert.equal(deriveSession(record, {}, emptyFolder, soon).state, 'submitted');
  });

  it('shows the pending reason while the job waits for resources', () => {
    const session = deriveSession(record, { queued: row('PENDING', { reason: 'Resources' }) }, emptyFolder, soon);
    assert.equal(session.state, 'queued');
    assert.match(session.reason ?? '', /waiting for resources/i);
  });

  it('is starting while the job runs and the server has not answered, ready once connection.json is there', () => {
    assert.equal(deriveSession(record, { queued: row('RUNNING') }, emptyFolder, soon).state, 'starting');
    const ready = deriveSession(record, { queued: row('RUNNING') }, { ...emptyFolder, connectionReady: true }, soon);
    assert.equal(ready.state, 'ready');
    assert.equal(ready.node, 'node01');
  });

  it('maps Slurm’s end states to completed, cancelled, timeout and failed', () => {
    for (const [slurmState, end] of [
      ['COMPLETED', 'completed'],
      ['CANCELLED', 'cancelled'],
      ['TIMEOUT', 'timeout'],
      ['FAILED', 'failed'],
      ['NODE_FAIL', 'failed'],
    ]) {
      const session = deriveSession(record, { shown: { ...row(slurmState), exitCode: '0:0' } }, emptyFolder, later);
      assert.equal(session.state, 'ended');
      assert.equal(session.end, end, slurmState);
    }
  });

  it('gives the last lines of the log as the reason of a failure', () => {
    const session = deriveSession(record, { queued: row('FAILED') }, { ...emptyFolder, logTail: 'Xvnc: unrecognized option\n' }, later);
    assert.equal(session.end, 'failed');
    assert.match(session.reason ?? '', /Xvnc: unrecognized option/);
  });

  it('counts a cancel the user asked for as cancelled even when the script exited cleanly', () => {
    const cancelled = { ...record, cancelRequestedAt: '2026-11-23T00:01:00.000Z' };
    assert.equal(deriveSession(cancelled, { queued: row('COMPLETED') }, emptyFolder, later).end, 'cancelled');
  });

  it('says it is cancelling, and keeps the poller fast, until Slurm has ended a cancelled job', () => {
    const cancelling = deriveSession(
      { ...record, cancelRequestedAt: soon.toISOString() },
      { queued: row('RUNNING') },
      { ...emptyFolder, connectionReady: true },
      soon,
    );
    assert.equal(cancelling.state, 'ready');
    assert.match(cancelling.reason ?? '', /cancelling/i);
    assert.equal(isTransitional(cancelling), true);
    assert.equal(isTransitional(deriveSession(record, { queued: row('RUNNING') }, { ...emptyFolder, connectionReady: true }, soon)), false);
  });

  it('resolves a job Slurm forgot from the ended file', () => {
    assert.equal(deriveSession(record, {}, { ...emptyFolder, ended: { exitCode: 0 } }, later).end, 'completed');
    assert.equal(deriveSession(record, {}, { ...emptyFolder, ended: { exitCode: 1 }, logTail: 'boom' }, later).end, 'failed');
  });

  it('is lost when Slurm no longer knows the job and the folder has no trace', () => {
    const session = deriveSession(record, {}, emptyFolder, later);
    assert.equal(session.end, 'lost');
    assert.match(session.reason ?? '', /no longer knows/);
  });

  it('keeps an ended session as written, whatever Slurm says later', () => {
    const final = deriveSession(record, { queued: row('TIMEOUT') }, emptyFolder, later);
    assert.deepEqual(deriveSession({ ...record, final }, { queued: row('RUNNING') }, emptyFolder, later), final);
  });

  it('tells which sessions are about to change and which changes matter', () => {
    const queued = deriveSession(record, { queued: row('PENDING') }, emptyFolder, soon);
    const ready = deriveSession(record, { queued: row('RUNNING') }, { ...emptyFolder, connectionReady: true }, soon);
    assert.equal(isTransitional(queued), true);
    assert.equal(isTransitional(ready), false);
    assert.equal(sessionChanged(queued, ready), true);
    assert.equal(sessionChanged(ready, { ...ready }), false);
  });
});
