// The viewer's toolbar: keyboard capture and Ctrl+Alt+Del, Fullscreen, Clipboard, scaling,
// Quality, Disconnect, and the link state.
import { useId, type MouseEvent, type RefObject } from 'react';
import { SCALING_LABELS, type Scaling } from '../../logic/viewer-settings';
import type { VncStatus } from './use-vnc';

interface ViewerToolbarProps {
  title: string;
  status: VncStatus;
  scaling: Scaling;
  openPanel: 'clipboard' | 'quality' | 'files' | null;
  onScaling: (s: Scaling) => void;
  onFullscreen: () => void;
  onTogglePanel: (panel: 'clipboard' | 'quality' | 'files') => void;
  onDisconnect: () => void;
  /** Keys go to the remote desktop (its screen has the focus). */
  keyboardCaptured: boolean;
  keyboardButton: RefObject<HTMLButtonElement | null>;
  onKeyboard: () => void;
  onCtrlAltDel: () => void;
}

// A click on these must not take the focus from the desktop first: Capture keyboard would
// see it released and capture again, and Ctrl+Alt+Del would land outside the capture.
const keepFocus = (event: MouseEvent) => event.preventDefault();

function statusWords(status: VncStatus): string {
  switch (status.phase) {
    case 'connecting':
      return 'Connecting…';
    case 'connected':
      return 'Connected';
    case 'reconnecting':
      return `Reconnecting (attempt ${status.attempt}): ${status.reason}`;
    case 'stopped':
      return status.reason;
  }
}

export function ViewerToolbar(props: ViewerToolbarProps) {
  const id = useId();
  return (
    <div className="toolbar" role="toolbar" aria-label="Viewer">
      <strong className="toolbar-title">{props.title}</strong>
      <span role="status" className={`viewer-status viewer-${props.status.phase}`}>
        {statusWords(props.status)}
      </span>
      <span className="toolbar-spacer" />
      {props.keyboardCaptured ? <span className="keyboard-hint">Keys go to the desktop; Ctrl+Alt gives them back</span> : null}
      <button
        type="button"
        ref={props.keyboardButton}
        aria-pressed={props.keyboardCaptured}
        onMouseDown={keepFocus}
        onClick={props.onKeyboard}
        disabled={props.status.phase !== 'connected'}
      >
        Capture keyboard
      </button>
      <button type="button" onMouseDown={keepFocus} onClick={props.onCtrlAltDel} disabled={props.status.phase !== 'connected'}>
        Ctrl+Alt+Del
      </button>
      <button type="button" onClick={props.onFullscreen}>
        Fullscreen
      </button>
      <button type="button" aria-expanded={props.openPanel === 'clipboard'} onClick={() => props.onTogglePanel('clipboard')}>
        Clipboard
      </button>
      <button type="button" aria-expanded={props.openPanel === 'files'} onClick={() => props.onTogglePanel('files')}>
        Files
      </button>
      <label htmlFor={id} className="inline-label">
        Scaling
      </label>
      <select id={id} value={props.scaling} onChange={(e) => props.onScaling(e.target.value as Scaling)}>
        {(Object.keys(SCALING_LABELS) as Scaling[]).map((s) => (
          <option key={s} value={s}>
            {SCALING_LABELS[s]}
          </option>
        ))}
      </select>
      <button type="button" aria-expanded={props.openPanel === 'quality'} onClick={() => props.onTogglePanel('quality')}>
        Quality
      </button>
      <button type="button" className="danger" onClick={props.onDisconnect}>
        Disconnect
      </button>
    </div>
  );
}
