// The state machine of docs/architecture.md §6 as one pure function: what Slurm says about the job
// (squeue row, or scontrol for a job that left squeue) plus what the session folder holds
// (connection.json, `ended`, the log) → the session a person sees.
import type { IdleState } from './idle-state-file';
import type { FieldValues, Session, SessionEnd } from './protocol';
import { describePendingReason, type SqueueRow } from './squeue-parser';
import type { ScontrolJob } from './scontrol-parser';

/** What session.json holds: what was asked, the job, and the end once it is known for good. */
export interface SessionRecord {
  id: string;
  templateId: string;
  jobId: string;
  values: FieldValues;
  submittedAt: string;
  cancelRequestedAt?: string;
  /** Written once the session has ended, so that it no longer depends on Slurm remembering the job. */
  final?: Session;
}

export interface SessionFolderFacts {
  connectionReady: boolean;
  /** When connection.json was written (its mtime): the moment the desktop became ready. */
  readyAt?: string;
  /** The job's EXIT trap wrote `ended` with the script's exit status. */
  ended?: { exitCode: number; at?: string };
  /** Last lines of output.log, for the reason of a failure. */
  logTail: string;
  /** The job's idle watcher: a stop that is coming, or the stop it made (idle-state-file.ts). */
  idle?: IdleState;
}

export interface SlurmFacts {
  queued?: SqueueRow;
  shown?: ScontrolJob;
}

/** How long a job may be absent from Slurm's answers right after sbatch before it counts as lost. */
export const SUBMIT_GRACE_MS = 30_000;

/** The reason while a cancel is on its way through Slurm; the poller keeps asking often meanwhile. */
export const CANCELLING_REASON = 'Cancelling: waiting for Slurm to end the job.';

const ENDED_BY_SLURM_STATE: Record<string, SessionEnd> = {
  COMPLETED: 'completed',
  CANCELLED: 'cancelled',
  TIMEOUT: 'timeout',
  DEADLINE: 'timeout',
  FAILED: 'failed',
  NODE_FAIL: 'failed',
  OUT_OF_MEMORY: 'failed',
  BOOT_FAIL: 'failed',
  PREEMPTED: 'cancelled',
  REVOKED: 'cancelled',
  SPECIAL_EXIT: 'failed',
};

const REASON_BY_END: Record<SessionEnd, string> = {
  completed: 'The desktop was closed and the job finished.',
  cancelled: 'The session was cancelled.',
  timeout: 'The session reached its time limit.',
  failed: 'The job failed.',
  idle: 'The desktop was stopped because nobody used it.',
  lost:
    'Slurm no longer knows this job and it left no trace in its session folder ' +
    '(the node may have been rebooted or the folder cleaned).',
};

export function deriveSession(record: SessionRecord, slurm: SlurmFacts, folder: SessionFolderFacts, now: Date): Session {
  if (record.final) return record.final;
  const base: Session = {
    id: record.id,
    templateId: record.templateId,
    jobId: record.jobId,
    values: record.values,
    submittedAt: record.submittedAt,
    state: 'submitted',
  };
  const job = slurm.queued ?? slurm.shown;
  if (job) {
    const node = job.nodes || undefined;
    const times = { node, startedAt: job.startTime, readyAt: folder.readyAt, endsAt: job.endTime };
    if (job.state === 'PENDING' || job.state === 'REQUEUED' || job.state === 'SUSPENDED') {
      return { ...base, state: 'queued', reason: describePendingReason(job.reason) };
    }
    if (record.cancelRequestedAt && !ENDED_BY_SLURM_STATE[job.state]) {
      return { ...base, ...times, state: folder.connectionReady ? 'ready' : 'starting', reason: CANCELLING_REASON };
    }
    if (job.state === 'RUNNING' || job.state === 'CONFIGURING') {
      if (folder.connectionReady) return { ...base, ...times, state: 'ready', ...idleStop(folder) };
      return { ...base, ...times, state: 'starting', reason: 'The job is running; the desktop server is starting.' };
    }
    const end = ENDED_BY_SLURM_STATE[job.state];
    if (end)
      return ended(base, endFromFolder(end, record, folder), folder, {
        ...times,
        endsAt: undefined,
        endedAt: job.endTime ?? now.toISOString(),
      });
    // COMPLETING and other passing states: the job is on its way out; wait for its final state.
    return {
      ...base,
      ...times,
      state: folder.connectionReady ? 'ready' : 'starting',
      reason: `Slurm reports the job ${job.state.toLowerCase()}.`,
    };
  }
  if (folder.ended) {
    const end: SessionEnd = record.cancelRequestedAt
      ? 'cancelled'
      : folder.idle?.stopped
        ? 'idle'
        : folder.ended.exitCode === 0
          ? 'completed'
          : 'failed';
    return ended(base, end, folder, { readyAt: folder.readyAt, endedAt: folder.ended.at ?? now.toISOString() });
  }
  if (record.cancelRequestedAt) return ended(base, 'cancelled', folder, { endedAt: record.cancelRequestedAt });
  if (now.getTime() - Date.parse(record.submittedAt) < SUBMIT_GRACE_MS) return { ...base, reason: 'Submitted to Slurm.' };
  return ended(base, 'lost', folder, { endedAt: now.toISOString() });
}

/** Slurm says COMPLETED for a script that exited 0, but a cancel the user asked for is a cancel. */
function endFromFolder(end: SessionEnd, record: SessionRecord, folder: SessionFolderFacts): SessionEnd {
  if (record.cancelRequestedAt && end !== 'timeout') return 'cancelled';
  // The watcher stops the job itself, which Slurm reports as a failure (exit 143) or a cancel.
  if (folder.idle?.stopped && end !== 'timeout') return 'idle';
  if (end === 'completed' && folder.ended && folder.ended.exitCode !== 0) return 'failed';
  return end;
}

/** A ready desktop's coming idle stop, as the session carries it. */
function idleStop(folder: SessionFolderFacts): Partial<Session> {
  return folder.idle && !folder.idle.stopped ? { idleStopAt: folder.idle.at } : {};
}

function ended(base: Session, end: SessionEnd, folder: SessionFolderFacts, extra: Partial<Session>): Session {
  const tail = folder.logTail.trim();
  const reason =
    end === 'failed' && tail
      ? `${REASON_BY_END.failed} Last lines of its log:\n${tail}`
      : end === 'idle' && folder.idle
        ? `The desktop was stopped after ${plural(folder.idle.minutes, 'minute')} with no viewer connected and no input, to free its node.`
        : REASON_BY_END[end];
  const session: Session = { ...base, ...extra, state: 'ended', end, reason };
  for (const key of Object.keys(session) as (keyof Session)[]) if (session[key] === undefined) delete session[key];
  return session;
}

/** True while something is about to change: the poller then asks Slurm often. */
export function isTransitional(session: Session): boolean {
  return (
    session.state === 'submitted' || session.state === 'queued' || session.state === 'starting' || session.reason === CANCELLING_REASON
  );
}

/** The fields whose change is worth a `session.changed` notification. */
export function sessionChanged(before: Session | undefined, after: Session): boolean {
  return (
    !before ||
    before.state !== after.state ||
    before.reason !== after.reason ||
    before.end !== after.end ||
    before.node !== after.node ||
    before.idleStopAt !== after.idleStopAt
  );
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}
