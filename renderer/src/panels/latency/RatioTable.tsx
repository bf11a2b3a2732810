// The shown runs' percentiles side by side, each over the baseline's (the first shown).
import type { WireProfileRun } from '../../../../native/common/protocol/messages';
import { formatNs } from '../durations';
import { ratios, runColors, runName } from './chart_data';

export function RatioTable({ runs }: { runs: WireProfileRun[] }) {
  return (
    <table className="ratios" aria-label="Ratios">
      <thead>
        <tr>
          <th />
          {runs.map((run, i) => (
            <th key={run.id} style={{ color: runColors[i % runColors.length] }}>
              {runName(run)}
              {i === 0 && <span className="muted"> (baseline)</span>}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {ratios(runs).map((row) => (
          <tr key={row.label}>
            <th>{row.label}</th>
            {row.values.map((value, i) => (
              <td key={runs[i]!.id}>
                {formatNs(value.ns)}
                {i > 0 && value.ratio !== null && <span className="muted"> {value.ratio.toFixed(2)}×</span>}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
