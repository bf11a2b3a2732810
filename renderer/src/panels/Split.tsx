// Resizable panes: children side by side (or stacked) with a handle between each two,
// dragged with the mouse or moved with the arrow keys; the sizes are kept across runs.
import { Children, type KeyboardEvent, type PointerEvent, type ReactNode, useRef, useState } from 'react';

interface SplitProps {
  /** 'row': side by side; 'column': stacked. */
  direction: 'row' | 'column';
  /** Each pane's share at first, in any unit (they are normalized). */
  initial: number[];
  /** Where the sizes are kept (localStorage). */
  name: string;
  children: ReactNode;
}

/** No pane gets smaller than this share of the whole. */
const minimumShare = 0.08;
const keyStep = 0.02;

function savedShares(name: string, count: number): number[] | null {
  try {
    const saved = JSON.parse(localStorage.getItem(`microscope.split.${name}`) ?? 'null') as unknown;
    return Array.isArray(saved) && saved.length === count && saved.every((n) => typeof n === 'number' && n > 0) ? saved : null;
  } catch {
    return null;
  }
}

export function Split({ direction, initial, name, children }: SplitProps) {
  const panes = Children.toArray(children);
  const [shares, setShares] = useState(() => {
    const total = initial.reduce((a, b) => a + b, 0);
    return savedShares(name, panes.length) ?? initial.map((n) => n / total);
  });
  const container = useRef<HTMLDivElement>(null);
  const drag = useRef<{ handle: number; start: number; shares: number[] } | null>(null);

  // Moves the boundary after pane `handle` by `delta` of the whole, within the minimum.
  const move = (handle: number, delta: number, from = shares) => {
    const next = [...from];
    const pair = from[handle]! + from[handle + 1]!;
    const round = (share: number) => Math.round(share * 10_000) / 10_000;
    next[handle] = round(Math.min(pair - minimumShare, Math.max(minimumShare, from[handle]! + delta)));
    next[handle + 1] = round(pair - next[handle]!);
    setShares(next);
    localStorage.setItem(`microscope.split.${name}`, JSON.stringify(next));
  };
  const position = (event: PointerEvent) => (direction === 'row' ? event.clientX : event.clientY);
  const extent = () => {
    const box = container.current?.getBoundingClientRect();
    return Math.max(1, (direction === 'row' ? box?.width : box?.height) ?? 1);
  };

  const down = (handle: number) => (event: PointerEvent<HTMLDivElement>) => {
    event.currentTarget.setPointerCapture(event.pointerId);
    drag.current = { handle, start: position(event), shares };
  };
  const moveTo = (event: PointerEvent) => {
    const dragging = drag.current;
    if (dragging) move(dragging.handle, (position(event) - dragging.start) / extent(), dragging.shares);
  };
  const key = (handle: number) => (event: KeyboardEvent) => {
    const back = direction === 'row' ? 'ArrowLeft' : 'ArrowUp';
    const forward = direction === 'row' ? 'ArrowRight' : 'ArrowDown';
    if (event.key === back || event.key === forward) {
      event.preventDefault();
      move(handle, event.key === back ? -keyStep : keyStep);
    }
  };

  const template = shares.map((share) => `minmax(0, ${share}fr)`).join(' 5px ');
  return (
    <div
      ref={container}
      className={`split split-${direction}`}
      style={
        direction === 'row'
          ? { gridTemplateColumns: template, gridTemplateRows: 'minmax(0, 1fr)' }
          : { gridTemplateRows: template, gridTemplateColumns: 'minmax(0, 1fr)' }
      }
    >
      {panes.flatMap((pane, i) =>
        i === 0
          ? [pane]
          : [
              <div
                key={`handle${i}`}
                role="separator"
                tabIndex={0}
                aria-orientation={direction === 'row' ? 'vertical' : 'horizontal'}
                aria-label={`Resize ${name} ${i}`}
                aria-valuenow={Math.round(shares[i - 1]! * 100)}
                className="split-handle"
                onPointerDown={down(i - 1)}
                onPointerMove={moveTo}
                onPointerUp={() => (drag.current = null)}
                onKeyDown={key(i - 1)}
              />,
              pane,
            ],
      )}
    </div>
  );
}
