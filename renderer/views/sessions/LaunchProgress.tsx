// The steps of a launch with the time each took: Submitted 0.2 s, Queued 0.4 s, Starting 1.1 s, Ready.
import type { SessionView } from '../../../main/api';
import { formatDuration } from '../../logic/durations';
import { launchSteps, type SeenAt } from '../../logic/launch-steps';
import { stateWords } from '../../logic/state-words';

export function LaunchProgress({ session, seenAt, now }: { session: SessionView; seenAt: SeenAt; now: number }) {
  const steps = launchSteps(session, seenAt, now);
  return (
    <ol className="steps" aria-label="Launch progress">
      {steps.map((step) => (
        <li key={step.name} className={`step step-${step.status}`} aria-current={step.status === 'current' ? 'step' : undefined}>
          <span className="step-mark" aria-hidden="true">
            {step.status === 'done' ? '✓' : step.status === 'current' ? '…' : step.status === 'skipped' ? '–' : '○'}
          </span>
          {stateWords({ state: step.name })}
          {step.tookMs !== undefined ? <span className="muted"> {formatDuration(step.tookMs)}</span> : null}
        </li>
      ))}
    </ol>
  );
}
