// The snapshots the user took in the inspector, with their labels, and comparisons
// between two of them (or one and guest memory now) with the bytes on each side.
import { UsageError } from '../api/errors.js';
import type { Sandbox, Snapshot } from '../api/sandbox.js';
import { maxDifferenceRuns, type WireByteDifference, type WireComparison, type WireSnapshot } from '../../common/protocol/messages.js';
import { hex } from './wire.js';

/** How many bytes of each differing run a comparison shows. */
const shownDifferenceBytes = 256;

export class SnapshotShelf {
  readonly #sandbox: Sandbox;
  readonly #held = new Map<number, { snapshot: Snapshot; label: string; takenAt: number }>();

  constructor(sandbox: Sandbox) {
    this.#sandbox = sandbox;
  }

  /** Takes one; calls restore it from now on (Sandbox.snapshot). */
  take(label?: string): WireSnapshot {
    const snapshot = this.#sandbox.snapshot();
    this.#held.set(snapshot.id, { snapshot, label: label || `snapshot ${this.#held.size + 1}`, takenAt: Date.now() });
    return this.#wire(snapshot.id);
  }

  restore(id: number): void {
    this.#sandbox.restore(this.#get(id).snapshot);
  }

  drop(id: number): void {
    this.#sandbox.dropSnapshot(this.#get(id).snapshot);
    this.#held.delete(id);
  }

  list(): WireSnapshot[] {
    return [...this.#held.keys()].map((id) => this.#wire(id));
  }

  /** Where snapshot `a` differs from `b`, or from guest memory now. */
  compare(a: number, b: number | undefined): WireComparison {
    const box = this.#sandbox;
    const first = this.#get(a).snapshot;
    const second = b === undefined ? undefined : this.#get(b).snapshot;
    const differences = box.compare(first, second);
    const runs: WireByteDifference[] = [];
    let bytes = 0;
    let runCount = 0;
    for (const { ranges } of differences) {
      for (const { address, length } of ranges) {
        bytes += length;
        runCount++;
        if (runs.length >= maxDifferenceRuns) continue;
        const shown = Math.min(length, shownDifferenceBytes);
        const after = second ? box.readSnapshot(second, address, shown) : box.readMemory(address, shown);
        runs.push({
          address: hex(address),
          length,
          before: Buffer.from(box.readSnapshot(first, address, shown)).toString('hex'),
          after: Buffer.from(after).toString('hex'),
        });
      }
    }
    return { a, b: b ?? null, pages: differences.map((d) => hex(d.page)), runs, bytes, truncated: runCount > runs.length };
  }

  #get(id: number) {
    const held = this.#held.get(id);
    if (!held) throw new UsageError({ kind: 'usage', message: `there is no snapshot ${id}` });
    return held;
  }

  #wire(id: number): WireSnapshot {
    const { label, takenAt } = this.#get(id);
    return { id, label, takenAt };
  }
}
