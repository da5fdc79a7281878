// The viewer's toolbar: Fullscreen, Clipboard, scaling, Quality, Disconnect, and the link state.
import { useId } from 'react';
import { SCALING_LABELS, type Scaling } from '../../logic/viewer-settings';
import type { VncStatus } from './use-vnc';

interface ViewerToolbarProps {
  title: string;
  status: VncStatus;
  scaling: Scaling;
  openPanel: 'clipboard' | 'quality' | null;
  onScaling: (s: Scaling) => void;
  onFullscreen: () => void;
  onTogglePanel: (panel: 'clipboard' | 'quality') => void;
  onDisconnect: () => void;
}

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
      <button type="button" onClick={props.onFullscreen}>
        Fullscreen
      </button>
      <button type="button" aria-expanded={props.openPanel === 'clipboard'} onClick={() => props.onTogglePanel('clipboard')}>
        Clipboard
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
