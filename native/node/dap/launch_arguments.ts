// A launch request's arguments (the "configurationAttributes" of native/vscode/package.json),
// checked before anything runs: each wrong one is a UsageError that says which and why.
import { UsageError } from '../api/errors.js';
import type { Backend } from '../api/types.js';

export interface LaunchArguments {
  /** A path to a guest ELF, or "demo" / "sqlite". */
  guest: string;
  function: string;
  /** Parsed by the function's signature, as `microscope call` parses its words. */
  args: string[];
  backend: Backend;
  stopOnEntry: boolean;
  /** Record the call, to step back in it (on KVM it runs there to its end first, then is replayed on the emulator). */
  record: boolean;
}

export const backends: readonly Backend[] = ['auto', 'emulated', 'kvm'];

function usage(message: string): UsageError {
  return new UsageError({ kind: 'usage', message });
}

export function parseLaunchArguments(raw: unknown, defaultBackend: Backend): LaunchArguments {
  const given = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const { guest, function: name, args = [], backend = defaultBackend, stopOnEntry = false, record = false } = given;
  if (typeof guest !== 'string' || guest === '') {
    throw usage('the launch configuration needs "guest": the path of a guest ELF, or "demo" or "sqlite"');
  }
  if (typeof name !== 'string' || name === '') {
    throw usage('the launch configuration needs "function": the name of the guest function to call');
  }
  if (!Array.isArray(args) || !args.every((arg) => ['string', 'number', 'boolean'].includes(typeof arg))) {
    throw usage('"args" must be a list of the arguments as text, such as ["40", "0x2"]');
  }
  if (typeof backend !== 'string' || !backends.includes(backend as Backend)) {
    throw usage(`"backend" must be one of ${backends.join(', ')}, got ${JSON.stringify(backend)}`);
  }
  if (typeof stopOnEntry !== 'boolean') throw usage(`"stopOnEntry" must be true or false, got ${JSON.stringify(stopOnEntry)}`);
  if (typeof record !== 'boolean') throw usage(`"record" must be true or false, got ${JSON.stringify(record)}`);
  return { guest, function: name, args: args.map(String), backend: backend as Backend, stopOnEntry, record };
}
