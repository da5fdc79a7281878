// What the site's metrics count, as events the agent writes to the registry once each: a launch,
// a session's end, the time from submit to ready. Prometheus counters must only grow, and the
// registry's session records expire, so these are kept as counters of their own (one Redis hash
// per user, `porthole:counters:<user>`). Pure, apart from claimOnce's marker file.
import { openSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import type { Session } from './protocol';

/** Where a session ran, as the metrics label it: ids and Slurm names only, never a person's text. */
export interface SessionLabels {
  template: string;
  partition: string;
  /** '' when the form chose none: the job then ran under the user's default account. */
  account: string;
}

export type SessionEvent =
  | { kind: 'launch'; labels: SessionLabels }
  | { kind: 'end'; end: string; labels: SessionLabels }
  | { kind: 'ready'; seconds: number; labels: SessionLabels };

/** Upper bounds (seconds) of the submit → ready histogram: a queue-free start is ~1 s, a busy site's hours. */
export const READY_BUCKETS = [1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 1800, 3600, 4 * 3600] as const;

// Slurm's account and partition names are of these characters; anything else is not a name (a
// template field of that name holding free text) and stays out of the site's Redis.
const SLURM_NAME = /^[A-Za-z0-9._-]{1,64}$/;

export function sessionLabels(session: { templateId: string; values: Record<string, unknown> }): SessionLabels {
  const name = (value: unknown): string => (typeof value === 'string' && SLURM_NAME.test(value) ? value : '');
  return { template: session.templateId, partition: name(session.values.partition), account: name(session.values.account) };
}

/** Seconds from submit to ready, when the session got there. */
export function readySeconds(session: Session): number | undefined {
  if (!session.readyAt) return undefined;
  const seconds = (Date.parse(session.readyAt) - Date.parse(session.submittedAt)) / 1000;
  return Number.isFinite(seconds) ? Math.max(0, seconds) : undefined;
}

/**
 * The events a session, as just derived, has to count, each claimed once: `claim(name)` is true
 * only for the first caller ever (serve and a CLI call, or two login nodes, may derive the same
 * change at the same moment).
 */
export function sessionEventsDue(session: Session, settled: boolean, claim: (name: string) => boolean): SessionEvent[] {
  const labels = sessionLabels(session);
  const events: SessionEvent[] = [];
  const seconds = readySeconds(session);
  if (seconds !== undefined && claim('counted-ready')) events.push({ kind: 'ready', seconds, labels });
  if (session.state === 'ended' && session.end && settled && claim('counted-end')) events.push({ kind: 'end', end: session.end, labels });
  return events;
}

/**
 * Creates `<dir>/<name>` if nobody has: O_EXCL, which NFS v3 and later honour, so that one
 * agent process wins. False when it exists already.
 */
export function claimOnce(dir: string, name: string): boolean {
  try {
    closeSync(openSync(join(dir, name), 'wx', 0o600));
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

/**
 * A counter's field in the user's hash: a JSON array, so that no label value can be mistaken
 * for a separator. `ready` is counted per bucket (the smallest bound it fits, or "+Inf"), with
 * its sum in milliseconds (HINCRBY takes integers) and its count.
 */
export type CounterField =
  | ['launch', string, string, string]
  | ['end', string, string, string, string]
  | ['ready_bucket', string, string, string]
  | ['ready_sum_ms', string, string]
  | ['ready_count', string, string];

/** Each event as the counter fields it adds to (field as JSON → amount). */
export function counterIncrements(events: SessionEvent[]): Map<string, number> {
  const increments = new Map<string, number>();
  const add = (field: CounterField, amount: number): void => {
    const key = JSON.stringify(field);
    increments.set(key, (increments.get(key) ?? 0) + amount);
  };
  for (const event of events) {
    const { template, partition, account } = event.labels;
    if (event.kind === 'launch') add(['launch', template, partition, account], 1);
    if (event.kind === 'end') add(['end', event.end, template, partition, account], 1);
    if (event.kind === 'ready') {
      const bound = READY_BUCKETS.find((le) => event.seconds <= le);
      add(['ready_bucket', template, partition, bound === undefined ? '+Inf' : String(bound)], 1);
      add(['ready_sum_ms', template, partition], Math.round(event.seconds * 1000));
      add(['ready_count', template, partition], 1);
    }
  }
  return increments;
}

const FIELD_LENGTHS: Record<CounterField[0], number> = { launch: 4, end: 5, ready_bucket: 4, ready_sum_ms: 3, ready_count: 3 };

/**
 * A field read back from Redis, or undefined when it is not one of ours: each user writes their
 * own hash, so what is there is input like any other.
 */
export function parseCounterField(text: string): CounterField | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed) || !parsed.every((part) => typeof part === 'string' && part.length <= 128)) return undefined;
  const kind = parsed[0] as CounterField[0];
  return Object.hasOwn(FIELD_LENGTHS, kind) && FIELD_LENGTHS[kind] === parsed.length ? (parsed as CounterField) : undefined;
}
