// Electron preload (sandboxed): exposes the Api as named functions, nothing else.
import { contextBridge, ipcRenderer } from 'electron';
import { buildPreloadApi } from './preload-api';

contextBridge.exposeInMainWorld('porthole', buildPreloadApi(ipcRenderer));
