// The Slurm adapter: the only code that runs sbatch, squeue, scontrol, scancel, sinfo and sacctmgr.
// Each call has a timeout (command-runner.ts) and a refusal carries Slurm's own message.
import { ASSOCIATION_FORMAT, parseAssocMgrQos, parsePartitionAccounts } from './associations';
import { runChecked, type CommandRunner } from './command-runner';
import { CommandError } from './errors';
import type { PartitionInfo, QosInfo } from './protocol';
import { parseScontrolJob, type ScontrolJob } from './scontrol-parser';
import { parseSinfo, SINFO_FORMAT } from './sinfo-parser';
import { parseSqueue, SQUEUE_FORMAT, type SqueueRow } from './squeue-parser';

export class Slurm {
  constructor(
    private readonly run: CommandRunner,
    private readonly timeoutMs = 20_000,
  ) {}

  async submit(scriptFile: string, options: { outputFile: string; workDir: string }): Promise<string> {
    const stdout = await runChecked(
      this.run,
      'sbatch',
      ['--parsable', `--output=${options.outputFile}`, `--chdir=${options.workDir}`, scriptFile],
      { timeoutMs: this.timeoutMs },
    );
    const jobId = stdout.trim().split(';')[0];
    if (!/^\d+$/.test(jobId)) throw new CommandError(`sbatch printed no job id: ${stdout.trim()}`, stdout.trim());
    return jobId;
  }

  /** All of this user's jobs Slurm still holds, in one call (one slurmctld RPC). */
  async myJobs(): Promise<SqueueRow[]> {
    return parseSqueue(
      await runChecked(this.run, 'squeue', ['--me', '--states=all', '--noheader', `--format=${SQUEUE_FORMAT}`], {
        timeoutMs: this.timeoutMs,
      }),
    );
  }

  /** A job that left squeue; undefined when Slurm no longer knows it. */
  async showJob(jobId: string): Promise<ScontrolJob | undefined> {
    const result = await this.run('scontrol', ['show', 'job', jobId], { timeoutMs: this.timeoutMs });
    if (result.code !== 0) {
      if (/Invalid job id/i.test(result.stderr)) return undefined;
      throw new CommandError(`scontrol show job ${jobId} failed: ${result.stderr.trim()}`, result.stderr.trim());
    }
    return parseScontrolJob(result.stdout);
  }

  async cancel(jobId: string): Promise<void> {
    await runChecked(this.run, 'scancel', [jobId], { timeoutMs: this.timeoutMs });
  }

  async partitions(): Promise<PartitionInfo[]> {
    return parseSinfo(await runChecked(this.run, 'sinfo', ['--noheader', `--format=${SINFO_FORMAT}`], { timeoutMs: this.timeoutMs }));
  }

  async version(): Promise<string> {
    return (await runChecked(this.run, 'sinfo', ['--version'], { timeoutMs: this.timeoutMs })).trim().replace(/^slurm(-wlm)?\s+/, '');
  }

  async config(): Promise<SlurmConfig> {
    const stdout = await runChecked(this.run, 'scontrol', ['show', 'config'], { timeoutMs: this.timeoutMs });
    return {
      clusterName: /^ClusterName\s*=\s*(\S+)/m.exec(stdout)?.[1] ?? 'unknown',
      // Only slurmdbd holds associations; sites without it (`none`) have no accounts to offer.
      accounting: /^AccountingStorageType\s*=\s*accounting_storage\/slurmdbd\b/m.test(stdout),
    };
  }

  /**
   * The user's associations (parsed by associations.ts), with the QOS each allows. Measured on the test
   * cluster: this costs about 280 ms (sacctmgr asks slurmdbd in several turns), against about
   * 10 ms for slurmctld's cached copy (`scontrol show assoc_mgr users=<u> flags=assoc`); but
   * scontrol does not print an association's QOS list, and the form and the launch check need
   * it. So sacctmgr it is, once, cached by the caller (cluster-facts.ts).
   */
  async associationRows(user: string): Promise<string> {
    return runChecked(
      this.run,
      'sacctmgr',
      ['--noheader', '--parsable2', 'show', 'user', `name=${user}`, 'withassoc', `format=${ASSOCIATION_FORMAT}`],
      { timeoutMs: this.timeoutMs },
    );
  }

  /** Partition name → its AllowAccounts, for those that limit them: sinfo cannot print these, slurmctld answers in one RPC. */
  async partitionAccounts(): Promise<Map<string, string[]>> {
    return parsePartitionAccounts(
      await runChecked(this.run, 'scontrol', ['show', 'partition', '--oneliner'], { timeoutMs: this.timeoutMs }),
    );
  }

  /** Every QOS's per-job limits from slurmctld's cached copy: one RPC (about 10 ms here, where `sacctmgr show qos` took 190). */
  async qosLimits(): Promise<QosInfo[]> {
    return parseAssocMgrQos(await runChecked(this.run, 'scontrol', ['show', 'assoc_mgr', 'flags=qos'], { timeoutMs: this.timeoutMs }));
  }
}

export interface SlurmConfig {
  clusterName: string;
  /** Whether Slurm keeps accounting in slurmdbd (AccountingStorageType), so that sacctmgr can answer. */
  accounting: boolean;
}
