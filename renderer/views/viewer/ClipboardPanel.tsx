// Clipboard both ways: text to send to the remote desktop, and what the remote copied.
import { useId, useState } from 'react';

export function ClipboardPanel({ remoteText, send }: { remoteText: string; send: (text: string) => void }) {
  const id = useId();
  const [text, setText] = useState('');
  return (
    <div className="panel" role="group" aria-label="Clipboard">
      <div className="field">
        <label htmlFor={`${id}-send`}>Text to send to the remote desktop</label>
        <textarea id={`${id}-send`} rows={2} value={text} onChange={(e) => setText(e.target.value)} />
      </div>
      <button type="button" onClick={() => send(text)} disabled={!text}>
        Send to remote
      </button>
      <div className="field">
        <label htmlFor={`${id}-remote`}>Copied on the remote desktop</label>
        <textarea id={`${id}-remote`} rows={2} readOnly value={remoteText} placeholder="Nothing copied yet" />
      </div>
      <button type="button" onClick={() => void navigator.clipboard?.writeText(remoteText)} disabled={!remoteText}>
        Copy to this computer
      </button>
    </div>
  );
}
