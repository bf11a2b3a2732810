// The preload script: the renderer's one typed API (window.microscope), a message channel
// to the engine process through the main process. Never the raw ipcRenderer.
import { contextBridge, ipcRenderer, webUtils } from 'electron';

import { ipcChannels, type PreloadApi } from '../native/common/protocol/electron_ipc.js';

const api: PreloadApi = {
  send: (message) => ipcRenderer.send(ipcChannels.engineRequest, message),
  onMessage: (listener) => {
    ipcRenderer.on(ipcChannels.engineMessage, (_event, message: unknown) => listener(message));
  },
  pathForFile: (file) => webUtils.getPathForFile(file),
  openGuest: () => ipcRenderer.invoke(ipcChannels.openGuest) as Promise<string | null>,
};

contextBridge.exposeInMainWorld('microscope', api);
