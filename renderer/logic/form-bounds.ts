// Bounds of a launch form from the template AND the live cluster: a number field that asks
// for a Slurm resource cannot exceed what the chosen partition offers, nor a time what the
// chosen QOS and account allow (their MaxWall). TemplateSummary does not say which field is
// which resource, so the field name tells (the names the shipped templates use); a field with
// another name keeps the template's own bounds.
import { chosenAccount, wallLimit, type WallLimit } from '../../agent/common/accounting-rules';
import type { AccountInfo, ClusterInfo, FieldValues, PartitionInfo, TemplateField } from '../../main/api';

export type Resource = 'hours' | 'minutes' | 'cpus' | 'memoryGb' | 'memoryMb' | 'gpus';

const RESOURCE_BY_NAME: Record<string, Resource> = {
  hours: 'hours',
  walltimehours: 'hours',
  timehours: 'hours',
  minutes: 'minutes',
  timeminutes: 'minutes',
  walltimeminutes: 'minutes',
  time: 'minutes',
  cpus: 'cpus',
  cores: 'cpus',
  cpuspertask: 'cpus',
  memorygb: 'memoryGb',
  memgb: 'memoryGb',
  memory: 'memoryGb',
  memorymb: 'memoryMb',
  memmb: 'memoryMb',
  gpus: 'gpus',
};

export function resourceOf(fieldName: string): Resource | undefined {
  return RESOURCE_BY_NAME[fieldName.toLowerCase().replace(/[_-]/g, '')];
}

/** The partition the form currently asks for: the value of its partition field, or the default. */
export function chosenPartition(fields: TemplateField[], values: FieldValues, info: ClusterInfo | undefined): PartitionInfo | undefined {
  if (!info) return undefined;
  const field = fields.find((f) => f.type === 'partition');
  const name = field ? values[field.name] : undefined;
  return info.partitions.find((p) => p.name === name) ?? info.partitions.find((p) => p.isDefault) ?? info.partitions[0];
}

/** The partitions a partition field may offer: with GPUs when it needs them, open to the chosen account (AllowAccounts). */
export function partitionChoices(
  field: Extract<TemplateField, { type: 'partition' }>,
  info: ClusterInfo | undefined,
  values: FieldValues = {},
): PartitionInfo[] {
  if (!info) return [];
  const account = formAccount(values, info)?.name;
  return info.partitions.filter(
    (p) => (!field.requireGpus || p.gpusPerNode > 0) && (!account || !p.accounts || p.accounts.includes(account)),
  );
}

function clusterMax(resource: Resource, partition: PartitionInfo): number | undefined {
  switch (resource) {
    case 'hours':
      return partition.maxTimeMinutes === null ? undefined : Math.floor(partition.maxTimeMinutes / 60);
    case 'minutes':
      return partition.maxTimeMinutes ?? undefined;
    case 'cpus':
      return partition.cpusPerNode;
    case 'memoryGb':
      return Math.floor(partition.memoryMbPerNode / 1024);
    case 'memoryMb':
      return partition.memoryMbPerNode;
    case 'gpus':
      return partition.gpusPerNode;
  }
}

export interface NumberBounds {
  min?: number;
  max?: number;
  /** Which partition set the max, for the message; absent when the template or a MaxWall did. */
  limitedBy?: string;
  /** Whose MaxWall set the max (`QOS 'debug'`), for the message. */
  wallLimitOf?: string;
}

export function numberBounds(
  field: Extract<TemplateField, { type: 'number' }>,
  partition: PartitionInfo | undefined,
  wall?: WallLimit,
): NumberBounds {
  const resource = resourceOf(field.name);
  const fromCluster = resource && partition ? clusterMax(resource, partition) : undefined;
  const fromWall = wall && resource === 'hours' ? wall.minutes / 60 : wall && resource === 'minutes' ? wall.minutes : undefined;
  const bounds: NumberBounds = { min: field.min, max: field.max };
  if (fromCluster !== undefined && (bounds.max === undefined || fromCluster < bounds.max)) {
    Object.assign(bounds, { max: fromCluster, limitedBy: partition!.name });
  }
  if (fromWall !== undefined && (bounds.max === undefined || fromWall < bounds.max)) {
    return { min: field.min, max: fromWall, wallLimitOf: wall!.of };
  }
  return bounds;
}

/** The accounts an account field offers: the user's, the default first (as the agent sends them). */
export function accountChoices(info: ClusterInfo | undefined): AccountInfo[] {
  return info?.accounts ?? [];
}

/** The account the form currently asks for: its account field's value, or the user's default. */
export function formAccount(values: FieldValues, info: ClusterInfo | undefined): AccountInfo | undefined {
  return chosenAccount(values.account, accountChoices(info));
}

/** The QOS a qos field offers: those the chosen account allows, its default first. */
export function qosChoices(values: FieldValues, info: ClusterInfo | undefined): string[] {
  return formAccount(values, info)?.qos ?? [];
}

/** The MaxWall the form's time field must keep within: of the chosen QOS and account. */
export function formWallLimit(values: FieldValues, info: ClusterInfo | undefined): WallLimit | undefined {
  // `?? []`: an agent older than accounts sends no qos list.
  return info ? wallLimit(formAccount(values, info), values.qos, info.qos ?? []) : undefined;
}
