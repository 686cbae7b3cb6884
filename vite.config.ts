import tailwindcss from '@tailwindcss/vite';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Relative asset URLs: the static build works from any path of any static host.
  base: './',
  plugins: [react(), tailwindcss()],
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
