// Keyboard-interactive login (a 2FA code, a password): the server's own words, one field per prompt.
import { useId, useState } from 'react';
import type { Prompt } from '../../../main/api';
import { Dialog } from '../common/Dialog';
import { SubmitCancelButtons } from '../common/SubmitCancelButtons';

type KeyboardPrompt = Extract<Prompt, { type: 'keyboardInteractive' }>;

export function KeyboardInteractiveDialog({ prompt, answer }: { prompt: KeyboardPrompt; answer: (responses: string[] | null) => void }) {
  const id = useId();
  const [responses, setResponses] = useState<string[]>(() => prompt.prompts.map(() => ''));
  return (
    <Dialog title={prompt.name || `Sign in to ${prompt.cluster}`} onCancel={() => answer(null)}>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          answer(responses);
        }}
      >
        {prompt.instructions ? <p className="preformatted">{prompt.instructions}</p> : null}
        {prompt.prompts.map((p, index) => (
          <div className="field" key={index}>
            <label htmlFor={`${id}-${index}`}>{p.prompt.trim() || `Answer ${index + 1}`}</label>
            <input
              id={`${id}-${index}`}
              type={p.echo ? 'text' : 'password'}
              autoComplete="off"
              autoFocus={index === 0}
              value={responses[index]}
              onChange={(e) => setResponses(responses.map((r, i) => (i === index ? e.target.value : r)))}
            />
          </div>
        ))}
        <SubmitCancelButtons onCancel={() => answer(null)} />
      </form>
    </Dialog>
  );
}
