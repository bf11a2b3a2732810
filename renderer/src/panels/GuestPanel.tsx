// Guest: which ELF is loaded, on which backend and why; open another: the file dialog,
// a dropped file, a path on the engine's machine, a bundled guest (the demo, SQLite), or a
// recent one. In the app a file is
// opened by its path; in browser mode (perhaps on another machine than the engine) the
// file's bytes are sent.
import { type ChangeEvent, type DragEvent, type FormEvent, useRef, useState } from 'react';

import { maxGuestBytes } from '../../../native/common/protocol/limits';
import { type GuestSource, useInspector } from '../state/store';

async function sourceOf(file: File): Promise<GuestSource> {
  const path = window.microscope?.pathForFile(file);
  if (path) return { path };
  if (file.size > maxGuestBytes) throw new Error(`${file.name} is ${file.size} bytes; a guest sent to the engine is at most ${maxGuestBytes >> 20} MiB`);
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return { bytes: btoa(binary), name: file.name };
}

export function GuestPanel() {
  const { guest, recent, load, loadError, engine, restartEngine } = useInspector();
  const [path, setPath] = useState('');
  const picker = useRef<HTMLInputElement>(null);

  const open = (event: FormEvent) => {
    event.preventDefault();
    if (path.trim()) void load({ path: path.trim() });
  };
  const openFile = (file: File | undefined) => {
    if (!file) return;
    sourceOf(file).then(load, (error: Error) => useInspector.setState({ loadError: error.message }));
  };
  const drop = (event: DragEvent) => {
    event.preventDefault();
    openFile(event.dataTransfer.files[0]);
  };
  const picked = (event: ChangeEvent<HTMLInputElement>) => {
    openFile(event.target.files?.[0]);
    event.target.value = '';
  };
  // The app's own dialog; in a browser, the browser's file picker.
  const dialog = async () => {
    if (!window.microscope) return picker.current?.click();
    const chosen = await window.microscope.openGuest();
    if (chosen) await load({ path: chosen });
  };

  return (
    <section aria-label="Guest" className="panel" onDragOver={(e) => e.preventDefault()} onDrop={drop}>
      <h2>Guest</h2>
      {engine.state === 'stopped' && (
        <div role="alert" className="engine-stopped">
          The engine stopped{engine.detail ? ` (${engine.detail})` : ''}.{' '}
          <button type="button" onClick={() => void restartEngine()}>
            Restart the engine
          </button>
        </div>
      )}
      {loadError && (
        <p role="alert" className="problem" aria-label="Load problem">
          {loadError}
        </p>
      )}
      {guest ? (
        <dl className="facts">
          <dt>File</dt>
          <dd title={guest.path}>{guest.path}</dd>
          <dt>Backend</dt>
          <dd>
            {guest.backend} <span className="muted">({guest.backendReason})</span>
          </dd>
          <dt>Memory</dt>
          <dd>{Number(BigInt(guest.memorySize) >> 20n)} MiB</dd>
        </dl>
      ) : (
        <p className="muted">No guest loaded.</p>
      )}
      <div className="row">
        <button type="button" onClick={() => void dialog()}>
          Open file…
        </button>
        <input ref={picker} type="file" aria-label="Guest file" hidden onChange={picked} />
        <button type="button" onClick={() => void load()}>
          Demo
        </button>
        <button type="button" onClick={() => void load({ bundled: 'sqlite' })}>
          SQLite
        </button>
        <span className="muted">or drop an ELF here</span>
      </div>
      <form onSubmit={open} className="row">
        <input aria-label="Guest path" placeholder="a path on the engine's machine" value={path} onChange={(e) => setPath(e.target.value)} />
        <button type="submit">Open</button>
      </form>
      {recent.length > 0 && (
        <ul className="recent" aria-label="Recent guests">
          {recent.map((file) => (
            <li key={file}>
              <button type="button" className="link" onClick={() => void load({ path: file })}>
                {file}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
