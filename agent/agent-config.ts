// The one place the agent reads its configuration: ~/.porthole/agent.json, then environment
// variables over it (PORTHOLE_REDIS_URL, or PORTHOLE_REDIS_SENTINELS=host:port,… with
// PORTHOLE_REDIS_MASTER; PORTHOLE_ROUTE; PORTHOLE_TEMPLATE_DIRS).
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as z from './zod';
import { BadInputError } from './errors';
import { redactRedisUrl } from './redis-registry';

const hostPort = z.strictObject({ host: z.string().check(z.minLength(1)), port: z.number().check(z.int(), z.gte(1), z.lte(65535)) });
const routeSchema = z.enum(['auto', 'srun', 'ssh', 'direct']);
const redisUrl = z.string().check(z.regex(/^rediss?:\/\/[^\s]+$/, 'a URL that starts with redis:// or rediss:// (rediss:// for TLS)'));
const nonEmpty = z.string().check(z.minLength(1));
/** Node's TLS options as ioredis takes them, with the CA as a file: a PEM inside JSON is unreadable. `{}` uses the system's CAs. */
const tlsSchema = z.strictObject({
  caFile: z.optional(z.string().check(z.regex(/^\//, 'an absolute path of a PEM file'))),
  servername: z.optional(nonEmpty),
});

// Option names are ioredis's own, so an admin can look each one up there.
const redisSchema = z
  .strictObject({
    url: z.optional(redisUrl),
    sentinels: z.optional(z.array(hostPort).check(z.minLength(1))),
    masterName: z.optional(nonEmpty),
    username: z.optional(nonEmpty),
    password: z.optional(z.string()),
    tls: z.optional(tlsSchema),
    sentinelUsername: z.optional(nonEmpty),
    sentinelPassword: z.optional(z.string()),
    sentinelTLS: z.optional(tlsSchema),
    enableTLSForSentinelMode: z.optional(z.boolean()),
  })
  .check(
    z.superRefine((redis, context) => {
      if (redis.url && redis.sentinels)
        context.addIssue({ code: 'custom', path: ['sentinels'], message: 'give either url or sentinels, not both' });
      // ioredis lets a URL's user part win over these, even an empty password: one place only.
      if (redis.url?.includes('@') && (redis.username !== undefined || redis.password !== undefined)) {
        context.addIssue({
          code: 'custom',
          path: [redis.username !== undefined ? 'username' : 'password'],
          message: 'the url names a user or password already: give them in the url or as username and password, not both',
        });
      }
      for (const key of ['masterName', 'sentinelUsername', 'sentinelPassword', 'sentinelTLS', 'enableTLSForSentinelMode'] as const) {
        if (redis[key] !== undefined && !redis.sentinels)
          context.addIssue({ code: 'custom', path: [key], message: `${key} is for Sentinel: give sentinels too, or leave it out` });
      }
      if (redis.enableTLSForSentinelMode && !redis.tls)
        context.addIssue({
          code: 'custom',
          path: ['enableTLSForSentinelMode'],
          message: 'TLS to the master needs tls ({} for the system CAs, or { "caFile": … })',
        });
    }),
  );

export const agentConfigSchema = z.strictObject({
  redis: z.optional(redisSchema),
  route: z._default(routeSchema, 'auto'),
  templateDirs: z._default(z.array(z.string()), []),
});

export type AgentConfig = z.infer<typeof agentConfigSchema>;
export type RedisConfig = NonNullable<AgentConfig['redis']>;
export type Route = AgentConfig['route'];

export function agentConfigFile(home: string): string {
  return join(home, '.porthole', 'agent.json');
}

export function loadAgentConfig(home: string, env: NodeJS.ProcessEnv): AgentConfig {
  const file = agentConfigFile(home);
  let fromFile: unknown = {};
  if (existsSync(file)) {
    try {
      fromFile = JSON.parse(readFileSync(file, 'utf8'));
    } catch (cause) {
      throw new BadInputError(file, '(unreadable JSON)', `a JSON object (${(cause as Error).message})`);
    }
  }
  const parsed = agentConfigSchema.safeParse(fromFile);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    if (issue.code === 'unrecognized_keys') {
      throw new BadInputError(
        `${file}: ${[...issue.path, issue.keys[0]].join('.')}`,
        '(an option)',
        `not an option here; the options here are: ${optionNamesAt(issue.path).join(', ')}`,
      );
    }
    throw new BadInputError(`${file}: ${issue.path.join('.') || '(top)'}`, shownValue(fromFile, issue.path), issue.message);
  }
  const config = parsed.data;
  if (env.PORTHOLE_REDIS_URL) {
    if (!redisUrl.safeParse(env.PORTHOLE_REDIS_URL).success)
      throw new BadInputError('PORTHOLE_REDIS_URL', redactRedisUrl(env.PORTHOLE_REDIS_URL), 'a URL that starts with redis:// or rediss://');
    config.redis = { ...config.redis, url: env.PORTHOLE_REDIS_URL, sentinels: undefined };
  }
  if (env.PORTHOLE_REDIS_SENTINELS)
    config.redis = {
      ...config.redis,
      url: undefined,
      sentinels: parseSentinels(env.PORTHOLE_REDIS_SENTINELS),
      masterName: env.PORTHOLE_REDIS_MASTER ?? config.redis?.masterName,
    };
  if (env.PORTHOLE_ROUTE) {
    const route = routeSchema.safeParse(env.PORTHOLE_ROUTE);
    if (!route.success) throw new BadInputError('PORTHOLE_ROUTE', env.PORTHOLE_ROUTE, 'one of: auto, srun, ssh, direct');
    config.route = route.data;
  }
  if (env.PORTHOLE_TEMPLATE_DIRS) config.templateDirs = [...config.templateDirs, ...env.PORTHOLE_TEMPLATE_DIRS.split(':').filter(Boolean)];
  return config;
}

/**
 * A sentence when agent.json can be read or written by anyone but its owner: it may hold the
 * Redis password, and whoever can write it chooses where the agent sends sessions.
 */
export function agentConfigPermissionProblem(file: string): string | undefined {
  let mode: number;
  try {
    mode = statSync(file).mode & 0o777;
  } catch {
    return undefined;
  }
  if ((mode & 0o077) === 0) return undefined;
  return (
    `${file} has mode ${mode.toString(8).padStart(4, '0')}: other users can ${mode & 0o044 ? 'read' : 'write'} it, ` +
    `and it may hold your Redis password; run chmod 600 ${file}`
  );
}

/** The keys agent.json allows at a path, read from the schema itself. */
function optionNamesAt(path: PropertyKey[]): string[] {
  type Node = { def: { shape?: Record<PropertyKey, Node>; innerType?: Node } } | undefined;
  const unwrap = (node: Node): Node => (node?.def.innerType ? unwrap(node.def.innerType) : node);
  const node = path.reduce<Node>((at, key) => unwrap(at)?.def.shape?.[key], agentConfigSchema as unknown as Node);
  return Object.keys(unwrap(node)?.def.shape ?? {});
}

/** The value a config error points at, with a password or a URL's password hidden. */
function shownValue(root: unknown, path: PropertyKey[]): unknown {
  const value = path.reduce<unknown>(
    (at, key) => (at !== null && typeof at === 'object' ? (at as Record<PropertyKey, unknown>)[key] : undefined),
    root,
  );
  const key = String(path.at(-1) ?? '');
  if (/password/i.test(key)) return '(hidden)';
  if (typeof value === 'string' && key === 'url') return redactRedisUrl(value);
  if (value !== null && typeof value === 'object') return '(an object)';
  return value;
}

function parseSentinels(text: string): { host: string; port: number }[] {
  return text.split(',').map((item) => {
    const match = /^([A-Za-z0-9.-]+):(\d{1,5})$/.exec(item.trim());
    if (!match)
      throw new BadInputError(
        'PORTHOLE_REDIS_SENTINELS',
        text,
        'host:port pairs separated by commas, e.g. 127.0.0.1:26379,127.0.0.1:26380',
      );
    return { host: match[1], port: Number(match[2]) };
  });
}
