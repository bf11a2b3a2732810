// The Electron main process, kept thin: the window, its security settings, the menu, and
// the wiring between the renderer and the engine process (engine_host.ts).
import { join } from 'node:path';

import { app, BrowserWindow, dialog, ipcMain, Menu, session } from 'electron';

import { ipcChannels } from '../native/common/protocol/electron_ipc.js';
import { EngineHost } from './engine_host.js';

const csp = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self'; img-src 'self' data:";

function createWindow(): void {
  const window = new BrowserWindow({
    width: 1440,
    height: 900,
    title: 'Microscope',
    webPreferences: {
      preload: join(import.meta.dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
    },
  });
  // Nothing leaves the window: no navigation, no new windows.
  window.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  window.webContents.on('will-navigate', (event) => event.preventDefault());

  const engine = new EngineHost(window.webContents);
  const onRequest = (event: Electron.IpcMainEvent, message: unknown) => {
    // Only our window's own page may talk to the engine.
    if (event.sender !== window.webContents || event.senderFrame !== window.webContents.mainFrame) return;
    engine.request(message);
  };
  ipcMain.on(ipcChannels.engineRequest, onRequest);
  // The Guest panel's Open…: a path on this machine, or null when the user cancels.
  ipcMain.handle(ipcChannels.openGuest, async (event) => {
    if (event.sender !== window.webContents || event.senderFrame !== window.webContents.mainFrame) return null;
    const chosen = await dialog.showOpenDialog(window, {
      title: 'Open a guest',
      properties: ['openFile'],
      filters: [
        { name: 'Guest ELF', extensions: ['elf', ''] },
        { name: 'All files', extensions: ['*'] },
      ],
    });
    return chosen.canceled ? null : (chosen.filePaths[0] ?? null);
  });
  window.on('closed', () => {
    ipcMain.off(ipcChannels.engineRequest, onRequest);
    ipcMain.removeHandler(ipcChannels.openGuest);
    engine.dispose();
  });
  void window.loadFile(join(import.meta.dirname, '../renderer/index.html'));
}

void app.whenReady().then(() => {
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] } });
  });
  Menu.setApplicationMenu(Menu.buildFromTemplate([{ role: 'fileMenu' }, { role: 'editMenu' }, { role: 'viewMenu' }, { role: 'windowMenu' }]));
  createWindow();
});
app.on('window-all-closed', () => app.quit());
