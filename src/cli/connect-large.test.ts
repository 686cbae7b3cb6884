// HX1 on the command line: a large answer must not hang `lab connect` (Node is where it hung).
import { execFile } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manyTools, startMcpServer, type TestServer } from '../engine/net/test-http-servers';
import { runConnect } from './connect';

// Generous: the machine may be busy, and the spawned CLI compiles TypeScript first.
const SLOW = 90_000;

const tools = manyTools(200_000);
let server: TestServer;
beforeAll(async () => {
  server = await startMcpServer({ tools, toolText: 'r'.repeat(200_000) });
});
afterAll(() => server.close());

describe('lab connect against a server with 200 KB answers', () => {
  it(
    'HX1: runConnect lists every tool of a 200 KB tools/list answer and returns a 200 KB tool result',
    async () => {
      const lines: string[] = [];
      const out = await runConnect(
        {
          url: `${server.origin}/mcp`,
          auth: 'none',
          calls: [{ tool: 'tool_1', args: {} }],
          json: false,
          listTools: true,
          redirectUri: 'http://127.0.0.1:33418/oauth/callback',
          attempts: 1,
        },
        (l) => lines.push(l),
      );
      expect(out.ok, out.reason).toBe(true);
      expect(out.tools).toEqual(tools.map((t) => t.name));
      expect(out.results[0]?.result).toMatchObject({ content: [{ text: 'r'.repeat(200_000) }] });
      expect(lines.join('\n')).toContain('POST /mcp → 200 (tools/list)');
    },
    SLOW,
  );

  it(
    'HX1: npm run lab -- connect <url> --auth none (a real process) lists the tools and exits 0',
    async () => {
      // Asynchronous on purpose: the server answers from this process, so it must not block.
      const r = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = execFile(
          'npx',
          ['tsx', 'src/cli/lab.ts', 'connect', `${server.origin}/mcp`, '--auth', 'none', '--attempts', '1'],
          { encoding: 'utf8', timeout: SLOW - 5_000, maxBuffer: 16 * 1024 * 1024 },
          (_error, stdout, stderr) => resolve({ code: child.exitCode, stdout, stderr }),
        );
      });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain(`Tools: ${tools.map((t) => t.name).join(', ')}`);
      expect(r.stdout.trim().endsWith('OK')).toBe(true);
    },
    SLOW,
  );
});
