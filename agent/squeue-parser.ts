// `squeue --me --states=all --noheader --format=<SQUEUE_FORMAT>` → one row per job. Slurm 22.05
// has no reliable JSON output (docs/field-notes.md), so the format is ours: fields joined by '|', the job
// name last because it is the only one that could hold a '|'.

export const SQUEUE_FORMAT = '%i|%T|%r|%N|%S|%e|%j';

export interface SqueueRow {
  jobId: string;
  /** Slurm's long state name: PENDING, RUNNING, COMPLETED, CANCELLED, TIMEOUT, FAILED… */
  state: string;
  /** Pending reason (Resources, Priority…), "None" when there is none. */
  reason: string;
  /** The node list, empty while pending. */
  nodes: string;
  startTime?: string;
  endTime?: string;
  name: string;
}

export function parseSqueue(output: string): SqueueRow[] {
  const rows: SqueueRow[] = [];
  for (const line of output.split('\n')) {
    if (!line.trim()) continue;
    const parts = line.split('|');
    if (parts.length < 7) throw new Error(`squeue printed a line this agent cannot read: ${JSON.stringify(line)}`);
    const [jobId, state, reason, nodes, start, end] = parts;
    rows.push({
      jobId: jobId.trim(),
      state: state.trim(),
      reason: reason.trim(),
      nodes: nodes.trim(),
      startTime: slurmTime(start),
      endTime: slurmTime(end),
      name: parts.slice(6).join('|'),
    });
  }
  return rows;
}

/** Slurm prints local time without a zone ("2026-11-23T00:40:12"), or N/A / Unknown / None. */
export function slurmTime(text: string | undefined): string | undefined {
  const trimmed = (text ?? '').trim();
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/.test(trimmed)) return undefined;
  const date = new Date(trimmed);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

const PENDING_REASONS: Record<string, string> = {
  Resources: 'waiting for resources: the nodes it needs are busy',
  Priority: 'waiting for jobs with a higher priority to start first',
  ReqNodeNotAvail: 'waiting: a node it asked for is not available',
  PartitionNodeLimit: 'the partition cannot give that many nodes',
  PartitionTimeLimit: 'the time asked for is more than the partition allows',
  QOSMaxJobsPerUserLimit: 'waiting: you already run as many jobs as your QOS allows',
  AssocMaxJobsLimit: 'waiting: your account runs as many jobs as it may',
  BeginTime: 'waiting for its start time',
  Dependency: 'waiting for another job to finish',
  JobHeldUser: 'held by you (scontrol release to let it run)',
  JobHeldAdmin: 'held by an administrator',
  None: 'waiting to be scheduled',
};

/** Slurm's pending reason as a sentence a person can read, keeping Slurm's word in brackets. */
export function describePendingReason(reason: string): string {
  const plain = PENDING_REASONS[reason];
  return plain ? `${plain[0].toUpperCase()}${plain.slice(1)} (Slurm: ${reason})` : `Waiting in the queue (Slurm: ${reason})`;
}
