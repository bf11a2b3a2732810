// What a new engine process needs to be where the old one was: the guest as it was loaded,
// and the breakpoints and watchpoints as the user set them (with whether each is on).
// Snapshots and the call being debugged die with the process: they live in its memory.
import type { Method, Params, Results } from '../../common/protocol/messages.js';

type Ask = <M extends Method>(method: M, params: Params<M>) => Promise<{ ok: true; result: Results[M] } | { ok: false }>;

interface Point<P> {
  params: P;
  enabled: boolean;
}

export class SessionMemory {
  #guest: Params<'guest.load'> | undefined;
  readonly #breakpoints = new Map<number, Point<Params<'breakpoint.add'>>>();
  readonly #watchpoints = new Map<number, Point<Params<'watchpoint.add'>>>();

  /** Notes a request the engine served successfully. */
  track(method: string, params: unknown, result: unknown): void {
    switch (method) {
      case 'guest.load':
        this.#guest = params as Params<'guest.load'>;
        this.#breakpoints.clear();
        this.#watchpoints.clear();
        break;
      case 'breakpoint.add':
        this.#breakpoints.set((result as Results['breakpoint.add']).id, { params: params as Params<'breakpoint.add'>, enabled: true });
        break;
      case 'watchpoint.add':
        this.#watchpoints.set((result as Results['watchpoint.add']).id, { params: params as Params<'watchpoint.add'>, enabled: true });
        break;
      case 'breakpoint.remove':
        this.#breakpoints.delete((params as Params<'breakpoint.remove'>).id);
        break;
      case 'watchpoint.remove':
        this.#watchpoints.delete((params as Params<'watchpoint.remove'>).id);
        break;
      case 'breakpoint.enable':
      case 'watchpoint.enable': {
        const { id, enabled } = params as Params<'breakpoint.enable'>;
        const point = (method === 'breakpoint.enable' ? this.#breakpoints : this.#watchpoints).get(id);
        if (point) point.enabled = enabled;
        break;
      }
    }
  }

  /** Sets up a fresh engine as the last one was; resolves to the guest's info (null: none was loaded). */
  async replay(ask: Ask): Promise<Results['guest.load'] | null> {
    if (!this.#guest) return null;
    const loaded = await ask('guest.load', this.#guest);
    if (!loaded.ok) return null;
    const breakpoints = [...this.#breakpoints.values()];
    const watchpoints = [...this.#watchpoints.values()];
    this.#breakpoints.clear();
    this.#watchpoints.clear();
    for (const { params, enabled } of breakpoints) {
      const added = await ask('breakpoint.add', params);
      if (!added.ok) continue;
      this.track('breakpoint.add', params, added.result);
      if (!enabled) await this.#disable(ask, 'breakpoint.enable', added.result.id);
    }
    for (const { params, enabled } of watchpoints) {
      const added = await ask('watchpoint.add', params);
      if (!added.ok) continue;
      this.track('watchpoint.add', params, added.result);
      if (!enabled) await this.#disable(ask, 'watchpoint.enable', added.result.id);
    }
    return loaded.result;
  }

  async #disable(ask: Ask, method: 'breakpoint.enable' | 'watchpoint.enable', id: number): Promise<void> {
    const params = { id, enabled: false };
    if ((await ask(method, params)).ok) this.track(method, params, null);
  }
}
