// Coverage of several calls, under the Functions panel's form: their argument lists, one
// JSON array a line (JSONL, as `microscope coverage --calls` takes it), grown by adding the
// form's arguments one call at a time or pasted whole, run as one coverage run.
import { useMemo, useState } from 'react';

import type { WireFunction } from '../../../native/common/protocol/messages';
import { runCoverage } from '../state/coverage';
import { callLine, parseCalls } from './argument_text';

/** `args`: the form's arguments, null while one of them is wrong. */
export function CoverageCalls({ fn, args, busy }: { fn: WireFunction; args: string[] | null; busy: boolean }) {
  const [text, setText] = useState('');
  const parsed = useMemo(() => parseCalls(text, fn), [text, fn]);
  const calls = 'calls' in parsed ? parsed.calls : null;
  const add = () => args && setText(`${text.trimEnd()}${text.trim() ? '\n' : ''}${callLine(args)}\n`);

  return (
    <div role="group" aria-label="Coverage of several argument lists" className="coverage-calls">
      <label className="field">
        <span>
          Calls <span className="muted">one JSON array of arguments a line</span>
        </span>
        <textarea
          aria-label="Calls"
          aria-invalid={text.trim() !== '' && !calls}
          className="mono"
          rows={4}
          spellCheck={false}
          placeholder={[1, 2].map(() => callLine(fn.params.map(() => '0'))).join('\n')}
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
        {text.trim() && 'problem' in parsed && <span className="problem">{parsed.problem}</span>}
      </label>
      <div className="row wrap">
        <button type="button" disabled={!args} onClick={add} title="Add the arguments above as one more call">
          Add these arguments
        </button>
        <button type="button" disabled={!calls || busy} onClick={() => calls && void runCoverage(fn.name, calls)}>
          {calls ? `Run coverage of ${calls.length} ${calls.length === 1 ? 'call' : 'calls'}` : 'Run coverage'}
        </button>
        <button type="button" disabled={!text} onClick={() => setText('')}>
          Clear
        </button>
      </div>
    </div>
  );
}
