// Compression and JPEG quality of the stream (defaults suit a WAN).
import { useId } from 'react';
import { WAN_DEFAULTS, type ViewerSettings } from '../../logic/viewer-settings';

export function QualityPanel({ settings, change }: { settings: ViewerSettings; change: (s: ViewerSettings) => void }) {
  const id = useId();
  return (
    <div className="panel" role="group" aria-label="Quality">
      <div className="field">
        <label htmlFor={`${id}-q`}>JPEG quality (0 smallest – 9 best): {settings.quality}</label>
        <input
          id={`${id}-q`}
          type="range"
          min={0}
          max={9}
          value={settings.quality}
          onChange={(e) => change({ ...settings, quality: Number(e.target.value) })}
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-c`}>Compression (0 none – 9 most): {settings.compression}</label>
        <input
          id={`${id}-c`}
          type="range"
          min={0}
          max={9}
          value={settings.compression}
          onChange={(e) => change({ ...settings, compression: Number(e.target.value) })}
        />
      </div>
      <button type="button" onClick={() => change({ ...settings, quality: WAN_DEFAULTS.quality, compression: WAN_DEFAULTS.compression })}>
        Reset to WAN defaults
      </button>
    </div>
  );
}
