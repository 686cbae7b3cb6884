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

export default defineConfig({
  // Relative asset URLs: the static build works from any path of any static host.
  base: './',
  plugins: [react(), tailwindcss(), labProxy],
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
