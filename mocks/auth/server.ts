import { empty, json, oauthError, randomId, readForm, text } from '../http';
import type { MockKnobs } from '../knobs';
import type { MockAuthServerConfig } from '../presets';
import { type Decision, decide, validateAuthorizationRequest } from './authorize';
import { authenticateClient, preRegisteredRecord } from './clients';
import {
  type AuthServerState,
  type ClientRecord,
  emptyAuthState,
  revokeGrant,
  type TokenAuthMethod,
} from './state';
import { tokenEndpoint } from './token';

/** What an authorization server needs from the world around it. */
export interface AuthServerContext {
  now(): number;
  sleep(ms: number): Promise<void>;
  knobs(): MockKnobs;
  setKnobs(patch: Partial<MockKnobs>): void;
  /** Resource identifiers this AS issues tokens for (RFC 8707 `resource`). */
  resources(): string[];
  /** Fetches a document the AS needs (a CIMD client metadata document). */
  fetchDocument(url: string): Promise<Response>;
}

const AUTH_METHODS: TokenAuthMethod[] = ['none', 'client_secret_basic', 'client_secret_post'];

/** A mock OAuth 2.1 authorization server: metadata, registration, authorization, token and revocation. */
export class AuthServer {
  readonly state: AuthServerState = emptyAuthState();
  readonly issuerUrl: URL;
  readonly base: string;
  #key?: Promise<CryptoKey>;

  constructor(
    readonly config: MockAuthServerConfig,
    readonly ctx: AuthServerContext,
  ) {
    this.issuerUrl = new URL(config.issuer);
    this.base = config.issuer.replace(/\/$/, '');
    this.reset();
  }

  reset(): void {
    this.state.clients.clear();
    this.state.codes.clear();
    this.state.grants.clear();
    this.state.tokens.clear();
    for (const c of this.config.preRegistered)
      this.state.clients.set(c.client_id, preRegisteredRecord(c, this.ctx.now()));
  }

  signingKey(): Promise<CryptoKey> {
    this.#key ??= crypto.subtle.generateKey({ name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    return this.#key;
  }

  endpoint(name: 'authorize' | 'token' | 'register' | 'revoke' | 'jwks' | 'decision'): string {
    return `${this.base}/${name === 'decision' ? 'mock/decision' : name}`;
  }

  /** The well-known metadata URLs this AS answers (RFC 8414 §3.1, OIDC Discovery §4, ASM-3). */
  metadataUrls(): string[] {
    const { origin, pathname } = this.issuerUrl;
    const path = pathname === '/' ? '' : pathname.replace(/\/$/, '');
    const oauth = `${origin}/.well-known/oauth-authorization-server${path}`;
    const oidcInsert = `${origin}/.well-known/openid-configuration${path}`;
    const oidcAppend = `${origin}${path}/.well-known/openid-configuration`;
    if (this.config.metadata === 'oauth') return [oauth];
    // A path issuer that speaks only OIDC publishes the appended form, the last one clients try.
    if (this.config.metadata === 'oidc') return path ? [oidcAppend] : [oidcInsert];
    return [...new Set([oauth, oidcInsert, oidcAppend])];
  }

  metadata(): Record<string, unknown> {
    const k = this.ctx.knobs();
    const dcr = this.config.dcr && k.dcr !== 'disabled';
    return {
      issuer: k.metadataIssuerMismatch ? 'https://impostor.mock.test' : this.config.issuer,
      authorization_endpoint: this.endpoint('authorize'),
      token_endpoint: this.endpoint('token'),
      ...(dcr ? { registration_endpoint: this.endpoint('register') } : {}),
      revocation_endpoint: this.endpoint('revoke'),
      jwks_uri: this.endpoint('jwks'),
      scopes_supported: this.config.scopes,
      response_types_supported: ['code'],
      response_modes_supported: ['query'],
      grant_types_supported: ['authorization_code', 'refresh_token'],
      token_endpoint_auth_methods_supported: AUTH_METHODS,
      revocation_endpoint_auth_methods_supported: AUTH_METHODS,
      ...(k.omitCodeChallengeMethods ? {} : { code_challenge_methods_supported: ['S256'] }),
      ...(this.config.issParameter ? { authorization_response_iss_parameter_supported: true } : {}),
      ...(this.config.cimd ? { client_id_metadata_document_supported: true } : {}),
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['HS256'],
    };
  }

