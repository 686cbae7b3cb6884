#!/usr/bin/env node
/**
 * Starts the real reference stack for people: `npx tsx server/main.ts`.
 * Env: LAB_AS_PORT (3001), LAB_MCP_PORT (3002), LAB_AUTO_APPROVE=1, LAB_ACCESS_TOKEN_TTL (seconds,
 * default 300), LAB_REFRESH_TOKEN_TTL (seconds, default 86400), LAB_ALLOWED_ORIGINS (comma list,
 * default every origin).
 *
 * Start-up is logged to stderr, one line per stage with the milliseconds since this process
 * started: `[reference stack] +1234 ms ready: http://localhost:3002/health`. Stages: importing
 * oidc-provider and the MCP SDK, modules imported, then `START_STAGES` of stack.ts. A start that
 * makes no progress is reported every 10 s and given up (exit 1) after 90 s, naming the stage it
 * is stuck at, so a test runner waiting on the health URL fails with a reason, not a timeout.
 */
import { PortTakenError } from './http';
import { DEMO_ACCOUNT } from './interactions';

const STALL_REPORT_MS = 10_000;
const GIVE_UP_MS = 90_000;

let lastStage = 'process started';
let lastStageAt = 0;
function logStage(stage: string, detail = ''): void {
  lastStage = stage;
  lastStageAt = performance.now();
  const ms = String(Math.round(lastStageAt)).padStart(5);
  process.stderr.write(`[reference stack] +${ms} ms ${stage}${detail ? `: ${detail}` : ''}\n`);
}

function intEnv(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new Error(`${name} must be a whole number from ${min} to ${max}, not "${raw}".`);
  return n;
}

async function main(): Promise<void> {
  const autoApprove = ['1', 'true', 'yes'].includes((process.env.LAB_AUTO_APPROVE ?? '').toLowerCase());
  const origins = process.env.LAB_ALLOWED_ORIGINS?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const accessTokenTtlSec = intEnv('LAB_ACCESS_TOKEN_TTL', 300, 1, 86_400);
  const watchdog = setInterval(() => {
    const stuck = Math.round((performance.now() - lastStageAt) / 1000);
    if (performance.now() >= GIVE_UP_MS) {
      process.stderr.write(
        `[reference stack] gave up: no start after ${GIVE_UP_MS / 1000} s, stuck ${stuck} s after "${lastStage}"\n`,
      );
      process.exit(1);
    }
    process.stderr.write(`[reference stack] still starting: ${stuck} s since "${lastStage}"\n`);
  }, STALL_REPORT_MS);
  // Imported here, not at the top, so the log shows how long oidc-provider and the SDK take to load.
  logStage('importing oidc-provider and the MCP SDK');
  const { startReferenceStack } = await import('./stack');
  logStage('modules imported');
  const stack = await startReferenceStack({
    asPort: intEnv('LAB_AS_PORT', 3001, 0, 65_535),
    mcpPort: intEnv('LAB_MCP_PORT', 3002, 0, 65_535),
    autoApprove,
    accessTokenTtlSec,
    refreshTokenTtlSec: intEnv('LAB_REFRESH_TOKEN_TTL', 86_400, 1, 31_536_000),
    ...(origins?.length ? { allowedOrigins: origins } : {}),
    onStage: logStage,
  });
  clearInterval(watchdog);
  process.stdout.write(
    [
      'MCP Lab reference stack (real mode)',
      `  MCP server:            ${stack.mcpUrl}`,
      `  resource metadata:     ${stack.resourceMetadataUrl}`,
      `  health:                ${stack.healthUrl}`,
      `  authorization server:  ${stack.asUrl}`,
      `  demo account:          ${DEMO_ACCOUNT.username} / ${DEMO_ACCOUNT.password}`,
      `  access tokens live ${accessTokenTtlSec} s; ${autoApprove ? 'autoApprove ON: no login or consent pages' : 'login and consent pages on (LAB_AUTO_APPROVE=1 skips them)'}`,
      autoApprove
        ? `  try: npm run lab -- connect ${stack.mcpUrl} --call echo --args '{"text":"hi"}'`
        : '  headless CLI runs (npm run lab -- connect) need this server started with LAB_AUTO_APPROVE=1',
      '',
    ].join('\n'),
  );
  const stop = () => {
    void stack.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((e: unknown) => {
  const message = e instanceof Error ? e.message : String(e);
  process.stderr.write(
    `${e instanceof PortTakenError ? message : `Failed to start the reference stack: ${message}`}\n`,
  );
  process.exit(1);
});
