// Optional site-wide registry of session metadata in Redis (plain or through Sentinel), so an
// admin can see every session of the site. The session folders stay the source of truth: when
// Redis is down or failing over the agent carries on, says so once, and writes everything again
// on the next successful round. Secrets are never in a Session, so never reach Redis.
import type { Redis as RedisClient } from 'ioredis';
import type { AgentConfig } from './agent-config';
import type { Session } from './protocol';

export const HOUR_SECONDS = 3600;

export function registryKey(user: string, id: string): string {
  return `porthole:session:${user}:${id}`;
}

/** While alive: the time left plus an hour; once ended: a day. */
export function registryTtlSeconds(session: Session, now: Date): number {
  if (session.state === 'ended') return 24 * HOUR_SECONDS;
  const endsAt = session.endsAt ? Date.parse(session.endsAt) : NaN;
  const left = Number.isFinite(endsAt) ? Math.max(0, Math.ceil((endsAt - now.getTime()) / 1000)) : 24 * HOUR_SECONDS;
  return left + HOUR_SECONDS;
}

export interface SessionRegistry {
  /** Writes every session; returns false (and remembers why) when Redis could not be reached. */
  publish(sessions: Session[], now: Date): Promise<boolean>;
  status(): { configured: boolean; healthy: boolean; message: string };
  close(): Promise<void>;
}

export const noRegistry: SessionRegistry = {
  publish: async () => true,
  status: () => ({ configured: false, healthy: true, message: 'No Redis is configured; sessions are kept in their folders only.' }),
  close: async () => undefined,
};

export async function openRegistry(config: AgentConfig['redis'], user: string, log: (line: string) => void): Promise<SessionRegistry> {
  if (!config || (!config.url && !config.sentinels)) return noRegistry;
  const { default: Redis } = await import('ioredis');
  const common = { lazyConnect: true, connectTimeout: 1500, maxRetriesPerRequest: 1, enableOfflineQueue: false, commandTimeout: 2000, retryStrategy: (n: number) => Math.min(n * 200, 2000) };
  const client: RedisClient = config.sentinels
    ? new Redis({ ...common, sentinels: config.sentinels, name: config.masterName ?? 'porthole', password: config.password, sentinelRetryStrategy: (n: number) => Math.min(n * 200, 2000) })
    : new Redis(config.url as string, { ...common, password: config.password });
  const where = config.sentinels ? `Redis master '${config.masterName ?? 'porthole'}' through Sentinel ${config.sentinels.map((s) => `${s.host}:${s.port}`).join(', ')}` : `Redis at ${config.url}`;
  let healthy = true;
  let lastError = '';
  client.on('error', (error: Error) => {
    lastError = error.message;
  });
  const ready = client.connect().then(
    () => true,
    (error: Error) => {
      lastError = error.message;
      return false;
    },
  );
  return {
    async publish(sessions, now) {
      try {
        if (client.status !== 'ready' && !(await waitReady(client, ready))) throw new Error(lastError || `not connected (${client.status})`);
        const batch = client.multi();
        for (const session of sessions) {
          batch.set(registryKey(user, session.id), JSON.stringify({ ...session, user }), 'EX', registryTtlSeconds(session, now));
        }
        await batch.exec();
        if (!healthy) log(`${where} answers again; ${sessions.length} sessions written to it.`);
        healthy = true;
        return true;
      } catch (error) {
        lastError = (error as Error).message;
        if (healthy) log(`${where} cannot be reached (${lastError}); carrying on with the session folders, will write again when it answers.`);
        healthy = false;
        return false;
      }
    },
    status: () => ({ configured: true, healthy, message: healthy ? `${where} answers.` : `${where} does not answer: ${lastError}` }),
    async close() {
      client.disconnect();
    },
  };
}

async function waitReady(client: RedisClient, first: Promise<boolean>): Promise<boolean> {
  if (client.status === 'ready') return true;
  if (client.status === 'wait') return first;
  const timeout = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 2000).unref());
  const readyNow = new Promise<boolean>((resolve) => client.once('ready', () => resolve(true)));
  return Promise.race([readyNow, timeout]);
}
