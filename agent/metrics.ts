// The site's desktop metrics in Prometheus's text format (`node agent.cjs metrics`), from what
// the registry holds: the live sessions' records and every user's counters (metrics-events.ts).
// prom-client writes the format; this module only turns the registry into its metrics. What is
// read from Redis is written by every user of the site, so each entry is checked here and one
// that is not ours is counted and left out.
import {
  Counter,
  Gauge,
  Histogram,
  Registry,
  type HistogramConfiguration,
  type LabelValues,
  type MetricObjectWithValues,
  type MetricType,
  type MetricValueWithName,
} from 'prom-client';
import { parseCounterField, READY_BUCKETS, sessionLabels, type CounterField } from './metrics-events';
import { SESSION_STATES, type SessionState } from './protocol';

/** The registry as read: each session record's JSON and each user's counters hash, with the user its key names. */
export interface RegistrySnapshot {
  sessions: { user: string; text: string }[];
  counters: { user: string; fields: Record<string, string> }[];
}

const LIVE_STATES: readonly SessionState[] = SESSION_STATES.filter((state) => state !== 'ended');
const SESSION_LABELS = ['template', 'partition', 'account'] as const;
const READY_LABELS = ['template', 'partition'] as const;

/** Every metric name the agent exports (the dashboard's test checks its queries against these). */
export const METRIC_NAMES = {
  sessions: 'porthole_sessions',
  activeUsers: 'porthole_active_users',
  launches: 'porthole_session_launches_total',
  ended: 'porthole_sessions_ended_total',
  ready: 'porthole_session_ready_seconds',
  unreadable: 'porthole_registry_unreadable_entries',
} as const;

export async function siteMetricsText(snapshot: RegistrySnapshot): Promise<{ text: string; contentType: string }> {
  const registry = new Registry();
  let unreadable = 0;

  const sessions = new Gauge({
    name: METRIC_NAMES.sessions,
    help: 'Sessions not ended, by state (submitted, queued, starting, ready), template, Slurm partition and account ("" for the default).',
    labelNames: ['state', ...SESSION_LABELS],
    registers: [registry],
  });
  const users = new Set<string>();
  for (const { user, text } of snapshot.sessions) {
    const session = parseRecord(text);
    if (!session) unreadable += 1;
    else if (LIVE_STATES.includes(session.state)) {
      sessions.inc({ state: session.state, ...sessionLabels(session) });
      users.add(user);
    }
  }
  new Gauge({ name: METRIC_NAMES.activeUsers, help: 'Users with at least one session not ended.', registers: [registry] }).set(users.size);

  const launches = new Counter({
    name: METRIC_NAMES.launches,
    help: 'Sessions launched (submitted to Slurm), by template, partition and account.',
    labelNames: SESSION_LABELS,
    registers: [registry],
  });
  const ended = new Counter({
    name: METRIC_NAMES.ended,
    help: 'Sessions ended, by how (end: completed, cancelled, timeout, failed, lost, idle), template, partition and account.',
    labelNames: ['end', ...SESSION_LABELS],
    registers: [registry],
  });
  const ready = new StoredHistogram({
    name: METRIC_NAMES.ready,
    help: 'Time from submit to the desktop being ready, in seconds, by template and partition.',
    labelNames: READY_LABELS,
    buckets: [...READY_BUCKETS],
    registers: [registry],
  });
  for (const { fields } of snapshot.counters) {
    for (const [name, text] of Object.entries(fields)) {
      const field = parseCounterField(name);
      const amount = /^\d{1,15}$/.test(text) ? Number(text) : NaN;
      if (!field || !Number.isSafeInteger(amount)) unreadable += 1;
      else addCount(field, amount, { launches, ended, ready });
    }
  }

  new Gauge({
    name: METRIC_NAMES.unreadable,
    help: 'Entries in the registry that are not a session record or a counter of this agent (left out of the other metrics).',
    registers: [registry],
  }).set(unreadable);
  return { text: await registry.metrics(), contentType: registry.contentType };
}

