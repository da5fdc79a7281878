// Each upload and download of the viewer's session: a progress bar, then what came of it
// (where it was saved, or why it failed), with Cancel while it runs.
import { byteSize } from '../../logic/byte-sizes';
import type { Transfer } from './use-file-transfers';

const STATUS_WORDS: Record<Transfer['status'], string> = {
  waiting: 'Waiting',
  running: '',
  done: '',
  failed: 'Failed',
  cancelled: '',
};

export function TransfersList(props: { transfers: Transfer[]; cancel: (t: Transfer) => void; clearFinished: () => void }) {
  if (!props.transfers.length) return null;
  return (
    <div className="panel transfers" role="region" aria-label="File transfers">
      <ul aria-label="Transfers">
        {props.transfers.map((t) => {
          const label = `${t.direction === 'upload' ? 'Upload' : 'Download'} ${t.name}`;
          return (
            <li key={t.id} aria-label={label} className={`transfer transfer-${t.status}`}>
              <span className="transfer-name">{label}</span>
              <progress
                aria-label={`${label} progress`}
                max={t.totalBytes || 1}
                value={t.status === 'done' ? t.totalBytes || 1 : t.doneBytes}
              />
              <span className="transfer-bytes">
                {byteSize(t.doneBytes)} of {byteSize(t.totalBytes)}
              </span>
              <span role="status" className="transfer-note">
                {[STATUS_WORDS[t.status], t.note].filter(Boolean).join(': ')}
              </span>
              {t.status === 'waiting' || t.status === 'running' ? (
                <button type="button" onClick={() => props.cancel(t)}>
                  Cancel
                </button>
              ) : null}
            </li>
          );
        })}
      </ul>
      <button type="button" onClick={props.clearFinished}>
        Clear finished
      </button>
    </div>
  );
}
