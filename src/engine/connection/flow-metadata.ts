import { LabError } from '../errors';
import type { AuthRevision, ClientBinding, Discovery, PendingAuthorization } from '../oauth/types';
import type { SecretBox, StoredClient } from '../tokens';

/**
 * What an interactive OAuth flow stores so that whichever tab receives the redirect can finish it
 * (S3, F14): everything but secrets in the clear; the PKCE verifier and a client secret sealed with
 * the engine's secret box (T7 applies to flows too).
 */
export interface OAuthFlowMetadata {
  authorizationUrl: string;
  state: string;
  serverName: string;
  serverUrl: string;
  tenant: string;
  userId: string;
  /** F11/F14: flows are reused only for the same OAuth binding. */
  binding: string;
  revision: AuthRevision;
  discovery: Discovery;
  client: Omit<ClientBinding, 'clientInformation'> & {
    clientId: string;
    clientInformationPublic: Record<string, unknown>;
  };
  /** Whether the registration came from storage (F17 deletes it when the AS refuses it). */
  clientReused: boolean;
  pending: Omit<PendingAuthorization, 'codeVerifier'>;
  /** `{ codeVerifier, clientSecret? }`, sealed. */
  sealed: string;
  sealedPlain?: boolean;
}

interface Secrets {
  codeVerifier: string;
  clientSecret?: string;
}

export async function sealFlow(
  box: SecretBox | undefined,
  base: Omit<OAuthFlowMetadata, 'sealed' | 'sealedPlain' | 'client' | 'pending'>,
  client: ClientBinding,
  pending: PendingAuthorization,
): Promise<OAuthFlowMetadata> {
  const { client_secret, ...publicInfo } = client.clientInformation as Record<string, unknown> & {
    client_secret?: string;
  };
  const secrets: Secrets = {
    codeVerifier: pending.codeVerifier,
    ...(typeof client_secret === 'string' ? { clientSecret: client_secret } : {}),
  };
  const { codeVerifier: _v, ...pendingPublic } = pending;
  const json = JSON.stringify(secrets);
  return {
    ...base,
    client: {
      issuer: client.issuer,
      source: client.source,
      redirectUri: client.redirectUri,
      clientId: client.clientInformation.client_id,
      clientInformationPublic: publicInfo,
    },
    pending: pendingPublic,
    sealed: box ? await box.encrypt(json) : json,
    ...(box ? {} : { sealedPlain: true }),
  };
}

export async function unsealFlow(
  box: SecretBox | undefined,
  meta: OAuthFlowMetadata,
): Promise<{ client: ClientBinding; pending: PendingAuthorization }> {
  let secrets: Secrets;
  try {
    secrets = JSON.parse(meta.sealedPlain || !box ? meta.sealed : await box.decrypt(meta.sealed)) as Secrets;
  } catch (e) {
    throw new LabError(
      'flow_failed',
      'Failed to resume the OAuth flow: its sealed secrets cannot be read (another browser profile, or the key was reset).',
      {
        cause: e,
        hint: 'Start the authorization again.',
      },
    );
  }
  return {
    client: {
      issuer: meta.client.issuer,
      source: meta.client.source,
      redirectUri: meta.client.redirectUri,
      clientInformation: {
        ...meta.client.clientInformationPublic,
        client_id: meta.client.clientId,
        ...(secrets.clientSecret ? { client_secret: secrets.clientSecret } : {}),
      },
    },
    pending: { ...meta.pending, codeVerifier: secrets.codeVerifier },
  };
}

/** The token store's view of a client binding. */
export function storedClientOf(client: ClientBinding, discovery: Discovery): StoredClient {
  return {
    clientInformation: client.clientInformation as StoredClient['clientInformation'],
    issuer: client.issuer,
    authorizationServerMetadata: {
      ...discovery.metadata,
      issuer: discovery.metadata.issuer ?? client.issuer,
    },
    serverUrl: discovery.serverUrl,
    ...(discovery.resource ? { resource: discovery.resource } : {}),
    obtainedVia: client.source,
    redirectUri: client.redirectUri,
  };
}

/** The OAuth handler's view of a stored client. */
export function bindingOf(stored: StoredClient): ClientBinding {
  return {
    issuer: stored.issuer,
    source: stored.obtainedVia,
    redirectUri: stored.redirectUri,
    clientInformation: stored.clientInformation as ClientBinding['clientInformation'],
  };
}
