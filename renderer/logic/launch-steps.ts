// The steps of a launch (submitted → queued → starting → ready) with the time each took.
// Times come from the session itself where the agent records them (submitted, started, ready),
// otherwise from when this window first saw the state (`seenAt`). The agent's times come first: a
// window opened later saw `ready` only then, and Starting would have lasted until that moment.
import type { SessionState } from '../../main/api';

export type StepName = Exclude<SessionState, 'ended'>;
export const LAUNCH_STEPS: readonly StepName[] = ['submitted', 'queued', 'starting', 'ready'];

export type SeenAt = Partial<Record<SessionState, number>>;

export interface LaunchStep {
  name: StepName;
  /** When the session reached this step (epoch ms), if it did. */
  at?: number;
  /** How long the step lasted: until the next step, or until now for the current one. */
  tookMs?: number;
  status: 'done' | 'current' | 'pending' | 'skipped';
}

export function launchSteps(
  session: { state: SessionState; submittedAt: string; startedAt?: string; readyAt?: string },
  seenAt: SeenAt,
  now: number,
): LaunchStep[] {
  const at: Partial<Record<StepName, number>> = {
    submitted: parseTime(session.submittedAt) ?? seenAt.submitted,
    queued: seenAt.queued,
    starting: parseTime(session.startedAt) ?? seenAt.starting,
    ready: parseTime(session.readyAt) ?? seenAt.ready,
  };
  const currentIndex = session.state === 'ended' ? LAUNCH_STEPS.length : LAUNCH_STEPS.indexOf(session.state);
  return LAUNCH_STEPS.map((name, index) => {
    const reached = at[name];
    const laterTimes = LAUNCH_STEPS.slice(index + 1)
      .map((n) => at[n])
      .filter((t): t is number => t !== undefined);
    let status: LaunchStep['status'];
    if (index < currentIndex) status = reached === undefined ? 'skipped' : 'done';
    else if (index === currentIndex) status = name === 'ready' ? 'done' : 'current';
    else status = 'pending';
    let tookMs: number | undefined;
    if (reached !== undefined && name !== 'ready') {
      const end = laterTimes.length ? Math.min(...laterTimes) : status === 'current' ? now : undefined;
      if (end !== undefined) tookMs = Math.max(0, end - reached);
    }
    return { name, at: reached, tookMs, status };
  });
}

function parseTime(iso: string | undefined): number | undefined {
  if (!iso) return undefined;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? undefined : t;
}
