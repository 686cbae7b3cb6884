/**
 * The engine against the real reference stack (oidc-provider AS + SDK MCP server), no mocks.
 * Requirement IDs (issue 6, "Node tests"):
 *   REAL1 first connect: discovery, dynamic registration, PKCE S256, code exchange with RFC 9207
 *         `iss`, JWT access token for the MCP audience, initialize and a tool call.
 *   REAL2 refresh with rotation: an expired access token is refreshed silently, the refresh token
 *         rotates, and the AS rejects the old one (reuse detection then revokes the grant).
 *   REAL3 revocation: revoking at the AS makes the next call fail and leads to a new authorization.
 *   REAL4 the MCP server's HTTP contract: RFC 9728 metadata, RFC 6750 challenges (401 without and
 *         with `invalid_token`, 403 `insufficient_scope`), CORS, and engine step-up through it.
 *   REAL5 the login and consent pages a person goes through (no autoApprove).
 *   REAL6 a taken port fails with a message that says which variable moves it.
 */
import { createServer } from 'node:net';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { headlessAuthorizer } from '../src/engine/connection/authorizers';
import type { Connection } from '../src/engine/connection/connection';
import type { AuthorizationCallback } from '../src/engine/oauth/types';
import { type ReferenceStack, startReferenceStack } from './stack';
import { KEY, labEngine, personAuthorizer, revokeAtAs } from './test-support';

const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const x of open.splice(0).reverse()) await x.close();
});

async function stackWith(o: Parameters<typeof startReferenceStack>[0]): Promise<ReferenceStack> {
  const stack = await startReferenceStack(o);
  open.push(stack);
  return stack;
}
function track(c: Connection): Connection {
  open.push(c);
  return c;
}
const echo = async (c: Connection, text: string) =>
  (await c.callTool('echo', { text })) as { content: Array<{ text: string }> };

