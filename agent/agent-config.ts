// The one place the agent reads its configuration: the site's site.json (site-config.ts), the
// user's ~/.porthole/agent.json over it (narrowing, never widening, what the site allows), then
// environment variables over both (PORTHOLE_REDIS_URL, or PORTHOLE_REDIS_SENTINELS=host:port,…
// with PORTHOLE_REDIS_MASTER; PORTHOLE_ROUTE; PORTHOLE_TEMPLATE_DIRS; PORTHOLE_SITE_FILE).
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { readConfigFile, type ConfigFile } from './config-file';
import { overridesSchema, redisSchema, redisUrl, routeSchema, templatesShownSchema, type Overrides, type SiteIdle } from './config-schemas';
import { BadInputError } from './errors';
import { configError, type LocatedJson } from './json-locations';
import { redactRedisUrl } from './redis-registry';
import { DEFAULT_SESSION_KEEPING, loadSiteConfig, siteConfigFile, type SessionKeeping, type SiteConfig } from './site-config';
import * as z from './zod';

export const agentConfigSchema = z.strictObject({
  redis: z.optional(redisSchema),
  route: z.optional(routeSchema),
  templateDirs: z.optional(z.array(z.string())),
  templates: z.optional(templatesShownSchema),
  overrides: z.optional(overridesSchema),
});

export type RedisConfig = z.infer<typeof redisSchema>;
export type Route = z.infer<typeof routeSchema>;

/** One file's overrides of template fields, with where each came from for errors. */
export interface OverrideLayer {
  who: 'site' | 'user';
  located: LocatedJson;
  overrides: Overrides;
}

export interface AgentConfig {
  redis?: RedisConfig;
  route: Route;
  templateDirs: string[];
  /** The built-in and site templates offered, by id; undefined offers all. A user's own templates are always offered. */
  templatesShown?: string[];
  /** The site's overrides, then the user's: template-overrides.ts applies them in this order. */
  overrideLayers: OverrideLayer[];
  sessions: SessionKeeping;
  /** site.json's idle stop; a user's agent.json narrows it per template through overrides. */
  idle?: SiteIdle;
}

export function agentConfigFile(home: string): string {
  return join(home, '.porthole', 'agent.json');
}

export function loadAgentConfig(home: string, env: NodeJS.ProcessEnv): AgentConfig {
  const site = loadSiteConfig(siteConfigFile(env));
  const user = readConfigFile(agentConfigFile(home), agentConfigSchema);
  const config = mergeConfigs(site, user);
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

type UserFile = ConfigFile<z.infer<typeof agentConfigSchema>>;

/** The site's file with the user's over it; what the user may only narrow is checked here or, for fields, when overrides are applied. */
export function mergeConfigs(site: ConfigFile<SiteConfig> | undefined, user: UserFile | undefined): AgentConfig {
  const shown = shownTemplates(site, user);
  return {
    redis: mergeRedis(site, user),
    route: user?.value.route ?? site?.value.route ?? 'auto',
    templateDirs: user?.value.templateDirs ?? [],
    templatesShown: shown,
    overrideLayers: [
      ...(site?.value.overrides ? [{ who: 'site' as const, located: site.located, overrides: site.value.overrides }] : []),
      ...(user?.value.overrides ? [{ who: 'user' as const, located: user.located, overrides: user.value.overrides }] : []),
    ],
    sessions: site?.value.sessions ?? DEFAULT_SESSION_KEEPING,
    idle: site?.value.idle,
  };
}

/** `templates.shown` of the user's file, else the site's: the user's may only leave out templates the site shows. */
function shownTemplates(site: ConfigFile<SiteConfig> | undefined, user: UserFile | undefined): string[] | undefined {
  const siteShown = site?.value.templates?.shown;
  const userShown = user?.value.templates?.shown;
  if (!userShown) return siteShown;
  if (siteShown && site) {
    userShown.forEach((id, index) => {
      if (!siteShown.includes(id))
        throw configError(
          user.located,
          ['templates', 'shown', index],
          id,
          `agent.json may show fewer templates than the site, not others: the site shows ${siteShown.join(', ')} ` +
            `(${site.located.where(['templates', 'shown'])})`,
        );
    });
  }
  return userShown;
}

/**
 * The site's Redis with the user's keys over it (typically the user's own username and password).
 * A user who names another endpoint (url or sentinels) replaces the site's endpoint whole.
 */
function mergeRedis(site: ConfigFile<SiteConfig> | undefined, user: UserFile | undefined): RedisConfig | undefined {
  const siteRedis = site?.value.redis;
  const userRedis = user?.value.redis;
  if (!siteRedis || !userRedis || !user) return userRedis ?? siteRedis;
  const userEndpoint = userRedis.url !== undefined || userRedis.sentinels !== undefined;
  const { url, sentinels, masterName, ...siteRest } = siteRedis;
  const merged = { ...(userEndpoint ? siteRest : { ...siteRest, url, sentinels, masterName }), ...userRedis };
  const checked = redisSchema.safeParse(Object.fromEntries(Object.entries(merged).filter(([, value]) => value !== undefined)));
  if (checked.success) return checked.data;
  const issue = checked.error.issues[0];
  throw configError(
    user.located,
    ['redis', ...issue.path],
    "(with the site's redis)",
    `${issue.message} (the site's redis is in ${site?.located.where(['redis'])})`,
  );
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
