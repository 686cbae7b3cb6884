import { LabError } from '../errors';
import type { CredentialKey, RecordKind } from './types';

const PREFIX = 'cred';
const KINDS: readonly RecordKind[] = ['access', 'refresh', 'client'];

// Each part is percent-encoded on its own, so `/` and `:` inside a server name (F21) or a tenant
// cannot make two different keys collide (F20).
const enc = encodeURIComponent;

/** Throws unless every part of the key is a string (F20: the tenant is never optional). */
export function assertCredentialKey(key: CredentialKey): void {
  for (const part of ['tenant', 'user', 'server'] as const) {
    if (typeof key?.[part] !== 'string')
      throw new LabError(
        'invalid_input',
        `Failed to use the token store: the key's ${part} is not a string.`,
        {
          hint: 'Pass { tenant, user, server } as strings.',
          ruleIds: ['T1'],
        },
      );
  }
}

/** The store key of one of a credential key's three records. Rule T1/F20. */
export function storageKey(key: CredentialKey, kind: RecordKind): string {
  return [PREFIX, enc(key.tenant), enc(key.user), enc(key.server), kind].join('/');
}

/** The inverse of `storageKey`; `undefined` for keys the token store did not write. Rule T1. */
export function parseStorageKey(raw: string): { key: CredentialKey; kind: RecordKind } | undefined {
  const parts = raw.split('/');
  if (parts.length !== 5 || parts[0] !== PREFIX) return undefined;
  const [, tenant, user, server, kind] = parts;
  if (tenant === undefined || user === undefined || server === undefined) return undefined;
  if (!KINDS.includes(kind as RecordKind)) return undefined;
  try {
    return {
      key: {
        tenant: decodeURIComponent(tenant),
        user: decodeURIComponent(user),
        server: decodeURIComponent(server),
      },
      kind: kind as RecordKind,
    };
  } catch {
    return undefined;
  }
}

/** The in-process single-flight key of a refresh: per tenant, user, server and scope. Rule T4. */
export function flightKey(key: CredentialKey, scope: string | undefined): string {
  return JSON.stringify([key.tenant, key.user, key.server, scope ?? null]);
}

/** The Web Locks name of a refresh: the same parts as the flight key, readable in devtools. Rule T8. */
export function lockName(key: CredentialKey, scope: string | undefined): string {
  const s = scope === undefined ? '-' : `s:${enc(scope)}`;
  return `mcp-lab/tokens/refresh/${enc(key.tenant)}/${enc(key.user)}/${enc(key.server)}/${s}`;
}
