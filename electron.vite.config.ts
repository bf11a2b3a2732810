// electron-vite builds the three Electron bundles from the top-level folders that say
// which process each file runs in: main/, preload/, renderer/.
import { resolve } from 'node:path';

import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

export default defineConfig({
  main: {
    build: { rolldownOptions: { input: resolve('main/index.ts') } },
  },
  preload: {
    // A sandboxed preload must be CommonJS.
    build: {
      rolldownOptions: { input: resolve('preload/index.ts'), output: { format: 'cjs', entryFileNames: '[name].cjs' } },
    },
  },
  renderer: {
    root: 'renderer',
    // Minified: browser mode serves it, perhaps through an SSH tunnel.
    build: { minify: true, rolldownOptions: { input: resolve('renderer/index.html') } },
    plugins: [react()],
  },
});
