// Open on a Moonlight session: main finds Moonlight, pairs it with the node when needed and
// starts the stream in Moonlight's own window. What happened (or what to do) is reported up.
import { useState } from 'react';
import type { SessionView } from '../../../main/api';
import { errorMessage } from '../../transport/api-call-error';
import { useApp } from '../app-context';

export function MoonlightOpenButton({
  session,
  disabled,
  onNotice,
  onError,
}: {
  session: SessionView;
  disabled: boolean;
  onNotice: (text: string | undefined) => void;
  onError: (text: string | undefined) => void;
}) {
  const app = useApp();
  const [opening, setOpening] = useState(false);

  async function open() {
    setOpening(true);
    onError(undefined);
    onNotice(`Connecting Moonlight to ${session.node ?? 'the node'}…`);
    try {
      const opened = await app.link.call('viewer.openMoonlight', session.cluster, session.id);
      onNotice(
        `Moonlight is streaming the desktop of ${opened.node}` +
          `${opened.paired === 'now' ? ' (paired with this computer just now)' : ''}. It opens in its own window.`,
      );
    } catch (e) {
      onNotice(undefined);
      onError(errorMessage(e));
    } finally {
      setOpening(false);
    }
  }

  return (
    <button type="button" className="primary" onClick={() => void open()} disabled={disabled || opening} aria-busy={opening}>
      {opening ? 'Opening…' : 'Open'}
    </button>
  );
}
