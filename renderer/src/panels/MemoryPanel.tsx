// Memory: a hex and ASCII view over the whole of guest memory, drawing only the rows in
// sight and reading them 4 KiB at a time; the region map beside it; go to an address, a
// register or a symbol; bytes changed since the last stop marked; double-click a byte to
// change it while the call is paused; select bytes (click, shift-click) to watch them or,
// in a recorded call, to ask where they were last written. The byte Go went to stays
// marked until the next Go.
import { type FormEvent, type MouseEvent, useCallback, useEffect, useMemo, useRef, useState } from 'react';

import { useInspector, type WatchKind } from '../state/store';
import { WhereWritten } from './time_travel/WhereWritten';

const rowHeight = 18;
const bytesPerRow = 16;
const chunkBytes = 4096;
// Browsers cap an element's height; past this the scroll bar maps onto rows in proportion.
const maxScrollHeight = 8_000_000;
/** The most bytes a last write is searched for at once (debug.lastWrite's limit). */
const maxSearchedBytes = 4096;

const hex2 = (n: number) => n.toString(16).padStart(2, '0');

export function MemoryPanel() {
  const { client, guest, stop, memoryAddress, memoryVersion, showMemory, debugging, running, addWatchpoint } = useInspector();
  const memorySize = guest ? Number(BigInt(guest.memorySize)) : 0;
  const totalRows = memorySize / bytesPerRow;
  const scroller = useRef<HTMLDivElement>(null);
  const [viewport, setViewport] = useState(400);
  const [firstRow, setFirstRow] = useState(0);
  // The chunks read since the last stop, and those of before it: what changed is between them.
  const [memory, setMemory] = useState(() => ({ chunks: new Map<number, Uint8Array>(), previous: new Map<number, Uint8Array>() }));
  const { chunks } = memory;
  const [goTo, setGoTo] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [target, setTarget] = useState<number | null>(null);
  const [selection, setSelection] = useState<{ anchor: number; end: number } | null>(null);
  const [watchKind, setWatchKind] = useState<WatchKind>('write');
  const selectedFrom = selection ? Math.min(selection.anchor, selection.end) : -1;
  const selectedTo = selection ? Math.max(selection.anchor, selection.end) : -2;
  const searched = Math.min(maxSearchedBytes, selectedTo - selectedFrom + 1);

  // Never more rows than a screen holds, whatever height the layout gives the view.
  const visibleRows = Math.min(Math.ceil(viewport / rowHeight), Math.ceil(window.screen.height / rowHeight)) + 1;
  const scrollHeight = Math.min(totalRows * rowHeight, maxScrollHeight);
  const scale = totalRows * rowHeight > maxScrollHeight ? (totalRows - visibleRows) / Math.max(1, scrollHeight - viewport) : 1 / rowHeight;

  // A new stop (or a call, a restore): what memory held before becomes the reference for
  // changes. Adjusted while rendering, as React advises for state that follows a prop.
  const [readAt, setReadAt] = useState({ stop, guest, memoryVersion });
  if (readAt.stop !== stop || readAt.guest !== guest || readAt.memoryVersion !== memoryVersion) {
    setReadAt({ stop, guest, memoryVersion });
    setMemory((current) => ({ chunks: new Map(), previous: current.chunks.size ? current.chunks : current.previous }));
  }

  // The address's row at the top, or, near the end of memory, the last screenful.
  const rowOf = useCallback(
    (address: string) => Math.max(0, Math.min(totalRows - visibleRows + 1, Math.floor(Number(BigInt(address)) / bytesPerRow))),
    [totalRows, visibleRows],
  );

  // An address to show (a stop's RSP, a region, Go): its row in sight now, the scroll bar
  // moved to it after the render.
  const [shown, setShown] = useState<string | null>(null);
  if (memoryAddress && totalRows && shown !== memoryAddress) {
    setShown(memoryAddress);
    setFirstRow(rowOf(memoryAddress));
  }
  useEffect(() => {
    if (shown && scroller.current) scroller.current.scrollTop = rowOf(shown) / scale;
  }, [shown, rowOf, scale]);

  useEffect(() => {
    const element = scroller.current;
    if (!element) return;
    const observer = new ResizeObserver(() => setViewport(element.clientHeight));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  // Read the chunks in sight that aren't here yet.
  useEffect(() => {
    if (!client || !guest) return;
    const first = Math.floor((firstRow * bytesPerRow) / chunkBytes);
    const last = Math.floor(Math.min(memorySize - 1, (firstRow + visibleRows) * bytesPerRow) / chunkBytes);
    for (let chunk = first; chunk <= last; chunk++) {
      if (chunks.has(chunk)) continue;
      void client.request('memory.read', { address: `0x${(chunk * chunkBytes).toString(16)}`, length: chunkBytes }).then(
        ({ bytes }) =>
          setMemory((current) => ({
            ...current,
            chunks: new Map(current.chunks).set(
              chunk,
              Uint8Array.from(bytes.match(/../g) ?? [], (b) => parseInt(b, 16)),
            ),
          })),
        () => undefined,
      );
    }
  }, [client, guest, firstRow, visibleRows, chunks, memorySize]);

  const rows = useMemo(() => {
    const out: { address: number; bytes: (number | undefined)[]; changed: boolean[] }[] = [];
    for (let row = firstRow; row < Math.min(totalRows, firstRow + visibleRows); row++) {
      const address = row * bytesPerRow;
      const chunk = chunks.get(Math.floor(address / chunkBytes));
      const before = memory.previous.get(Math.floor(address / chunkBytes));
      const offset = address % chunkBytes;
      const bytes = Array.from({ length: bytesPerRow }, (_, i) => chunk?.[offset + i]);
      const changed = bytes.map((b, i) => before !== undefined && b !== undefined && before[offset + i] !== b);
      out.push({ address, bytes, changed });
    }
    return out;
  }, [firstRow, totalRows, visibleRows, chunks, memory.previous]);

  const go = async (event: FormEvent) => {
    event.preventDefault();
    setProblem(null);
    const text = goTo.trim();
    const register = stop?.registers.values[text.toLowerCase()];
    const show = (address: string) => {
      if (BigInt(address) >= BigInt(memorySize)) throw new Error(`${address} is past the end of guest memory (0x${memorySize.toString(16)})`);
      setTarget(Number(BigInt(address)));
      showMemory(address);
    };
    try {
      if (/^0x[0-9a-f]+$/i.test(text)) show(text);
      else if (register) show(register);
      else if (client && text) {
        const [instruction] = await client.request('code.disassemble', { location: text, count: 1 });
        if (instruction) show(instruction.address);
      }
    } catch (error) {
      setProblem((error as Error).message);
    }
  };

  const select = (address: number, event: MouseEvent) => {
    setSelection(event.shiftKey && selection ? { anchor: selection.anchor, end: address } : { anchor: address, end: address });
  };

  const edit = async (address: number) => {
    if (!client || !debugging || running) return;
    const text = window.prompt(`New byte at 0x${address.toString(16)} (hex)`);
    if (!text || !/^[0-9a-f]{1,2}$/i.test(text)) return;
    await client.request('memory.write', { address: `0x${address.toString(16)}`, bytes: hex2(parseInt(text, 16)) });
    setMemory((current) => {
      const chunks = new Map(current.chunks);
      chunks.delete(Math.floor(address / chunkBytes));
      return { ...current, chunks };
    });
  };

  return (
    <section aria-label="Memory" className="panel memory-panel">
      <form onSubmit={(e) => void go(e)} className="row">
        <input aria-label="Go to" placeholder="address, register or symbol" value={goTo} onChange={(e) => setGoTo(e.target.value)} />
        <button type="submit">Go</button>
        {problem && (
          <span className="problem" role="alert">
            {problem}
          </span>
        )}
      </form>
      {selection && (
        <div className="row selection" aria-label="Selection">
          <code>0x{selectedFrom.toString(16)}</code>
          <span className="muted">{selectedTo - selectedFrom + 1} bytes</span>
          <select aria-label="Watch for" value={watchKind} onChange={(e) => setWatchKind(e.target.value as WatchKind)}>
            <option value="write">writes</option>
            <option value="read">reads</option>
            <option value="access">any access</option>
          </select>
          <button type="button" onClick={() => void addWatchpoint(`0x${selectedFrom.toString(16)}`, selectedTo - selectedFrom + 1, watchKind)}>
            Watch
          </button>
          <WhereWritten
            thing={{ address: `0x${selectedFrom.toString(16)}`, length: searched }}
            label={searched === 1 ? `the byte at 0x${selectedFrom.toString(16)}` : `0x${selectedFrom.toString(16)} (${searched} bytes)`}
          />
          <button type="button" className="link" aria-label="Clear the selection" onClick={() => setSelection(null)}>
            ✕
          </button>
        </div>
      )}
      <div className="memory-body">
        <div
          ref={scroller}
          className="hex-view"
          role="grid"
          aria-label="Guest memory"
          aria-rowcount={totalRows}
          onScroll={(e) => setFirstRow(Math.min(Math.max(0, totalRows - visibleRows), Math.floor(e.currentTarget.scrollTop * scale)))}
        >
          <div style={{ height: scrollHeight, position: 'relative' }}>
            <div style={{ position: 'sticky', top: 0 }}>
              {rows.map((row) => (
                <div
                  key={row.address}
                  role="row"
                  className="hex-row"
                  aria-rowindex={row.address / bytesPerRow + 1}
                  data-address={`0x${row.address.toString(16)}`}
                >
                  <span className="address">{row.address.toString(16).padStart(8, '0')}</span>
                  <span className="bytes">
                    {row.bytes.map((b, i) => (
                      <span
                        key={i}
                        role="gridcell"
                        aria-selected={row.address + i >= selectedFrom && row.address + i <= selectedTo}
                        className={['byte', row.changed[i] ? 'changed' : '', row.address + i === target ? 'target' : ''].filter(Boolean).join(' ')}
                        aria-current={row.address + i === target ? 'location' : undefined}
                        onClick={(e) => select(row.address + i, e)}
                        onDoubleClick={() => void edit(row.address + i)}
                      >
                        {b === undefined ? '··' : hex2(b)}
                      </span>
                    ))}
                  </span>
                  <span className="ascii">{row.bytes.map((b) => (b !== undefined && b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('')}</span>
                </div>
              ))}
            </div>
          </div>
        </div>
        <ul className="regions" aria-label="Regions">
          {guest?.regions.map((region) => (
            <li key={region.begin}>
              <button type="button" className="link" onClick={() => showMemory(region.begin)}>
                <code>{region.begin}</code> {region.name} <span className="muted">{region.access}</span>
              </button>
            </li>
          ))}
        </ul>
      </div>
    </section>
  );
}
