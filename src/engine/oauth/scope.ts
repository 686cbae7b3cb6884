import type { OAuthProtectedResourceMetadata } from './types';

/** Splits a scope string into distinct tokens, keeping order. */
export function scopeTokens(scope: string | undefined | null): string[] {
  return [...new Set((scope ?? '').split(/\s+/).filter(Boolean))];
}

/**
 * O6 / SCP-1, SCP-2: the initial scope: the challenge's `scope` (authoritative, no set relation to
 * `scopes_supported` assumed), else every PRM `scopes_supported`, else the configured scope, else
 * omitted.
 */
export function initialScope(
  challengeScope: string | undefined,
  prm: OAuthProtectedResourceMetadata | undefined,
  configured: string | undefined,
): string | undefined {
  if (challengeScope?.trim()) return scopeTokens(challengeScope).join(' ');
  if (prm?.scopes_supported?.length) return prm.scopes_supported.join(' ');
  if (configured?.trim()) return scopeTokens(configured).join(' ');
  return undefined;
}

/** O6 / SCP-4: step-up asks for the union of what was granted (or requested) and what the challenge asks. */
export function scopeUnion(...scopes: Array<string | undefined>): string {
  return scopeTokens(scopes.filter(Boolean).join(' ')).join(' ');
}

/** Whether `granted` already covers every scope of `required`. */
export function covers(granted: string | undefined, required: string | undefined): boolean {
  const g = new Set(scopeTokens(granted));
  return scopeTokens(required).every((s) => g.has(s));
}
