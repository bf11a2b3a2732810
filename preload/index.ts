// The preload script: exposes the renderer's one typed API (window.microscope).
import { contextBridge } from 'electron';

contextBridge.exposeInMainWorld('microscope', { version: 1 });
