import { spawnSync } from 'node:child_process';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { startMockServer } from '../../mocks/node';
import { LabError } from '../engine/errors';
import { parseArgsJson, runConnect } from './connect';

const mocks = startMockServer();
afterAll(() => mocks.close());
beforeEach(() => mocks.world.reset());

const base = {
  calls: [],
  json: false,
  listTools: true,
  redirectUri: 'http://127.0.0.1:33418/oauth/callback',
  backoffMs: 5,
};

describe('lab connect (in process)', () => {
  it('CLI1: a full OAuth flow headlessly against the DCR mock, then a tool call, with a readable timeline', async () => {
    mocks.world.setKnobs('dcr', { autoApprove: true });
    const lines: string[] = [];
    const out = await runConnect(
      {
        ...base,
        url: 'https://dcr.mock.test/mcp',
        auth: 'headless',
        calls: [{ tool: 'echo', args: { text: 'hi' } }],
      },
      (l) => lines.push(l),
    );
    expect(out.ok).toBe(true);
    expect(out.results[0]?.result).toMatchObject({ content: [{ text: 'hi' }] });
    const text = lines.join('\n');
    for (const step of [
      'POST /mcp → 401 (initialize)',
      'PRM',
      'POST /register → 201',
      'GET /authorize → 302',
      'POST /token → 200 (token: authorization_code)',
      'connected',
    ])
      expect(text).toContain(step);
    // No secret in the printed timeline (T7).
    const grant = [...(mocks.world.authServer('dcr')?.state.tokens.values() ?? [])];
    for (const t of grant) expect(text).not.toContain(t.token);
  });

  it('CLI2: the mock consent authorizer answers the decision API; JSON lines are one event each', async () => {
    const lines: string[] = [];
    const out = await runConnect(
      { ...base, json: true, url: 'https://prereg.mock.test/mcp', auth: 'mock', clientId: 'mcp-lab-public' },
      (l) => lines.push(l),
    );
    expect(out.ok).toBe(true);
    expect(lines.every((l) => JSON.parse(l).type === 'event')).toBe(true);
    expect(mocks.world.log.some((l) => l.endpoint === 'decision')).toBe(true);
    expect(mocks.world.log.some((l) => l.endpoint === 'register')).toBe(false);
  });

  it('CLI3: failures come back as one line: a tool error, an unreachable server, an OAuth refusal', async () => {
    const toolError = await runConnect(
      {
        ...base,
        url: 'https://noauth.mock.test/mcp',
        auth: 'none',
        calls: [{ tool: 'add', args: { a: 'x' } }],
      },
      () => {},
    );
    expect(toolError).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^Tool add returned an error/),
    });
    const unknown = await runConnect(
      { ...base, url: 'https://nowhere.mock.test/mcp', auth: 'none' },
      () => {},
    );
    expect(unknown.reason).toMatch(/^Failed to connect to https:\/\/nowhere\.mock\.test\/mcp: /);
    expect(unknown.reason?.split('\n')).toHaveLength(1);
    mocks.world.setKnobs('dcr', { omitCodeChallengeMethods: true, autoApprove: true });
    const pkce = await runConnect({ ...base, url: 'https://dcr.mock.test/mcp', auth: 'headless' }, () => {});
    expect(pkce.ok).toBe(false);
    expect(pkce.reason).toMatch(/code_challenge_methods_supported/);
    expect(
      pkce.events.some((e) => e.ruleIds.includes('O4') || /code_challenge_methods_supported/.test(e.summary)),
    ).toBe(true);
  });

  it('CLI4: --args must be a JSON object, with a message that shows an example', () => {
    expect(() => parseArgsJson('{bad', 'echo')).toThrow(LabError);
    expect(() => parseArgsJson('{bad', 'echo')).toThrow(/not JSON.*Example: --call echo --args/);
    expect(() => parseArgsJson('[1]', 'echo')).toThrow(/must be a JSON object/);
    expect(parseArgsJson('{"a":1}', 'echo')).toEqual({ a: 1 });
  });
});

// Each test starts up to three Node processes; on a loaded 2-core runner one takes several seconds
// to load TypeScript, so these tests get a budget of their own rather than the suite's 15 s.
describe('npm run lab (a real process)', { timeout: 120_000 }, () => {
  const lab = (...args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/lab.ts', ...args], {
      encoding: 'utf8',
      timeout: 60_000,
    });

  it('CLI5: connect --mock dcr --call echo completes OAuth headlessly and exits 0', () => {
    const r = lab('connect', '--mock', 'dcr', '--call', 'echo', '--args', '{"text":"hi"}');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('POST /token → 200 (token: authorization_code)');
    expect(r.stdout).toMatch(/echo: .*"hi"/);
    expect(r.stdout.trim().endsWith('OK')).toBe(true);
  });

  it('CLI6: bad input exits non-zero with a one-line reason', () => {
    const r = lab('connect', '--mock', 'nope');
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe(
      'mcp-lab: No mock server "nope". Known: noauth, dcr, prereg, cimd, apikey, legacy.',
    );
    const bad = lab('connect', 'not a url');
    expect(bad.stderr.trim()).toBe('mcp-lab: "not a url" is not an absolute URL.');
    const failed = lab('connect', '--mock', 'apikey', '--auth', 'none', '--attempts', '1');
    expect(failed.status).toBe(1);
    expect(failed.stdout.trim().split('\n').at(-1)).toMatch(
      /^FAILED: Failed to connect to https:\/\/apikey\.mock\.test\/mcp: /,
    );
  });
});
