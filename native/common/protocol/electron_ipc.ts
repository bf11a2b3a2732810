// How the protocol's messages travel inside the Electron app: the IPC channels between the
// renderer's preload and the main process, and the API the preload gives the renderer
// (window.microscope). One definition, imported by main/, preload/ and renderer/; browser
// mode carries the same messages over a WebSocket instead.

/** The channels, by what travels on them. */
export const ipcChannels = {
  /** Renderer to main: a Request for the engine (send). */
  engineRequest: 'engine:request',
  /** Main to renderer: the engine's Responses and EngineEvents (send). */
  engineMessage: 'engine:message',
  /** Renderer to main: the Guest panel's Open…, answered with a path or null (invoke). */
  openGuest: 'dialog:openGuest',
} as const;

/** What the preload exposes as window.microscope (preload/index.ts). */
export interface PreloadApi {
  send(message: unknown): void;
  onMessage(listener: (message: unknown) => void): void;
  /** A dropped file's path on disk. */
  pathForFile(file: File): string;
  /** The app's open dialog: a path, or null when the user cancels. */
  openGuest(): Promise<string | null>;
}
