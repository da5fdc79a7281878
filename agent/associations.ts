// The user's Slurm associations (accounts, the QOS each allows, their limits) from sacctmgr's
// parsable output: one pure parser per format, used by slurm.ts and tested on recorded output.
import { effectiveDefaultQos } from './common/accounting-rules';
import type { AccountInfo, QosInfo } from './protocol';
import { parseTimeLimit } from './sinfo-parser';

/** `sacctmgr show user <u> withassoc format=…`: one row per association, the user's DefaultAccount on each. */
export const ASSOCIATION_FORMAT = 'Cluster,Account,Partition,QOS,DefaultQOS,MaxWall,DefaultAccount';

/**
 * Rows of `sacctmgr --noheader --parsable2 show user <u> withassoc format=ASSOCIATION_FORMAT`
 * → the user's accounts on `clusterName`, the default first. A slurmdbd may serve several
 * clusters, so rows of others are left out. Associations limited to one partition are merged
 * into their account (their QOS added): the form offers accounts, Slurm checks the partition.
 */
export function parseAssociations(output: string, clusterName: string): AccountInfo[] {
  const byName = new Map<string, AccountInfo>();
  for (const line of output.split('\n')) {
    if (!line.trim()) continue;
    const [cluster, account, , qosList, defaultQos, maxWall, defaultAccount] = line.split('|').map((s) => s.trim());
    if (!account || (clusterName && cluster && cluster.toLowerCase() !== clusterName.toLowerCase())) continue;
    const qos = (qosList ?? '').split(',').filter(Boolean);
    const seen = byName.get(account);
    if (seen) {
      for (const name of qos) if (!seen.qos.includes(name)) seen.qos.push(name);
      continue;
    }
    byName.set(account, {
      name: account,
      isDefault: account === defaultAccount,
      qos,
      ...(defaultQos ? { defaultQos } : {}),
      maxWallMinutes: maxWall ? parseTimeLimit(maxWall) : null,
    });
  }
  const accounts = [...byName.values()];
  for (const account of accounts) account.qos = defaultQosFirst(account);
  return accounts.sort((a, b) => Number(b.isDefault) - Number(a.isDefault));
}

/** The QOS a job gets when it names none first, so that the form opens on it. */
function defaultQosFirst(account: AccountInfo): string[] {
  const first = effectiveDefaultQos(account);
  return first ? [first, ...account.qos.filter((q) => q !== first)] : account.qos;
}

/**
 * `scontrol show assoc_mgr flags=qos` → each QOS's per-job limits. Its records start with
 * `QOS=<name>(<id>)` at the start of a line, their fields indented below; MaxWallPJ is in
 * minutes, MaxTRESPJ lists only the TRES that have a limit.
 */
export function parseAssocMgrQos(output: string): QosInfo[] {
  const records: QosInfo[] = [];
  let current: QosInfo | undefined;
  for (const line of output.split('\n')) {
    const start = /^QOS=(.+)\(\d+\)\s*$/.exec(line);
    if (start) {
      current = { name: start[1], maxWallMinutes: null, maxTresPerJob: '' };
      records.push(current);
      continue;
    }
    if (!current || !/^\s/.test(line)) {
      current = undefined;
      continue;
    }
    const maxWall = /^\s+MaxWallPJ=(\d+)\s*$/.exec(line);
    if (maxWall) current.maxWallMinutes = Number(maxWall[1]);
    const maxTres = /^\s+MaxTRESPJ=(\S+)\s*$/.exec(line);
    if (maxTres) current.maxTresPerJob = maxTres[1];
  }
  return records;
}

/**
 * `scontrol show partition --oneliner` → partition name → its AllowAccounts, for partitions that
 * name some. (DenyAccounts is left to Slurm, whose refusal reaches the person in its words.)
 */
export function parsePartitionAccounts(output: string): Map<string, string[]> {
  const byPartition = new Map<string, string[]>();
  for (const line of output.split('\n')) {
    const name = /(?:^|\s)PartitionName=(\S+)/.exec(line)?.[1];
    const allow = /(?:^|\s)AllowAccounts=(\S+)/.exec(line)?.[1];
    if (name && allow && allow !== 'ALL') byPartition.set(name, allow.split(','));
  }
  return byPartition;
}
