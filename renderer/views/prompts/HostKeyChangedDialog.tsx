// A changed host key is a warning with no way to accept it: either the site changed its key
// (an admin says so, and the old entry is removed from known_hosts) or someone is in between.
import type { Prompt } from '../../../main/api';
import { Dialog } from '../common/Dialog';

type ChangedPrompt = Extract<Prompt, { type: 'hostKeyChanged' }>;

export function HostKeyChangedDialog({ prompt, close }: { prompt: ChangedPrompt; close: () => void }) {
  return (
    <Dialog title="Warning: the host key has changed" role="alertdialog" onCancel={close}>
      <p>
        <strong>{prompt.host}</strong> (port {prompt.port}, cluster {prompt.cluster}) answered with a different key than before. Someone may be intercepting the
        connection, so Porthole will not connect.
      </p>
      <dl className="fingerprints">
        <dt>Key known before</dt>
        <dd className="fingerprint">{prompt.knownFingerprint}</dd>
        <dt>Key offered now</dt>
        <dd className="fingerprint">
          {prompt.keyType} {prompt.fingerprint}
        </dd>
      </dl>
      <p>If your site announced a new key, remove the old one from Porthole&apos;s known_hosts file and connect again.</p>
      <button type="button" onClick={close} autoFocus>
        Close
      </button>
    </Dialog>
  );
}
