import {
  discoverAuthorizationServerMetadata,
  discoverOAuthProtectedResourceMetadata,
} from '@modelcontextprotocol/client';
import { isLabError, LabError } from '../errors';
import type { Lane } from '../timeline/events';
import type { TimelineRecorder } from '../timeline/recorder';
import { protocolVersionFor, REVISIONS } from './revisions';
import { fromSdkError } from './sdk-errors';
import type {
  AuthorizationServerMetadata,
  BearerChallenge,
  Discovery,
  FetchLike,
  OAuthConfig,
} from './types';

export interface DiscoveryContext {
  config: OAuthConfig;
  fetchFor: (to: Lane, label?: string) => FetchLike;
  recorder?: TimelineRecorder;
}

/**
 * O2 / DISC-5: the PRM `resource` must identify this server: same origin, and the server URL's path
 * within the resource's path (segment boundary). Compared as parsed URLs, but the PRM string is
 * what gets sent later (RES-2).
 * @see https://www.rfc-editor.org/rfc/rfc9728#section-3.3
 */
export function resourceMatches(resource: string, serverUrl: string): boolean {
  let r: URL;
  let s: URL;
  try {
    r = new URL(resource);
    s = new URL(serverUrl);
  } catch {
    return false;
  }
  if (r.origin !== s.origin || r.hash) return false;
  const rp = r.pathname.replace(/\/$/, '');
  const sp = s.pathname.replace(/\/$/, '');
  return sp === rp || sp.startsWith(`${rp}/`);
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** AR-3: an endpoint must be https, or http on a loopback host (a local test server). */
export function isSecureEndpoint(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || (u.protocol === 'http:' && LOOPBACK.has(u.hostname));
  } catch {
    return false;
  }
}

/** AR-3: refuses AS metadata whose endpoints are not https (loopback excepted). */
export function checkEndpoints(metadata: AuthorizationServerMetadata): void {
  for (const name of ['authorization_endpoint', 'token_endpoint', 'registration_endpoint'] as const) {
    const url = metadata[name];
    if (url !== undefined && !isSecureEndpoint(url))
      throw new LabError(
        'discovery_failed',
        `Failed to use the authorization server: its ${name} ${url} is not https.`,
        {
          hint: 'Tokens and codes must only travel over TLS (loopback http is allowed for local servers).',
          ruleIds: ['AR-3'],
        },
      );
  }
}

/** ASM-1 (2025-03-26): AS metadata at the MCP origin with the path dropped, else the default endpoints. */
async function legacyMetadata(
  ctx: DiscoveryContext,
): Promise<{ issuer: string; metadata: AuthorizationServerMetadata }> {
  const origin = new URL(ctx.config.serverUrl).origin;
  const url = `${origin}/.well-known/oauth-authorization-server`;
  const res = await ctx.fetchFor('as', 'AS metadata')(url, {
    headers: { accept: 'application/json', 'mcp-protocol-version': protocolVersionFor(ctx.config.revision) },
  });
  if (res.ok) return { issuer: origin, metadata: (await res.json()) as AuthorizationServerMetadata };
  await res.body?.cancel();
  ctx.recorder?.record({
    lane: 'factory',
    kind: 'decision',
    summary: `No AS metadata at ${url} (HTTP ${res.status}): using the default /authorize, /token and /register`,
    ruleIds: ['ASM-1'],
  });
  return {
    issuer: origin,
    metadata: {
      issuer: origin,
      authorization_endpoint: `${origin}/authorize`,
      token_endpoint: `${origin}/token`,
      registration_endpoint: `${origin}/register`,
      response_types_supported: ['code'],
      code_challenge_methods_supported: ['S256'],
    },
  };
}

/** 2025-06-18: RFC 8414 only, at the path-inserted well-known URL (ASM-2 for 06). */
async function rfc8414Only(
  ctx: DiscoveryContext,
  issuer: string,
): Promise<AuthorizationServerMetadata | undefined> {
  const u = new URL(issuer);
  const path = u.pathname === '/' ? '' : u.pathname.replace(/\/$/, '');
  const res = await ctx.fetchFor('as', 'AS metadata')(
    `${u.origin}/.well-known/oauth-authorization-server${path}`,
    {
      headers: {
        accept: 'application/json',
        'mcp-protocol-version': protocolVersionFor(ctx.config.revision),
      },
    },
  );
  if (!res.ok) {
    await res.body?.cancel();
    return undefined;
  }
  return (await res.json()) as AuthorizationServerMetadata;
}

