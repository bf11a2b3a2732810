// The preload script: the renderer's one typed API (window.microscope), a message channel
// to the engine process through the main process. Never the raw ipcRenderer.
import { contextBridge, ipcRenderer, webUtils } from 'electron';

contextBridge.exposeInMainWorld('microscope', {
  send: (message: unknown) => ipcRenderer.send('engine:request', message),
  onMessage: (listener: (message: unknown) => void) => {
    ipcRenderer.on('engine:message', (_event, message: unknown) => listener(message));
  },
  pathForFile: (file: File) => webUtils.getPathForFile(file),
  openGuest: () => ipcRenderer.invoke('dialog:openGuest') as Promise<string | null>,
});
