// How many idle minutes a session is launched with (PORTHOLE_IDLE_MINUTES): the template's own
// value (after site.json's and agent.json's overrides for it) and site.json's `idle` for the
// session's partition; the shorter wins, so no layer can take away another's stop. None: no stop.
import type { SiteIdle } from './config-schemas';
import type { FieldValues } from './protocol';
import type { TemplateFile } from './template-schema';

export function idleMinutesFor(template: TemplateFile, values: FieldValues, siteIdle: SiteIdle | undefined): number | undefined {
  const partition = typeof values.partition === 'string' ? values.partition : undefined;
  // A list of partitions applies only where the session's partition is known to be on it.
  const siteApplies = siteIdle && (!siteIdle.partitions || (partition !== undefined && siteIdle.partitions.includes(partition)));
  const candidates = [template.idle?.minutes, siteApplies ? siteIdle.minutes : undefined].filter((m) => m !== undefined);
  return candidates.length ? Math.min(...candidates) : undefined;
}
