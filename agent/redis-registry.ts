// Optional site-wide registry of session metadata in Redis (plain or through Sentinel), so an
// admin can see every session of the site. The session folders stay the source of truth: when
// Redis is down or failing over the agent carries on, says so once, and writes everything again
// on the next successful round. Redis is shared by the site: what goes there is a record made
// for it (registryRecord), never a Session as it is, and no password is ever shown or logged.
import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import type { Redis as RedisClient, RedisOptions } from 'ioredis';
import type { AgentConfig, RedisConfig } from './agent-config';
import { BadInputError } from './errors';
import { counterIncrements, sessionLabels, type SessionEvent } from './metrics-events';
import type { RegistrySnapshot } from './metrics';
import type { Session } from './protocol';

export const HOUR_SECONDS = 3600;
const HIDDEN = '***';

export function registryKey(user: string, id: string): string {
  return `porthole:session:${user}:${id}`;
}

/** A user's counters of launches, ends and ready times (metrics-events.ts): a hash, outside the session keys. */
export function countersKey(user: string): string {
  return `porthole:counters:${user}`;
}

/**
 * A Redis URL fit to show or log: the password (and a lone user part, which people use for a
 * password too) replaced by ***, and any password given in the query. Everything up to the last
 * '@' counts as user part, so a password with an unescaped '@', '/' or '?' is hidden whole.
 */
export function redactRedisUrl(url: string): string {
  const { scheme, user, userSecret, rest } = urlParts(url);
  const shown = userSecret === undefined ? '' : user === undefined ? `${HIDDEN}@` : `${user}:${HIDDEN}@`;
  return scheme + shown + rest.replace(QUERY_PASSWORD, `$1${HIDDEN}`);
}

