import { describe, expect, it } from 'vitest';
import { MOCK_SERVERS } from '../../../mocks/presets';
import { EMPTY_FORM, isServer, mockServers, parseHeaders, serverFromForm } from './servers';

// UI-SV1: the server editor refuses bad input with the reason, field by field.
// UI-SV2: a good form becomes a server config the engine can use.
// UI-SV3: each mock preset is configured the way its authorization server expects.
const form = (patch: Partial<typeof EMPTY_FORM>) => ({
  ...EMPTY_FORM,
  url: 'https://mcp.example.com/mcp',
  ...patch,
});

describe('server editor', () => {
  it('UI-SV1: an invalid URL, a file: URL, bad headers, a missing client id and a bad allow-list entry are each refused with a reason', () => {
    expect(serverFromForm(form({ url: 'not a url' }), 'x')).toMatchObject({
      url: expect.stringContaining('absolute URL'),
    });
    expect(serverFromForm(form({ url: 'file:///etc/passwd' }), 'x')).toMatchObject({
      url: expect.stringContaining('file: URL cannot be an MCP server'),
    });
    expect(serverFromForm(form({ headers: 'no colon here' }), 'x')).toMatchObject({
      headers: 'Line 1 is not "Name: value".',
    });
    expect(serverFromForm(form({ headers: 'Authorization: Bearer x' }), 'x')).toMatchObject({
      headers: expect.stringContaining('set by the OAuth flow'),
    });
    expect(serverFromForm(form({ clientMode: 'preregistered' }), 'x')).toMatchObject({
      clientId: expect.stringContaining('client id'),
    });
    expect(serverFromForm(form({ clientMode: 'cimd', clientMetadataUrl: 'http://x/y' }), 'x')).toMatchObject({
      clientMetadataUrl: expect.stringContaining('https'),
    });
    expect(isServer(serverFromForm(form({ allowList: 'http://[bad' }), 'x'))).toBe(false);
  });

  it("UI-SV1: a chosen id is kept; a malformed one or a built-in server's id is refused with a reason", () => {
    const builtIn = new Set(['dcr', 'reference']);
    expect(isServer(serverFromForm(form({ id: 'my-server' }), 'x', builtIn)) && 'ok').toBe('ok');
    expect(serverFromForm(form({ id: 'my-server' }), 'x', builtIn)).toMatchObject({
      id: 'my-server',
      config: { name: 'my-server' },
    });
    expect(serverFromForm(form({ id: 'dcr' }), 'x', builtIn)).toMatchObject({
      id: expect.stringContaining('built-in'),
    });
    expect(serverFromForm(form({ id: 'a b' }), 'x', builtIn)).toMatchObject({
      id: expect.stringContaining('letters, digits'),
    });
    expect(serverFromForm(form({ id: '' }), 'custom-7', builtIn)).toMatchObject({ id: 'custom-7' });
  });

  it('UI-SV2: a good form gives headers, client identity, revision and allow-list', () => {
    const s = serverFromForm(
      form({
        title: 'Files',
        headers: 'X-Team: qa\n\nX-Env: test',
        clientMode: 'preregistered',
        clientId: 'app',
        revision: '2025-06-18',
        allowList: 'localhost:3000, 10.0.0.5',
        transport: 'sse',
      }),
      'custom-1',
    );
    expect(isServer(s) && s).toMatchObject({
      id: 'custom-1',
      title: 'Files',
      allowList: ['localhost:3000', '10.0.0.5'],
      config: {
        name: 'custom-1',
        url: 'https://mcp.example.com/mcp',
        transport: 'sse',
        headers: { 'X-Team': 'qa', 'X-Env': 'test' },
        oauth: { clientId: 'app', tokenEndpointAuthMethod: 'none', revision: '2025-06-18' },
      },
    });
    expect(parseHeaders('')).toEqual({});
  });

  it('UI-SV3: presets: pre-registered client for prereg, CIMD for cimd, the 2025-03-26 revision for legacy', () => {
    const byId = Object.fromEntries(mockServers(MOCK_SERVERS).map((s) => [s.id, s.config]));
    expect(byId.prereg?.oauth).toMatchObject({ clientId: 'mcp-lab-public' });
    expect(byId.cimd?.oauth?.clientMetadataUrl).toMatch(/^https:\/\/client\.mock\.test\//);
    expect(byId.legacy?.oauth).toEqual({ revision: '2025-03-26' });
    expect(byId.dcr?.oauth).toBeUndefined();
  });
});
