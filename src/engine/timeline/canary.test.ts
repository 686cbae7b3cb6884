import {
  discoverAuthorizationServerMetadata,
  discoverOAuthProtectedResourceMetadata,
  exchangeAuthorization,
  refreshAuthorization,
  registerClient,
  startAuthorization,
} from '@modelcontextprotocol/client';
import { afterAll, expect, it } from 'vitest';
import { startMockServer } from '../../../mocks/node';
import { RealClock } from '../clock';
import { createInstrumentedFetch } from '../net/instrumented-fetch';
import { UrlPolicy } from '../net/url-policy';
import { serializeHar, toHar } from './export-har';
import { serializeRecording, toRecording } from './export-json';
import { toMermaid } from './export-mermaid';
import { TimelineModel } from './model';
import { TimelineRecorder } from './recorder';
import { mask } from './redact';

const mocks = startMockServer();
afterAll(() => mocks.close());

const MCP = 'https://dcr.mock.test/mcp';
const REDIRECT = 'http://localhost:3999/oauth/callback';

/** A small real OAuth run through the instrumented fetch, registering secrets as an engine would. */
async function oauthRun() {
  const recorder = new TimelineRecorder(new RealClock());
  const fetchFor = createInstrumentedFetch({ recorder, policy: new UrlPolicy(), pageOrigin: null });
  const prm = await discoverOAuthProtectedResourceMetadata(MCP, {}, fetchFor('mcp'));
  const asUrl = String(prm.authorization_servers?.[0]);
  const metadata = await discoverAuthorizationServerMetadata(asUrl, { fetchFn: fetchFor('as') });
  const client = await registerClient(asUrl, {
    metadata,
    clientMetadata: {
      client_name: 'canary',
      redirect_uris: [REDIRECT],
      grant_types: ['authorization_code', 'refresh_token'],
      token_endpoint_auth_method: 'client_secret_post',
    },
    fetchFn: fetchFor('as'),
  });
  recorder.redactor.addSecret(client.client_secret);
  const { authorizationUrl, codeVerifier } = await startAuthorization(asUrl, {
    metadata,
    clientInformation: client,
    redirectUrl: REDIRECT,
    state: 'canary-state',
    resource: new URL(prm.resource),
  });
  recorder.redactor.addSecret(codeVerifier);
  const decision = await fetchFor('as', 'consent (decision API)')(`${asUrl}/mock/decision`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ authorizationUrl: authorizationUrl.href, decision: 'approve' }),
  });
  const callback = new URL(((await decision.json()) as { redirectTo: string }).redirectTo);
  const code = callback.searchParams.get('code') ?? '';
  recorder.redactor.addSecret(code);
  const tokens = await exchangeAuthorization(asUrl, {
    metadata,
    clientInformation: client,
    authorizationCode: code,
    codeVerifier,
    redirectUri: REDIRECT,
    resource: new URL(prm.resource),
    iss: callback.searchParams.get('iss') ?? '',
    fetchFn: fetchFor('as'),
  });
  recorder.redactor.addSecret(tokens.access_token, tokens.refresh_token);
  const refreshed = await refreshAuthorization(asUrl, {
    metadata,
    clientInformation: client,
    refreshToken: tokens.refresh_token ?? '',
    resource: new URL(prm.resource),
    fetchFn: fetchFor('as'),
  });
  recorder.redactor.addSecret(refreshed.access_token, refreshed.refresh_token);
  const init = await fetchFor('mcp')(MCP, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      authorization: `Bearer ${refreshed.access_token}`,
    },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: {
        protocolVersion: '2025-11-25',
        capabilities: {},
        clientInfo: { name: 'canary', version: '1' },
      },
    }),
  });
  const initBody = await init.text();
  const secrets = {
    clientSecret: client.client_secret ?? '',
    codeVerifier,
    code,
    accessToken: tokens.access_token,
    refreshToken: tokens.refresh_token ?? '',
    refreshedAccessToken: refreshed.access_token,
    rotatedRefreshToken: refreshed.refresh_token ?? '',
  };
  return { recorder, secrets, initStatus: init.status, initBody };
}

it('T7: exports of a full OAuth run contain no token, code, verifier or client secret (canary values)', async () => {
  const { recorder, secrets, initStatus, initBody } = await oauthRun();
  // The run worked: the secrets are real, distinct, and the bearer token opened an MCP session.
  expect(initStatus).toBe(200);
  expect(initBody).toContain('protocolVersion');
  for (const [name, value] of Object.entries(secrets)) expect(value.length, name).toBeGreaterThan(8);
  expect(new Set(Object.values(secrets)).size).toBe(Object.keys(secrets).length);

  const exports = {
    timeline: JSON.stringify(recorder.events),
    json: serializeRecording(toRecording(recorder.events, 'canary')),
    mermaid: toMermaid(recorder.events),
    har: serializeHar(toHar(recorder.events)),
  };
  for (const [format, text] of Object.entries(exports))
    for (const [name, value] of Object.entries(secrets))
      expect(text.includes(value), `${name} in ${format}`).toBe(false);

  // The secrets did pass through (shown masked), so the test is not vacuous.
  expect(exports.json).toContain(mask(secrets.rotatedRefreshToken));
  expect(exports.har).toContain(mask(secrets.refreshedAccessToken));
  expect(exports.json).toContain(mask(secrets.code));

  // The exchanges themselves are all there.
  const model = new TimelineModel(recorder.events);
  expect(model.httpCount({ lane: 'mcp', label: 'PRM discovery', status: 200 })).toBe(1);
  expect(model.httpCount({ lane: 'as', label: 'AS metadata', status: 200 })).toBe(1);
  expect(model.httpCount({ lane: 'as', label: 'registration', status: 201 })).toBe(1);
  expect(model.httpCount({ label: 'consent (decision API)', status: 200 })).toBe(1);
  expect(model.httpCount({ pathname: '/token', label: 'token: authorization_code', status: 200 })).toBe(1);
  expect(model.httpCount({ pathname: '/token', label: 'token: refresh_token', status: 200 })).toBe(1);
  expect(
    model.httpCount({ lane: 'mcp', method: 'POST', pathname: '/mcp', label: 'initialize', status: 200 }),
  ).toBe(1);
  expect(exports.mermaid).toContain('Host->>AuthServer: POST /token (token: refresh_token)');
  expect(exports.mermaid).toContain('Host->>MCP: POST /mcp (initialize)');
  const har = JSON.parse(exports.har) as { log: { entries: Array<{ request: { url: string } }> } };
  expect(har.log.entries.map((e) => new URL(e.request.url).pathname)).toEqual(
    expect.arrayContaining(['/register', '/mock/decision', '/token', '/mcp']),
  );
});
