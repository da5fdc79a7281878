// docs/grafana-dashboard.json against what `metrics` really prints: every query names series the
// agent exports, groups and filters by labels those series have, and every metric has a panel.
// (The cluster test runs each query on a real Prometheus too.)
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { counterIncrements } from '../../../agent/metrics-events';
import { METRIC_NAMES, siteMetricsText } from '../../../agent/metrics';
import { dashboardQueries } from './grafana-dashboard-queries';

/** Each series name `metrics` prints, with its label names, from a registry that has one of everything. */
async function exportedSeries(): Promise<Map<string, Set<string>>> {
  const labels = { template: 'xterm', partition: 'cpu', account: 'chem' };
  const counters = counterIncrements([
    { kind: 'launch', labels },
    { kind: 'end', end: 'failed', labels },
    { kind: 'ready', seconds: 3, labels },
  ]);
  const { text } = await siteMetricsText({
    sessions: [{ user: 'alice', text: JSON.stringify({ state: 'ready', templateId: 'xterm', partition: 'cpu' }) }],
    counters: [{ user: 'alice', fields: Object.fromEntries([...counters].map(([field, n]) => [field, String(n)])) }],
  });
  const series = new Map<string, Set<string>>();
  for (const line of text.split('\n').filter((l) => l && !l.startsWith('#'))) {
    const [, name, labelText = ''] = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? /.exec(line) ?? [];
    const names = [...labelText.matchAll(/(\w+)="/g)].map((m) => m[1]);
    series.set(name, new Set([...(series.get(name) ?? []), ...names]));
  }
  return series;
}

describe('the Grafana dashboard', () => {
  it('queries only series the agent exports, by labels those series have', async () => {
    const series = await exportedSeries();
    const queries = dashboardQueries();
    assert.ok(queries.length > 0, 'the dashboard has no queries');
    for (const { panel, expr } of queries) {
      const named = [...expr.matchAll(/\bporthole_\w+/g)].map((m) => m[0]);
      assert.ok(named.length > 0, `panel '${panel}' queries no Porthole metric: ${expr}`);
      for (const name of named) assert.ok(series.has(name), `panel '${panel}' queries ${name}, which metrics does not export`);
      const labels = new Set(named.flatMap((name) => [...(series.get(name) ?? [])]));
      const used = [
        ...[...expr.matchAll(/\bporthole_\w+\{([^}]*)\}/g)].flatMap((m) => [...m[1].matchAll(/(\w+)\s*(?:=~|!~|!=|=)/g)].map((l) => l[1])),
        ...[...expr.matchAll(/\bby\s*\(([^)]*)\)/g)].flatMap((m) => m[1].split(',').map((l) => l.trim())),
      ];
      for (const label of used) assert.ok(labels.has(label), `panel '${panel}' uses label '${label}', which ${named.join(', ')} lack`);
    }
  });

  it('has a panel for every metric the agent exports', () => {
    const queried = dashboardQueries()
      .map((q) => q.expr)
      .join('\n');
    for (const name of Object.values(METRIC_NAMES)) assert.match(queried, new RegExp(`\\b${name}`), `no panel shows ${name}`);
  });
});
