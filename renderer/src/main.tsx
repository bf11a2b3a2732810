// The renderer's entry: the inspector's panels arrive with the app itself.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

function App() {
  return (
    <main aria-label="Microscope">
      <h1>Microscope</h1>
      <p>Run, debug and profile functions in micro-VMs.</p>
    </main>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
