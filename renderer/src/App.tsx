// The inspector's window: the debug toolbar over the panels, laid out like a debugger
// (guest and functions on the left, code in the middle, state on the right, memory below).
import { useEffect } from 'react';

import { connectEngine } from './api/engine_client';
import { DisassemblyPanel } from './panels/DisassemblyPanel';
import { FunctionsPanel } from './panels/FunctionsPanel';
import { GuestPanel } from './panels/GuestPanel';
import { MemoryPanel } from './panels/MemoryPanel';
import { RegistersPanel } from './panels/RegistersPanel';
import { StackPanel } from './panels/StackPanel';
import { Toolbar } from './panels/Toolbar';
import { useInspector } from './state/store';

export function App() {
  const { connect, load, error, clearError } = useInspector();
  useEffect(() => {
    connect(connectEngine());
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
        <div className="pane left">
          <GuestPanel />
          <FunctionsPanel />
        </div>
        <div className="pane middle">
          <DisassemblyPanel />
          <MemoryPanel />
        </div>
        <div className="pane right">
          <RegistersPanel />
          <StackPanel />
        </div>
      </main>
    </div>
  );
}
