// `Check cluster`: runs the agent's doctor on a connected cluster and shows each check with its
// result and, when it is not fine, the next step; what a user reads before writing to support.
import { useState } from 'react';
import type { DoctorCheck } from '../../../main/api';
import { errorMessage } from '../../transport/api-call-error';
import { useApp } from '../app-context';

const RESULT_WORDS: Record<DoctorCheck['status'], string> = { ok: 'OK', warn: 'Warning', fail: 'Failed' };

type CheckRun = { state: 'running' } | { state: 'done'; checks: DoctorCheck[] } | { state: 'error'; message: string };

export function ClusterCheck({ cluster }: { cluster: string }) {
  const { link } = useApp();
  const [run, setRun] = useState<CheckRun>();
  const check = async (): Promise<void> => {
    setRun({ state: 'running' });
    try {
      setRun({ state: 'done', checks: await link.call('clusters.doctor', cluster) });
    } catch (error) {
      setRun({ state: 'error', message: errorMessage(error) });
    }
  };
  return (
    <>
      <button type="button" onClick={() => void check()} disabled={run?.state === 'running'}>
        Check cluster
      </button>
      {run?.state === 'running' ? (
        <p className="muted small" role="status">
          Checking {cluster}: Slurm, templates, images, the shared folder, Redis…
        </p>
      ) : null}
      {run?.state === 'error' ? (
        <p className="error-text" role="alert">
          The check could not run: {run.message}
        </p>
      ) : null}
      {run?.state === 'done' ? (
        <ul className="cluster-checks" aria-label={`Checks of ${cluster}`}>
          {run.checks.map((c) => (
            <li key={c.name} className={`cluster-check check-${c.status}`}>
              <strong>
                {RESULT_WORDS[c.status]}: {c.name}
              </strong>{' '}
              <span>{c.message}</span>
              {c.fix ? <p className="small">Next step: {c.fix}</p> : null}
            </li>
          ))}
        </ul>
      ) : null}
    </>
  );
}
