import { join } from 'node:path';
import * as electron from 'electron';
import log from 'electron-log/main';
import { startDesktopApp } from './desktop/app';
import { rendererSource } from './desktop/security';
import { createHost } from './host';

// The Electron main process: everything lives in ./desktop, written against injected Electron parts so it is
// unit-tested without the Electron binary. This file only hands it the real ones. __dirname is out/main.
startDesktopApp({
  electron,
  createHost,
  log,
  renderer: rendererSource(process.env.ELECTRON_RENDERER_URL, join(__dirname, '../renderer')),
  paths: {
    preloadDir: join(__dirname, '../preload'),
    trayIcon: join(__dirname, '../../resources/tray.png'),
    appIcon: join(__dirname, '../../resources/icon.png'),
  },
  platform: process.platform,
}).catch((err: unknown) => {
  log.error('Action Plans could not start', err);
  electron.app.quit();
});
