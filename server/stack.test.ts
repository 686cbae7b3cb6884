/**
 * Start-up of the reference stack (issue 16, item 7). Requirement ID:
 *   REAL7 start-up stages are logged in order with elapsed ms; `GET /health` on the MCP port is
 *         503 (with the stage) until both servers answered over HTTP, then 200 with JSON; start-up
 *         runs no WebCrypto job (Node 20's pool-thread WebCrypto is what stalled CI twice).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type ReferenceStack, START_STAGES, type StartStage, startReferenceStack } from './stack';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SUBTLE_METHODS = [
  'decrypt',
  'deriveBits',
  'deriveKey',
  'digest',
  'encrypt',
  'exportKey',
  'generateKey',
  'importKey',
  'sign',
  'unwrapKey',
  'verify',
  'wrapKey',
] as const;

const get = async (url: string) => {
  const r = await fetch(url);
  return { status: r.status, type: r.headers.get('content-type'), body: await r.text() };
};

let stack: ReferenceStack | undefined;
let child: ChildProcess | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await stack?.close();
  stack = undefined;
  if (child && child.exitCode === null) {
    const exited = new Promise((r) => child?.once('exit', r));
    child.kill('SIGKILL');
    await exited;
  }
  child = undefined;
});

describe('reference stack start-up', () => {
  it('REAL7: /health is 503 with the stage at every stage before ready and 200 from ready on; no WebCrypto job runs', async () => {
    const subtle = SUBTLE_METHODS.map((m) => ({ m, spy: vi.spyOn(globalThis.crypto.subtle, m) }));
    const seen: Array<{ stage: StartStage; health: number; stageInBody: unknown; metadata?: number }> = [];
    let healthUrl = '';
    let asMetadata = '';
    let prm = '';
    stack = await startReferenceStack({
      autoApprove: true,
      // Awaited by the stack: each look happens while the start is held at that stage.
      onStage: async (stage, detail) => {
        if (stage === 'ports bound') {
          const [, asPort, mcpPort] = /AS port (\d+), MCP port (\d+)/.exec(detail) ?? [];
          healthUrl = `http://localhost:${mcpPort}/health`;
          asMetadata = `http://localhost:${asPort}/.well-known/oauth-authorization-server`;
          prm = `http://localhost:${mcpPort}/.well-known/oauth-protected-resource/mcp`;
        }
        const h = await get(healthUrl);
        expect(h.type).toBe('application/json');
        const look: (typeof seen)[number] = {
          stage,
          health: h.status,
          stageInBody: (JSON.parse(h.body) as { stage?: unknown }).stage,
        };
        // Each server answers from its own stage on, yet health waits for both and the self-check.
        if (stage === 'AS listening') look.metadata = (await get(asMetadata)).status;
        if (stage === 'MCP server listening') look.metadata = (await get(prm)).status;
        seen.push(look);
      },
    });
    expect(seen.map((s) => s.stage)).toEqual([...START_STAGES]);
    for (const s of seen.filter((x) => x.stage !== 'ready'))
      expect(s, s.stage).toMatchObject({ health: 503, stageInBody: s.stage });
    expect(seen.filter((s) => s.metadata !== undefined).map((s) => s.metadata)).toEqual([200, 200]);
    expect(seen.at(-1)).toMatchObject({ stage: 'ready', health: 200 });
    expect(stack.healthUrl).toBe(healthUrl);
    const ready = await get(healthUrl);
    expect(ready.status).toBe(200);
    expect(JSON.parse(ready.body)).toEqual({
      status: 'ready',
      mcpUrl: stack.mcpUrl,
      asUrl: stack.asUrl,
      resourceMetadataUrl: stack.resourceMetadataUrl,
    });
    expect(subtle.filter((s) => s.spy.mock.calls.length > 0).map((s) => s.m)).toEqual([]);
  });

  it('REAL7: server/main.ts logs each start-up stage in order with elapsed ms, and its /health turns 200 only with "ready"', {
    timeout: 120_000,
  }, async () => {
    const proc = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      cwd: ROOT,
      env: { ...process.env, LAB_AS_PORT: '0', LAB_MCP_PORT: '0', LAB_AUTO_APPROVE: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = proc;
    let stderr = '';
    let stdout = '';
    proc.stdout?.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    const exited = new Promise<number | null>((r) => proc.once('exit', r));
    const waitFor = async (what: string, cond: () => boolean, ms = 90_000) => {
      const until = Date.now() + ms;
      while (!cond()) {
        if (proc.exitCode !== null || Date.now() > until)
          throw new Error(`No ${what} (exit ${proc.exitCode}). stderr:\n${stderr}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    };
    proc.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    await waitFor('"ports bound" line', () => /ports bound: .*MCP port (\d+)/.test(stderr));
    const mcpPort = /MCP port (\d+)/.exec(stderr)?.[1];
    const health = `http://localhost:${mcpPort}/health`;
    // Poll as fast as the child answers, until the first 200.
    const answers: Array<{ status: number; stage?: string }> = [];
    for (;;) {
      const r = await get(health);
      const body = JSON.parse(r.body) as { status: string; stage?: string; mcpUrl?: string };
      answers.push({ status: r.status, ...(body.stage ? { stage: body.stage } : {}) });
      if (r.status !== 503) {
        expect(r.status).toBe(200);
        expect(body).toMatchObject({ status: 'ready', mcpUrl: `http://localhost:${mcpPort}/mcp` });
        break;
      }
      expect(body.status).toBe('starting');
      if (answers.length > 20_000) throw new Error(`/health never turned 200. stderr:\n${stderr}`);
    }
    // 503s (none, had the start been faster than the first poll) naming earlier stages than ready, in order.
    const before = answers.slice(0, -1).map((a) => START_STAGES.indexOf(a.stage as StartStage));
    expect(
      before.every((i, n) => i >= 0 && i < START_STAGES.indexOf('ready') && i >= (before[n - 1] ?? 0)),
    ).toBe(true);
    await waitFor('"ready" line', () => / ready: /.test(stderr));
    await waitFor('banner', () => stdout.includes('MCP Lab reference stack (real mode)'));
    const lines = stderr.split('\n').filter((l) => l.startsWith('[reference stack] +'));
    const parsed = lines.map((l) => {
      const m = /^\[reference stack\] \+\s*(\d+) ms ([^:]+)/.exec(l);
      return { ms: Number(m?.[1]), stage: m?.[2] };
    });
    expect(parsed.map((p) => p.stage)).toEqual([
      'importing oidc-provider and the MCP SDK',
      'modules imported',
      ...START_STAGES,
    ]);
    const ms = parsed.map((p) => p.ms);
    expect(ms.every((t, i) => Number.isFinite(t) && (i === 0 || t >= (ms[i - 1] ?? 0)))).toBe(true);
    expect(stdout).toContain(`health:                ${health}`);
    proc.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
