// Coverage over the Source view, summed up above it while the code overlay shows it: the
// run, the lines executed of the lines with code (in the file shown and in all files), the
// calls that failed and why; Export lcov (a tracefile for genhtml) and Hide coverage.
import { exportLcov } from '../state/coverage';
import { type CoverageOverlay, linesHit } from '../state/coverage_overlay';
import { useCodeOverlay } from '../state/code_overlay';
import { baseName } from '../state/source';

// The engine lists the first hundred calls that failed (coverage_work.cpp's kMaxFailures).
const maxFailures = 100;

// Rounded down: 100.0% is every line.
const percent = (hit: number, total: number) => (Math.floor((1000 * hit) / total) / 10).toFixed(1);

function lines({ hit, total }: { hit: number; total: number }): string {
  if (total === 0) return 'no code';
  return `${hit.toLocaleString()} of ${total.toLocaleString()} ${total === 1 ? 'line' : 'lines'} (${percent(hit, total)}%)`;
}

export function CoverageSummary({ overlay, file }: { overlay: CoverageOverlay; file: string | undefined }) {
  const clear = useCodeOverlay((state) => state.clear);
  const { failures } = overlay;
  return (
    <div role="group" aria-label="Coverage" className="coverage-summary">
      <div className="row wrap">
        <span className="codicon codicon-coverage" aria-hidden="true" />
        <strong>{overlay.label}</strong>
        <span className="muted">{overlay.exact ? `${overlay.backend}, counted` : 'KVM: lines hit, not counted'}</span>
        <span className="spacer" />
        <button type="button" className="small" onClick={() => void exportLcov()} title="Save it as an lcov tracefile (.info), for genhtml">
          Export lcov
        </button>
        <button type="button" className="small" onClick={clear} title="Take coverage off the Source and Disassembly views">
          Hide coverage
        </button>
      </div>
      <p aria-label="Coverage summary" className="summary-text">
        {file !== undefined && (
          <>
            {baseName(file)}: {lines(linesHit(overlay, file))} ·{' '}
          </>
        )}
        all files: {lines(linesHit(overlay))}
        {failures.length > 0 && (
          <span className="problem">
            {' '}
            · {failures.length}
            {failures.length >= maxFailures ? ' or more' : ''} of {overlay.calls} calls failed
          </span>
        )}
      </p>
      {failures.length > 0 && (
        <ul aria-label="Failed calls" className="coverage-failures">
          {failures.map((f) => (
            <li key={f.call}>
              call {f.call + 1}
              {f.args && <code> ({f.args.join(', ')})</code>}: <strong>{f.kind}</strong>: {f.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
