import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

const alias = { '@shared': resolve(__dirname, 'src-shared') };

export default defineConfig({
  main: {
    resolve: { alias },
    build: {
      rollupOptions: {
        // index: the Electron main process; web: the same host adapters behind HTTP (npm run web)
        input: { index: resolve(__dirname, 'src-main/index.ts'), web: resolve(__dirname, 'src-main/web/index.ts') },
      },
    },
  },
  preload: {
    resolve: { alias },
    build: {
      // A sandboxed preload can require only 'electron': each preload must be one standalone file.
      isolatedEntries: true,
      rollupOptions: {
        input: { ui: resolve(__dirname, 'src-preload/ui.ts'), engine: resolve(__dirname, 'src-preload/engine.ts') },
      },
    },
  },
  renderer: {
    root: 'src-renderer',
    resolve: { alias },
    plugins: [react()],
    worker: { format: 'es' },
    build: {
      rollupOptions: {
        input: { index: resolve(__dirname, 'src-renderer/index.html'), engine: resolve(__dirname, 'src-renderer/engine.html') },
      },
    },
  },
});
