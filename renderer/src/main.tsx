// The renderer's entry: the inspector app (App.tsx).
import '@vscode/codicons/dist/codicon.css';
import './theme.css';
import './styles.css';

import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

import { App } from './App';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
