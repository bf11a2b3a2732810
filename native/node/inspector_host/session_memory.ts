// What a new engine process needs to be where the old one was: the guest as it was loaded,
// and the breakpoints and watchpoints as the user set them (with whether each is on).
// Which requests those are is the protocol's to say (methods.ts, each method's `session`),
// so a new kind of breakpoint, or a new way to change one, is remembered without a line
// here. Snapshots and the call being debugged die with the process: they live in its
// memory.
import { type Method, methods, type Params, type Results, type SessionEffect } from '../../common/protocol/messages.js';

type Ask = <M extends Method>(method: M, params: Params<M>) => Promise<{ ok: true; result: Results[M] } | { ok: false }>;

interface Entry {
  method: Method;
  params: Record<string, unknown>;
  /** What it made or changed: "breakpoint:3" (ids are the engine's, per kind of thing). */
  thing?: string;
}

const effectOf = (method: string): SessionEffect | undefined => (Object.hasOwn(methods, method) ? methods[method as Method].session : undefined);
const thingOf = (method: string, id: unknown) => `${method.slice(0, method.indexOf('.'))}:${String(id)}`;

export class SessionMemory {
  /** The load first, then what changed the session since, in order, each thing's last change only. */
  #entries: Entry[] = [];

  /** Notes a request the engine served successfully. */
  track(method: string, params: unknown, result: unknown): void {
    const effect = effectOf(method);
    if (!effect) return;
    const entry: Entry = { method: method as Method, params: (params ?? {}) as Record<string, unknown> };
    switch (effect) {
      case 'load':
        this.#entries = [entry];
        break;
      case 'add':
        this.#entries.push({ ...entry, thing: thingOf(method, (result as { id: unknown }).id) });
        break;
      case 'change': {
        const thing = thingOf(method, entry.params.id);
        if (!this.#entries.some((e) => e.thing === thing)) break;
        this.#entries = this.#entries.filter((e) => !(e.thing === thing && e.method === method));
        this.#entries.push({ ...entry, thing });
        break;
      }
      case 'remove': {
        const thing = thingOf(method, entry.params.id);
        this.#entries = this.#entries.filter((e) => e.thing !== thing);
        break;
      }
    }
  }

  /** Sets up a fresh engine as the last one was; resolves to the guest's info (null: none was loaded). */
  async replay(ask: Ask): Promise<Results['guest.load'] | null> {
    const [load, ...rest] = this.#entries;
    this.#entries = [];
    if (!load || effectOf(load.method) !== 'load') return null;
    const loaded = await ask(load.method, load.params as Params<Method>);
    if (!loaded.ok) return null;
    this.track(load.method, load.params, loaded.result);
    // The new engine numbers things afresh: a change names the thing by its new id.
    const ids = new Map<string, unknown>();
    for (const entry of rest) {
      let params = entry.params;
      if (effectOf(entry.method) !== 'add') {
        if (!ids.has(entry.thing!)) continue;
        params = { ...params, id: ids.get(entry.thing!) };
      }
      const answer = await ask(entry.method, params as Params<Method>);
      if (!answer.ok) continue;
      if (effectOf(entry.method) === 'add') ids.set(entry.thing!, (answer.result as { id: unknown }).id);
      this.track(entry.method, params, answer.result);
    }
    return loaded.result as Results['guest.load'];
  }
}
