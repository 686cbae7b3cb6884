/**
 * The OAuth flow as separate steps on SDK v2's own auth functions, so tests can stop between
 * steps, repeat one, or tamper with one, and observe how the mock authorization server answers.
 */
import {
  discoverAuthorizationServerMetadata,
  discoverOAuthProtectedResourceMetadata,
  exchangeAuthorization,
  refreshAuthorization,
  registerClient,
  startAuthorization,
} from '@modelcontextprotocol/client';
import { decideViaApi } from './memory-provider';

export const REDIRECT_URL = 'http://localhost:3999/oauth/callback';

type ClientInformation = Parameters<typeof startAuthorization>[1]['clientInformation'];
type Metadata = NonNullable<Parameters<typeof startAuthorization>[1]['metadata']>;

export interface FlowOptions {
  clientInformation?: ClientInformation;
  tokenEndpointAuthMethod?: 'none' | 'client_secret_basic' | 'client_secret_post';
  scope?: string;
  scopes?: string[];
}

/** Discovery → registration → authorization → consent (decision API), stopping before the code exchange. */
export async function authorizeSteps(serverUrl: string, options: FlowOptions = {}) {
  const prm = await discoverOAuthProtectedResourceMetadata(serverUrl);
  const asUrl = String(prm.authorization_servers?.[0]);
  const metadata = (await discoverAuthorizationServerMetadata(asUrl)) as Metadata;
  const clientInformation =
    options.clientInformation ??
    (await registerClient(asUrl, {
      metadata,
      clientMetadata: {
        client_name: 'steps',
        redirect_uris: [REDIRECT_URL],
        grant_types: ['authorization_code', 'refresh_token'],
        token_endpoint_auth_method: options.tokenEndpointAuthMethod ?? 'none',
      },
    }));
  const { authorizationUrl, codeVerifier } = await startAuthorization(asUrl, {
    metadata,
    clientInformation,
    redirectUrl: REDIRECT_URL,
    state: 'state-123',
    resource: prm.resource,
    ...(options.scope ? { scope: options.scope } : {}),
  });
  const callback = await decideViaApi(
    authorizationUrl,
    'approve',
    options.scopes ? { scopes: options.scopes } : {},
  );
  const code = callback.searchParams.get('code') ?? '';
  const exchange = (verifier = codeVerifier, info = clientInformation) =>
    exchangeAuthorization(asUrl, {
      metadata,
      clientInformation: info,
      authorizationCode: code,
      ...(callback.searchParams.has('iss') ? { iss: callback.searchParams.get('iss') ?? '' } : {}),
      codeVerifier: verifier,
      redirectUri: REDIRECT_URL,
      resource: prm.resource,
    });
  const refresh = (refreshToken: string, info = clientInformation) =>
    refreshAuthorization(asUrl, { metadata, clientInformation: info, refreshToken, resource: prm.resource });
  return {
    prm,
    asUrl,
    metadata,
    clientInformation,
    authorizationUrl,
    codeVerifier,
    callback,
    code,
    exchange,
    refresh,
  };
}

/** A full grant: the steps above plus the code exchange. */
export async function grant(serverUrl: string, options: FlowOptions = {}) {
  const steps = await authorizeSteps(serverUrl, options);
  return { ...steps, tokens: await steps.exchange() };
}

/** Sends `initialize` with a bearer token straight to an MCP endpoint and returns the HTTP status and challenge. */
export async function mcpInitialize(url: string, token?: string) {
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
    }),
  });
  await res.body?.cancel();
  return {
    status: res.status,
    challenge: res.headers.get('www-authenticate'),
    sessionId: res.headers.get('mcp-session-id'),
  };
}
