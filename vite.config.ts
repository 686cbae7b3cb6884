import { spawn } from 'node:child_process';
import { sep } from 'node:path';
import tailwindcss from '@tailwindcss/vite';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vitest/config';
import { devProxy, PROXY_PATH } from './server/dev-proxy';

/** The opt-in dev proxy for servers without CORS (dev server only; see server/dev-proxy.ts). */
const labProxy: Plugin = {
  name: 'mcp-lab-dev-proxy',
  configureServer(server) {
    server.middlewares.use(PROXY_PATH, devProxy());
  },
};

/**
 * Dev server only: an edit under mocks/apps/src rebuilds the sample MCP Apps (scripts/build-apps.mjs),
 * and the rewritten generated modules reload the page like any other change.
 */
const sampleApps: Plugin = {
  name: 'mcp-lab-sample-apps',
  apply: 'serve',
  configureServer(server) {
    let running = false;
    let again = false;
    const rebuild = () => {
      if (running) {
        again = true;
        return;
      }
      running = true;
      spawn('node', ['scripts/build-apps.mjs'], { stdio: 'inherit' }).on('exit', () => {
        running = false;
        if (again) {
          again = false;
          rebuild();
        }
      });
    };
    const source = `${sep}mocks${sep}apps${sep}src${sep}`;
    server.watcher.on('change', (file) => {
      if (file.includes(source)) rebuild();
    });
  },
};

export default defineConfig({
  // Relative asset URLs: the static build works from any path of any static host.
  base: './',
  plugins: [react(), tailwindcss(), labProxy, sampleApps],
  server: { port: 5173, strictPort: false },
  preview: { port: 4173 },
  build: { target: 'es2022', sourcemap: true },
  test: {
    include: ['src/**/*.test.ts', 'mocks/**/*.test.ts', 'server/**/*.test.ts'],
    environment: 'node',
    testTimeout: 15_000,
    pool: 'threads',
  },
});
