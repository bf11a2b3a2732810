// Search in a call trace: the functions and host calls whose name, or name with its
// arguments ("fib(n=3)"), contains the query, in time order; and stepping through them
// with Enter and Shift+Enter, round from the last to the first.
import type { WireTraceEvent } from '../../../../native/common/protocol/messages';
import { eventName } from './flame_layout';

/** The indices of the events that match `query` (case apart), earliest first; none for an empty query. */
export function searchEvents(events: WireTraceEvent[], query: string): number[] {
  const wanted = query.trim().toLowerCase();
  if (!wanted) return [];
  const matches: number[] = [];
  const byName = new Map<string, boolean>();
  events.forEach((event, index) => {
    if (event.kind === 'exit') return;
    const name = eventName(event);
    let hit = byName.get(name);
    if (hit === undefined) byName.set(name, (hit = name.toLowerCase().includes(wanted)));
    if (hit) matches.push(index);
  });
  return matches.sort((a, b) => events[a]!.startNs - events[b]!.startNs || events[a]!.depth - events[b]!.depth);
}

/** The match after (`direction` 1) or before (−1) `current`, from the first or the last when there is none yet. */
export function stepMatch(current: number | null, count: number, direction: 1 | -1): number | null {
  if (count === 0) return null;
  if (current === null) return direction > 0 ? 0 : count - 1;
  return (current + direction + count) % count;
}