/**
 * O1–O3: finds the authorization server for the MCP server and its metadata.
 * PRM from the challenge's `resource_metadata` first (DISC-3), else path-inserted then root
 * (DISC-4); the PRM's `resource` must match (O2); AS metadata by RFC 8414 and OIDC in the spec's
 * order (ASM-3) with the issuer check (ASM-4).
 * @see https://www.rfc-editor.org/rfc/rfc9728#section-3
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-3
 */
export async function discover(ctx: DiscoveryContext, challenge?: BearerChallenge): Promise<Discovery> {
  const { config, recorder } = ctx;
  const profile = REVISIONS[config.revision];
  if (!profile.prm) {
    const { issuer, metadata } = await legacyMetadata(ctx);
    checkEndpoints(metadata);
    return { serverUrl: config.serverUrl, issuer, metadata };
  }
  const fromChallenge = profile.challengeMetadataFirst ? challenge?.resourceMetadataUrl : undefined;
  if (fromChallenge)
    recorder?.record({
      lane: 'factory',
      kind: 'decision',
      summary: `Using resource_metadata from the challenge: ${fromChallenge}`,
      ruleIds: ['O1', 'DISC-3'],
    });
  let prm: Discovery['prm'];
  try {
    prm = await discoverOAuthProtectedResourceMetadata(
      config.serverUrl,
      {
        protocolVersion: protocolVersionFor(config.revision),
        ...(fromChallenge ? { resourceMetadataUrl: fromChallenge } : {}),
      },
      ctx.fetchFor('mcp', 'PRM'),
    );
  } catch (e) {
    // An oversized answer is not missing metadata: its own message says what to do (HX2).
    if (isLabError(e, 'too_large')) throw e;
    throw new LabError(
      'discovery_failed',
      `Failed to discover who protects ${config.serverUrl}: ${fromSdkError(e, 'read the protected resource metadata').message}`,
      {
        cause: e,
        hint: 'The server must publish RFC 9728 metadata (or choose the 2025-03-26 revision for servers without it).',
        ruleIds: ['O1', 'DISC-2', 'DISC-4'],
      },
    );
  }
  const resource = prm.resource;
  if (!resourceMatches(resource, config.serverUrl))
    throw new LabError(
      'resource_mismatch',
      `Failed to authorize: the protected resource metadata names resource ${resource}, not ${config.serverUrl}.`,
      {
        hint: 'A server may only send clients to an authorization server for itself; the flow stops before any authorization request (RFC 9728 §3.3).',
        ruleIds: ['O2', 'DISC-5'],
        details: { resource, serverUrl: config.serverUrl },
      },
    );
  const issuer = prm.authorization_servers?.[0];
  if (!issuer)
    throw new LabError(
      'discovery_failed',
      `Failed to discover the authorization server: the metadata of ${resource} lists no authorization_servers.`,
      {
        ruleIds: ['O1', 'DISC-2'],
      },
    );
  let metadata: AuthorizationServerMetadata | undefined;
  try {
    metadata = profile.oidc
      ? await discoverAuthorizationServerMetadata(issuer, {
          fetchFn: ctx.fetchFor('as', 'AS metadata'),
          protocolVersion: protocolVersionFor(config.revision),
          skipIssuerValidation: !profile.metadataIssuerCheck,
        })
      : await rfc8414Only(ctx, issuer);
  } catch (e) {
    throw fromSdkError(e, `read the metadata of ${issuer}`, ['O3', 'ASM-4']);
  }
  if (!metadata)
    throw new LabError(
      'discovery_failed',
      `Failed to discover the authorization server: ${issuer} publishes no ${profile.oidc ? 'RFC 8414 or OIDC' : 'RFC 8414'} metadata.`,
      {
        ruleIds: ['O1', 'ASM-2', 'ASM-3'],
      },
    );
  if (
    profile.metadataIssuerCheck &&
    metadata.issuer !== issuer &&
    metadata.issuer !== issuer.replace(/\/$/, '')
  )
    throw new LabError(
      'issuer_mismatch',
      `Failed to use ${issuer}: its metadata says issuer ${metadata.issuer}.`,
      { ruleIds: ['O3', 'ASM-4'] },
    );
  checkEndpoints(metadata);
  return {
    serverUrl: config.serverUrl,
    prm,
    ...(fromChallenge ? { prmUrl: fromChallenge } : {}),
    resource,
    issuer,
    metadata,
  };
}
