/**
 * oidc-provider 9 ships no types. These are the few shapes the reference authorization server uses,
 * written narrowly so nothing here needs `any` (see node_modules/oidc-provider/lib for the source).
 */
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  /** The request context oidc-provider passes to configuration hooks (a Koa context). */
  export interface ProviderContext {
    readonly oidc: { readonly route?: string };
  }

  export interface ProviderClient {
    readonly clientId: string;
    readonly clientName?: string;
    readonly clientSecret?: string;
    readonly clientAuthMethod: string;
    readonly redirectUris: string[];
    grantTypeAllowed(type: string): boolean;
  }

  export interface InteractionPrompt {
    name: 'login' | 'consent' | string;
    reasons: string[];
    details: {
      missingOIDCScope?: string[];
      missingOIDCClaims?: string[];
      missingResourceScopes?: Record<string, string[]>;
    };
  }

  export interface InteractionDetails {
    readonly uid: string;
    readonly prompt: InteractionPrompt;
    readonly params: Record<string, string | undefined>;
    readonly session?: { accountId: string };
    readonly grantId?: string;
  }

  export interface InteractionResults {
    login?: { accountId: string; remember?: boolean };
    consent?: { grantId: string };
    error?: string;
    error_description?: string;
  }

  export interface Grant {
    addOIDCScope(scope: string): void;
    addOIDCClaims(claims: string[]): void;
    addResourceScope(resource: string, scope: string): void;
    rejectResourceScope(resource: string, scope: string): void;
    save(): Promise<string>;
    destroy(): Promise<void>;
  }

  export interface GrantModel {
    new (init: { accountId: string; clientId: string }): Grant;
    find(id: string): Promise<Grant | undefined>;
  }

  export interface ClientModel {
    find(id: string): Promise<ProviderClient | undefined>;
  }

  /** An access token as the `access_token.issued` event sees it (JWT tokens are issued, not saved). */
  export interface IssuedAccessToken {
    readonly jti: string;
    readonly grantId?: string;
    readonly exp?: number;
  }

  export interface ResourceServerInfo {
    scope: string;
    audience: string;
    accessTokenTTL: number;
    accessTokenFormat: 'jwt' | 'opaque';
    jwt?: { sign?: { alg: string } };
  }

  export interface Account {
    accountId: string;
    claims(): Promise<Record<string, unknown> & { sub: string }>;
  }

  export interface ProviderConfiguration {
    adapter?: (model: string) => unknown;
    clients?: Array<Record<string, unknown>>;
    jwks?: { keys: Array<Record<string, unknown>> };
    cookies?: { keys: string[] };
    scopes?: string[];
    ttl?: Record<string, number>;
    pkce?: { required(ctx: ProviderContext, client: ProviderClient): boolean };
    features?: Record<string, Record<string, unknown>>;
    interactions?: { url(ctx: ProviderContext, interaction: { uid: string }): string };
    findAccount?(ctx: ProviderContext, id: string): Promise<Account | undefined>;
    issueRefreshToken?(ctx: ProviderContext, client: ProviderClient): Promise<boolean>;
    rotateRefreshToken?: boolean;
    expiresWithSession?(): Promise<boolean>;
    clientBasedCORS?(ctx: ProviderContext, origin: string, client: ProviderClient): boolean;
    conformIdTokenClaims?: boolean;
    renderError?(
      ctx: ProviderContext & { body: string; type: string },
      out: Record<string, string>,
    ): Promise<void>;
  }

  export class Provider {
    constructor(issuer: string, configuration: ProviderConfiguration);
    readonly issuer: string;
    proxy: boolean;
    readonly Grant: GrantModel;
    readonly Client: ClientModel;
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
    urlFor(name: string): string;
    interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<InteractionDetails>;
    interactionFinished(
      req: IncomingMessage,
      res: ServerResponse,
      result: InteractionResults,
      options?: { mergeWithLastSubmission?: boolean },
    ): Promise<void>;
    on(event: 'access_token.issued', listener: (token: IssuedAccessToken) => void): this;
    on(event: 'server_error', listener: (ctx: ProviderContext, error: Error) => void): this;
  }

  export const errors: {
    InvalidTarget: new (description?: string) => Error;
  };

  export default Provider;
}
