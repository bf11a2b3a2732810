// Two CPU profiles compared: any two kept (warm against cold, emulated against KVM, before
// and after a change). The comparison's flame graph, each frame coloured by how its self
// share grew (red) or shrank (blue) against the same path in the baseline, and each
// function's self share in both, the largest change first. Shares, not counts: the runs
// count different calls, and may count in different units.
import { useMemo } from 'react';

import { type KeptProfile, useCpuProfiles } from '../../state/cpu_profile';
import { FlameGraph } from './FlameGraph';
import { diffColor } from './flame_colors';
import { frameDetails, frameSummary } from './frame_words';
import { diffFunctions, diffTrees, largestChange } from './profile_diff';
import { percent, signedPercent, topFunctions } from './profile_tables';
import { buildTree } from './profile_tree';

export function ProfileCompare() {
  const { profiles, baselineId, comparisonId, choose } = useCpuProfiles();
  const baseline = profiles.find((p) => p.id === baselineId);
  const comparison = profiles.find((p) => p.id === comparisonId);
  const picker = (label: string, value: number | null, onChange: (id: number) => void) => (
    <select aria-label={label} value={value ?? ''} onChange={(e) => onChange(Number(e.target.value))}>
      <option value="" disabled>
        {label}…
      </option>
      {profiles.map((p) => (
        <option key={p.id} value={p.id}>
          {p.label}
        </option>
      ))}
    </select>
  );

  return (
    <div className="profile-compare">
      <div className="row wrap" aria-label="Compared profiles">
        <span className="muted">Baseline</span>
        {picker('Baseline', baselineId, (id) => choose({ baselineId: id }))}
        <span className="muted">against</span>
        {picker('Comparison', comparisonId, (id) => choose({ comparisonId: id }))}
      </div>
      {baseline && comparison ? (
        <Comparison key={`${baseline.id}:${comparison.id}`} baseline={baseline} comparison={comparison} />
      ) : (
        <p className="muted">Keep two CPU profiles (record or import them) and pick a baseline and a comparison.</p>
      )}
    </div>
  );
}

function Comparison({ baseline, comparison }: { baseline: KeptProfile; comparison: KeptProfile }) {
  const [before, after] = useMemo(() => [buildTree(baseline.profile), buildTree(comparison.profile)], [baseline, comparison]);
  const changes = useMemo(() => diffTrees(after, before), [after, before]);
  const scale = useMemo(() => largestChange(changes), [changes]);
  const rows = useMemo(() => diffFunctions(topFunctions(baseline.profile), topFunctions(comparison.profile)), [baseline, comparison]);
  const all = after.root.total;

  return (
    <>
      <p className="muted">
        Laid out from the comparison; <span className="diff-key grew">red</span>: a larger share of its profile than in the baseline,{' '}
        <span className="diff-key shrank">blue</span>: a smaller one.
      </p>
      <FlameGraph
        tree={after}
        label="Differential flame graph"
        colorOf={(node) => diffColor(changes.get(node)?.delta ?? 0, scale)}
        summary={(node) => `${frameSummary(node, all)}, self ${signedPercent(changes.get(node)?.delta ?? 0)} against the baseline`}
        details={(node) => {
          const change = changes.get(node);
          return [
            ...frameDetails(node, comparison.profile, all),
            ...(change
              ? [
                  `self share ${percent(change.baseline)} → ${percent(change.comparison)} (${signedPercent(change.delta)})`,
                  `total share ${signedPercent(change.totalDelta)}`,
                ]
              : []),
          ];
        }}
      />
      <table className="profile-table" aria-label="Differences by function">
        <thead>
          <tr>
            <th>Function</th>
            <th>File</th>
            <th className="numeric">Baseline self %</th>
            <th className="numeric">Comparison self %</th>
            <th className="numeric">Δ self</th>
            <th className="numeric">Δ total</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={`${row.function}\u0000${row.file}`}>
              <td>{row.function}</td>
              <td className="muted" title={row.file}>
                {row.file.split('/').pop()}
              </td>
              <td className="numeric">{percent(row.baseline)}</td>
              <td className="numeric">{percent(row.comparison)}</td>
              <td className={`numeric ${row.delta > 0 ? 'grew' : row.delta < 0 ? 'shrank' : ''}`}>{signedPercent(row.delta)}</td>
              <td className="numeric">{signedPercent(row.totalDelta)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
