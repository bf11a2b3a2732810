// The recorded call's timeline, a strip over the bottom tabs while a recording exists:
// positions from 0 to the furthest the call reached (what was dropped to keep the
// recording within its size hatched), host calls, breakpoint and watchpoint hits and
// faults marked, the current position, a ruler of instruction counts. A click or a drag
// goes there (a click beside a mark goes to the mark); as a slider it takes the arrow
// keys (one instruction), Page Up and Page Down (1%), Home and End. The arithmetic is
// timeline_scale's; going there is the time-travel state's, one position at a time.
import { type KeyboardEvent, type PointerEvent, type RefObject, useEffect, useMemo, useRef, useState } from 'react';

import type { WireRecording } from '../../../../native/common/protocol/messages';
import { useInspector } from '../../state/store';
import { useTimeTravel } from '../../state/time_travel';
import {
  clampPosition,
  countText,
  keyedPosition,
  markNear,
  mebibytes,
  placeMarks,
  positionTicks,
  positionToX,
  timelineMarks,
  xToPosition,
} from './timeline_scale';
import './timeline.css';

function useWidth(element: RefObject<HTMLDivElement | null>): number {
  const [width, setWidth] = useState(800);
  useEffect(() => {
    const box = element.current;
    if (!box || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => box.clientWidth > 0 && setWidth(box.clientWidth));
    observer.observe(box);
    return () => observer.disconnect();
  }, [element]);
  return width;
}

export function Timeline() {
  const recording = useTimeTravel((state) => state.recording);
  return recording ? <RecordedTimeline recording={recording} /> : null;
}

function RecordedTimeline({ recording }: { recording: WireRecording }) {
  const { hits, goTo } = useTimeTravel();
  const { stop, running } = useInspector();
  const lane = useRef<HTMLDivElement>(null);
  const slider = useRef<HTMLDivElement>(null);
  const width = useWidth(lane);
  // Where a drag is: the thumb follows the pointer while the call catches up.
  const [dragAt, setDragAt] = useState<number | null>(null);
  const marks = useMemo(() => placeMarks(timelineMarks(recording.events, hits), recording.end, width), [recording, hits, width]);
  const ticks = useMemo(() => positionTicks(recording.end, width), [recording, width]);

  const span = { start: recording.start, end: recording.end };
  const position = clampPosition(dragAt ?? stop?.position ?? recording.position, span);
  const x = (at: number) => positionToX(at, recording.end, width);
  const under = (clientX: number) => {
    const left = clientX - lane.current!.getBoundingClientRect().left;
    return markNear(marks, left)?.position ?? xToPosition(left, span, width);
  };

  const down = (event: PointerEvent<HTMLDivElement>) => {
    if (event.button !== 0) return;
    event.preventDefault();
    slider.current?.focus({ preventScroll: true });
    event.currentTarget.setPointerCapture?.(event.pointerId);
    const at = under(event.clientX);
    setDragAt(at);
    void goTo(at);
  };
  const move = (event: PointerEvent<HTMLDivElement>) => {
    if (dragAt === null) return;
    const at = xToPosition(event.clientX - lane.current!.getBoundingClientRect().left, span, width);
    if (at === dragAt) return;
    setDragAt(at);
    void goTo(at);
  };
  const up = () => setDragAt(null);
  const key = (event: KeyboardEvent) => {
    const at = keyedPosition(event.key, position, span);
    if (at === null) return;
    event.preventDefault();
    if (at !== position) void goTo(at);
  };

  return (
    <section aria-label="Timeline" className="timeline" aria-busy={running}>
      <div className="timeline-head">
        <h2>Timeline</h2>
        <span className="timeline-position" aria-label="Position">
          instruction {countText(position)} of {countText(recording.end)}
          {recording.ended ? ' (the call ended)' : ''}
        </span>
        <span className="muted" aria-label="Recording size">
          recording: {mebibytes(recording.bytes)}, {countText(recording.checkpoints)} checkpoint{recording.checkpoints === 1 ? '' : 's'}
        </span>
        {recording.dropped && (
          <span className="timeline-dropped-note" role="note">
            the oldest part was dropped to stay within {mebibytes(recording.sizeLimit)} (before {countText(recording.start)})
          </span>
        )}
      </div>
      <div ref={lane} className="timeline-lane" onPointerDown={down} onPointerMove={move} onPointerUp={up} onPointerCancel={up}>
        <div
          ref={slider}
          role="slider"
          tabIndex={0}
          aria-label="Position in the recorded call"
          aria-valuemin={recording.start}
          aria-valuemax={recording.end}
          aria-valuenow={position}
          aria-valuetext={`instruction ${countText(position)} of ${countText(recording.end)}`}
          aria-orientation="horizontal"
          className="timeline-track"
          onKeyDown={key}
        >
          {recording.start > 0 && (
            <div className="timeline-dropped" style={{ width: x(recording.start) }} title={`dropped: 0 to ${countText(recording.start)}`} />
          )}
          <div className="timeline-past" style={{ width: x(position) }} />
          <div className="timeline-now" style={{ left: x(position) }} />
        </div>
        <ul className="timeline-marks" aria-label="Marks">
          {marks.map((mark) => (
            <li
              key={`${mark.kind}@${mark.x}`}
              className={`timeline-mark mark-${mark.kind}`}
              style={{ left: mark.x }}
              aria-label={mark.label}
              title={mark.label}
            />
          ))}
        </ul>
      </div>
      <div className="timeline-ruler" aria-hidden="true">
        {ticks.map((tick) => (
          <span key={tick.position} className="timeline-tick" style={{ left: tick.x }}>
            {tick.label}
          </span>
        ))}
      </div>
    </section>
  );
}