function addCount(
  field: CounterField,
  amount: number,
  metrics: { launches: Counter<(typeof SESSION_LABELS)[number]>; ended: Counter<string>; ready: StoredHistogram },
): void {
  switch (field[0]) {
    case 'launch':
      return metrics.launches.inc({ template: field[1], partition: field[2], account: field[3] }, amount);
    case 'end':
      return metrics.ended.inc({ end: field[1], template: field[2], partition: field[3], account: field[4] }, amount);
    case 'ready_bucket':
      return metrics.ready.addBucket({ template: field[1], partition: field[2] }, field[3], amount);
    case 'ready_sum_ms':
      return metrics.ready.addSum({ template: field[1], partition: field[2] }, amount / 1000);
    case 'ready_count':
      return metrics.ready.addCount({ template: field[1], partition: field[2] }, amount);
  }
}

/** The parts of a record the metrics use, or undefined when the entry is not a session record. */
function parseRecord(text: string | null): { state: SessionState; templateId: string; values: Record<string, unknown> } | undefined {
  let record: unknown;
  try {
    record = JSON.parse(text ?? '');
  } catch {
    return undefined;
  }
  if (record === null || typeof record !== 'object') return undefined;
  const { state, templateId, partition, account } = record as Record<string, unknown>;
  if (!SESSION_STATES.includes(state as SessionState) || typeof templateId !== 'string' || templateId.length > 128) return undefined;
  return { state: state as SessionState, templateId, values: { partition, account } };
}

type ReadyLabels = LabelValues<(typeof READY_LABELS)[number]>;

/**
 * A histogram whose buckets, sum and count were counted elsewhere (by every user's agent, in
 * Redis) and are only added up here: prom-client's Histogram can only observe single values, so
 * this one hands prom-client's formatter the same values an observed one would.
 */
class StoredHistogram extends Histogram<(typeof READY_LABELS)[number]> {
  private readonly series = new Map<string, { labels: ReadyLabels; bucketCounts: Map<string, number>; sum: number; count: number }>();

  constructor(private readonly configuration: HistogramConfiguration<(typeof READY_LABELS)[number]>) {
    super(configuration);
  }

  private seriesOf(labels: ReadyLabels) {
    const key = JSON.stringify([labels.template, labels.partition]);
    let series = this.series.get(key);
    if (!series) this.series.set(key, (series = { labels, bucketCounts: new Map(), sum: 0, count: 0 }));
    return series;
  }

  addBucket(labels: ReadyLabels, le: string, amount: number): void {
    const counts = this.seriesOf(labels).bucketCounts;
    counts.set(le, (counts.get(le) ?? 0) + amount);
  }

  addSum(labels: ReadyLabels, seconds: number): void {
    this.seriesOf(labels).sum += seconds;
  }

  addCount(labels: ReadyLabels, amount: number): void {
    this.seriesOf(labels).count += amount;
  }

  override async get(): Promise<MetricObjectWithValues<MetricValueWithName<(typeof READY_LABELS)[number]>>> {
    const { name, help } = this.configuration;
    const values = [...this.series.values()].flatMap(({ labels, bucketCounts, sum, count }) => {
      // A bucket counted under bounds this agent no longer has falls into the first bound above it.
      const upTo = (bound: number): number =>
        [...bucketCounts].reduce((total, [le, n]) => (le !== '+Inf' && Number(le) <= bound ? total + n : total), 0);
      return [
        ...READY_BUCKETS.map((bound) => ({ labels: { ...labels, le: bound }, value: upTo(bound), metricName: `${name}_bucket` })),
        { labels: { ...labels, le: '+Inf' }, value: count, metricName: `${name}_bucket` },
        { labels, value: sum, metricName: `${name}_sum` },
        { labels, value: count, metricName: `${name}_count` },
      ];
    });
    // The type as the Histogram set it: prom-client's typings call it an enum, at run time it is the word 'histogram'.
    const { type } = this as unknown as { type: MetricType };
    return { name, help, type, aggregator: 'sum', collect: () => undefined, values };
  }

  /** What prom-client's Registry formats from when a metric has it (a Histogram does). */
  getForPromString(): ReturnType<StoredHistogram['get']> {
    return this.get();
  }
}