const QUERY_PASSWORD = /([?&][^=&#]*pass[^=&#]*=)([^&#]*)/gi;

/** A URL cut where redactRedisUrl cuts it: the user it shows, and the strings it hides. */
function urlParts(url: string): { scheme: string; user?: string; userSecret?: string; querySecrets: string[]; rest: string } {
  const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.exec(url)?.[0] ?? '';
  const afterScheme = url.slice(scheme.length);
  const at = afterScheme.lastIndexOf('@');
  const rest = afterScheme.slice(at + 1);
  const querySecrets = [...rest.matchAll(QUERY_PASSWORD)].map((match) => match[2]);
  if (at < 0) return { scheme, querySecrets, rest };
  const userPart = afterScheme.slice(0, at);
  const colon = userPart.indexOf(':');
  return colon > 0
    ? { scheme, user: userPart.slice(0, colon), userSecret: userPart.slice(colon + 1), querySecrets, rest }
    : { scheme, userSecret: userPart, querySecrets, rest };
}

/**
 * What Redis keeps of a session: ids, state words, times, where it runs and its numbers. No
 * string a person typed (a title is free text) and no reason (Slurm's words or a log tail),
 * because every user of the site's Redis may be able to read it.
 */
export interface RegistryRecord {
  user: string;
  id: string;
  templateId: string;
  jobId: string;
  state: Session['state'];
  end?: Session['end'];
  node?: string;
  partition?: string;
  /** The Slurm account the form chose; absent for the user's default account. */
  account?: string;
  /** The form's number values (hours, cpus, memoryGb, gpus…): checked against the template's limits, so never text. */
  numbers: Record<string, number>;
  submittedAt: string;
  startedAt?: string;
  readyAt?: string;
  endsAt?: string;
  endedAt?: string;
}

export function registryRecord(session: Session, user: string): RegistryRecord {
  const { id, templateId, jobId, state, end, node, values, submittedAt, startedAt, readyAt, endsAt, endedAt } = session;
  const { account } = sessionLabels(session);
  return {
    user,
    id,
    templateId,
    jobId,
    state,
    end,
    node,
    // A partition value was checked against Slurm's own names (template-values.ts).
    partition: typeof values.partition === 'string' ? values.partition : undefined,
    account: account || undefined,
    numbers: Object.fromEntries(Object.entries(values).filter((entry): entry is [string, number] => typeof entry[1] === 'number')),
    submittedAt,
    startedAt,
    readyAt,
    endsAt,
    endedAt,
  };
}

/** How long past its time limit a live session's record stays: the job's epilogue, a late squeue. */
const LIVE_MARGIN_SECONDS = HOUR_SECONDS;

/**
 * How many seconds Redis keeps a session's record from `now`, or undefined when its time is over
 * and it is not to be written again. A live session's record lives while the job can (the time
 * left, or its whole time limit while queued, plus a margin), and each refresh extends it. An
 * ended one's expiry is fixed by its end (`recordHoursAfterEnd` later, site.json's `sessions`),
 * so a refresh writes it with what is left and never renews it.
 */
export function registryTtlSeconds(session: Session, now: Date, recordHoursAfterEnd: number): number | undefined {
  if (session.state === 'ended') {
    const endedAt = Date.parse(session.endedAt ?? session.startedAt ?? session.submittedAt);
    const left = Math.ceil((endedAt + recordHoursAfterEnd * HOUR_SECONDS * 1000 - now.getTime()) / 1000);
    return left > 0 ? left : undefined;
  }
  const endsAt = session.endsAt ? Date.parse(session.endsAt) : NaN;
  const hours = typeof session.values.hours === 'number' ? session.values.hours : 24;
  const left = Number.isFinite(endsAt) ? Math.max(0, Math.ceil((endsAt - now.getTime()) / 1000)) : Math.ceil(hours * HOUR_SECONDS);
  return left + LIVE_MARGIN_SECONDS;
}

/** How ioredis is called for a config: `new Redis(url, options)` or `new Redis(options)`. */
export interface RedisConnection {
  url?: string;
  options: RedisOptions;
  /** Where it goes, fit for a log line: no password. */
  where: string;
}

export function redisConnection(
  config: RedisConfig,
  readFile: (path: string) => string = (path) => readFileSync(path, 'utf8'),
): RedisConnection {
  const common: RedisOptions = {
    lazyConnect: true,
    connectTimeout: 1500,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    commandTimeout: 2000,
    retryStrategy: (n: number) => Math.min(n * 200, 2000),
    // CLIENT SETINFO would be one more command for a site's per-user ACL to allow; it only labels the connection.
    disableClientInfo: true,
    ...(config.username !== undefined && { username: config.username }),
    ...(config.password !== undefined && { password: config.password }),
    ...(config.tls && { tls: tlsOptions(config.tls, 'redis.tls', readFile) }),
  };
  if (config.sentinels) {
    const name = config.masterName ?? 'porthole';
    return {
      options: {
        ...common,
        sentinels: config.sentinels,
        name,
        sentinelRetryStrategy: (n: number) => Math.min(n * 200, 2000),
        ...(config.sentinelUsername !== undefined && { sentinelUsername: config.sentinelUsername }),
        ...(config.sentinelPassword !== undefined && { sentinelPassword: config.sentinelPassword }),
        ...(config.sentinelTLS && { sentinelTLS: tlsOptions(config.sentinelTLS, 'redis.sentinelTLS', readFile) }),
        ...(config.enableTLSForSentinelMode !== undefined && { enableTLSForSentinelMode: config.enableTLSForSentinelMode }),
      },
      where: `Redis master '${name}' through Sentinel ${config.sentinels.map((s) => `${s.host}:${s.port}`).join(', ')}`,
    };
  }
  const url = config.url as string;
  return { url, options: common, where: `Redis at ${redactRedisUrl(url)}` };
}

function tlsOptions(tls: NonNullable<RedisConfig['tls']>, field: string, readFile: (path: string) => string): ConnectionOptions {
  const options: ConnectionOptions = tls.servername ? { servername: tls.servername } : {};
  if (tls.caFile) {
    try {
      options.ca = readFile(tls.caFile);
    } catch (error) {
      throw new BadInputError(
        `${field}.caFile`,
        tls.caFile,
        `a readable PEM file of the CA that signed Redis's certificate (${(error as Error).message})`,
      );
    }
  }
  return options;
}

export interface SessionRegistry {
  /**
   * Writes every session; returns false (and remembers why) when Redis could not be reached.
   * An empty list still makes one round trip (an empty MULTI/EXEC), so status() is then true.
   */
  publish(sessions: Session[], now: Date): Promise<boolean>;
  status(): { configured: boolean; healthy: boolean; message: string };
  close(): Promise<void>;
}

/** Adds events to the user's counters; a failure is logged once, never thrown: counting must not stop a launch. */
export interface SessionCounters {
  count(events: SessionEvent[]): Promise<void>;
}

export const noRegistry: SessionRegistry & SessionCounters = {
  publish: async () => true,
  count: async () => undefined,
  status: () => ({ configured: false, healthy: true, message: 'No Redis is configured; sessions are kept in their folders only.' }),
  close: async () => undefined,
};

export async function openRegistry(
  config: AgentConfig['redis'],
  user: string,
  log: (line: string) => void,
  /** site.json's `sessions.recordHoursAfterEnd`. */
  recordHoursAfterEnd: number,
): Promise<SessionRegistry & SessionCounters> {
  if (!config || (!config.url && !config.sentinels)) return noRegistry;
  const { default: Redis } = await import('ioredis');
  const connection = redisConnection(config);
  const client: RedisClient = connection.url ? new Redis(connection.url, connection.options) : new Redis(connection.options);
  const { where } = connection;
  const hideSecrets = secretHider(config);
  let healthy = true;
  let countsWritten = true;
  let lastError = '';
  client.on('error', (error: Error) => {
    lastError = hideSecrets(error.message);
  });
  const ready = client.connect().then(
    () => true,
    (error: Error) => {
      lastError = hideSecrets(error.message);
      return false;
    },
  );
  return {
    async publish(sessions, now) {
      try {
        if (client.status !== 'ready' && !(await waitReady(client, ready)))
          throw new Error(lastError || `not connected (${client.status})`);
        const batch = client.multi();
        for (const session of sessions) {
          const ttl = registryTtlSeconds(session, now, recordHoursAfterEnd);
          if (ttl !== undefined) batch.set(registryKey(user, session.id), JSON.stringify(registryRecord(session, user)), 'EX', ttl);
        }
        await batch.exec();
        if (!healthy) log(`${where} answers again; ${sessions.length} sessions written to it.`);
        healthy = true;
        return true;
      } catch (error) {
        lastError = hideSecrets((error as Error).message);
        if (healthy)
          log(`${where} cannot be reached (${lastError}); carrying on with the session folders, will write again when it answers.`);
        healthy = false;
        return false;
      }
    },
    // A count made while Redis is down is lost (the session records are written again later,
    // events are not): the metrics undercount an outage rather than count anything twice.
    async count(events) {
      try {
        await writeCounts(client, user, events);
        countsWritten = true;
      } catch (error) {
        // A command refused inside MULTI fails EXEC with EXECABORT; Redis's own reason is in previousErrors.
        const { message: outer, previousErrors = [] } = error as Error & { previousErrors?: Error[] };
        const message = hideSecrets([outer, ...previousErrors.map((e) => e.message)].join(': '));
        if (countsWritten) log(`${where} did not take the metrics' counters (${message})${/NOPERM/.test(message) ? `; ${ACL_HINT}` : ''}.`);
        countsWritten = false;
      }
    },
    status: () => ({ configured: true, healthy, message: healthy ? `${where} answers.` : `${where} does not answer: ${lastError}` }),
    async close() {
      client.disconnect();
    },
  };
}

const ACL_HINT = "the user's Redis ACL needs +hincrby and the key porthole:counters:<user> (README); sessions are still written";

/** The events' increments in one MULTI: they count together or not at all. */
async function writeCounts(client: RedisClient, user: string, events: SessionEvent[]): Promise<void> {
  const increments = counterIncrements(events);
  if (increments.size === 0) return;
  if (client.status !== 'ready') throw new Error(`not connected (${client.status})`);
  const batch = client.multi();
  for (const [field, amount] of increments) batch.hincrby(countersKey(user), field, amount);
  const failed = (await batch.exec())?.find(([error]) => error);
  if (failed) throw failed[0] as Error;
}

/** Redis's own messages are shown as they are: this makes sure none of them carries a password of ours. */
function secretHider(config: RedisConfig): (text: string) => string {
  const parts = config.url ? urlParts(config.url) : undefined;
  const inUrl = parts ? [parts.userSecret ?? '', ...parts.querySecrets] : [];
  const secrets = [config.password, config.sentinelPassword, ...inUrl, ...inUrl.map(safeDecode)].filter((s): s is string => Boolean(s));
  return (text) =>
    secrets.reduce(
      (hidden, secret) => hidden.split(secret).join(HIDDEN),
      config.url ? text.split(config.url).join(redactRedisUrl(config.url)) : text,
    );
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

async function waitReady(client: RedisClient, first: Promise<boolean>): Promise<boolean> {
  if (client.status === 'ready') return true;
  if (client.status === 'wait') return first;
  const timeout = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 2000).unref());
  const readyNow = new Promise<boolean>((resolve) => client.once('ready', () => resolve(true)));
  return Promise.race([readyNow, timeout]);
}

/** What `metrics` reads: every session record and every user's counters, with an admin's read-only credentials. */
export interface RegistryReader {
  /** Where it reads, fit for a log line: no password. */
  where: string;
  read(): Promise<RegistrySnapshot>;
  close(): void;
}

const SESSION_KEY = /^porthole:session:([^:]+):[^:]+$/;
const COUNTERS_KEY = /^porthole:counters:([^:]+)$/;
const MGET_BATCH = 500;

export async function openRegistryReader(config: RedisConfig): Promise<RegistryReader> {
  const { default: Redis } = await import('ioredis');
  const connection = redisConnection(config);
  // No ready check: it sends INFO, which README's read-only admin ACL does not allow (ioredis would
  // warn at every start), and metrics may as well be read from a replica.
  const options = { ...connection.options, enableReadyCheck: false };
  // One scrape at a time, each a few round trips: a missing Redis fails the scrape rather than retrying in it.
  const client: RedisClient = connection.url ? new Redis(connection.url, options) : new Redis(options);
  const hideSecrets = secretHider(config);
  // ioredis rejects a failed connect with "Connection is closed."; the reason is in its error event.
  let connectionError = '';
  client.on('error', (error: Error) => (connectionError = error.message));
  const { where } = connection;
  const failed = (error: unknown): Error => {
    const reason = connectionError || (error as Error).message;
    return new Error(`Reading the site registry from ${where} failed: ${hideSecrets(reason)}`, { cause: error });
  };
  return {
    where,
    async read() {
      try {
        connectionError = '';
        if (client.status === 'wait') await client.connect();
        const sessionKeys = (await scanKeys(client, 'porthole:session:*')).filter((key) => SESSION_KEY.test(key));
        const sessions: RegistrySnapshot['sessions'] = [];
        for (let start = 0; start < sessionKeys.length; start += MGET_BATCH) {
          const keys = sessionKeys.slice(start, start + MGET_BATCH);
          const texts = await client.mget(keys);
          // A record may expire between SCAN and MGET: it is then gone, not unreadable.
          keys.forEach(
            (key, i) => texts[i] !== null && sessions.push({ user: SESSION_KEY.exec(key)?.[1] ?? '', text: texts[i] as string }),
          );
        }
        const counterKeys = (await scanKeys(client, 'porthole:counters:*')).filter((key) => COUNTERS_KEY.test(key));
        const batch = client.pipeline();
        for (const key of counterKeys) batch.hgetall(key);
        const hashes = counterKeys.length ? ((await batch.exec()) ?? []) : [];
        const counters = counterKeys.map((key, i) => {
          const [error, fields] = hashes[i] ?? [new Error('no answer')];
          if (error) throw error;
          return { user: COUNTERS_KEY.exec(key)?.[1] ?? '', fields: fields as Record<string, string> };
        });
        return { sessions, counters };
      } catch (error) {
        throw failed(error);
      }
    },
    close: () => client.disconnect(),
  };
}

async function scanKeys(client: RedisClient, match: string): Promise<string[]> {
  const keys = new Set<string>();
  let cursor = '0';
  do {
    const [next, found] = await client.scan(cursor, 'MATCH', match, 'COUNT', 1000);
    for (const key of found) keys.add(key);
    cursor = next;
  } while (cursor !== '0');
  // SCAN may return a key twice.
  return [...keys];
}
