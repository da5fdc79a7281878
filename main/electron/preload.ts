// Electron preload (being written: see issue 5).
import { contextBridge } from 'electron';

contextBridge.exposeInMainWorld('porthole', {});
