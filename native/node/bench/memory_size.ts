// What guest memory's size costs: a 1 GiB sandbox against the default 16 MiB one, cold
// start and a call with restore, in the same run. Both follow what the guest touches, so
// the ratios stay near 1: what remains is what grows with the size at all (the page
// directories, one per GiB; KVM's dirty log, one bit per page, read at each restore).
import { Sandbox } from '../api/sandbox.js';
import { type Case, interleaved, median } from './rounds.js';

export async function memorySizeCases(
  guest: string,
  backend: 'emulated' | 'kvm',
  rounds: number,
  perRound: number,
  coldPerRound: number,
  progress: (line: string) => void,
): Promise<Case[]> {
  const sizes = [16 << 20, 1 << 30];
  const [small, large] = await Promise.all(sizes.map((memorySize) => Sandbox.create(guest, { backend, memorySize })));
  try {
    const measure = (sandbox: Sandbox, name: string, args: bigint[], mode: 'cold' | 'restore', count: number) => async () =>
      median((await sandbox.measure(name, args, { mode, iterations: count })).totalNs);
    progress(`cold_start_1gib, ${rounds} rounds`);
    const cold = await interleaved(
      'cold_start_1gib',
      rounds,
      measure(large!, 'add', [40n, 2n], 'cold', coldPerRound),
      measure(small!, 'add', [40n, 2n], 'cold', coldPerRound),
    );
    progress(`restore_call_1gib, ${rounds} rounds`);
    const restore = await interleaved(
      'restore_call_1gib',
      rounds,
      measure(large!, 'touch4', [1n], 'restore', perRound),
      measure(small!, 'touch4', [1n], 'restore', perRound),
    );
    return [cold, restore];
  } finally {
    small!.dispose();
    large!.dispose();
  }
}
