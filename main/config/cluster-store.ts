// clusters.json: the clusters a person added. Validated on every read; a broken file is
// reported with its line and is never overwritten (the person may have edited it by hand).
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { ClusterConfig } from '../api';
import { PortholeError } from '../errors';
import { writeFileAtomic } from './atomic-write';
import { lineOfPath, lineOfSyntaxError } from './json-locate';

const clusterName = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/,
    'a name is 1–64 letters, digits, dots, dashes or underscores, starting with a letter or digit',
  );
// A host, user or jump spec goes to ssh_config lookups and to the SSH protocol, never to a
// shell; still, refuse what cannot be one (spaces, a leading dash that ssh would take as an option).
const hostName = z
  .string()
  .regex(/^[A-Za-z0-9_.:%[\]-]+$/, 'a host is a name, an alias from ~/.ssh/config or an address, with no spaces')
  .refine((h) => !h.startsWith('-'), 'a host may not start with "-"');
const userName = z.string().regex(/^[A-Za-z0-9_.][A-Za-z0-9_.@-]{0,63}$/, 'a user name is letters, digits, ".", "_", "-" (up to 64)');
const jumpSpec = z
  .string()
  .regex(
    /^([A-Za-z0-9_.-]+@)?[A-Za-z0-9_.:[\]-]+(,([A-Za-z0-9_.-]+@)?[A-Za-z0-9_.:[\]-]+)*$/,
    'a jump host is [user@]host[:port], several separated by commas',
  );
const filePath = z.string().min(1, 'give a path to a file').max(4096);

const clusterFields = {
  name: clusterName,
  /** The login node; with `hosts`, the first of them (it may be left out there). */
  host: hostName.optional(),
  /** Several login nodes of one cluster, tried in this order; each may end in `:port`. */
  hosts: z.array(hostName).min(1, 'list at least one login node').max(16, 'list at most 16 login nodes').optional(),
  user: userName.optional(),
  port: z.number().int().min(1).max(65535).optional(),
  identityFile: filePath.optional(),
  proxyJump: jumpSpec.optional(),
  sshConfigFile: filePath.optional(),
};

/** `host`, `hosts` or both (then `host` first in `hosts`), each login node once. */
function checkLoginNodes(value: { host?: string; hosts?: string[] }, ctx: z.RefinementCtx): void {
  const { host, hosts } = value;
  if (host === undefined && hosts === undefined) {
    ctx.addIssue({ code: 'custom', path: ['host'], message: "give the login node's host (or several in hosts)" });
    return;
  }
  const repeated = hosts?.find((h, i) => hosts.indexOf(h) !== i);
  if (repeated) ctx.addIssue({ code: 'custom', path: ['hosts'], message: `'${repeated}' is listed twice; list each login node once` });
  if (host !== undefined && hosts !== undefined && hosts[0] !== host) {
    ctx.addIssue({
      code: 'custom',
      path: ['host'],
      message: `'${host}' is not the first of hosts (${hosts.join(', ')}); leave host out, or list it first in hosts`,
    });
  }
}

/** One shape inside: `host` is always the first login node, `hosts` only when there are several. */
function withLoginNodes<T extends { host?: string; hosts?: string[] }>({ host, hosts, ...rest }: T) {
  const all = hosts ?? [host!];
  return { ...rest, host: all[0], ...(all.length > 1 ? { hosts: all } : {}) };
}

export const clusterConfigSchema = z.strictObject(clusterFields).superRefine(checkLoginNodes).transform(withLoginNodes);

// `connectedBefore` is Porthole's own note, never a person's input: a cluster that has connected
// once keeps retrying when its network fails; a new one stops at a typo (main/ssh/connection.ts).
const storedClusterSchema = z
  .strictObject({ ...clusterFields, connectedBefore: z.literal(true).optional() })
  .superRefine(checkLoginNodes)
  .transform(withLoginNodes);
type StoredCluster = z.infer<typeof storedClusterSchema>;

const clustersFileSchema = z.strictObject({ version: z.literal(1), clusters: z.array(storedClusterSchema) });

function withoutNotes({ connectedBefore: _, ...config }: StoredCluster): ClusterConfig {
  return config;
}

/** The same SSH server: what `connectedBefore` says about the old one still holds. */
function sameServer(a: ClusterConfig, b: ClusterConfig): boolean {
  return (
    String(a.hosts ?? a.host) === String(b.hosts ?? b.host) &&
    a.port === b.port &&
    a.proxyJump === b.proxyJump &&
    a.sshConfigFile === b.sshConfigFile
  );
}

