#!/usr/bin/env node
/**
 * Starts the real reference stack for people: `npx tsx server/main.ts`.
 * Env: LAB_AS_PORT (3001), LAB_MCP_PORT (3002), LAB_AUTO_APPROVE=1, LAB_ACCESS_TOKEN_TTL (seconds,
 * default 300), LAB_REFRESH_TOKEN_TTL (seconds, default 86400), LAB_ALLOWED_ORIGINS (comma list,
 * default every origin).
 */
import { PortTakenError } from './http';
import { DEMO_ACCOUNT } from './interactions';
import { startReferenceStack } from './stack';

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
  const stack = await startReferenceStack({
    asPort: intEnv('LAB_AS_PORT', 3001, 0, 65_535),
    mcpPort: intEnv('LAB_MCP_PORT', 3002, 0, 65_535),
    autoApprove,
    accessTokenTtlSec,
    refreshTokenTtlSec: intEnv('LAB_REFRESH_TOKEN_TTL', 86_400, 1, 31_536_000),
    ...(origins?.length ? { allowedOrigins: origins } : {}),
  });
  process.stdout.write(
    [
      'MCP Lab reference stack (real mode)',
      `  MCP server:            ${stack.mcpUrl}`,
      `  resource metadata:     ${stack.resourceMetadataUrl}`,
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