  /** Answers a request addressed to this AS, or returns undefined when the URL is not one of its routes. */
  async handle(request: Request, url: URL): Promise<Response | undefined> {
    const href = `${url.origin}${url.pathname}`;
    if (this.metadataUrls().includes(href))
      return request.method === 'GET' ? json(this.metadata()) : empty(405);
    switch (href) {
      case this.endpoint('authorize'):
        return this.authorizePage(url.searchParams);
      case this.endpoint('decision'):
        return this.decisionApi(request);
      case this.endpoint('token'):
        return request.method === 'POST' ? tokenEndpoint(this, request) : empty(405, { allow: 'POST' });
      case this.endpoint('register'):
        return this.config.dcr && this.ctx.knobs().dcr !== 'disabled' ? this.register(request) : undefined;
      case this.endpoint('revoke'):
        return this.revoke(request);
      case this.endpoint('jwks'):
        return json({ keys: [] });
      default:
        return undefined;
    }
  }

  /** GET /authorize: a browser navigation. Auto-approve redirects at once; otherwise a consent page that points at the decision API. */
  async authorizePage(params: URLSearchParams): Promise<Response> {
    const req = await validateAuthorizationRequest(this, params);
    if (!('client' in req)) {
      if (req.redirectTo) return new Response(null, { status: 302, headers: { location: req.redirectTo } });
      return text(`Authorization request refused: ${req.error}: ${req.description}`, 400);
    }
    if (this.ctx.knobs().autoApprove) {
      const { redirectTo } = decide(this, req, { decision: 'approve' });
      return new Response(null, { status: 302, headers: { location: redirectTo } });
    }
    const body = `<!doctype html><title>Mock consent</title><h1>${req.client.client_name ?? req.client.client_id} asks for: ${req.scope.join(' ')}</h1>
<p>This mock authorization server takes decisions through its decision API: POST ${this.endpoint('decision')} with
{"authorizationUrl": "…", "decision": "approve" | "deny", "scopes": [...]}. The MCP Lab playground shows its own consent page for it.</p>`;
    return text(body, 200, { 'content-type': 'text/html; charset=utf-8' });
  }

  /** POST /mock/decision {authorizationUrl, decision, scopes?, subject?} → {redirectTo, code?}. */
  async decisionApi(request: Request): Promise<Response> {
    if (request.method !== 'POST') return empty(405, { allow: 'POST' });
    let body: { authorizationUrl?: unknown; decision?: unknown; scopes?: unknown; subject?: unknown };
    try {
      body = await request.json();
    } catch {
      return oauthError(
        'invalid_request',
        'The decision body must be JSON: {"authorizationUrl", "decision"}.',
      );
    }
    if (
      typeof body.authorizationUrl !== 'string' ||
      (body.decision !== 'approve' && body.decision !== 'deny')
    )
      return oauthError(
        'invalid_request',
        'Send {"authorizationUrl": string, "decision": "approve" | "deny"}.',
      );
    const url = new URL(body.authorizationUrl, this.base);
    if (`${url.origin}${url.pathname}` !== this.endpoint('authorize'))
      return oauthError('invalid_request', `authorizationUrl must start with ${this.endpoint('authorize')}.`);
    const req = await validateAuthorizationRequest(this, url.searchParams);
    if (!('client' in req))
      return json(
        { error: req.error, error_description: req.description, redirectTo: req.redirectTo ?? null },
        400,
      );
    const scopes = Array.isArray(body.scopes)
      ? body.scopes.filter((s): s is string => typeof s === 'string')
      : undefined;
    const decision: Decision =
      body.decision === 'deny'
        ? { decision: 'deny' }
        : {
            decision: 'approve',
            ...(scopes ? { scopes } : {}),
            ...(typeof body.subject === 'string' ? { subject: body.subject } : {}),
          };
    return json(decide(this, req, decision));
  }

