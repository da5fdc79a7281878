// The embedded viewer: the remote desktop in a region named "Desktop", under its toolbar. While
// the desktop has the focus every key goes to it; Ctrl+Alt (release-chord.ts) or a click
// elsewhere gives the keyboard back.
import { useRef, useState } from 'react';
import { droppedItems } from '../../logic/dropped-files';
import { FilesPanel } from '../files/FilesPanel';
import { TransfersList } from '../files/TransfersList';
import { useFileTransfers } from '../files/use-file-transfers';
import { WAN_DEFAULTS, type ViewerSettings } from '../../logic/viewer-settings';
import { useApp, useAppStore } from '../app-context';
import { ClipboardPanel } from './ClipboardPanel';
import { QualityPanel } from './QualityPanel';
import { ReleaseChord } from './release-chord';
import { useVnc } from './use-vnc';
import { ViewerToolbar } from './ViewerToolbar';

export function ViewerView({ sessionKey }: { sessionKey: string }) {
  const app = useApp();
  const session = useAppStore(
    (a) => a.sessions,
    (s) => s.sessions[sessionKey],
  );
  const frame = useRef<HTMLDivElement>(null);
  const screen = useRef<HTMLDivElement>(null);
  const [settings, setSettings] = useState<ViewerSettings>(WAN_DEFAULTS);
  const [panel, setPanel] = useState<'clipboard' | 'quality' | 'files' | null>(null);
  const [target] = useState(() => ({ cluster: session?.cluster ?? '', id: session?.id ?? '' }));
  const [uploadsDone, setUploadsDone] = useState(0);
  const [onUploaded] = useState(() => () => setUploadsDone((n) => n + 1));
  const files = useFileTransfers(app.link, target, onUploaded);
  const vnc = useVnc(app.link, target, screen, settings, session?.state === 'ready');
  const [keyboardCaptured, setKeyboardCaptured] = useState(false);
  const keyboardButton = useRef<HTMLButtonElement>(null);
  const [releaseChord] = useState(() => new ReleaseChord());
  if (!session) return <p>This session is not known any more.</p>;
  // The focus moves after blur fires: look once it has settled.
  const trackCapture = () => setTimeout(() => setKeyboardCaptured(!!screen.current?.contains(document.activeElement)));
  const releaseKeyboard = () => {
    vnc.rfb.current?.blur();
    keyboardButton.current?.focus();
  };
  const title = `${session.templateName} on ${session.cluster}${session.node ? ` (${session.node})` : ''}`;

  return (
    <section
      className="viewer"
      ref={frame}
      aria-label={`Viewer: ${title}`}
      // Files dropped anywhere on the viewer go to the session's files folder.
      onDragOver={(event) => {
        if (event.dataTransfer.types.includes('Files')) event.preventDefault();
      }}
      onDrop={(event) => {
        if (!event.dataTransfer.types.includes('Files')) return;
        event.preventDefault();
        void droppedItems(event.dataTransfer).then(files.upload);
      }}
    >
      <ViewerToolbar
        title={title}
        status={vnc.status}
        scaling={settings.scaling}
        openPanel={panel}
        onScaling={(scaling) => setSettings({ ...settings, scaling })}
        onFullscreen={() => void (document.fullscreenElement ? document.exitFullscreen() : frame.current?.requestFullscreen())}
        onTogglePanel={(p) => setPanel(panel === p ? null : p)}
        onDisconnect={() => {
          vnc.disconnect();
          app.ui.getState().closeViewer();
        }}
        keyboardCaptured={keyboardCaptured}
        keyboardButton={keyboardButton}
        onKeyboard={() => (keyboardCaptured ? releaseKeyboard() : vnc.rfb.current?.focus({ preventScroll: true }))}
        onCtrlAltDel={() => vnc.rfb.current?.sendCtrlAltDel()}
      />
      {panel === 'clipboard' ? (
        <ClipboardPanel remoteText={vnc.remoteClipboard} send={(text) => vnc.rfb.current?.clipboardPasteFrom(text)} />
      ) : null}
      {panel === 'quality' ? <QualityPanel settings={settings} change={setSettings} /> : null}
      {panel === 'files' ? (
        <FilesPanel
          link={app.link}
          target={target}
          uploadsDone={uploadsDone}
          upload={(chosen) => files.upload({ files: chosen, folders: [] })}
          download={(name, size) => void files.download(name, size)}
        />
      ) : null}
      <TransfersList transfers={files.transfers} cancel={files.cancel} clearFinished={files.clearFinished} />
      <div
        className={`desktop desktop-${settings.scaling}`}
        role="region"
        aria-label="Desktop"
        ref={screen}
        onFocus={trackCapture}
        onBlur={trackCapture}
        onKeyDownCapture={(event) => releaseChord.keyDown(event.key)}
        onKeyUpCapture={(event) => {
          // After noVNC has sent this key's release to the desktop.
          if (releaseChord.keyUp(event.key)) setTimeout(releaseKeyboard);
        }}
      />
    </section>
  );
}
