// The call trace's flame chart: a time ruler, the engine's lead-in on a row of its own,
// and the guest's calls nested down, for the window of time the trace state holds. The
// wheel (or a pinch) zooms at the pointer, Shift+wheel and dragging pan, dragging on the
// ruler or Shift+dragging zooms to the range, W/S/A/D zoom and pan as in Perfetto. The
// arithmetic is trace_view's, time_axis's and flame_layout's; only bars in sight are drawn.
import { type CSSProperties, type PointerEvent, type RefObject, useEffect, useMemo, useRef, useState } from 'react';

import type { WireTrace } from '../../../../native/common/protocol/messages';
import { useTrace } from '../../state/trace';
import { formatNs } from '../durations';
import { functionHue } from '../function_hue';
import { eventName, layoutFlame, layoutPhases, type TraceIndex } from './flame_layout';
import { timeTicks } from './time_axis';
import { keyStep, nsToX, spanOf, type TimeWindow, wheelZoom, xToNs } from './trace_view';

/** The row names' column, and the rows' heights (theirs in trace.css too). */
const gutter = 64;
const rowHeight = 20;
const rulerHeight = 22;

interface Drag {
  /** Selecting a range (on the ruler, or with Shift), else panning. */
  select: boolean;
  x0: number;
  y0: number;
  view0: TimeWindow;
  scroll0: number;
  moved: boolean;
}

