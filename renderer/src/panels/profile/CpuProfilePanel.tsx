// CPU profile: where inside the guest a function's calls spent their time. Record one
// (with its latency, as a Latency run) or import one; see it as a flame graph and a table
// of top functions; open a function in the Source and Disassembly views with its counts
// laid over them; export it for pprof, speedscope, flamegraph.pl or Chrome DevTools; compare
// two profiles.
import { useMemo, useState } from 'react';

import type { CpuProfileExportFormat } from '../../../../native/common/cpu_profile';
import { type KeptProfile, useCpuProfiles } from '../../state/cpu_profile';
import { useCodeOverlay } from '../../state/code_overlay';
import { formatNs } from '../durations';
import { FlameGraph } from './FlameGraph';
import { functionColor, heatColor } from './flame_colors';
import { frameDetails, frameSummary } from './frame_words';
import { ProfileCompare } from './ProfileCompare';
import { ProfileTable } from './ProfileTable';
import { topFunctions, totalCount } from './profile_tables';
import { buildTree } from './profile_tree';
import { RecordForm } from './RecordForm';
import './cpu_profile.css';

const exports: { format: CpuProfileExportFormat; title: string; what: string }[] = [
  { format: 'pprof', title: 'pprof', what: 'gzipped protobuf, for go tool pprof' },
  { format: 'speedscope', title: 'speedscope', what: 'for speedscope.app' },
  { format: 'folded', title: 'folded', what: "folded stacks, for Brendan Gregg's flamegraph.pl" },
  { format: 'cpuprofile', title: '.cpuprofile', what: "Chrome DevTools' format" },
  { format: 'microscope', title: 'Microscope', what: 'its own JSON (.cpu.json): Import… opens it again' },
];

export function CpuProfilePanel() {
  const { profiles, shownId, view, open, exportAs, remove, showView } = useCpuProfiles();
  const { overlay: anyOverlay, showProfile, clear: clearOverlay } = useCodeOverlay();
  // Coverage shown over the code is not this view's to hide: showing counts replaces it.
  const overlay = anyOverlay?.kind === 'profile' ? anyOverlay : null;
  const shown = profiles.find((p) => p.id === shownId);

  return (
    <section aria-label="CPU profile" className="panel cpu-profile-panel">
      <RecordForm />
      {profiles.length > 0 && (
        <div className="row wrap" aria-label="Kept profiles">
          <select aria-label="Shown profile" value={shownId ?? ''} onChange={(e) => void open(Number(e.target.value))}>
            {profiles.map((p) => (
              <option key={p.id} value={p.id}>
                {p.label}
                {p.imported ? ' (imported)' : ''}
              </option>
            ))}
          </select>
          {shown && (
            <>
              <span className="muted">Export:</span>
              {exports.map((e) => (
                <button key={e.format} type="button" className="link" title={`Export as ${e.what}`} onClick={() => void exportAs(shown.id, e.format)}>
                  {e.title}
                </button>
              ))}
              <button type="button" className="link" aria-label={`Remove ${shown.label}`} onClick={() => remove(shown.id)}>
                ✕
              </button>
            </>
          )}
          <span className="spacer" />
          <div role="group" aria-label="View" className="segmented">
            <button type="button" aria-pressed={view === 'profile'} onClick={() => showView('profile')}>
              Profile
            </button>
            <button type="button" aria-pressed={view === 'compare'} onClick={() => showView('compare')}>
              Compare
            </button>
          </div>
        </div>
      )}
      {profiles.length > 0 && (
        <div className="row" aria-label="Profile overlay">
          {overlay ? (
            <>
              <span className="muted">Counts of {overlay.label} in the Source and Disassembly views.</span>
              <button type="button" onClick={clearOverlay}>
                Hide counts
              </button>
            </>
          ) : (
            shown && (
              <button type="button" onClick={() => showProfile(shown.id, shown.label, shown.profile)}>
                Show counts in the code
              </button>
            )
          )}
        </div>
      )}
      {view === 'compare' ? (
        <ProfileCompare />
      ) : shown ? (
        <ShownProfile key={shown.id} kept={shown} />
      ) : (
        <p className="muted">Record a CPU profile of a function, import one, or open one from a Latency run.</p>
      )}
    </section>
  );
}

function ShownProfile({ kept }: { kept: KeptProfile }) {
  const { profile } = kept;
  const openFunction = useCpuProfiles((state) => state.openFunction);
  const [coloring, setColoring] = useState<'function' | 'heat'>('function');
  const [opened, setOpened] = useState<string | null>(null);
  const tree = useMemo(() => buildTree(profile), [profile]);
  const rows = useMemo(() => topFunctions(profile), [profile]);
  const hottest = useMemo(() => tree.nodes.reduce((most, n) => Math.max(most, n.self), 1), [tree]);
  const all = tree.root.total;
  const openOne = (fn: string, file: string) => {
    setOpened(`${fn}\u0000${file}`);
    void openFunction(fn, file);
  };

  return (
    <>
      <p className="muted" aria-label="Profile summary">
        {profile.calls.toLocaleString()} {profile.calls === 1 ? 'call' : 'calls'}, {totalCount(profile).toLocaleString()} {profile.unit}
        {profile.kind === 'sampled' && ` every ${formatNs(profile.periodNs)}`}, {formatNs(profile.durationNs)} in all
        {profile.truncated && ' — truncated: the deepest call paths were counted against their callers'}
      </p>
      <FlameGraph
        tree={tree}
        label="Flame graph"
        colorOf={(node) => (coloring === 'heat' ? heatColor(node.self / hottest) : functionColor(node.function))}
        summary={(node) => frameSummary(node, all)}
        details={(node) => frameDetails(node, profile, all)}
        onOpen={(node) => openOne(node.function, node.file)}
        controls={
          <select aria-label="Colour" value={coloring} onChange={(e) => setColoring(e.target.value as typeof coloring)}>
            <option value="function">colour by function</option>
            <option value="heat">colour by self time</option>
          </select>
        }
      />
      <ProfileTable profile={profile} rows={rows} opened={opened} onOpen={(row) => openOne(row.function, row.file)} />
    </>
  );
}
