// DAP's variablesReference numbers: each names something expandable in one frame, and all of
// them are forgotten at every stop (what a number meant before may mean another value now).
import type { Variable } from '../api/debug.js';

export type Container =
  /** A scope the engine listed whole (Arguments, Locals, Globals). */
  | { kind: 'scope'; frame: number; variables: Variable[] }
  /** The members, elements or pointee of an expandable value. */
  | { kind: 'children'; frame: number; expression: string; variables?: Variable[] }
  | { kind: 'registers'; frame: number };

export class VariableReferences {
  #containers = new Map<number, Container>();
  #next = 1;

  add(container: Container): number {
    const reference = this.#next++;
    this.#containers.set(reference, container);
    return reference;
  }

  get(reference: number): Container {
    const container = this.#containers.get(reference);
    if (!container) throw new Error(`variablesReference ${reference} is not of this stop (they change at every stop)`);
    return container;
  }

  reset(): void {
    this.#containers.clear();
    this.#next = 1;
  }
}
