// Electron entry point: the same PortholeApp as `porthole serve`, shown in a hardened window
// that loads the renderer from the privileged porthole://app scheme with a strict CSP.
import { app, BrowserWindow, ipcMain, protocol, session } from 'electron';
import { join } from 'node:path';
import { createPortholeApp } from '../app-factory';
import { APP_ORIGIN, registerApiIpc } from './ipc';
import { APP_SCHEME, registerRendererProtocol } from './renderer-protocol';
import { createMainWindow, denyPermissions, hardenContents } from './window';

const distDir = join(__dirname, '..');
const rendererDir = join(distDir, 'renderer');

protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

app.on('web-contents-created', (_event, contents) => hardenContents(contents));

void app.whenReady().then(async () => {
  registerRendererProtocol(protocol, rendererDir);
  denyPermissions(session.defaultSession);
  // Packaged, the agent and the runtimes are extraResources (electron-builder.yml), outside app.asar.
  const agentDir = app.isPackaged ? join(process.resourcesPath, 'agent') : distDir;
  const portholeApp = await createPortholeApp({ distDir, agentDir, projectRoot: join(distDir, '..') });
  // The viewer's streams come from our own page alone.
  portholeApp.bridge.allowPageOrigins([APP_ORIGIN]);
  const ipc = registerApiIpc(ipcMain, portholeApp.backend(), { log: (line) => console.error(`porthole: ${line}`) });
  const open = () => ipc.attach(createMainWindow(BrowserWindow, join(__dirname, 'preload.cjs')).webContents);
  open();
  app.on('activate', () => BrowserWindow.getAllWindows().length === 0 && open());
  app.on('window-all-closed', () => {
    void portholeApp.stop().finally(() => app.quit());
  });
});
