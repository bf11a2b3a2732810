// A call's outcome beside its form: the value and how long the call took, or how it failed
// (a fault's vector in words, with a way to debug the same call; an abort's code), or why
// the engine refused it; and what the guest printed.
import type { CallRecord } from '../state/store';
import { formatNs } from './durations';
import { faultName } from '../../../native/common/fault_names';

export function CallResult({ record, onDebug, canDebug }: { record: CallRecord; onDebug(): void; canDebug: boolean }) {
  const { result, error } = record;
  if (!result) {
    return (
      <output aria-label="Result" className="result failed" role="alert">
        <strong>refused</strong>: {error}
      </output>
    );
  }
  const fault = result.error?.vector !== undefined ? result.error : undefined;
  return (
    <output aria-label="Result" className={result.ok ? 'result ok' : 'result failed'}>
      {result.ok ? (
        <>
          <strong>{result.value}</strong> <span className="muted">{result.type}</span>
        </>
      ) : fault ? (
        <>
          <strong>{fault.vector}</strong>
          {faultName(fault.vector!) && <span className="fault-name"> {faultName(fault.vector!)}</span>} at <code>{fault.rip}</code> ({fault.symbol})
          {fault.cr2 !== undefined && (
            <>
              , CR2 <code>{fault.cr2}</code>
            </>
          )}
        </>
      ) : result.error?.kind === 'abort' ? (
        <>
          <strong>abort</strong> code <code aria-label="Abort code">{result.error.code ?? '?'}</code>: {result.error.message}
        </>
      ) : (
        <>
          <strong>{result.error?.kind}</strong>: {result.error?.message}
        </>
      )}
      <span className="muted duration" aria-label="Call time" title="From the request reaching the engine to its answer">
        {' '}
        · {formatNs(result.durationNs)}
      </span>
      {fault && (
        <button type="button" className="secondary small" disabled={!canDebug} onClick={onDebug} title="Start the same call under the debugger">
          <span className="codicon codicon-debug-alt" aria-hidden="true" /> Debug this call
        </button>
      )}
      {result.output && <pre className="output">{result.output}</pre>}
      {result.outputTruncated && <p className="problem">Output truncated: the engine keeps the first 1 MiB a call prints.</p>}
    </output>
  );
}
