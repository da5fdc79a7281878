// What the preload exposes as `window.porthole`: one named function per Api method (from
// API_METHODS) and `subscribe`; never ipcRenderer itself. Kept apart from preload.ts so that
// it is tested with the shared fake of electron.
import type { IpcRenderer, IpcRendererEvent } from 'electron';
import { API_METHODS, type ApiEvent, type ApiOutcome, type PortholeBridge } from '../api';
import { apiChannel, EVENT_CHANNEL, SNAPSHOT_CHANNEL } from './ipc-channels';

export function buildPreloadApi(ipcRenderer: Pick<IpcRenderer, 'invoke' | 'on' | 'removeListener'>): PortholeBridge {
  const methods = Object.fromEntries(
    API_METHODS.map((method) => [method, (...args: unknown[]) => ipcRenderer.invoke(apiChannel(method), ...args) as Promise<ApiOutcome>]),
  ) as PortholeBridge['api'];
  return {
    api: methods,
    subscribe(handler: (event: ApiEvent) => void): () => void {
      // The handler gets the event only, never Electron's IpcRendererEvent (it holds `sender`).
      const listener = (_event: IpcRendererEvent, apiEvent: ApiEvent) => handler(apiEvent);
      ipcRenderer.on(EVENT_CHANNEL, listener);
      void ipcRenderer.invoke(SNAPSHOT_CHANNEL);
      return () => {
        ipcRenderer.removeListener(EVENT_CHANNEL, listener);
      };
    },
  };
}
