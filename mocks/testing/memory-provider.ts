/**
 * An in-memory OAuth client provider that satisfies both official SDKs' `OAuthClientProvider`
 * (v1 `@modelcontextprotocol/sdk` and v2 `@modelcontextprotocol/client`), for interop tests.
 * It records what the SDK asked of it so tests can assert on the flow.
 */
export interface MemoryProviderOptions {
  redirectUrl?: string;
  clientName?: string;
  /** Pre-registered client information (REG-3); skips dynamic registration. */
  clientInformation?: { client_id: string; client_secret?: string };
  tokenEndpointAuthMethod?: 'none' | 'client_secret_basic' | 'client_secret_post';
  clientMetadataUrl?: string;
  scope?: string;
}

// Structural types: both SDKs accept these shapes.
type Tokens = {
  access_token: string;
  token_type: string;
  refresh_token?: string;
  expires_in?: number;
  scope?: string;
};
type ClientInfo = { client_id: string; client_secret?: string; [k: string]: unknown };

export class MemoryProvider {
  clientInfo: ClientInfo | undefined;
  storedTokens: Tokens | undefined;
  verifier = '';
  authorizationUrls: URL[] = [];
  savedTokens: Tokens[] = [];
  invalidated: string[] = [];
  clientMetadataUrl?: string;

  constructor(readonly options: MemoryProviderOptions = {}) {
    this.clientInfo = options.clientInformation;
    if (options.clientMetadataUrl) this.clientMetadataUrl = options.clientMetadataUrl;
  }

  get redirectUrl(): string {
    return this.options.redirectUrl ?? 'http://localhost:3999/oauth/callback';
  }

  get clientMetadata() {
    return {
      client_name: this.options.clientName ?? 'MCP Lab interop test',
      redirect_uris: [this.redirectUrl],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: this.options.tokenEndpointAuthMethod ?? 'none',
      ...(this.options.scope ? { scope: this.options.scope } : {}),
    };
  }

  clientInformation() {
    return this.clientInfo;
  }
  saveClientInformation(info: ClientInfo) {
    this.clientInfo = info;
  }
  tokens() {
    return this.storedTokens;
  }
  saveTokens(tokens: Tokens) {
    this.storedTokens = tokens;
    this.savedTokens.push(tokens);
  }
  redirectToAuthorization(url: URL) {
    this.authorizationUrls.push(url);
  }
  saveCodeVerifier(v: string) {
    this.verifier = v;
  }
  codeVerifier() {
    return this.verifier;
  }
  /** SDK v2 keeps its discovery result here across the redirect (SEP-2352 issuer binding). */
  discovery: unknown;
  saveDiscoveryState(state: unknown) {
    this.discovery = state;
  }
  discoveryState() {
    return this.discovery as never;
  }
  invalidateCredentials(scope: 'all' | 'client' | 'tokens' | 'verifier' | 'discovery') {
    this.invalidated.push(scope);
    if (scope === 'all' || scope === 'client') this.clientInfo = undefined;
    if (scope === 'all' || scope === 'tokens') this.storedTokens = undefined;
    if (scope === 'all' || scope === 'discovery') this.discovery = undefined;
  }

  /** The last authorization URL the SDK sent the user to. */
  get lastAuthorizationUrl(): URL {
    const url = this.authorizationUrls.at(-1);
    if (!url) throw new Error('The SDK never asked to redirect to an authorization URL.');
    return url;
  }
}

/**
 * Approves (or denies) an authorization request through the mock AS's decision API, as the
 * playground's consent page does. Returns the redirect URL with code, state and iss.
 */
export async function decideViaApi(
  authorizationUrl: URL,
  decision: 'approve' | 'deny' = 'approve',
  extra: { scopes?: string[]; subject?: string } = {},
): Promise<URL> {
  const decisionUrl = authorizationUrl.href.split('?')[0]?.replace(/\/authorize$/, '/mock/decision') ?? '';
  const res = await fetch(decisionUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ authorizationUrl: authorizationUrl.href, decision, ...extra }),
  });
  const body = (await res.json()) as { redirectTo?: string; error?: string; error_description?: string };
  if (!body.redirectTo) throw new Error(`Decision API refused: ${body.error}: ${body.error_description}`);
  return new URL(body.redirectTo);
}
