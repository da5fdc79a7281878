// `scontrol show job <id>` → the few fields the agent needs about a job that left squeue.
// Output is "Key=Value" pairs separated by spaces and newlines; values have no spaces except
// the last pairs of some lines, which the agent does not read.

export interface ScontrolJob {
  jobId: string;
  state: string;
  reason: string;
  nodes: string;
  exitCode: string;
  startTime?: string;
  endTime?: string;
}

export function parseScontrolJob(output: string): ScontrolJob | undefined {
  const pairs = new Map<string, string>();
  for (const match of output.matchAll(/(?:^|\s)([A-Za-z:/]+)=(\S*)/g)) {
    if (!pairs.has(match[1])) pairs.set(match[1], match[2]);
  }
  const jobId = pairs.get('JobId');
  const state = pairs.get('JobState');
  if (!jobId || !state) return undefined;
  const time = (key: string): string | undefined => {
    const value = pairs.get(key) ?? '';
    return /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/.test(value) ? new Date(value).toISOString() : undefined;
  };
  const nodes = pairs.get('NodeList') ?? '';
  return {
    jobId,
    state,
    reason: pairs.get('Reason') ?? 'None',
    nodes: nodes === '(null)' ? '' : nodes,
    exitCode: pairs.get('ExitCode') ?? '0:0',
    startTime: time('StartTime'),
    endTime: time('EndTime'),
  };
}
