import { describe, expect, it } from 'vitest';
import { LabError } from '../errors';
import { bearerChallenge, parseWwwAuthenticate } from './challenge';
import { covers, initialScope, scopeUnion } from './scope';

describe('WWW-Authenticate', () => {
  it('DISC-1: reads the RFC 6750 §3 examples', () => {
    expect(bearerChallenge('Bearer realm="example"')).toEqual({ scheme: 'Bearer', realm: 'example' });
    expect(
      bearerChallenge(
        'Bearer realm="example", error="invalid_token", error_description="The access token expired"',
      ),
    ).toEqual({
      scheme: 'Bearer',
      realm: 'example',
      error: 'invalid_token',
      errorDescription: 'The access token expired',
    });
  });

  it('DISC-1 DISC-3: reads the RFC 9728 §5.1 example with resource_metadata', () => {
    const c = bearerChallenge(
      'Bearer resource_metadata="https://resource.example.com/.well-known/oauth-protected-resource"',
    );
    expect(c?.resourceMetadataUrl).toBe('https://resource.example.com/.well-known/oauth-protected-resource');
  });

  it('DISC-1 SCP-1: finds the Bearer challenge among several, with escapes and token values', () => {
    const all = parseWwwAuthenticate(
      'Basic realm="x", Bearer error=insufficient_scope, scope="a b", error_description="say \\"hi\\""',
    );
    expect(all.map((c) => c.scheme)).toEqual(['Basic', 'Bearer']);
    expect(
      bearerChallenge(
        'Basic realm="x", Bearer error=insufficient_scope, scope="a b", error_description="say \\"hi\\""',
      ),
    ).toEqual({
      scheme: 'Bearer',
      error: 'insufficient_scope',
      scope: 'a b',
      errorDescription: 'say "hi"',
    });
    expect(bearerChallenge('ApiKey realm="x", header="X-API-Key"')).toBeUndefined();
    expect(bearerChallenge(null)).toBeUndefined();
  });

  it('DISC-1: a malformed header is a typed protocol error that quotes it', () => {
    const e = (() => {
      try {
        bearerChallenge('Bearer error="unterminated');
      } catch (x) {
        return x;
      }
    })();
    expect(e).toBeInstanceOf(LabError);
    expect((e as LabError).code).toBe('protocol');
    expect((e as LabError).message).toContain('unterminated quoted string');
    expect(() => bearerChallenge('Bearer resource_metadata="not a url"')).toThrow(/not an absolute URL/);
  });
});

describe('scope selection', () => {
  it('O6 SCP-1 SCP-2: the challenge scope wins, else all PRM scopes_supported, else config, else none', () => {
    const prm = { resource: 'https://x', scopes_supported: ['a', 'b'] };
    expect(initialScope('z', prm, 'c')).toBe('z');
    expect(initialScope(undefined, prm, 'c')).toBe('a b');
    expect(initialScope(undefined, { resource: 'https://x' }, 'c  d')).toBe('c d');
    expect(initialScope(undefined, undefined, undefined)).toBeUndefined();
  });

  it('O6 SCP-4: step-up asks for the union of granted and challenged scopes', () => {
    expect(scopeUnion('mcp:tools mcp:resources', 'notes:write mcp:tools')).toBe(
      'mcp:tools mcp:resources notes:write',
    );
    expect(covers('a b c', 'c a')).toBe(true);
    expect(covers('a', 'a b')).toBe(false);
  });
});
