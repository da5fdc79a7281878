// The passphrase of an encrypted private key; it goes to main once and is not kept here.
import { useId, useState } from 'react';
import type { Prompt } from '../../../main/api';
import { Dialog } from '../common/Dialog';
import { SubmitCancelButtons } from '../common/SubmitCancelButtons';

type PassphrasePrompt = Extract<Prompt, { type: 'passphrase' }>;

export function PassphraseDialog({ prompt, answer }: { prompt: PassphrasePrompt; answer: (passphrase: string | null) => void }) {
  const id = useId();
  const [passphrase, setPassphrase] = useState('');
  return (
    <Dialog title="Passphrase" onCancel={() => answer(null)}>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          answer(passphrase);
          setPassphrase('');
        }}
      >
        <p>
          The key <code>{prompt.keyFile}</code> for cluster {prompt.cluster} is protected by a passphrase.
        </p>
        <div className="field">
          <label htmlFor={id}>Passphrase</label>
          <input id={id} type="password" autoComplete="off" value={passphrase} onChange={(e) => setPassphrase(e.target.value)} autoFocus />
        </div>
        <SubmitCancelButtons onCancel={() => answer(null)} />
      </form>
    </Dialog>
  );
}
