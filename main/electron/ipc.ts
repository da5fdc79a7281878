// One IPC handler per Api method, each refusing a sender that is not our own page, and the
// event stream pushed to our windows. Takes Electron's objects as arguments so that unit
// tests pass the shared fake.
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { API_METHODS, type ApiOutcome } from '../api';
import type { ApiBackend } from '../api-handlers';
import { dispatchApiCall } from '../api-dispatch';
import { apiChannel, EVENT_CHANNEL, SNAPSHOT_CHANNEL } from './ipc-channels';
import { APP_HOST, APP_SCHEME } from './renderer-protocol';

export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/** Our page, in a frame of our own window: nothing else may call the Api. */
export function isTrustedSender(event: Pick<IpcMainInvokeEvent, 'senderFrame'>): boolean {
  const url = event.senderFrame?.url;
  if (!url) return false;
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}` === APP_ORIGIN;
  } catch {
    return false;
  }
}

export function registerApiIpc(
  ipcMain: Pick<IpcMain, 'handle'>,
  backend: ApiBackend,
  options: { log?: (line: string) => void } = {},
): { attach(contents: Pick<WebContents, 'send' | 'isDestroyed' | 'once'>): void } {
  const windows = new Set<Pick<WebContents, 'send' | 'isDestroyed' | 'once'>>();
  for (const method of API_METHODS) {
    ipcMain.handle(apiChannel(method), async (event, ...args: unknown[]): Promise<ApiOutcome> => {
      if (!isTrustedSender(event)) {
        options.log?.(`refused ${method} from ${event.senderFrame?.url ?? 'an unknown frame'}`);
        return { error: { message: 'Refused: this page may not use the Porthole Api' } };
      }
      return (await dispatchApiCall(backend.handlers, method, args, options.log)) as ApiOutcome;
    });
  }
  ipcMain.handle(SNAPSHOT_CHANNEL, (event) => {
    if (!isTrustedSender(event)) return;
    for (const apiEvent of backend.snapshot()) event.sender.send(EVENT_CHANNEL, apiEvent);
  });
  backend.subscribe((event) => {
    for (const contents of windows) if (!contents.isDestroyed()) contents.send(EVENT_CHANNEL, event);
  });
  return {
    attach(contents) {
      windows.add(contents);
      contents.once('destroyed', () => windows.delete(contents));
    },
  };
}
