// Electron entry point: the same PortholeApp as `porthole serve`, shown in a hardened window
// that loads the renderer from the privileged porthole://app scheme with a strict CSP.
import { app, BrowserWindow, ipcMain, net, protocol, session } from 'electron';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createPortholeApp } from '../app-factory';
import { CONTENT_SECURITY_POLICY } from '../host/static-files';
import { registerApiIpc } from './ipc';
import { createMainWindow, denyPermissions, hardenContents } from './window';

const distDir = join(__dirname, '..');
const rendererDir = join(distDir, 'renderer');

protocol.registerSchemesAsPrivileged([{ scheme: 'porthole', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

app.on('web-contents-created', (_event, contents) => hardenContents(contents));

void app.whenReady().then(async () => {
  protocol.handle('porthole', async (request) => {
    const { pathname } = new URL(request.url);
    const file = join(rendererDir, decodeURIComponent(pathname));
    if (!file.startsWith(rendererDir)) return new Response('Not found', { status: 404 });
    const response = await net.fetch(pathToFileURL(file).toString());
    const headers = new Headers(response.headers);
    headers.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    return new Response(response.body, { status: response.status, headers });
  });
  denyPermissions(session.defaultSession);
  // Packaged, the agent and the runtimes are extraResources (electron-builder.yml), outside app.asar.
  const agentDir = app.isPackaged ? join(process.resourcesPath, 'agent') : distDir;
  const portholeApp = await createPortholeApp({ distDir, agentDir, projectRoot: join(distDir, '..') });
  const ipc = registerApiIpc(ipcMain, portholeApp.backend(), { log: (line) => console.error(`porthole: ${line}`) });
  const open = () => ipc.attach(createMainWindow(BrowserWindow, join(__dirname, 'preload.cjs')).webContents);
  open();
  app.on('activate', () => BrowserWindow.getAllWindows().length === 0 && open());
  app.on('window-all-closed', () => {
    void portholeApp.stop().finally(() => app.quit());
  });
});
