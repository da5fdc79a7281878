// Electron entry point: the same PortholeApp as `porthole serve`, shown in a hardened window
// that loads the renderer from the privileged porthole://app scheme with a strict CSP, with a
// tray, notifications from main and an application menu around it. One instance at a time.
import { app, BrowserWindow, ipcMain, Menu, nativeImage, Notification, protocol, session, shell as electronShell, Tray } from 'electron';
import type { MenuItemConstructorOptions, NativeImage } from 'electron';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createPortholeApp, echoToStderr } from '../app-factory';
import { openAppLog } from '../log/app-log';
import { openLogFolder } from '../log/log-folder';
import { builtAroundStandIn, checkForUpdates, updateCheckDecision } from '../updates/update-check';
import { appMenu } from '../shell/app-menu';
import { DesktopShell } from './desktop-shell';
import { APP_ORIGIN, registerApiIpc } from './ipc';
import { APP_SCHEME, registerRendererProtocol } from './renderer-protocol';
import { holdSingleInstance } from './single-instance';
import { applyPermissionPolicy, createMainWindow, hardenContents } from './window';

const distDir = join(__dirname, '..');
const rendererDir = join(distDir, 'renderer');

let mainWindow: BrowserWindow | null = null;
let shell: DesktopShell | null = null;

// Before anything else: a second start only wakes the first one up (before the first is ready,
// its window is about to show anyway).
if (holdSingleInstance(app, () => shell?.showWindow())) start();

function trayIcon(): NativeImage {
  // Packaged, build/icon.png rides along as a resource (electron-builder.yml extraResources).
  const file = app.isPackaged ? join(process.resourcesPath, 'icon.png') : join(distDir, '..', 'build', 'icon.png');
  return nativeImage.createFromPath(file).resize({ width: process.platform === 'darwin' ? 16 : 22 });
}

function start(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
  app.on('web-contents-created', (_event, contents) => hardenContents(contents));

  void app.whenReady().then(async () => {
    registerRendererProtocol(protocol, rendererDir);
    applyPermissionPolicy(session.defaultSession);
    const logDir = app.getPath('logs');
    const log = openAppLog({ dir: logDir, echo: echoToStderr });
    const openLogs = () => void openLogFolder(logDir, (path) => electronShell.openPath(path)).catch((error: Error) => log(error.message));
    const menu = appMenu({ isMac: process.platform === 'darwin', developer: !app.isPackaged, openLogs });
    Menu.setApplicationMenu(Menu.buildFromTemplate(menu as MenuItemConstructorOptions[]));
    // Packaged, the agent and the runtimes are extraResources (electron-builder.yml), outside app.asar.
    const agentDir = app.isPackaged ? join(process.resourcesPath, 'agent') : distDir;
    const portholeApp = await createPortholeApp({
      distDir,
      agentDir,
      projectRoot: join(distDir, '..'),
      log,
      downloadsDir: app.getPath('downloads'),
    });
    // The viewer's streams come from our own page alone.
    portholeApp.bridge.allowPageOrigins([APP_ORIGIN]);
    const updates = updateCheckDecision({
      host: 'electron',
      isPackaged: app.isPackaged,
      standIn: builtAroundStandIn(process.execPath, existsSync),
      env: process.env,
    });
    void checkForUpdates(updates, async () => (await import('electron-updater')).autoUpdater, log);
    const backend = portholeApp.backend();
    const ipc = registerApiIpc(ipcMain, backend, { log });
    const open = (): BrowserWindow => {
      const window = createMainWindow(BrowserWindow, join(__dirname, 'preload.cjs'));
      ipc.attach(window.webContents);
      shell?.keepInTrayOnClose(window);
      window.on('closed', () => (mainWindow = mainWindow === window ? null : mainWindow));
      return (mainWindow = window);
    };
    shell = new DesktopShell({
      electron: { Tray, Menu, Notification },
      trayIcon: trayIcon(),
      backend,
      mainWindow: () => mainWindow ?? open(),
      quit: () => app.quit(),
      log,
    });
    open();
    app.on('activate', () => shell?.showWindow());
    app.on('before-quit', () => shell?.markQuitting());
    app.on('window-all-closed', () => {
      shell?.stop();
      void portholeApp.stop().finally(() => app.quit());
    });
  });
}
