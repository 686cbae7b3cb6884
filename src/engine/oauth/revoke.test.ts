import { describe, expect, it } from 'vitest';
import { isLabError } from '../errors';
import { revokeToken } from './revoke';
import type { AuthorizationServerMetadata, ClientBinding } from './types';

const client: ClientBinding = {
  issuer: 'https://auth.example',
  clientInformation: {
    client_id: 'app',
    client_secret: 's3cret',
    token_endpoint_auth_method: 'client_secret_post',
  },
  source: 'preregistered',
  redirectUri: 'https://app.example/callback',
};
const metadata = (revocation_endpoint: string) =>
  ({
    issuer: 'https://auth.example',
    authorization_endpoint: 'https://auth.example/authorize',
    token_endpoint: 'https://auth.example/token',
    response_types_supported: ['code'],
    revocation_endpoint,
  }) as AuthorizationServerMetadata;

function recordingFetch() {
  const sent: Array<{ url: string; body: string }> = [];
  const fetchFor = () => async (input: string | URL | Request, init?: RequestInit) => {
    sent.push({ url: String(input), body: String(init?.body ?? '') });
    return new Response(null, { status: 200 });
  };
  return { sent, fetchFor };
}

describe('revocation (RFC 7009)', () => {
  it('HX4 AR-3: a plain-http, non-loopback revocation_endpoint gets neither the token nor the client secret', async () => {
    const { sent, fetchFor } = recordingFetch();
    const attempt = revokeToken(
      {
        client,
        metadata: metadata('http://revoke.evil.example/revoke'),
        token: 'rt-secret',
        hint: 'refresh_token',
      },
      fetchFor,
    );
    await expect(attempt).rejects.toSatisfy(
      (e) => isLabError(e, 'oauth_failed') && /is not https/.test((e as Error).message),
    );
    expect(sent).toEqual([]);
  });

  it("HX4 AR-3: an https or loopback revocation_endpoint is used, with the registration's client authentication", async () => {
    for (const endpoint of ['https://auth.example/revoke', 'http://127.0.0.1:3001/revoke']) {
      const { sent, fetchFor } = recordingFetch();
      await revokeToken(
        { client, metadata: metadata(endpoint), token: 'rt-1', hint: 'refresh_token' },
        fetchFor,
      );
      expect(sent).toHaveLength(1);
      expect(sent[0]?.url).toBe(endpoint);
      expect(new URLSearchParams(sent[0]?.body).get('client_secret')).toBe('s3cret');
    }
  });
});
