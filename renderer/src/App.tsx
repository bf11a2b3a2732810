// The inspector's window: the debug toolbar over resizable panes laid out like a debugger
// (guest, functions and breakpoints on the left; the source beside its disassembly over
// memory, trace and snapshots in the middle; registers over the stack on the right, where
// the variables will join them).
import { useEffect } from 'react';

import { connectEngine } from './api/engine_client';
import { BottomTabs } from './panels/BottomTabs';
import { BreakpointsPanel } from './panels/BreakpointsPanel';
import { DisassemblyPanel } from './panels/DisassemblyPanel';
import { FunctionsPanel } from './panels/FunctionsPanel';
import { GuestPanel } from './panels/GuestPanel';
import { RegistersPanel } from './panels/RegistersPanel';
import { SourcePanel } from './panels/SourcePanel';
import { Split } from './panels/Split';
import { StackPanel } from './panels/StackPanel';
import { Toolbar } from './panels/Toolbar';
import { followProfileProgress } from './state/latency';
import { useInspector } from './state/store';

export function App() {
  const { connect, load, error, clearError } = useInspector();
  useEffect(() => {
    const client = connectEngine();
    connect(client);
    followProfileProgress(client);
    void load(); // the demo guest at first start
  }, [connect, load]);

  return (
    <div className="app">
      <Toolbar />
      {error && (
        <div role="alert" className="error">
          {error}{' '}
          <button type="button" className="link" onClick={clearError} aria-label="Dismiss">
            ✕
          </button>
        </div>
      )}
      <main className="panes">
        <Split direction="row" initial={[2.2, 6.8, 2]} name="columns">
          <div className="pane">
            <GuestPanel />
            <FunctionsPanel />
            <BreakpointsPanel />
          </div>
          <Split direction="column" initial={[3, 2]} name="middle">
            <Split direction="row" initial={[1, 1]} name="code">
              <SourcePanel />
              <DisassemblyPanel />
            </Split>
            <BottomTabs />
          </Split>
          <Split direction="column" initial={[3, 2]} name="right">
            <RegistersPanel />
            <StackPanel />
          </Split>
        </Split>
      </main>
    </div>
  );
}