  /** RFC 7591 dynamic client registration. */
  async register(request: Request): Promise<Response> {
    if (request.method !== 'POST') return empty(405, { allow: 'POST' });
    const bad = (error: string, why: string) => oauthError(error, why);
    if (this.ctx.knobs().dcr === 'reject')
      return bad('invalid_client_metadata', 'Registration is closed on this server (fault knob).');
    let m: Record<string, unknown>;
    try {
      m = await request.json();
    } catch {
      return bad('invalid_client_metadata', 'The registration body must be a JSON object.');
    }
    if (typeof m !== 'object' || m === null)
      return bad('invalid_client_metadata', 'The registration body must be a JSON object.');
    const uris = m.redirect_uris;
    if (!Array.isArray(uris) || !uris.length)
      return bad('invalid_redirect_uri', 'redirect_uris must be a non-empty array.');
    for (const u of uris) {
      let parsed: URL;
      try {
        parsed = new URL(String(u));
      } catch {
        return bad('invalid_redirect_uri', `redirect_uri ${String(u)} is not an absolute URL.`);
      }
      if (parsed.hash)
        return bad('invalid_redirect_uri', `redirect_uri ${String(u)} must not have a fragment.`);
      const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(parsed.hostname);
      if (parsed.protocol === 'http:' && !loopback)
        return bad('invalid_redirect_uri', `redirect_uri ${String(u)} must be https or loopback (AR-3).`);
    }
    const method = (m.token_endpoint_auth_method ?? 'client_secret_basic') as TokenAuthMethod;
    if (!AUTH_METHODS.includes(method))
      return bad(
        'invalid_client_metadata',
        `token_endpoint_auth_method "${String(method)}" is not supported.`,
      );
    const appType = m.application_type;
    if (appType !== undefined && appType !== 'web' && appType !== 'native')
      return bad('invalid_client_metadata', 'application_type must be "web" or "native".');
    const grantTypes = Array.isArray(m.grant_types) ? (m.grant_types as string[]) : ['authorization_code'];
    const unsupported = grantTypes.filter((g) => g !== 'authorization_code' && g !== 'refresh_token');
    if (unsupported.length)
      return bad('invalid_client_metadata', `Unsupported grant_types: ${unsupported.join(', ')}.`);
    const client: ClientRecord = {
      client_id: randomId('dcr_', 12),
      token_endpoint_auth_method: method,
      redirect_uris: uris.map(String),
      grant_types: grantTypes,
      source: 'dcr',
      issuedAt: this.ctx.now(),
      ...(method !== 'none' ? { client_secret: randomId('secret_') } : {}),
      ...(typeof m.client_name === 'string' ? { client_name: m.client_name } : {}),
      ...(appType ? { application_type: appType } : {}),
      ...(typeof m.scope === 'string' ? { scope: m.scope } : {}),
    };
    this.state.clients.set(client.client_id, client);
    const { source: _s, issuedAt, ...wire } = client;
    return json(
      {
        ...m,
        ...wire,
        response_types: ['code'],
        client_id_issued_at: Math.floor(issuedAt / 1000),
        ...(client.client_secret ? { client_secret_expires_at: 0 } : {}),
      },
      201,
    );
  }

  /** RFC 7009 revocation: revoking a refresh token revokes its grant; unknown tokens are not an error. */
  async revoke(request: Request): Promise<Response> {
    if (request.method !== 'POST') return empty(405, { allow: 'POST' });
    const form = await readForm(request);
    if (!form?.get('token')) return oauthError('invalid_request', 'token is missing.');
    const client = authenticateClient(this.state, request, form);
    if (client instanceof Response) return client;
    const rec = this.state.tokens.get(form.get('token') ?? '');
    if (rec && rec.clientId === client.client_id) {
      if (rec.kind === 'refresh') revokeGrant(this.state, rec.grantId, 'refresh token revoked');
      else rec.revoked = true;
    }
    return empty(200);
  }

  /** Revokes every grant (fault knob "revoke all tokens now"). */
  revokeAll(reason: string): void {
    for (const g of this.state.grants.keys()) revokeGrant(this.state, g, reason);
  }

  /** Programmatic authorization for tests and the playground's consent page (same rules as the decision API). */
  async authorize(
    authorizationUrl: string,
    decision: Decision,
  ): Promise<{ redirectTo: string; code?: string }> {
    const req = await validateAuthorizationRequest(this, new URL(authorizationUrl).searchParams);
    if (!('client' in req)) throw new Error(`Failed to authorize: ${req.error}: ${req.description}`);
    return decide(this, req, decision);
  }
}
