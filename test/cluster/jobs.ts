// Submitting and watching jobs on the test cluster, for the fixture's own tests and bench.
import { shellQuote, sshRun } from './fixture';

/** sbatch as the test user, with a batch script on stdin when given; resolves to the job id. */
export async function submit(sbatchArguments: string, script?: string): Promise<string> {
  const result = await sshRun(`sbatch --parsable ${sbatchArguments}`, { input: script });
  const job = result.stdout.trim().split(';')[0];
  if (result.code !== 0 || !/^\d+$/.test(job)) {
    throw new Error(`sbatch ${sbatchArguments} failed (exit ${result.code}): ${result.stderr.trim() || result.stdout.trim()}`);
  }
  return job;
}

/** The job's state as scontrol shows it (PENDING, RUNNING, COMPLETED, …), or '' once forgotten. */
export async function jobState(job: string): Promise<string> {
  const shown = await sshRun(`scontrol show job ${job}`);
  return /JobState=(\w+)/.exec(shown.stdout)?.[1] ?? '';
}

/** Polls until the job is in one of `states`; throws with the last state seen on timeout. */
export async function waitForJobState(job: string, states: string[], timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let state = '';
  while (Date.now() < deadline) {
    state = await jobState(job);
    if (states.includes(state)) return state;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`Job ${job} did not reach ${states.join(' or ')} within ${timeoutMs} ms (last state: ${state || 'unknown'})`);
}

/** Whether Slurm still lists the job in squeue (pending or running). */
export async function jobInSqueue(jobId: string): Promise<boolean> {
  const listed = await sshRun(`squeue -h -j ${shellQuote(jobId)} -o %i 2>/dev/null`);
  return listed.stdout.trim() !== '';
}
