// Search in a call trace: by name or by name with arguments, case apart, in time order,
// exits left out; Enter and Shift+Enter step round the matches.
import { describe, expect, it } from 'vitest';

import type { WireTraceEvent } from '../../../../native/common/protocol/messages';
import { searchEvents, stepMatch } from '../../../../renderer/src/panels/trace/trace_search';
import { fibTrace } from './fib_trace';

describe('trace search', () => {
  it('finds calls by name and arguments, earliest first', () => {
    const events = fibTrace(10);
    expect(searchEvents(events, 'fib')).toHaveLength(177);
    expect(searchEvents(events, ' FIB ')).toHaveLength(177);
    expect(searchEvents(events, 'fib(n=9)')).toEqual([1]);
    expect(searchEvents(events, 'n=1)')).toHaveLength(55);
    expect(searchEvents(events, 'hlt')).toEqual([]);
    expect(searchEvents(events, '')).toEqual([]);
    const unordered: WireTraceEvent[] = [
      { kind: 'host', name: 'print', depth: 1, startNs: 500, durationNs: 10 },
      { kind: 'function', name: 'printf', depth: 0, startNs: 100, durationNs: 1000 },
    ];
    expect(searchEvents(unordered, 'print')).toEqual([1, 0]);
  });

  it('steps round the matches both ways', () => {
    expect(stepMatch(null, 3, 1)).toBe(0);
    expect(stepMatch(null, 3, -1)).toBe(2);
    expect(stepMatch(2, 3, 1)).toBe(0);
    expect(stepMatch(0, 3, -1)).toBe(2);
    expect(stepMatch(1, 3, 1)).toBe(2);
    expect(stepMatch(null, 0, 1)).toBeNull();
  });
});
