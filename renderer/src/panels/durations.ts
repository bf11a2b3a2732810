// Durations as people read them, for every panel that shows one.

/** "812 ns", "1.23 µs", "45.6 ms", "2.00 s": `ns` nanoseconds to three significant digits. */
export function formatNs(ns: number): string {
  if (ns < 1000) return `${Math.round(ns)} ns`;
  if (ns < 1e6) return `${(ns / 1e3).toPrecision(3)} µs`;
  if (ns < 1e9) return `${(ns / 1e6).toPrecision(3)} ms`;
  return `${(ns / 1e9).toPrecision(3)} s`;
}
