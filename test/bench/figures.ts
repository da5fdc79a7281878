// How a benchmark reports a figure. Every figure an issue names is printed by `npm run bench`
// as one line; where an issue asks for a baseline measured in the same run, the ratio is printed too.

export interface Figure {
  /** What was measured, as the issue names it. */
  name: string;
  value: number;
  unit: string;
  /** A baseline measured in the same run, for the ratio (or, for a goal of "floor + N ms", the difference). */
  baseline?: { name: string; value: number; compare?: 'ratio' | 'difference' };
  /** The goal, in words, e.g. "≤ 300 ms" or "ratio ≥ 0.7". */
  goal?: string;
}

export interface BenchContext {
  figure(figure: Figure): void;
  /** A line of context (what was set up, how many runs). */
  note(text: string): void;
}

/** A bench file default-exports one of these; test/bench/run.ts runs them in file order. */
export type Bench = (context: BenchContext) => Promise<void>;

export function formatFigure(figure: Figure): string {
  const unit = figure.unit ? ` ${figure.unit}` : '';
  const base = figure.baseline;
  const comparison = !base
    ? ''
    : base.compare === 'difference'
      ? `${figure.value >= base.value ? '+' : '−'}${round(Math.abs(figure.value - base.value))}${unit}`
      : `ratio ${round(figure.value / base.value)}`;
  const ratio = base ? ` (${base.name}: ${round(base.value)}${unit}; ${comparison})` : '';
  const value = `${round(figure.value)}${unit}`;
  const goal = figure.goal ? `  goal ${figure.goal}` : '';
  return `${figure.name}: ${value}${ratio}${goal}`;
}

function round(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const abs = Math.abs(n);
  return abs >= 100 ? n.toFixed(0) : abs >= 10 ? n.toFixed(1) : n.toFixed(2);
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
