// `sinfo --noheader --format=<SINFO_FORMAT>` → partitions with their limits, for cluster-info.
import type { PartitionInfo } from './protocol';

export const SINFO_FORMAT = '%P|%l|%D|%c|%m|%G|%a';

export function parseSinfo(output: string): PartitionInfo[] {
  const byName = new Map<string, PartitionInfo>();
  for (const line of output.split('\n')) {
    if (!line.trim()) continue;
    const [rawName, limit, nodes, cpus, memory, gres, available] = line.split('|').map((s) => s.trim());
    const isDefault = rawName.endsWith('*');
    const name = isDefault ? rawName.slice(0, -1) : rawName;
    const gpu = /gpu:(?:([A-Za-z0-9_-]+):)?(\d+)/.exec(gres ?? '');
    const info: PartitionInfo = {
      name,
      isDefault,
      maxTimeMinutes: parseTimeLimit(limit ?? ''),
      nodes: Number(nodes) || 0,
      cpusPerNode: Number.parseInt(cpus ?? '', 10) || 0,
      memoryMbPerNode: Number.parseInt(memory ?? '', 10) || 0,
      gpusPerNode: gpu ? Number(gpu[2]) : 0,
      ...(gpu?.[1] ? { gpuType: gpu[1] } : {}),
      state: available ?? 'unknown',
    };
    const seen = byName.get(name);
    if (seen) seen.nodes += info.nodes;
    else byName.set(name, info);
  }
  return [...byName.values()];
}

/** Slurm time limits: UNLIMITED, MM, HH:MM:SS, D-HH:MM:SS, D-HH. */
export function parseTimeLimit(text: string): number | null {
  if (/^(UNLIMITED|infinite)$/i.test(text)) return null;
  const match = /^(?:(\d+)-)?(\d+)(?::(\d+))?(?::(\d+))?$/.exec(text);
  if (!match) return null;
  const [, days, a, b, c] = match;
  const d = Number(days ?? 0);
  if (days !== undefined) return d * 1440 + Number(a) * 60 + Number(b ?? 0);
  if (c !== undefined) return Number(a) * 60 + Number(b);
  // MM:SS: whole minutes are what the form offers.
  return Number(a);
}
