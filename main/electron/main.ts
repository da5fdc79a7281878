// Electron entry point (being written: see issue 5).
import { app } from 'electron';

void app.whenReady();
