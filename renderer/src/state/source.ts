// The Source view's state: the loaded guest's source files (its line tables'), the one
// shown and its text (read by the engine, on its machine, through the source path map), the
// line to bring into view, and the cursor's line, which the Disassembly marks the code of.
import { create } from 'zustand';

import type { Results } from '../../../native/common/protocol/messages';
import { useInspector } from './store';

export type SourceFile = Results['source.files'][number];
export type PathMapping = { from: string; to: string };

export interface ShownSource {
  /** The line table's name for it (an absolute path). */
  file: string;
  /** Where the engine read it, once read. */
  path?: string;
  text?: string;
  /** Why it can't be shown: the engine says where it looked. */
  error?: string;
}

export interface SourceState {
  /** The guest the files are of. */
  guestPath: string | null;
  files: SourceFile[];
  shown: ShownSource | null;
  /** A line to put the cursor on and scroll to; `serial` tells one request from the next. */
  reveal: { line: number; serial: number } | null;
  cursor: { file: string; line: number } | null;
  pathMap: PathMapping[];

  /** The loaded guest's source files, once per guest. */
  listFiles(): Promise<void>;
  /** Shows `file` (read when not yet), with `line` brought into view. */
  show(file: string, line?: number): Promise<void>;
  setCursor(line: number): void;
  /** A new source path map: kept, and the file shown read again through it. */
  setPathMap(map: PathMapping[]): Promise<void>;
}

const pathMapKey = 'microscope.sourcePathMap';

function savedPathMap(): PathMapping[] {
  try {
    const saved = JSON.parse(localStorage.getItem(pathMapKey) ?? '[]') as unknown;
    return Array.isArray(saved) ? saved.filter((m): m is PathMapping => typeof m?.from === 'string' && typeof m?.to === 'string') : [];
  } catch {
    return [];
  }
}

// Texts read, by file, for this guest and path map: kept out of the state (sqlite3.c is 9 MB).
let texts = new Map<string, { path: string; text: string }>();
let serial = 0;

const engine = () => {
  const client = useInspector.getState().client;
  if (!client) throw new Error('not connected to the engine');
  return client;
};

export const useSource = create<SourceState>((set, get) => ({
  guestPath: null,
  files: [],
  shown: null,
  reveal: null,
  cursor: null,
  pathMap: savedPathMap(),

  async listFiles() {
    const guestPath = useInspector.getState().guest?.path ?? null;
    if (guestPath === get().guestPath) return;
    texts = new Map();
    set({ guestPath, files: [], shown: null, cursor: null, reveal: null });
    if (!guestPath) return;
    try {
      const files = await engine().request('source.files', {});
      if (get().guestPath === guestPath) set({ files: [...files].sort((a, b) => baseName(a.file).localeCompare(baseName(b.file))) });
    } catch {
      // A guest without line tables: no files to show.
    }
  },

  async show(file, line) {
    const reveal = line !== undefined ? { line, serial: ++serial } : get().reveal;
    const known = texts.get(file);
    if (known) {
      set({ shown: { file, ...known }, reveal });
      return;
    }
    if (get().shown?.file === file && get().shown?.error) {
      set({ reveal });
      return;
    }
    set({ shown: { file }, reveal });
    const pathMap = get().pathMap;
    try {
      const read = await engine().request('source.read', { file, ...(pathMap.length ? { pathMap } : {}) });
      texts.set(file, { path: read.path, text: read.text });
      if (get().shown?.file === file) set({ shown: { file, path: read.path, text: read.text } });
    } catch (error) {
      if (get().shown?.file === file) set({ shown: { file, error: (error as Error).message } });
    }
  },

  setCursor(line) {
    const file = get().shown?.file;
    if (file && (get().cursor?.file !== file || get().cursor?.line !== line)) set({ cursor: { file, line } });
  },

  async setPathMap(map) {
    localStorage.setItem(pathMapKey, JSON.stringify(map));
    texts = new Map();
    set({ pathMap: map });
    const shown = get().shown;
    if (shown) {
      set({ shown: null });
      await get().show(shown.file, get().reveal?.line);
    }
  },
}));

/** "demo.c" for "/work/main/native/demo/demo.c". */
export const baseName = (file: string) => file.split('/').pop() ?? file;
