// Variables: the selected frame's Arguments, Locals and Globals, and the registers as a
// scope of their own, each a section that folds; the values the last step changed marked,
// members read as they are expanded, values changed in place. In a recorded call, where a
// variable in memory (or a register) was last written.
import { useMemo, useState } from 'react';

import type { WireVariable } from '../../../native/common/protocol/messages';
import { useInspector } from '../state/store';
import { useVariables } from '../state/variables';
import { registerGroups, registerValue } from './RegistersPanel';
import { WhereWritten } from './time_travel/WhereWritten';
import { type VariableSource, VariableTree } from './variable_tree';

/** Folded at first, as VS Code has them: the globals and registers are many. */
const foldedAtFirst = new Set(['Globals', 'Registers']);

function Scope({ name, variables, source }: { name: string; variables: WireVariable[]; source: VariableSource }) {
  const [open, setOpen] = useState(!foldedAtFirst.has(name));
  return (
    <div className="scope">
      <button type="button" className="scope-header" aria-expanded={open} onClick={() => setOpen(!open)}>
        <span className={`codicon codicon-chevron-${open ? 'down' : 'right'}`} aria-hidden="true" />
        {name}
      </button>
      {open && (variables.length ? <VariableTree label={name} variables={variables} source={source} /> : <p className="muted scope-empty">None.</p>)}
    </div>
  );
}

/** The general registers as variables, from the stop's registers. */
function useRegisterScope(): { variables: WireVariable[]; source: VariableSource } {
  const { stop, previousRegisters, setRegister } = useInspector();
  const version = useVariables((s) => s.version);
  return useMemo(() => {
    const values = stop?.registers.values ?? {};
    const variables = registerGroups[0]!.registers.flatMap((name) =>
      values[name] === undefined
        ? []
        : [{ name, value: values[name], type: name === 'rflags' ? 'u64 (flags)' : 'u64', expression: `$${name}`, expandable: false }],
    );
    const source: VariableSource = {
      version,
      children: async () => [],
      changed: (v) => previousRegisters !== null && previousRegisters[v.name] !== undefined && previousRegisters[v.name] !== v.value,
      setValue: async (v, text) => {
        const parsed = registerValue(v.name, text);
        return 'problem' in parsed ? parsed.problem : setRegister(v.name, parsed.value);
      },
      // Every instruction writes RIP: no last write of it to find.
      actions: (v) => (v.name === 'rip' ? null : <WhereWritten thing={{ register: v.name }} label={v.name} />),
    };
    return { variables, source };
  }, [stop, previousRegisters, setRegister, version]);
}

/** The variables' tree source over the variables' state. */
export function useVariableSource(): VariableSource {
  const { version, children, changed, setValue } = useVariables();
  return useMemo(() => ({ version, children, changed, setValue: (v, text) => setValue(v.expression, text) }), [version, children, changed, setValue]);
}

/** Only what is in guest memory has a last write to find: a variable in a register has none. */
function useWrittenSource(): VariableSource {
  const source = useVariableSource();
  const frame = useVariables((s) => s.frame);
  return useMemo(
    () => ({
      ...source,
      actions: (v: WireVariable) => (v.address === undefined ? null : <WhereWritten thing={{ expression: v.expression, frame }} label={v.expression} />),
    }),
    [source, frame],
  );
}

export function VariablesPanel() {
  const { debugging, stop, running } = useInspector();
  const { scopes, error } = useVariables();
  const source = useWrittenSource();
  const registers = useRegisterScope();
  const paused = debugging && stop !== null && stop.reason !== 'exit';
  return (
    <section aria-label="Variables" className="panel variables-panel" aria-busy={running}>
      <h2>Variables</h2>
      {!paused ? (
        <p className="muted">Debug a call to see its variables.</p>
      ) : (
        <>
          {error && (
            <p className="problem" role="alert">
              {error}
            </p>
          )}
          {scopes.map((scope) => (
            <Scope key={scope.name} name={scope.name} variables={scope.variables} source={source} />
          ))}
          <Scope name="Registers" variables={registers.variables} source={registers.source} />
        </>
      )}
    </section>
  );
}
