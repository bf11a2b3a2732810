// The protocol's limits, in a module of their own so the renderer can use them without
// bundling the schemas (messages.ts) that the engine checks requests against.

/** The largest guest ELF a client may send as bytes (browser mode, from another machine). */
export const maxGuestBytes = 32 << 20;

/** The most differing runs of bytes one snapshot comparison lists. */
export const maxDifferenceRuns = 2000;

/** The most trace events one response carries; the Chrome export has them all. */
export const maxWireTraceEvents = 200_000;

/** The most calls one profile may count (a duration has no such limit). */
export const maxProfileIterations = 100_000_000;

/** The most calls a profile keeps one by one, for its CSV. */
export const maxKeptRows = 1_000_000;
