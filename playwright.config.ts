import { existsSync } from 'node:fs';
import { defineConfig, devices } from '@playwright/test';
import { BUDGET, REFERENCE_TOKEN_TTL_S } from './e2e/budget';

/**
 * Browser tests run in Chromium against the production build served by `vite preview`.
 * Debian's Chromium is used when present (CHROMIUM_PATH, else /usr/bin/chromium); elsewhere
 * Playwright's own download (`npx playwright install chromium`) works as well.
 */
const executablePath =
  process.env.CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);
const PORT = Number(process.env.E2E_PORT ?? 4174);
/** The reference stack for real-mode tests: AS on MCP_PORT - 1, MCP on MCP_PORT. */
const MCP_PORT = Number(process.env.E2E_MCP_PORT ?? 3012);

export default defineConfig({
  testDir: 'e2e',
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: process.env.CI ? 2 : undefined,
  // Expectations that wait on no network (a tab, a toggle) get the fixture's UI budget rather than
  // Playwright's 5 s; network and crypto transitions wait through the fixture's action budget.
  expect: { timeout: BUDGET.ui },
  timeout: BUDGET.test,
  reporter: process.env.CI ? [['list']] : [['list'], ['html', { open: 'never' }]],
  use: {
    baseURL: `http://localhost:${PORT}`,
    trace: 'retain-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        ...devices['Desktop Chrome'],
        launchOptions: {
          ...(executablePath ? { executablePath } : {}),
          args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-quic',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
          ],
        },
      },
    },
  ],
  webServer: [
    {
      // Built into a folder of its own per port, so two suites on one machine never serve each other's build.
      command: `npx vite build --logLevel warn --outDir dist-e2e/${PORT} && npx vite preview --outDir dist-e2e/${PORT} --port ${PORT} --strictPort`,
      url: `http://localhost:${PORT}`,
      reuseExistingServer: !process.env.CI,
      timeout: 180_000,
      // The playground offers the reference stack below as its "real" preset.
      env: { VITE_LAB_REFERENCE_URL: `http://localhost:${MCP_PORT}/mcp` },
    },
    {
      // The reference real stack (oidc-provider + SDK MCP server) with short-lived access tokens.
      // `node --import tsx`, not `npx tsx`: one process instead of three (npx, tsx's CLI, node),
      // ready about 1 s sooner on a 2-core runner. /health is 200 only once both servers answered
      // over HTTP; the stack logs each start-up stage to stderr and exits with the stage it is
      // stuck at after 90 s, before this timeout.
      command: 'node --import tsx server/main.ts',
      url: `http://localhost:${MCP_PORT}/health`,
      reuseExistingServer: !process.env.CI,
      timeout: 180_000,
      env: {
        LAB_AS_PORT: String(MCP_PORT - 1),
        LAB_MCP_PORT: String(MCP_PORT),
        LAB_ACCESS_TOKEN_TTL: String(REFERENCE_TOKEN_TTL_S),
      },
    },
  ],
});
