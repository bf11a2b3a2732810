// The inspector's window: the debug toolbar over resizable panes laid out like a debugger
// (guest, functions and breakpoints on the left; the source beside its disassembly over
// memory, the console, trace and snapshots in the middle, a recorded call's timeline over
// them; variables, watch, registers and the stack on the right).
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
import { LastWritePopover } from './panels/time_travel/LastWritePopover';
import { Timeline } from './panels/time_travel/Timeline';
import { Toolbar } from './panels/Toolbar';
import { VariablesPanel } from './panels/VariablesPanel';
import { WatchPanel } from './panels/WatchPanel';
import { followConsole } from './state/debug_console';
import { followProfileProgress } from './state/latency';
import { useInspector } from './state/store';
import { followRecording } from './state/time_travel';
import { followStops } from './state/variables';

export function App() {
  const { connect, load, error, clearError } = useInspector();
  useEffect(() => {
    const client = connectEngine();
    connect(client);
    followProfileProgress(client);
    const unfollow = [followStops(), followConsole(), followRecording()];
    void load(); // the demo guest at first start
    return () => unfollow.forEach((stop) => stop());
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
        <Split direction="row" initial={[2.2, 6.3, 2.5]} name="columns">
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
            <div className="under-code">
              <Timeline />
              <BottomTabs />
            </div>
          </Split>
          <Split direction="column" initial={[3, 1.2, 2, 1.6]} name="right">
            <VariablesPanel />
            <WatchPanel />
            <RegistersPanel />
            <StackPanel />
          </Split>
        </Split>
      </main>
      <LastWritePopover />
    </div>
  );
}
