import { registerClient } from '@modelcontextprotocol/client';
import { LabError } from '../errors';
import type { Lane } from '../timeline/events';
import type { TimelineRecorder } from '../timeline/recorder';
import { REVISIONS } from './revisions';
import { fromSdkError } from './sdk-errors';
import type { ClientBinding, Discovery, FetchLike, OAuthConfig } from './types';

export interface ClientContext {
  config: OAuthConfig;
  fetchFor: (to: Lane, label?: string) => FetchLike;
  recorder?: TimelineRecorder;
}

/** REG-2: a CIMD client id is an https URL with a path. */
function validCimdUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' && u.pathname.length > 1;
  } catch {
    return false;
  }
}

/**
 * O5 / REG-1: how the client identifies itself to this AS, in order: a registration stored for
 * this very issuer (REG-6: never one made with another AS), a pre-registered client, a Client ID
 * Metadata Document (when the AS supports it and a URL is configured), dynamic registration; else
 * a clear error.
 * @see https://modelcontextprotocol.io/specification/2025-11-25/basic/authorization#client-registration-approaches
 */
export async function resolveClient(
  ctx: ClientContext,
  discovery: Discovery,
  stored?: ClientBinding,
): Promise<ClientBinding> {
  const { config, recorder } = ctx;
  const profile = REVISIONS[config.revision];
  const decide = (summary: string, ruleIds: string[]) =>
    recorder?.record({ lane: 'factory', kind: 'decision', summary, ruleIds });
  const redirectUri = config.redirectUri;
  if (stored && stored.issuer === discovery.issuer && stored.redirectUri === redirectUri) {
    decide(
      `Reusing the ${stored.source} client ${stored.clientInformation.client_id} registered with ${stored.issuer}`,
      ['O5', 'REG-6'],
    );
    return stored;
  }
  if (stored && stored.issuer !== discovery.issuer)
    decide(`The stored client belongs to ${stored.issuer}, not ${discovery.issuer}: not reusing it`, [
      'O5',
      'DISC-6',
      'REG-6',
    ]);

  const pre = config.client.preRegistered;
  if (pre?.clientId) {
    decide(`Using the pre-registered client ${pre.clientId}`, ['O5', 'REG-3']);
    return {
      issuer: discovery.issuer,
      source: 'preregistered',
      redirectUri,
      clientInformation: {
        client_id: pre.clientId,
        ...(pre.clientSecret ? { client_secret: pre.clientSecret } : {}),
        ...(pre.tokenEndpointAuthMethod ? { token_endpoint_auth_method: pre.tokenEndpointAuthMethod } : {}),
      },
    };
  }
  const cimdUrl = config.client.clientMetadataUrl;
  if (profile.cimd && cimdUrl && discovery.metadata.client_id_metadata_document_supported) {
    if (!validCimdUrl(cimdUrl))
      throw new LabError(
        'invalid_input',
        `Failed to use the client metadata URL ${cimdUrl}: a CIMD client id must be an https URL with a path.`,
        {
          ruleIds: ['REG-2'],
        },
      );
    decide(`Using the Client ID Metadata Document ${cimdUrl} as client_id`, ['O5', 'REG-2']);
    return {
      issuer: discovery.issuer,
      source: 'cimd',
      redirectUri,
      clientInformation: { client_id: cimdUrl },
    };
  }
  const endpoint = discovery.metadata.registration_endpoint;
  if (endpoint && config.client.allowDynamicRegistration !== false) {
    const method = config.client.tokenEndpointAuthMethod ?? 'none';
    try {
      const info = await registerClient(discovery.issuer, {
        metadata: discovery.metadata,
        clientMetadata: {
          client_name: config.client.clientName ?? 'MCP Lab',
          redirect_uris: [redirectUri],
          grant_types: ['authorization_code', 'refresh_token'],
          response_types: ['code'],
          token_endpoint_auth_method: method,
          ...(profile.applicationType ? { application_type: config.client.applicationType ?? 'web' } : {}),
        },
        fetchFn: ctx.fetchFor('as', 'register'),
      });
      recorder?.redactor.addSecret(info.client_secret);
      decide(`Registered dynamically with ${discovery.issuer} as ${info.client_id}`, [
        'O5',
        'REG-4',
        ...(profile.applicationType ? ['REG-5'] : []),
      ]);
      return { issuer: discovery.issuer, source: 'dcr', redirectUri, clientInformation: info };
    } catch (e) {
      throw fromSdkError(e, `register with ${discovery.issuer}`, ['O5', 'REG-4', 'REG-5']);
    }
  }
  throw new LabError(
    'no_client_identity',
    `Failed to identify this client to ${discovery.issuer}: it offers no dynamic registration${discovery.metadata.client_id_metadata_document_supported ? '' : ', does not support Client ID Metadata Documents'} and no pre-registered client is configured.`,
    {
      hint: 'Enter a client id (and secret) registered with this authorization server, or a Client ID Metadata Document URL.',
      ruleIds: ['O5', 'REG-1'],
    },
  );
}
