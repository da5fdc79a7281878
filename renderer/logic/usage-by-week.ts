// Hours of desktop use per week per cluster, for the usage chart. A session counts from the
// start of its job to its end (or to now while it runs); sessions that never started count 0.
import type { SessionView } from '../../main/api';

const WEEK_MS = 7 * 24 * 3600 * 1000;

export interface WeeklyUsage {
  /** Start of each week (Monday 00:00 UTC), epoch seconds, ascending. */
  weeks: number[];
  /** Hours per week, one series per cluster, aligned with `weeks`. */
  series: { cluster: string; hours: number[] }[];
}

export function weekStart(epochMs: number): number {
  const day = new Date(epochMs);
  const monday = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate()) - ((day.getUTCDay() + 6) % 7) * 86_400_000;
  return monday;
}

export function usageByWeek(sessions: readonly SessionView[], now: number, maxWeeks = 12): WeeklyUsage {
  const hoursByCluster = new Map<string, Map<number, number>>();
  let earliest = Infinity;
  let latest = -Infinity;
  for (const s of sessions) {
    const start = s.startedAt ? Date.parse(s.startedAt) : NaN;
    if (Number.isNaN(start)) continue;
    const end = s.endedAt ? Date.parse(s.endedAt) : s.state === 'ended' ? start : now;
    if (!(end > start)) continue;
    const perWeek = hoursByCluster.get(s.cluster) ?? new Map<number, number>();
    hoursByCluster.set(s.cluster, perWeek);
    // Split a session that crosses a week boundary between the weeks.
    for (let cursor = start; cursor < end;) {
      const week = weekStart(cursor);
      const until = Math.min(end, week + WEEK_MS);
      perWeek.set(week, (perWeek.get(week) ?? 0) + (until - cursor) / 3_600_000);
      earliest = Math.min(earliest, week);
      latest = Math.max(latest, week);
      cursor = until;
    }
  }
  // The chart ends this week, unless nothing ran in the weeks it would show: then it ends at the
  // last week with use, so an old history still shows something.
  const thisWeek = weekStart(now);
  const last = Number.isFinite(latest) && latest < thisWeek - (maxWeeks - 1) * WEEK_MS ? latest : thisWeek;
  const first = Math.max(Number.isFinite(earliest) ? earliest : last, last - (maxWeeks - 1) * WEEK_MS);
  const weekList: number[] = [];
  for (let w = first; w <= last; w += WEEK_MS) weekList.push(w);
  const series = [...hoursByCluster.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([cluster, perWeek]) => ({ cluster, hours: weekList.map((w) => Math.round((perWeek.get(w) ?? 0) * 100) / 100) }));
  return { weeks: weekList.map((w) => w / 1000), series };
}