describe('reference stack (real mode)', () => {
  it('REAL1: first connect does discovery, DCR, PKCE and a code exchange; the JWT is for the MCP server; tools work', async () => {
    const stack = await stackWith({ autoApprove: true });
    const callbacks: AuthorizationCallback[] = [];
    const run = labEngine(stack, async (url) => {
      callbacks.push(await headlessAuthorizer(fetch)(url));
      return callbacks[callbacks.length - 1] ?? {};
    });
    const c = track(await run.connect());
    expect((await echo(c, 'hi')).content[0]?.text).toBe('hi');
    // RFC 9207: the authorization response names its issuer.
    expect(callbacks).toEqual([expect.objectContaining({ iss: stack.asUrl, code: expect.any(String) })]);
    expect(await c.callTool('add', { a: 2, b: 3 })).toMatchObject({ structuredContent: { sum: 5 } });
    expect(run.starts).toHaveLength(1);
    const auth = new URL(run.starts[0] ?? '');
    expect(auth.origin).toBe(stack.asUrl);
    expect(auth.searchParams.get('code_challenge_method')).toBe('S256');
    expect(auth.searchParams.get('resource')).toBe(stack.mcpUrl);
    const client = await run.engine.tokenStore.getClient(KEY);
    expect(client).toMatchObject({ obtainedVia: 'dcr', issuer: stack.asUrl, resource: stack.mcpUrl });
    expect(run.tokens.map((t) => `${t.grantType} ${t.status}`)).toEqual(['authorization_code 200']);
    const access = run.tokens[0]?.body.access_token ?? '';
    expect(decodeProtectedHeader(access).typ).toBe('at+jwt');
    expect(decodeJwt(access)).toMatchObject({ iss: stack.asUrl, aud: stack.mcpUrl, sub: 'alice' });
    expect(run.tokens[0]?.body.refresh_token).toBeTruthy();
    const who = (await c.callTool('whoami', {})) as {
      structuredContent: { subject: string; scope: string[] };
    };
    expect(who.structuredContent.subject).toBe('alice');
    expect(who.structuredContent.scope).toEqual(['mcp:tools', 'mcp:resources']);
  });

  it('REAL2: an expired access token is refreshed silently with rotation; the AS rejects the old refresh token', async () => {
    const stack = await stackWith({ autoApprove: true, accessTokenTtlSec: 1 });
    const run = labEngine(stack);
    const c = track(await run.connect());
    const first = run.tokens[0]?.body.refresh_token ?? '';
    await new Promise((r) => setTimeout(r, 1600));
    expect(await c.callTool('add', { a: 1, b: 2 })).toMatchObject({ structuredContent: { sum: 3 } });
    expect(run.starts).toHaveLength(1); // no new authorization: the refresh was silent
    const refresh = run.tokens.find((t) => t.grantType === 'refresh_token' && t.sentRefreshToken === first);
    expect(refresh?.status).toBe(200);
    expect(refresh?.body.refresh_token).toBeTruthy();
    expect(refresh?.body.refresh_token).not.toBe(first);
    // The old refresh token, replayed by the same client, is refused by oidc-provider.
    const client = await run.engine.tokenStore.getClient(KEY);
    const replay = await fetch(`${stack.asUrl}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: first,
        client_id: client?.clientInformation.client_id ?? '',
      }),
    });
    expect(replay.status).toBe(400);
    expect(await replay.json()).toMatchObject({ error: 'invalid_grant' });
    // Reuse detection revoked the whole grant: the engine must authorize again, and then works.
    expect((await echo(c, 'after reuse')).content[0]?.text).toBe('after reuse');
    expect(run.starts).toHaveLength(2);
  });

  it.each([
    ['refresh token', 'refresh_token'],
    ['JWT access token', 'access_token'],
  ] as const)(
    'REAL3: revoking the %s at the AS leads to re-authentication on the next call',
    async (_label, which) => {
      const stack = await stackWith({ autoApprove: true });
      const run = labEngine(stack);
      const c = track(await run.connect());
      expect((await echo(c, 'before')).content[0]?.text).toBe('before');
      const granted = run.tokens[0]?.body;
      const client = await run.engine.tokenStore.getClient(KEY);
      const revoked = await revokeAtAs(
        stack,
        client?.clientInformation.client_id ?? '',
        granted?.[which] ?? '',
      );
      expect(revoked.status).toBe(200);
      // The MCP server now refuses the old access token (it asks the AS by introspection).
      const direct = await fetch(stack.mcpUrl, {
        method: 'POST',
        headers: { authorization: `Bearer ${granted?.access_token}`, 'content-type': 'application/json' },
        body: '{}',
      });
      expect(direct.status).toBe(401);
      expect(direct.headers.get('www-authenticate')).toContain('error="invalid_token"');
      expect((await echo(c, 'after')).content[0]?.text).toBe('after');
      expect(run.starts).toHaveLength(2);
      expect(run.tokens.filter((t) => t.grantType === 'authorization_code' && t.status === 200)).toHaveLength(
        2,
      );
      const failedRefresh = run.tokens.find((t) => t.grantType === 'refresh_token');
      expect(failedRefresh).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    },
  );

  it('REAL4: metadata, challenges and CORS at the MCP server; write_note steps up through the engine', async () => {
    const stack = await stackWith({ autoApprove: true });
    const prm = stack.resourceMetadataUrl;
    expect(prm).toBe(stack.mcpUrl.replace('/mcp', '/.well-known/oauth-protected-resource/mcp'));
    for (const url of [prm, prm.replace(/\/mcp$/, '')])
      expect(await (await fetch(url)).json()).toMatchObject({
        resource: stack.mcpUrl,
        authorization_servers: [stack.asUrl],
        scopes_supported: ['mcp:tools', 'mcp:resources', 'notes:write'],
      });
    const as = await (await fetch(`${stack.asUrl}/.well-known/oauth-authorization-server`)).json();
    expect(as).toMatchObject({
      issuer: stack.asUrl,
      code_challenge_methods_supported: ['S256'],
      authorization_response_iss_parameter_supported: true,
      registration_endpoint: `${stack.asUrl}/reg`,
      revocation_endpoint: `${stack.asUrl}/token/revocation`,
      introspection_endpoint: `${stack.asUrl}/token/introspection`,
    });
    const post = (headers: Record<string, string>) =>
      fetch(stack.mcpUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: 'http://localhost:5173', ...headers },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'write_note' } }),
      });
    const missing = await post({});
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).not.toContain('error=');
    expect(missing.headers.get('www-authenticate')).toContain(`resource_metadata="${prm}"`);
    expect(missing.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(missing.headers.get('access-control-expose-headers')).toMatch(/WWW-Authenticate, Mcp-Session-Id/);
    const forged = await post({ authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln' });
    expect(forged.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);
    const preflight = await fetch(stack.mcpUrl, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://localhost:5173',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type, mcp-session-id',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-headers')).toContain('mcp-session-id');
    const run = labEngine(stack);
    const c = track(await run.connect());
    const token = run.tokens[0]?.body.access_token ?? '';
    const narrow = await post({ authorization: `Bearer ${token}` });
    expect(narrow.status).toBe(403);
    expect(narrow.headers.get('www-authenticate')).toMatch(/error="insufficient_scope", scope="notes:write"/);
    expect(await c.callTool('write_note', { id: 'n1', text: 'hello' })).toMatchObject({
      content: [{ text: 'Saved note n1.' }],
    });
    expect(run.starts).toHaveLength(2);
    expect(new URL(run.starts[1] ?? '').searchParams.get('scope')).toBe(
      'mcp:tools mcp:resources notes:write',
    );
  });

  it('REAL5: without autoApprove a person signs in (a wrong password is refused) and consents in pages', async () => {
    const stack = await stackWith({});
    const pages: string[] = [];
    const run = labEngine(
      stack,
      personAuthorizer({ password: 'wonderland', wrongPassword: 'x', decision: 'approve', pages }),
    );
    const c = track(await run.connect());
    expect((await echo(c, 'via pages')).content[0]?.text).toBe('via pages');
    expect(pages).toHaveLength(3);
    expect(pages[1]).toContain('Wrong username or password.');
    expect(pages[2]).toContain('data-testid="as-scope-mcp:tools"');
    const denied = labEngine(stack, async (url) => {
      const cb = await personAuthorizer({ password: 'wonderland', decision: 'deny', pages: [] })(url);
      expect(cb).toMatchObject({ error: 'access_denied', iss: stack.asUrl });
      return cb;
    });
    await expect(denied.connect()).rejects.toThrow();
    expect(denied.starts).toHaveLength(1);
    expect(denied.tokens).toHaveLength(0);
  });

  it('REAL6: a taken port is reported with the variable that moves it', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, 'localhost', r));
    const port = (blocker.address() as { port: number }).port;
    try {
      await expect(startReferenceStack({ asPort: port })).rejects.toThrow(
        `Port ${port} is taken: set LAB_AS_PORT or stop the other process.`,
      );
      await expect(startReferenceStack({ mcpPort: port })).rejects.toThrow(
        `Port ${port} is taken: set LAB_MCP_PORT or stop the other process.`,
      );
    } finally {
      await new Promise((r) => blocker.close(r));
    }
  });
});
