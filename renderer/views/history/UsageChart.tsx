// Hours of desktop use per week per cluster, drawn with uPlot; the same figures are in a
// table for screen readers.
import { useEffect, useMemo, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { SessionView } from '../../../main/api';
import { usageByWeek } from '../../logic/usage-by-week';
import { useColourScheme } from '../common/use-colour-scheme';

// Distinct on the card and on each other (3:1 for graphics against the card background), per scheme.
const COLOURS = {
  light: ['#1f5fbf', '#b3541e', '#2e7d32', '#7b1fa2', '#00838f', '#ad1457'],
  dark: ['#8ab4f8', '#f4a261', '#7fd493', '#d7a6f5', '#5fd3de', '#f48fb1'],
};
const weekLabel = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });

export function UsageChart({ sessions, now }: { sessions: SessionView[]; now: number }) {
  const box = useRef<HTMLDivElement>(null);
  const usage = useMemo(() => usageByWeek(sessions, now), [sessions, now]);
  const scheme = useColourScheme();

  useEffect(() => {
    const element = box.current;
    if (!element || usage.series.length === 0) return;
    // Weeks are categories (index 0..n-1), so a single week still draws as one bar.
    const labels = usage.weeks.map((w) => weekLabel.format(new Date(w * 1000)));
    const indices = labels.map((_, i) => i);
    // Stacked bars: each cluster's bar is the running total up to it, drawn tallest first so
    // that every cluster's share stays visible.
    const totals = usage.series.map((_, i) =>
      usage.weeks.map((_w, week) => usage.series.slice(0, i + 1).reduce((sum, s) => sum + s.hours[week], 0)),
    );
    const order = usage.series.map((_, i) => i).reverse();
    const data: uPlot.AlignedData = [indices, ...order.map((i) => totals[i])];
    const maxHours = Math.max(1, ...(totals.at(-1) ?? [0]));
    const bars = uPlot.paths.bars!({ size: [0.7, 48] });
    // The canvas's axes take the page's text colour, which the scheme sets.
    const ink = getComputedStyle(element).color;
    const colours = COLOURS[scheme];
    const plot = new uPlot(
      {
        width: Math.max(280, element.clientWidth),
        height: 180,
        legend: { show: true, live: false },
        cursor: { show: false },
        scales: { x: { time: false, range: [-0.5, indices.length - 0.5] }, y: { range: [0, maxHours * 1.15] } },
        axes: [
          { stroke: ink, splits: () => indices, values: (_u, splits) => splits.map((i) => labels[i] ?? '') },
          { stroke: ink, label: 'hours per week' },
        ],
        series: [
          { label: 'Week' },
          ...order.map((i) => ({
            label: usage.series[i].cluster,
            stroke: colours[i % colours.length],
            fill: colours[i % colours.length],
            paths: bars,
            points: { show: false },
          })),
        ],
      },
      data,
      element,
    );
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(280, element.clientWidth), height: 180 }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [usage, scheme]);

  if (usage.series.length === 0) return <p className="muted">No desktop time recorded yet: the chart fills as sessions run.</p>;
  return (
    <figure className="usage" aria-label="Usage: hours per week per cluster">
      <div ref={box} aria-hidden="true" />
      <table className="sr-only">
        <caption>Hours of desktop use per week</caption>
        <thead>
          <tr>
            <th scope="col">Week of</th>
            {usage.series.map((s) => (
              <th scope="col" key={s.cluster}>
                {s.cluster}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {usage.weeks.map((week, i) => (
            <tr key={week}>
              <th scope="row">{weekLabel.format(new Date(week * 1000))}</th>
              {usage.series.map((s) => (
                <td key={s.cluster}>{s.hours[i]}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