/** Validates what a person entered; the error names the field. */
export function parseClusterConfig(input: unknown): ClusterConfig {
  const parsed = clusterConfigSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue.path.map(String).join('.') || undefined;
  throw new PortholeError(field ? `${field}: ${issue.message}` : issue.message, { field, cause: parsed.error });
}

export class ClusterStore {
  // Writes queue behind each other: two clicks must not lose one of the two changes.
  private pending: Promise<unknown> = Promise.resolve();
  constructor(readonly file: string) {}

  async list(): Promise<ClusterConfig[]> {
    return (await this.read()).clusters.map(withoutNotes);
  }

  async connectedBefore(name: string): Promise<boolean> {
    return (await this.read()).clusters.some((c) => c.name === name && c.connectedBefore);
  }

  /** Notes that the cluster has connected once; a cluster removed meanwhile stays removed. */
  async markConnected(name: string): Promise<void> {
    return this.modify((clusters) => ({
      clusters: clusters.map((c) => (c.name === name ? { ...c, connectedBefore: true as const } : c)),
      result: undefined,
    }));
  }

  async get(name: string): Promise<ClusterConfig> {
    const cluster = (await this.list()).find((c) => c.name === name);
    if (!cluster) throw new PortholeError(`There is no cluster named '${name}'; add it first`, { field: 'name' });
    return cluster;
  }

  async add(input: unknown): Promise<ClusterConfig> {
    const config = parseClusterConfig(input);
    return this.modify((clusters) => {
      if (clusters.some((c) => c.name === config.name)) {
        throw new PortholeError(`A cluster named '${config.name}' exists already; choose another name or edit that one`, { field: 'name' });
      }
      return { clusters: [...clusters, config], result: config };
    });
  }

  async update(name: string, input: unknown): Promise<ClusterConfig> {
    const config = parseClusterConfig(input);
    return this.modify((clusters) => {
      const index = clusters.findIndex((c) => c.name === name);
      if (index < 0) throw new PortholeError(`There is no cluster named '${name}' to update`, { field: 'name' });
      if (config.name !== name && clusters.some((c) => c.name === config.name)) {
        throw new PortholeError(`A cluster named '${config.name}' exists already`, { field: 'name' });
      }
      const old = clusters[index];
      const updated = old.connectedBefore && sameServer(old, config) ? { ...config, connectedBefore: true as const } : config;
      return { clusters: clusters.map((c, i) => (i === index ? updated : c)), result: config };
    });
  }

  async remove(name: string): Promise<void> {
    return this.modify((clusters) => {
      if (!clusters.some((c) => c.name === name))
        throw new PortholeError(`There is no cluster named '${name}' to remove`, { field: 'name' });
      return { clusters: clusters.filter((c) => c.name !== name), result: undefined };
    });
  }

  private modify<T>(change: (clusters: StoredCluster[]) => { clusters: StoredCluster[]; result: T }): Promise<T> {
    const next = this.pending.then(async () => {
      const { clusters } = await this.read();
      const { clusters: updated, result } = change(clusters);
      await writeFileAtomic(this.file, JSON.stringify({ version: 1, clusters: updated }, null, 2) + '\n');
      return result;
    });
    // The caller gets the error through `next`; the queue only needs to know this change is over.
    this.pending = next.catch(() => undefined);
    return next;
  }

  private async read(): Promise<{ clusters: StoredCluster[] }> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { clusters: [] };
      throw new PortholeError(`Cannot read ${this.file}: ${(error as Error).message}`, { cause: error });
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      const line = lineOfSyntaxError(text);
      throw new PortholeError(
        `${this.file} line ${line}: this is not valid JSON (${(error as Error).message}). ` +
          `Fix or remove the file; Porthole will not overwrite it.`,
        { cause: error },
      );
    }
    const parsed = clustersFileSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const line = lineOfPath(text, issue.path as (string | number)[]);
      const where = issue.path.length ? ` at ${issue.path.join('.')}` : '';
      throw new PortholeError(
        `${this.file} line ${line}${where}: ${issue.message}. Fix or remove the file; Porthole will not overwrite it.`,
        { cause: parsed.error },
      );
    }
    const names = new Set<string>();
    for (const [index, cluster] of parsed.data.clusters.entries()) {
      if (names.has(cluster.name)) {
        const line = lineOfPath(text, ['clusters', index, 'name']);
        throw new PortholeError(
          `${this.file} line ${line}: the name '${cluster.name}' is used twice. Fix the file; Porthole will not overwrite it.`,
        );
      }
      names.add(cluster.name);
    }
    return parsed.data;
  }
}
