import { existsSync } from 'node:fs';
import { defineConfig, devices } from '@playwright/test';

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
      command: `npx vite build --logLevel warn && npx vite preview --port ${PORT} --strictPort`,
      url: `http://localhost:${PORT}`,
      reuseExistingServer: !process.env.CI,
      timeout: 180_000,
      // The playground offers the reference stack below as its "real" preset.
      env: { VITE_LAB_REFERENCE_URL: `http://localhost:${MCP_PORT}/mcp` },
    },
    {
      // The reference real stack (oidc-provider + SDK MCP server) with short-lived access tokens.
      command: 'npx tsx server/main.ts',
      url: `http://localhost:${MCP_PORT}/.well-known/oauth-protected-resource/mcp`,
      reuseExistingServer: !process.env.CI,
      timeout: 180_000,
      env: { LAB_AS_PORT: String(MCP_PORT - 1), LAB_MCP_PORT: String(MCP_PORT), LAB_ACCESS_TOKEN_TTL: '4' },
    },
  ],
});
