// Snapshots: take one (calls restore it from then on), restore or drop one, and compare
// two, or one with guest memory now: the pages and the bytes that differ, each run
// linked to the memory view. The engine takes "after init" when a guest loads.
import { type FormEvent, useEffect, useState } from 'react';

import type { WireRegion } from '../../../native/common/protocol/messages';
import { useSnapshots } from '../state/snapshots';
import { useInspector } from '../state/store';

const shown = 16;

/** The name of the region of guest memory that holds `address`. */
export function regionOf(address: string, regions: WireRegion[]): string {
  const at = BigInt(address);
  return regions.find((r) => BigInt(r.begin) <= at && at < BigInt(r.end))?.name ?? '';
}

function bytesText(hex: string, length: number): string {
  const bytes = hex.slice(0, shown * 2).replace(/(..)(?!$)/g, '$1 ');
  return length > shown ? `${bytes} …` : bytes;
}

export function SnapshotsPanel() {
  const { guest, debugging, running, showMemory, showTab } = useInspector();
  const { snapshots, chosen, comparison, refresh, take, restore, drop, choose, compare } = useSnapshots();
  const [label, setLabel] = useState('');
  const busy = debugging || running;

  useEffect(() => {
    if (guest) void refresh();
  }, [guest, refresh]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void take(label.trim()).then(() => setLabel(''));
  };
  const name = (id: number | null) => (id === null ? 'memory now' : (snapshots.find((s) => s.id === id)?.label ?? `snapshot ${id}`));

  return (
    <section aria-label="Snapshots" className="panel snapshots-panel">
      <form onSubmit={submit} className="row">
        <input aria-label="Snapshot label" placeholder="label (optional)" value={label} onChange={(e) => setLabel(e.target.value)} />
        <button type="submit" disabled={!guest || busy} title={busy ? 'End the debugged call first' : undefined}>
          Take snapshot
        </button>
        <button type="button" disabled={chosen.length === 0} onClick={() => void compare()}>
          {chosen.length === 2 ? 'Compare the two' : 'Compare with now'}
        </button>
      </form>
      <ul className="snapshots">
        {snapshots.map((snapshot) => (
          <li key={snapshot.id}>
            <label>
              <input
                type="checkbox"
                aria-label={`Compare ${snapshot.label}`}
                checked={chosen.includes(snapshot.id)}
                onChange={(e) => choose(snapshot.id, e.target.checked)}
              />
              <strong>{snapshot.label}</strong> <span className="muted">{new Date(snapshot.takenAt).toLocaleTimeString()}</span>
            </label>
            <button type="button" disabled={busy} onClick={() => void restore(snapshot.id)}>
              Restore
            </button>
            <button type="button" className="link" aria-label={`Drop ${snapshot.label}`} onClick={() => void drop(snapshot.id)}>
              ✕
            </button>
          </li>
        ))}
      </ul>
      {comparison && (
        <div aria-label="Comparison" role="region">
          <p>
            <strong>{name(comparison.a)}</strong> against <strong>{name(comparison.b)}</strong>:{' '}
            <span aria-label="Difference summary">
              {comparison.bytes === 0 ? 'the same' : `${comparison.bytes} bytes differ in ${comparison.pages.length} pages`}
            </span>
            {comparison.truncated && <span className="muted"> (the first {comparison.runs.length} runs)</span>}
          </p>
          <table className="differences">
            <thead>
              <tr>
                <th>Address</th>
                <th>Region</th>
                <th>Bytes</th>
                <th>Before</th>
                <th>After</th>
              </tr>
            </thead>
            <tbody>
              {comparison.runs.map((run) => (
                <tr key={run.address}>
                  <td>
                    <button
                      type="button"
                      className="link"
                      onClick={() => {
                        showMemory(run.address);
                        showTab('Memory');
                      }}
                    >
                      <code>{run.address}</code>
                    </button>
                  </td>
                  <td className="muted">{guest ? regionOf(run.address, guest.regions) : ''}</td>
                  <td>{run.length}</td>
                  <td>
                    <code>{bytesText(run.before, run.length)}</code>
                  </td>
                  <td>
                    <code>{bytesText(run.after, run.length)}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
