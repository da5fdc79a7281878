// The site's configuration, /etc/porthole/site.json on the login node, read by every user's
// agent: Redis, the default route, which templates are shown, per-template overrides of form
// defaults and limits, and how long ended sessions are kept. A user's agent.json may narrow it,
// never widen it (agent-config.ts merges the two).
import { statSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { readConfigFile, type ConfigFile } from './config-file';
import { overridesSchema, redisSchema, routeSchema, siteIdleSchema, templatesShownSchema } from './config-schemas';
import { BadInputError } from './errors';
import { configError } from './json-locations';
import * as z from './zod';

export const SITE_CONFIG_FILE = '/etc/porthole/site.json';

export const DEFAULT_SESSION_KEEPING = { recordHoursAfterEnd: 24, folderDaysAfterEnd: 30 };

const sessionKeepingSchema = z.strictObject({
  /** How long the site's Redis keeps an ended session's record, counted from its end. */
  recordHoursAfterEnd: z._default(z.number().check(z.positive(), z.lte(24 * 366)), DEFAULT_SESSION_KEEPING.recordHoursAfterEnd),
  /** How long an ended session's folder (its log, its script) stays in the user's home. */
  folderDaysAfterEnd: z._default(z.number().check(z.positive(), z.lte(3660)), DEFAULT_SESSION_KEEPING.folderDaysAfterEnd),
});

export const siteConfigSchema = z.strictObject({
  redis: z.optional(redisSchema),
  route: z.optional(routeSchema),
  templates: z.optional(templatesShownSchema),
  overrides: z.optional(overridesSchema),
  sessions: z._default(sessionKeepingSchema, DEFAULT_SESSION_KEEPING),
  /** Off when absent: desktops run until their time limit however long nobody uses them. */
  idle: z.optional(siteIdleSchema),
});

export type SiteConfig = z.infer<typeof siteConfigSchema>;
export type SessionKeeping = SiteConfig['sessions'];

/**
 * Where site.json is: PORTHOLE_SITE_FILE moves it, for tests (which cannot write the machine's
 * /etc) and for an admin checking a new file before putting it in place.
 */
export function siteConfigFile(env: NodeJS.ProcessEnv): string {
  const file = env.PORTHOLE_SITE_FILE;
  if (file === undefined || file === '') return SITE_CONFIG_FILE;
  if (!isAbsolute(file)) throw new BadInputError('PORTHOLE_SITE_FILE', file, 'an absolute path of a site.json');
  return file;
}

/** site.json checked, or undefined when the site has none. */
export function loadSiteConfig(file: string): ConfigFile<SiteConfig> | undefined {
  const site = readConfigFile(file, siteConfigSchema);
  if (!site) return undefined;
  // Every user's agent reads site.json, so every user can read it: a password there is everyone's.
  for (const key of ['password', 'sentinelPassword'] as const) {
    if (site.value.redis?.[key] !== undefined)
      throw configError(
        site.located,
        ['redis', key],
        '(hidden)',
        "site.json is readable by every user; give each user's Redis password in their own ~/.porthole/agent.json (mode 0600)",
      );
  }
  return site;
}

/** A sentence when others than its owner can write site.json: whoever can, chooses where every agent sends sessions. */
export function siteConfigPermissionProblem(file: string): string | undefined {
  const mode = statSync(file, { throwIfNoEntry: false })?.mode;
  if (mode === undefined || (mode & 0o022) === 0) return undefined;
  return `${file} has mode ${(mode & 0o777).toString(8).padStart(4, '0')}: other users can change it; run chmod 644 ${file}`;
}
