// What a launch makes: the sandbox for the guest, with the call paused at its function's
// entry, and the adapter's views over it (its breakpoints, its variables).
import type { DebugSession as DebuggedCall } from '../api/debug.js';
import { UsageError } from '../api/errors.js';
import { Sandbox } from '../api/sandbox.js';
import type { FunctionInfo } from '../api/types.js';
import { parseArguments } from '../api/value_text.js';
import { Breakpoints } from './breakpoints.js';
import type { LaunchArguments } from './launch_arguments.js';
import type { VariableReferences } from './variable_references.js';
import { VariableView } from './variables.js';

export interface Launched {
  arguments: LaunchArguments;
  sandbox: Sandbox;
  fn: FunctionInfo;
  call: DebuggedCall;
  breakpoints: Breakpoints;
  view: VariableView;
}

export function functionOf(sandbox: Sandbox, args: LaunchArguments): FunctionInfo {
  const fn = sandbox.functions.find((f) => f.name === args.function);
  if (!fn) {
    const names = sandbox.functions.map((f) => f.name).join(', ');
    throw new UsageError({ kind: 'usage', message: `the guest exports no function '${args.function}' (it has ${names})` });
  }
  return fn;
}

export async function launch(args: LaunchArguments, guest: Uint8Array, references: VariableReferences): Promise<Launched> {
  const sandbox = await Sandbox.create(guest, { backend: args.backend });
  try {
    const fn = functionOf(sandbox, args);
    const call = await sandbox.debug(fn.name, parseArguments(fn, args.args), { record: args.record });
    return { arguments: args, sandbox, fn, call, breakpoints: new Breakpoints(sandbox), view: new VariableView(sandbox, references) };
  } catch (error) {
    sandbox.dispose();
    throw error;
  }
}
