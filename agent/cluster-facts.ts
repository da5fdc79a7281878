// What the cluster offers this user (partitions, accounts, QOS and their limits), for
// cluster.info and for checking a launch. Accounting changes rarely and sacctmgr is the slowest
// call the agent makes, so `serve` reads it once and keeps it for a while: the form and the
// launch that follows it then cost no second sacctmgr. A stale entry is harmless: Slurm
// itself refuses an account or QOS taken away meanwhile, in its own words.
import { parseAssociations } from './associations';
import type { AccountInfo, ClusterInfo, PartitionInfo, QosInfo } from './protocol';
import type { Slurm, SlurmConfig } from './slurm';

export interface Accounting {
  accounts: AccountInfo[];
  qos: QosInfo[];
  /** Partition name → its AllowAccounts, for partitions that name some. */
  partitionAccounts: Record<string, string[]>;
}

/** How long accounting read from Slurm is reused. */
export const ACCOUNTING_MAX_AGE_MS = 5 * 60_000;
/** How long the partition list is reused by a launch's checks (cluster.info always reads it afresh). */
export const PARTITIONS_MAX_AGE_MS = 5 * 60_000;

export class ClusterFacts {
  private config?: Promise<SlurmConfig>;
  private version?: Promise<string>;
  private accountingRead?: { at: number; value: Promise<Accounting> };
  private partitionsRead?: { at: number; value: Promise<PartitionInfo[]> };

  constructor(
    private readonly slurm: Slurm,
    private readonly user: string,
    private readonly now: () => number = Date.now,
  ) {}

  async info(): Promise<ClusterInfo> {
    const [config, slurmVersion, partitions, accounting] = await Promise.all([
      this.slurmConfig(),
      this.slurmVersion(),
      this.readPartitions(),
      this.accounting(),
    ]);
    const { accounts, qos, partitionAccounts } = accounting;
    return {
      clusterName: config.clusterName,
      slurmVersion,
      partitions: partitions.map((p) => (partitionAccounts[p.name] ? { ...p, accounts: partitionAccounts[p.name] } : p)),
      user: this.user,
      accounts,
      qos,
    };
  }

  /** The user's accounts and the QOS they name; none where Slurm keeps no accounting. */
  accounting(): Promise<Accounting> {
    const read = this.accountingRead;
    if (read && this.now() - read.at < ACCOUNTING_MAX_AGE_MS) return read.value;
    const value = this.readAccounting();
    this.accountingRead = { at: this.now(), value };
    // A failed read is not kept: the next call asks Slurm again.
    value.catch(() => {
      if (this.accountingRead?.value === value) this.accountingRead = undefined;
    });
    return value;
  }

  /**
   * The partitions for a launch's checks: the list the form last showed (or `serve`'s prefetch),
   * which saves the launch an sinfo. A partition removed meanwhile still passes here and sbatch
   * refuses it in Slurm's words; one added meanwhile (`wanted` not in the list) is asked afresh.
   */
  partitions(wanted?: string): Promise<PartitionInfo[]> {
    const read = this.partitionsRead;
    if (!read || this.now() - read.at >= PARTITIONS_MAX_AGE_MS) return this.readPartitions();
    if (wanted === undefined) return read.value;
    return read.value.then((list) => (list.some((p) => p.name === wanted) ? list : this.readPartitions()));
  }

  private readPartitions(): Promise<PartitionInfo[]> {
    const value = this.slurm.partitions();
    this.partitionsRead = { at: this.now(), value };
    // A failed read is not kept: the next call asks Slurm again.
    value.catch(() => {
      if (this.partitionsRead?.value === value) this.partitionsRead = undefined;
    });
    return value;
  }

  private async readAccounting(): Promise<Accounting> {
    // All three at once, not the configuration first: sacctmgr is the long one, and where Slurm
    // keeps no accounting its quick failure is simply not used.
    const rows = this.slurm.associationRows(this.user);
    const limits = this.slurm.qosLimits();
    const partitionAccounts = this.slurm.partitionAccounts().then((byName) => Object.fromEntries(byName));
    rows.catch(() => undefined);
    limits.catch(() => undefined);
    const config = await this.slurmConfig();
    if (!config.accounting) return { accounts: [], qos: [], partitionAccounts: await partitionAccounts };
    const accounts = parseAssociations(await rows, config.clusterName);
    const named = new Set(accounts.flatMap((a) => a.qos));
    return { accounts, qos: (await limits).filter((q) => named.has(q.name)), partitionAccounts: await partitionAccounts };
  }

  /** ClusterName and AccountingStorageType do not change while slurmctld runs. */
  private slurmConfig(): Promise<SlurmConfig> {
    if (!this.config) {
      const config = this.slurm.config();
      config.catch(() => (this.config = undefined));
      this.config = config;
    }
    return this.config;
  }

  /** Read once: the Slurm commands' version does not change under a running agent. */
  private slurmVersion(): Promise<string> {
    if (!this.version) {
      const version = this.slurm.version();
      version.catch(() => (this.version = undefined));
      this.version = version;
    }
    return this.version;
  }
}
