// Registers: all of them at the last stop, those the last step changed marked, RFLAGS as
// named flags; double-click a value to change it while the call is paused (hex or decimal,
// negative as two's complement; what doesn't fit is refused, saying why). In a recorded
// call, where each general or SSE register was last written.
import { type FormEvent, useState } from 'react';

import { useInspector } from '../state/store';
import { WhereWritten } from './time_travel/WhereWritten';

export const registerGroups: { name: string; registers: string[] }[] = [
  {
    name: 'General',
    registers: ['rax', 'rbx', 'rcx', 'rdx', 'rsi', 'rdi', 'rbp', 'rsp', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15', 'rip', 'rflags'],
  },
  { name: 'Segments', registers: ['cs.selector', 'ss.selector', 'ds.selector', 'es.selector', 'fs.selector', 'gs.selector', 'fs.base', 'gs.base'] },
  { name: 'Control', registers: ['cr0', 'cr2', 'cr3', 'cr4', 'efer'] },
  { name: 'SSE', registers: [...Array.from({ length: 16 }, (_, i) => `xmm${i}`), 'mxcsr'] },
];

const flagNames = ['cf', 'pf', 'af', 'zf', 'sf', 'tf', 'if', 'df', 'of'];
const editable = new Set([...registerGroups[0]!.registers, ...registerGroups[3]!.registers]);
/** The registers a last write can be asked of: not RIP (every instruction writes it), nor MXCSR. */
const searchable = new Set([...editable].filter((name) => name !== 'rip' && name !== 'mxcsr'));

const registerBits = (name: string) => (name.startsWith('xmm') ? 128 : name === 'mxcsr' ? 32 : 64);

/** The register's new value as the protocol takes it ("0x..."), or why `text` can't be one. */
export function registerValue(name: string, text: string): { value: string } | { problem: string } {
  const trimmed = text.trim();
  const match = /^(-?)(0x[0-9a-f]+|[0-9]+)$/i.exec(trimmed);
  if (!match) return { problem: `${name}: a 0x-hex or decimal integer, got '${trimmed}'` };
  const bits = BigInt(registerBits(name));
  const magnitude = BigInt(match[2]!);
  const value = match[1] ? -magnitude : magnitude;
  const [min, max] = [-(2n ** (bits - 1n)), 2n ** bits - 1n];
  if (value < min || value > max) return { problem: `${name} is ${bits} bits: from ${min} to ${max} (0x${max.toString(16)})` };
  return { value: `0x${(value < 0n ? 2n ** bits + value : value).toString(16)}` };
}

function Value({ name, value, changed }: { name: string; value: string; changed: boolean }) {
  const { setRegister, debugging, running } = useInspector();
  const [editing, setEditing] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const canEdit = debugging && !running && editable.has(name);
  const close = () => {
    setEditing(null);
    setProblem(null);
  };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (editing === null) return;
    const parsed = registerValue(name, editing);
    if ('problem' in parsed) return setProblem(parsed.problem);
    const refused = await setRegister(name, parsed.value);
    if (refused) setProblem(refused);
    else close();
  };
  if (editing !== null) {
    return (
      <form onSubmit={(e) => void submit(e)} className="register-edit">
        <input
          aria-label={`New ${name}`}
          aria-invalid={problem !== null}
          autoFocus
          value={editing}
          onChange={(e) => {
            setEditing(e.target.value);
            setProblem(null);
          }}
          onKeyDown={(e) => e.key === 'Escape' && close()}
          onBlur={() => problem === null && close()}
        />
        {problem && (
          <span className="problem" role="alert">
            {problem}
          </span>
        )}
      </form>
    );
  }
  return (
    <code className={changed ? 'changed' : undefined} onDoubleClick={() => canEdit && setEditing(value)} title={canEdit ? 'double-click to change' : undefined}>
      {value}
    </code>
  );
}

export function RegistersPanel() {
  const { stop, previousRegisters } = useInspector();
  return (
    <section aria-label="Registers" className="panel">
      <h2>Registers</h2>
      {!stop ? (
        <p className="muted">Debug a call to see its registers.</p>
      ) : (
        <>
          <p className="flags" aria-label="Flags">
            {flagNames.map((flag) => (
              <span key={flag} className={stop.registers.flags[flag] ? 'flag on' : 'flag'}>
                {flag.toUpperCase()}
              </span>
            ))}
          </p>
          {registerGroups.map((group) => (
            <table key={group.name} className="registers" aria-label={group.name}>
              <tbody>
                {group.registers.map((name) => {
                  const value = stop.registers.values[name];
                  if (value === undefined) return null;
                  const changed = previousRegisters !== null && previousRegisters[name] !== value;
                  return (
                    <tr key={name} data-register={name}>
                      <th scope="row">{name}</th>
                      <td>
                        <Value name={name} value={value} changed={changed} />
                      </td>
                      <td className="where">{searchable.has(name) && <WhereWritten thing={{ register: name }} label={name} />}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          ))}
        </>
      )}
    </section>
  );
}