/** `keys`: the element whose key presses (W/S/A/D, F, Escape) drive the chart: the panel's. */
export function FlameChart({ trace, index, keys }: { trace: WireTrace; index: TraceIndex; keys: RefObject<HTMLElement | null> }) {
  const { view, picked, query, matches, pick, show, zoomToRange, focus } = useTrace();
  const box = useRef<HTMLDivElement>(null);
  const width = useLaneWidth(box);
  const layout = useMemo(() => layoutFlame(trace.events, index, view, width, picked), [trace, index, view, width, picked]);
  const phases = useMemo(() => layoutPhases(trace.leadIn, view, width), [trace, view, width]);
  const ticks = useMemo(() => timeTicks(view, width), [view, width]);
  const matched = useMemo(() => (query.trim() ? new Set(matches) : null), [query, matches]);
  const [range, setRange] = useState<{ aNs: number; bNs: number } | null>(null);
  const drag = useRef<Drag | null>(null);
  const dragged = useRef(false);
  const hoverX = useRef<number | null>(null);
  const clampX = (x: number) => Math.min(width, Math.max(0, x));

  // The wheel zooms, so it can't be React's (passive) listener: it must keep the page from scrolling.
  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const wheel = (event: WheelEvent) => {
      const x = laneX(element, event.clientX);
      if (x < 0) return; // over the row names: the rows scroll
      event.preventDefault();
      // Its keys to follow, unless the focus is somewhere else already.
      if (!document.activeElement || document.activeElement === document.body) element.focus({ preventScroll: true });
      const { view: now, zoom: zoomAt, pan: panBy } = useTrace.getState();
      const across = event.shiftKey ? event.deltaX || event.deltaY : Math.abs(event.deltaX) > Math.abs(event.deltaY) ? event.deltaX : 0;
      if (across) panBy((across * (event.deltaMode === 1 ? 16 : 1) * spanOf(now)) / width);
      else zoomAt(wheelZoom(event.deltaY, event.deltaMode, event.ctrlKey), xToNs(now, width, Math.min(width, x)));
    };
    element.addEventListener('wheel', wheel, { passive: false });
    return () => element.removeEventListener('wheel', wheel);
  }, [width]);

  // The picked call's row in sight (a search match may be below the fold).
  useEffect(() => {
    const element = box.current;
    const event = picked === null ? undefined : trace.events[picked];
    if (!element || !event) return;
    const top = rulerHeight + rowHeight * (1 + event.depth);
    if (top < element.scrollTop + rulerHeight) element.scrollTop = top - rulerHeight;
    else if (top + rowHeight > element.scrollTop + element.clientHeight) element.scrollTop = top + rowHeight - element.clientHeight;
  }, [picked, trace]);

  const down = (event: PointerEvent<HTMLDivElement>) => {
    dragged.current = false;
    const x = laneX(box.current!, event.clientX);
    if (event.button !== 0 || x < 0) return;
    box.current!.focus({ preventScroll: true });
    const select = event.shiftKey || (event.target as Element).closest('.flame-ruler') !== null;
    drag.current = { select, x0: x, y0: event.clientY, view0: view, scroll0: box.current!.scrollTop, moved: false };
  };
  const move = (event: PointerEvent<HTMLDivElement>) => {
    const x = laneX(box.current!, event.clientX);
    hoverX.current = x >= 0 && x <= width ? x : null;
    const d = drag.current;
    if (!d) return;
    if (!d.moved) {
      if (Math.hypot(x - d.x0, event.clientY - d.y0) < 4) return;
      d.moved = true;
      box.current!.setPointerCapture(event.pointerId);
    }
    if (d.select) {
      setRange({ aNs: xToNs(d.view0, width, clampX(d.x0)), bNs: xToNs(d.view0, width, clampX(x)) });
    } else {
      const shift = ((x - d.x0) * spanOf(d.view0)) / width;
      show({ startNs: d.view0.startNs - shift, endNs: d.view0.endNs - shift });
      box.current!.scrollTop = d.scroll0 - (event.clientY - d.y0);
    }
  };
  const cancel = () => {
    drag.current = null;
    setRange(null);
  };
  const up = (event: PointerEvent<HTMLDivElement>) => {
    const d = drag.current;
    drag.current = null;
    if (!d?.moved) return;
    dragged.current = true;
    if (d.select) {
      const aNs = xToNs(d.view0, width, clampX(d.x0));
      const bNs = xToNs(d.view0, width, clampX(laneX(box.current!, event.clientX)));
      if (Math.abs(aNs - bNs) > 0) zoomToRange(aNs, bNs);
      setRange(null);
    }
  };
  // Keys anywhere in the panel but its fields: the chart needn't have the focus (a button of the panel's may).
  useEffect(() => {
    const scope = keys.current;
    if (!scope) return;
    const key = (event: globalThis.KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey || (event.target as Element).closest('input, select, textarea')) return;
      const { view: now, picked: chosen, zoom: zoomAt, pan: panBy, focus: zoomToEvent, reset: whole } = useTrace.getState();
      const step = keyStep(event.key);
      if (step && 'zoom' in step) zoomAt(step.zoom, xToNs(now, width, hoverX.current ?? width / 2));
      else if (step) panBy(step.pan * spanOf(now));
      else if (event.key === 'Escape' && drag.current) {
        drag.current = null;
        setRange(null);
      } else if (event.key === 'Escape') whole();
      else if (event.key.toLowerCase() === 'f' && chosen !== null) zoomToEvent(chosen);
      else return;
      event.preventDefault();
    };
    scope.addEventListener('keydown', key);
    return () => scope.removeEventListener('keydown', key);
  }, [keys, width]);

  const lanes = { left: gutter, width };
  const x0 = range ? nsToX(view, width, Math.min(range.aNs, range.bNs)) : 0;
  const x1 = range ? nsToX(view, width, Math.max(range.aNs, range.bNs)) : 0;

  return (
    <>
      <div
        ref={box}
        className="flame"
        role="group"
        aria-label="Flame chart"
        tabIndex={0}
        onPointerDown={down}
        onPointerMove={move}
        onPointerUp={up}
        onPointerCancel={cancel}
        onPointerLeave={() => {
          hoverX.current = null;
        }}
        onClickCapture={(event) => dragged.current && event.stopPropagation()}
      >
        <div className="flame-ruler" aria-label="Time ruler" style={{ height: rulerHeight }}>
          <div className="flame-lane" style={lanes}>
            {ticks.map((tick) => (
              <span key={tick.ns} className="tick" style={{ left: tick.x }}>
                {tick.label}
              </span>
            ))}
            {range && (
              <span className="range-label" style={{ left: x0, width: Math.max(1, x1 - x0) }}>
                {formatNs(Math.abs(range.bNs - range.aNs))}
              </span>
            )}
          </div>
        </div>
        <div className="flame-track engine-track" style={{ height: rowHeight }}>
          <span className="flame-gutter">engine</span>
          <div className="flame-lane" style={lanes}>
            {phases.map((bar) => (
              <div
                key={bar.phase.name}
                role="img"
                className="bar engine"
                style={{ left: bar.x, width: bar.width }}
                title={`${bar.phase.name} ${formatNs(bar.phase.durationNs)}, before the first guest function`}
                aria-label={`engine: ${bar.phase.name}, ${formatNs(bar.phase.durationNs)}`}
              >
                {bar.label}
              </div>
            ))}
          </div>
        </div>
        <div className="flame-track" style={{ height: layout.rows * rowHeight }}>
          <span className="flame-gutter">guest</span>
          <div className="flame-lane" style={lanes}>
            {ticks.map((tick) => (
              <span key={tick.ns} className="gridline" style={{ left: tick.x }} />
            ))}
            {layout.dense.map((run) => (
              <div
                key={`${run.row}:${run.startNs}`}
                className="bar dense"
                style={{ left: run.x, width: run.width, top: run.row * rowHeight, '--hue': functionHue(run.event.name) } as CSSProperties}
                title={`${run.count.toLocaleString()} calls in ${formatNs(run.endNs - run.startNs)}: double-click or zoom in to tell them apart`}
                onDoubleClick={() => zoomToRange(run.startNs, run.endNs)}
              />
            ))}
            {layout.bars.map((bar) => {
              const name = eventName(bar.event);
              const duration = formatNs(bar.event.durationNs);
              const found = matched && (matched.has(bar.index) ? ' match' : ' dim');
              return (
                <div
                  key={bar.index}
                  data-index={bar.index}
                  role="button"
                  tabIndex={-1}
                  className={`bar ${bar.event.kind}${bar.index === picked ? ' picked' : ''}${found || ''}`}
                  style={{ left: bar.x, width: bar.width, top: bar.row * rowHeight, '--hue': functionHue(bar.event.name) } as CSSProperties}
                  title={bar.event.kind === 'exit' ? `exit: ${name}` : `${name} ${duration}`}
                  aria-label={`${bar.event.kind} ${name}, ${duration}`}
                  onClick={() => pick(bar.index)}
                  onDoubleClick={() => focus(bar.index)}
                >
                  {bar.label}
                </div>
              );
            })}
          </div>
        </div>
        {range && <div className="flame-range" style={{ left: gutter + x0, width: Math.max(1, x1 - x0), height: rowHeight * (1 + layout.rows) }} />}
      </div>
      <p className="muted trace-hint">
        {layout.hidden > 0 && <span>{layout.hidden.toLocaleString()} events too short to draw one by one at this zoom (striped): zoom in to see them. </span>}
        <span>
          Wheel or pinch: zoom at the pointer · Shift+wheel or drag: pan · drag on the ruler or Shift+drag: zoom to a range · W/S zoom, A/D pan · F: zoom to the
          picked call · Esc: the whole call
        </span>
      </p>
    </>
  );
}

/** The lanes' width: the chart's, less the row names, followed as it resizes. */
function useLaneWidth(box: RefObject<HTMLDivElement | null>): number {
  const [width, setWidth] = useState(800);
  useEffect(() => {
    const element = box.current;
    if (!element || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => element.clientWidth > gutter && setWidth(element.clientWidth - gutter));
    observer.observe(element);
    return () => observer.disconnect();
  }, [box]);
  return width;
}

/** Pixels from the lanes' left edge (past the border and the row names) to `clientX`. */
function laneX(chart: HTMLElement, clientX: number): number {
  return clientX - chart.getBoundingClientRect().left - chart.clientLeft - gutter;
}
