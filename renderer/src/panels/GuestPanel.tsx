// Guest: which ELF is loaded, on which backend and why; open another (a path, a dropped
// file in the app, or a recent one).
import { type DragEvent, type FormEvent, useState } from 'react';

import { useInspector } from '../state/store';

export function GuestPanel() {
  const { guest, recent, load, engine, restartEngine } = useInspector();
  const [path, setPath] = useState('');

  const open = (event: FormEvent) => {
    event.preventDefault();
    if (path.trim()) void load(path.trim());
  };
  const drop = (event: DragEvent) => {
    event.preventDefault();
    const file = event.dataTransfer.files[0];
    const dropped = file && window.microscope ? window.microscope.pathForFile(file) : undefined;
    if (dropped) void load(dropped);
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
      <form onSubmit={open} className="row">
        <input aria-label="Guest path" placeholder="path to a guest ELF" value={path} onChange={(e) => setPath(e.target.value)} />
        <button type="submit">Open</button>
        <button type="button" onClick={() => void load()}>
          Demo
        </button>
      </form>
      {recent.length > 0 && (
        <ul className="recent" aria-label="Recent guests">
          {recent.map((file) => (
            <li key={file}>
              <button type="button" className="link" onClick={() => void load(file)}>
                {file}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
