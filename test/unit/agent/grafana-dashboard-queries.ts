// The queries of docs/grafana-dashboard.json, for its unit test and the cluster test's real Prometheus.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const DASHBOARD_FILE = join(__dirname, '../../../docs/grafana-dashboard.json');

interface Panel {
  title: string;
  targets?: { expr: string }[];
  panels?: Panel[];
}

/** Every panel's queries, rows' panels included. */
export function dashboardQueries(file = DASHBOARD_FILE): { panel: string; expr: string }[] {
  const dashboard = JSON.parse(readFileSync(file, 'utf8')) as { panels: Panel[] };
  const walk = (panels: Panel[]): { panel: string; expr: string }[] =>
    panels.flatMap((panel) => [...(panel.targets ?? []).map(({ expr }) => ({ panel: panel.title, expr })), ...walk(panel.panels ?? [])]);
  return walk(dashboard.panels);
}
