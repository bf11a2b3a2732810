// The picked event of a call trace, in a strip under the chart: what it is, with its
// arguments, when it started, how long it took and how much of that was its own.
import type { WireTrace } from '../../../../native/common/protocol/messages';
import { useTrace } from '../../state/trace';
import { formatNs } from '../durations';
import { eventName, selfTime, type TraceIndex } from './flame_layout';

export function TraceDetails({ trace, index }: { trace: WireTrace; index: TraceIndex }) {
  const { picked, focus } = useTrace();
  const event = picked === null ? undefined : trace.events[picked];
  if (!event) return <p className="muted trace-strip">Pick a call in the chart for its details.</p>;
  return (
    <div className="trace-strip">
      <dl aria-label="Picked event">
        <dt>{event.kind}</dt>
        <dd>
          <code>{eventName(event)}</code> {event.detail && <span className="muted">{event.detail}</span>}
        </dd>
        <dt>Start</dt>
        <dd>{formatNs(event.startNs)}</dd>
        {event.kind !== 'exit' && (
          <>
            <dt>Duration</dt>
            <dd>{formatNs(event.durationNs)}</dd>
            <dt>Self</dt>
            <dd>{formatNs(selfTime(trace.events, index, picked!))}</dd>
          </>
        )}
        <dt>Depth</dt>
        <dd>{event.depth}</dd>
      </dl>
      {event.kind !== 'exit' && (
        <button type="button" className="link" onClick={() => focus(picked!)}>
          Zoom to it
        </button>
      )}
    </div>
  );
}
