// Shows the oldest open prompt from main as a dialog; answering it sends `prompts.answer`.
import { useApp, useAppStore } from '../app-context';
import { HostKeyChangedDialog } from './HostKeyChangedDialog';
import { HostKeyDialog } from './HostKeyDialog';
import { KeyboardInteractiveDialog } from './KeyboardInteractiveDialog';
import { PassphraseDialog } from './PassphraseDialog';

export function PromptHost() {
  const app = useApp();
  const prompt = useAppStore(
    (a) => a.prompts,
    (s) => s.prompts[0],
  );
  if (!prompt) return null;
  const { answer } = app.prompts.getState();
  switch (prompt.type) {
    case 'hostKey':
      return <HostKeyDialog key={prompt.id} prompt={prompt} answer={(trust) => void answer(prompt.id, { type: 'hostKey', trust })} />;
    case 'hostKeyChanged':
      return <HostKeyChangedDialog key={prompt.id} prompt={prompt} close={() => void answer(prompt.id, { type: 'hostKeyChanged' })} />;
    case 'passphrase':
      return (
        <PassphraseDialog
          key={prompt.id}
          prompt={prompt}
          answer={(passphrase) => void answer(prompt.id, { type: 'passphrase', passphrase })}
        />
      );
    case 'keyboardInteractive':
      return (
        <KeyboardInteractiveDialog
          key={prompt.id}
          prompt={prompt}
          answer={(responses) => void answer(prompt.id, { type: 'keyboardInteractive', responses })}
        />
      );
  }
}
