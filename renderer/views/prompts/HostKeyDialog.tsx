// An unknown host key: the fingerprint to compare with what the site publishes, Trust or Cancel;
// and why the server's host certificate did not vouch for it, when it offered one.
import type { Prompt } from '../../../main/api';
import { Dialog } from '../common/Dialog';

type HostKeyPrompt = Extract<Prompt, { type: 'hostKey' }>;

export function HostKeyDialog({ prompt, answer }: { prompt: HostKeyPrompt; answer: (trust: boolean) => void }) {
  return (
    <Dialog title="Unknown host key" onCancel={() => answer(false)}>
      <p>
        Porthole has not connected to <strong>{prompt.host}</strong> (port {prompt.port}, cluster {prompt.cluster}) before. Check that this
        fingerprint matches the one your site publishes before you trust it:
      </p>
      {prompt.certificateProblem ? <p role="note">{prompt.certificateProblem} Porthole asks about the key itself, as ssh does.</p> : null}
      <p className="fingerprint" aria-label="Fingerprint">
        {prompt.keyType} {prompt.fingerprint}
      </p>
      <div className="row">
        <button type="button" className="primary" onClick={() => answer(true)}>
          Trust
        </button>
        <button type="button" onClick={() => answer(false)} autoFocus>
          Cancel
        </button>
      </div>
    </Dialog>
  );
}
