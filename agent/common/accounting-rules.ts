// Slurm's accounting rules that the form and the agent both apply: which account and QOS a job
// gets when it names none, and the wall-time limits they set. Shapes are written here, not
// imported, because this folder imports nothing (protocol.ts's AccountInfo and QosInfo fit them).

export interface AccountRules {
  name: string;
  isDefault: boolean;
  qos: string[];
  defaultQos?: string;
  maxWallMinutes: number | null;
}

export interface QosRules {
  name: string;
  maxWallMinutes: number | null;
}

export interface WallLimit {
  minutes: number;
  /** Whose limit it is, for a message: `QOS 'debug'`, `account 'chem'`. */
  of: string;
}

/** The account a job runs under: the one named, else the user's default (undefined: unknown, or no accounting). */
export function chosenAccount<A extends AccountRules>(named: unknown, accounts: readonly A[]): A | undefined {
  return typeof named === 'string' && named !== ''
    ? accounts.find((a) => a.name === named)
    : (accounts.find((a) => a.isDefault) ?? accounts[0]);
}

/**
 * The QOS Slurm gives a job of this account that names none: the association's DefaultQOS,
 * else `normal` when the association allows it (slurmctld's own fall-back), else its first.
 */
export function effectiveDefaultQos(account: AccountRules): string | undefined {
  if (account.defaultQos && account.qos.includes(account.defaultQos)) return account.defaultQos;
  return account.qos.includes('normal') ? 'normal' : account.qos[0];
}

/** The tightest MaxWall of the job's QOS (named, or the account's default) and its association; undefined when neither sets one. */
export function wallLimit(account: AccountRules | undefined, namedQos: unknown, qosList: readonly QosRules[]): WallLimit | undefined {
  const qosName = typeof namedQos === 'string' && namedQos !== '' ? namedQos : account && effectiveDefaultQos(account);
  const qos = qosList.find((q) => q.name === qosName);
  const limits: WallLimit[] = [];
  if (qos && qos.maxWallMinutes !== null) limits.push({ minutes: qos.maxWallMinutes, of: `QOS '${qos.name}'` });
  if (account && account.maxWallMinutes !== null) limits.push({ minutes: account.maxWallMinutes, of: `account '${account.name}'` });
  return limits.sort((a, b) => a.minutes - b.minutes)[0];
}
