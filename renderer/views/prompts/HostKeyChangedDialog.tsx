// A changed host key is a warning with no way to accept it: either the site changed its key
// (an admin says so, and the old entry is removed from known_hosts) or someone is in between.
// A key of a type never seen for a known host is the same warning: an intruder need only offer
// another type.
import type { Prompt } from '../../../main/api';
import { Dialog } from '../common/Dialog';

type ChangedPrompt = Extract<Prompt, { type: 'hostKeyChanged' }>;

export function HostKeyChangedDialog({ prompt, close }: { prompt: ChangedPrompt; close: () => void }) {
  const server = (
    <>
      <strong>{prompt.host}</strong> (port {prompt.port}, cluster {prompt.cluster})
    </>
  );
  return (
    <Dialog title="Warning: the host key has changed" role="alertdialog" onCancel={close}>
      {prompt.change === 'key' ? (
        <p>{server} answered with a different key than before. Someone may be intercepting the connection, so Porthole will not connect.</p>
      ) : (
        <p>
          {server} answered with a key of type {prompt.keyType}, but only keys of other types are known for it. Someone may be intercepting
          the connection, so Porthole will not connect.
        </p>
      )}
      <dl className="fingerprints">
        <dt>{prompt.known.length === 1 ? 'Key known before' : 'Keys known before'}</dt>
        {prompt.known.map((known) => (
          <dd key={`${known.source} ${known.fingerprint}`} className="fingerprint">
            {known.keyType} {known.fingerprint} ({known.source})
          </dd>
        ))}
        <dt>Key offered now</dt>
        <dd className="fingerprint">
          {prompt.keyType} {prompt.fingerprint}
        </dd>
      </dl>
      <p>If your site announced a new key, remove the old line from the file named above and connect again.</p>
      <button type="button" onClick={close} autoFocus>
        Close
      </button>
    </Dialog>
  );
}
