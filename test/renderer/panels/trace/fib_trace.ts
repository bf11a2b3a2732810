// A call trace shaped like the engine's of fib(n) (test/guests' demo.c): every call
// entered in order, each one's time its own plus its two calls'.
import type { WireTraceEvent } from '../../../../native/common/protocol/messages';

export function fibTrace(n: number, startNs = 1000): WireTraceEvent[] {
  const events: WireTraceEvent[] = [];
  let clock = startNs;
  const call = (k: number, depth: number) => {
    const event: WireTraceEvent = { kind: 'function', name: 'fib', args: `n=${k}`, depth, startNs: clock, durationNs: 0 };
    events.push(event);
    clock += 100;
    if (k >= 2) {
      call(k - 1, depth + 1);
      clock += 50;
      call(k - 2, depth + 1);
    }
    clock += 100;
    event.durationNs = clock - event.startNs;
  };
  call(n, 0);
  events.push({ kind: 'exit', name: 'hlt', depth: 0, startNs: clock + 10, durationNs: 0 });
  return events;
}
