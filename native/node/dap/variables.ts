// Scopes, variables, evaluate and setVariable: the engine's C values (and the vCPU's
// registers) as DAP shows them, each expandable one under a variablesReference that names
// its frame and expression until the next stop.
import type { DebugProtocol } from '@vscode/debugprotocol';

import type { Variable } from '../api/debug.js';
import type { Sandbox } from '../api/sandbox.js';
import { dataId } from './breakpoints.js';
import { parseMemoryReference } from './memory.js';
import { callerRegisterVariables, hex, parseRegisterValue, registerVariables, writableRegisters } from './registers.js';
import type { VariableReferences } from './variable_references.js';

export class VariableView {
  readonly #sandbox: Sandbox;
  readonly #references: VariableReferences;

  constructor(sandbox: Sandbox, references: VariableReferences) {
    this.#sandbox = sandbox;
    this.#references = references;
  }

  scopes(frame: number): DebugProtocol.Scope[] {
    const scopes = this.#sandbox.scopes(frame).map((scope): DebugProtocol.Scope => ({
      name: scope.name,
      presentationHint: scope.name === 'Arguments' ? 'arguments' : scope.name === 'Locals' ? 'locals' : undefined,
      variablesReference: this.#references.add({ kind: 'scope', frame, variables: scope.variables }),
      namedVariables: scope.variables.length,
      expensive: scope.name === 'Globals',
    }));
    scopes.push({ name: 'Registers', presentationHint: 'registers', variablesReference: this.#references.add({ kind: 'registers', frame }), expensive: false });
    return scopes;
  }

  variables(reference: number): DebugProtocol.Variable[] {
    const container = this.#references.get(reference);
    switch (container.kind) {
      case 'registers':
        return container.frame === 0 ? registerVariables(this.#sandbox.registers()) : callerRegisterVariables(this.#frame(container.frame));
      case 'scope':
        return container.variables.map((variable) => this.#toDap(variable, container.frame));
      case 'children': {
        container.variables = this.#sandbox.children(container.expression, container.frame);
        return container.variables.map((variable) => this.#toDap(variable, container.frame));
      }
    }
  }

  evaluate(expression: string, frame: number): DebugProtocol.EvaluateResponse['body'] {
    // `$rax` is the Registers scope's evaluateName; the engine's C knows registers as `rax`.
    const value = this.#sandbox.evaluate(expression.trim().replace(/^\$(?=[a-z])/, ''), frame);
    const dap = this.#toDap(value, frame);
    return {
      result: dap.value,
      type: value.type,
      variablesReference: dap.variablesReference,
      ...(dap.memoryReference && { memoryReference: dap.memoryReference }),
    };
  }

  setVariable(reference: number, name: string, value: string): DebugProtocol.SetVariableResponse['body'] {
    const container = this.#references.get(reference);
    if (container.kind === 'registers') {
      if (container.frame !== 0) throw new Error("a caller's registers are what the callee will restore: change them in the running frame");
      if (!writableRegisters.includes(name)) throw new Error(`only the general-purpose registers can be set here (${writableRegisters.join(', ')})`);
      this.#sandbox.setRegisters({ [name]: parseRegisterValue(value) });
      const now = registerVariables(this.#sandbox.registers()).find((variable) => variable.name === name)!;
      return { value: now.value, type: now.type, variablesReference: 0 };
    }
    const known = container.variables?.find((variable) => variable.name === name);
    if (!known) throw new Error(`there is no variable '${name}' here`);
    const changed = this.#sandbox.setVariable(known.expression, value, container.frame);
    const dap = this.#toDap(changed, container.frame);
    return { value: dap.value, type: changed.type, variablesReference: dap.variablesReference };
  }

  /** What a data breakpoint on `name` would watch: a variable of a container, an expression, or an address. */
  dataBreakpointInfo(args: DebugProtocol.DataBreakpointInfoArguments, frame: number): DebugProtocol.DataBreakpointInfoResponse['body'] {
    const accessTypes: DebugProtocol.DataBreakpointAccessType[] = ['write', 'read', 'readWrite'];
    let address: bigint | undefined;
    let length = args.bytes;
    let description: string;
    if (args.asAddress || /^\s*0x[0-9a-f]+\s*$/i.test(args.name)) {
      address = parseMemoryReference(args.name);
      length ??= 8;
      description = `${length} bytes at ${hex(address)}`;
    } else {
      const variable = this.#dataVariable(args, frame);
      address = variable.address;
      length ??= Number(this.#sandbox.evaluate(`sizeof(${variable.expression})`, frame).value);
      description = `${variable.expression} (${variable.type}, ${length} bytes${address === undefined ? '' : ` at ${hex(address)}`})`;
    }
    if (address === undefined) return { dataId: null, description: `${args.name} is not in memory (a register, or a value computed)` };
    return { dataId: dataId(address, length), description, accessTypes, canPersist: true };
  }

  #dataVariable(args: DebugProtocol.DataBreakpointInfoArguments, frame: number): Variable {
    if (args.variablesReference) {
      const container = this.#references.get(args.variablesReference);
      const variables = container.kind === 'registers' ? [] : (container.variables ?? []);
      const variable = variables.find((v) => v.name === args.name);
      if (!variable) throw new Error(`there is no variable '${args.name}' here that is in memory`);
      return variable;
    }
    return this.#sandbox.evaluate(args.name, frame);
  }

  #frame(index: number) {
    const frame = this.#sandbox.backtrace()[index];
    if (!frame) throw new Error(`there is no frame ${index}`);
    return frame;
  }

  #toDap(variable: Variable, frame: number): DebugProtocol.Variable {
    return {
      name: variable.name,
      value: variable.value,
      type: variable.type,
      evaluateName: variable.expression,
      variablesReference: variable.expandable ? this.#references.add({ kind: 'children', frame, expression: variable.expression }) : 0,
      ...(variable.address !== undefined && { memoryReference: hex(variable.address) }),
    };
  }
}
