// The shapes of the agent's two configuration files, ~/.porthole/agent.json (the user's) and
// /etc/porthole/site.json (the site's), which share most keys: checked with zod at the boundary.
import * as z from './zod';

const hostPort = z.strictObject({ host: z.string().check(z.minLength(1)), port: z.number().check(z.int(), z.gte(1), z.lte(65535)) });
export const routeSchema = z.enum(['auto', 'srun', 'ssh', 'direct']);
export const redisUrl = z
  .string()
  .check(z.regex(/^rediss?:\/\/[^\s]+$/, 'a URL that starts with redis:// or rediss:// (rediss:// for TLS)'));
const nonEmpty = z.string().check(z.minLength(1));
/** Node's TLS options as ioredis takes them, with the CA as a file: a PEM inside JSON is unreadable. `{}` uses the system's CAs. */
const tlsSchema = z.strictObject({
  caFile: z.optional(z.string().check(z.regex(/^\//, 'an absolute path of a PEM file'))),
  servername: z.optional(nonEmpty),
});

// Option names are ioredis's own, so an admin can look each one up there.
export const redisSchema = z
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

const templateId = z.string().check(z.regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'a template id: lower-case letters, digits and dashes'));
const fieldName = z.string().check(z.regex(/^[a-z][A-Za-z0-9]{0,39}$/, 'a field name of the template (camelCase)'));

/** What a site or a user may change of one form field without copying its template. */
export const fieldOverrideSchema = z.strictObject({
  default: z.optional(z.union([z.number(), z.string(), z.boolean()])),
  min: z.optional(z.number()),
  max: z.optional(z.number()),
  /** For a select field: the values of its options that stay offered, in the template's order. */
  options: z.optional(z.array(z.string().check(z.minLength(1))).check(z.minLength(1))),
});

const IDLE_MINUTES_RULE = 'whole minutes from 1 to 10080 (a week)';
/** Minutes with no viewer and no input after which a desktop's job stops it (templates/lib/job-lib.sh). */
export const idleMinutesSchema = z
  .number(IDLE_MINUTES_RULE)
  .check(z.int(IDLE_MINUTES_RULE), z.gte(1, IDLE_MINUTES_RULE), z.lte(10_080, IDLE_MINUTES_RULE));

export const overridesSchema = z.record(
  templateId,
  z.strictObject({
    fields: z._default(z.record(fieldName, fieldOverrideSchema), {}),
    /** This template's idle stop: a site's sets it, a user's may only make it shorter. */
    idle: z.optional(z.strictObject({ minutes: idleMinutesSchema })),
  }),
);

/** site.json's idle stop for every template's sessions, on the partitions it names (all when none are named). */
export const siteIdleSchema = z.strictObject({
  minutes: idleMinutesSchema,
  partitions: z.optional(z.array(z.string().check(z.minLength(1))).check(z.minLength(1))),
});

export const templatesShownSchema = z.strictObject({ shown: z.array(templateId) });

export type FieldOverride = z.infer<typeof fieldOverrideSchema>;
export type Overrides = z.infer<typeof overridesSchema>;
export type SiteIdle = z.infer<typeof siteIdleSchema>;
