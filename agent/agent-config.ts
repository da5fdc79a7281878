// The one place the agent reads its configuration: ~/.porthole/agent.json, then environment
// variables over it (PORTHOLE_REDIS_URL, or PORTHOLE_REDIS_SENTINELS=host:port,… with
// PORTHOLE_REDIS_MASTER; PORTHOLE_ROUTE; PORTHOLE_TEMPLATE_DIRS).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as z from './zod';
import { BadInputError } from './errors';

const hostPort = z.strictObject({ host: z.string().check(z.minLength(1)), port: z.number().check(z.int(), z.gte(1), z.lte(65535)) });
const routeSchema = z.enum(['auto', 'srun', 'ssh', 'direct']);

export const agentConfigSchema = z.strictObject({
  redis: z.optional(
    z.strictObject({
      url: z.optional(z.string().check(z.regex(/^rediss?:\/\//))),
      sentinels: z.optional(z.array(hostPort).check(z.minLength(1))),
      masterName: z.optional(z.string().check(z.minLength(1))),
      password: z.optional(z.string()),
    }),
  ),
  route: z._default(routeSchema, 'auto'),
  templateDirs: z._default(z.array(z.string()), []),
});

export type AgentConfig = z.infer<typeof agentConfigSchema>;
export type Route = AgentConfig['route'];

export function loadAgentConfig(home: string, env: NodeJS.ProcessEnv): AgentConfig {
  const file = join(home, '.porthole', 'agent.json');
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
    throw new BadInputError(`${file}: ${issue.path.join('.')}`, undefined, issue.message);
  }
  const config = parsed.data;
  if (env.PORTHOLE_REDIS_URL) config.redis = { ...config.redis, url: env.PORTHOLE_REDIS_URL, sentinels: undefined };
  if (env.PORTHOLE_REDIS_SENTINELS) config.redis = { ...config.redis, url: undefined, sentinels: parseSentinels(env.PORTHOLE_REDIS_SENTINELS), masterName: env.PORTHOLE_REDIS_MASTER ?? config.redis?.masterName };
  if (env.PORTHOLE_ROUTE) {
    const route = routeSchema.safeParse(env.PORTHOLE_ROUTE);
    if (!route.success) throw new BadInputError('PORTHOLE_ROUTE', env.PORTHOLE_ROUTE, 'one of: auto, srun, ssh, direct');
    config.route = route.data;
  }
  if (env.PORTHOLE_TEMPLATE_DIRS) config.templateDirs = [...config.templateDirs, ...env.PORTHOLE_TEMPLATE_DIRS.split(':').filter(Boolean)];
  return config;
}

function parseSentinels(text: string): { host: string; port: number }[] {
  return text.split(',').map((item) => {
    const match = /^([A-Za-z0-9.-]+):(\d{1,5})$/.exec(item.trim());
    if (!match) throw new BadInputError('PORTHOLE_REDIS_SENTINELS', text, 'host:port pairs separated by commas, e.g. 127.0.0.1:26379,127.0.0.1:26380');
    return { host: match[1], port: Number(match[2]) };
  });
}
