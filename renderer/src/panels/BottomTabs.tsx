// Memory, the Debug Console, Call trace, Snapshots, Latency and CPU profile share the bottom of the middle column as tabs (ARIA's
// tab pattern: arrow keys move between them), as a debugger's bottom panel does.
import { type KeyboardEvent, lazy, Suspense } from 'react';

import { type BottomTab, useInspector } from '../state/store';
import { DebugConsole } from './DebugConsole';
import { MemoryPanel } from './MemoryPanel';
import { SnapshotsPanel } from './SnapshotsPanel';
import { TracePanel } from './TracePanel';

// Its charts (recharts) load when the tab first opens: the window starts without them.
const LatencyPanel = lazy(() => import('./LatencyPanel').then((module) => ({ default: module.LatencyPanel })));
// And the CPU profile view when it first opens: its flame graph and tables are its own chunk.
const CpuProfilePanel = lazy(() => import('./profile/CpuProfilePanel').then((module) => ({ default: module.CpuProfilePanel })));

const tabs: BottomTab[] = ['Memory', 'Debug Console', 'Call trace', 'Snapshots', 'Latency', 'CPU profile'];

export function BottomTabs() {
  const { bottomTab, showTab } = useInspector();
  const key = (event: KeyboardEvent) => {
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (step) showTab(tabs[(tabs.indexOf(bottomTab) + step + tabs.length) % tabs.length]!);
  };
  return (
    <div className="bottom-tabs">
      <div role="tablist" aria-label="Views" className="tabs" onKeyDown={key}>
        {tabs.map((tab) => (
          <button
            key={tab}
            type="button"
            role="tab"
            id={`tab-${tab}`}
            aria-selected={tab === bottomTab}
            tabIndex={tab === bottomTab ? 0 : -1}
            className={tab === bottomTab ? 'tab selected' : 'tab'}
            onClick={() => showTab(tab)}
          >
            {tab}
          </button>
        ))}
      </div>
      <div role="tabpanel" aria-labelledby={`tab-${bottomTab}`} className="tab-body">
        {bottomTab === 'Memory' && <MemoryPanel />}
        {bottomTab === 'Debug Console' && <DebugConsole />}
        {bottomTab === 'Call trace' && <TracePanel />}
        {bottomTab === 'Snapshots' && <SnapshotsPanel />}
        {bottomTab === 'Latency' && (
          <Suspense fallback={<p className="muted">Loading the charts…</p>}>
            <LatencyPanel />
          </Suspense>
        )}
        {bottomTab === 'CPU profile' && (
          <Suspense fallback={<p className="muted">Loading the profile view…</p>}>
            <CpuProfilePanel />
          </Suspense>
        )}
      </div>
    </div>
  );
}
