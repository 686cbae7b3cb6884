/**
 * The tokens panel's automation contract, rendered to static HTML in Node (no DOM, no effects).
 * Test IDs continue src/ui/tokens/helpers.test.ts:
 * - UI-TK9: a credential set renders with its data-testids and data attributes, masked values
 *   only, a live expiry text, and flow rows with data-state; sealed flow secrets never render.
 * - UI-TK10: the panel renders its loading state with the panel and clear-all test IDs.
 */
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../engine/engine';
import type { CredentialSummary } from '../../engine/tokens';
import type { TokenActions } from './actions';
import { groupByIdentity } from './grouping';
import { TokenSetCard } from './TokenSetCard';
import { TokensPanel } from './TokensPanel';

const noop = async () => {};
const actions: TokenActions = {
  expireAccess: noop,
  corruptAccess: noop,
  deleteRefresh: noop,
  revoke: noop,
  clearAll: noop,
};
const NOW = 1_700_000_000_000;

const credential: CredentialSummary = {
  key: { tenant: 't1', user: 'alice', server: 'notes:v2' },
  setId: 'set-1',
  client: {
    clientId: 'client-123',
    clientSecret: 'abcdef…#123456',
    issuer: 'https://as.mock.test',
    obtainedVia: 'dcr',
    serverUrl: 'https://notes.mock.test/mcp',
    redirectUri: 'http://localhost/oauth/callback',
    gen: 1,
    savedAt: NOW - 60_000,
  },
  access: {
    token: 'eyJhbG…#3fa91c',
    tokenType: 'Bearer',
    scope: 'mcp:tools',
    expiresAt: NOW + 192_000,
    expirySource: 'expires_in',
    expired: false,
    gen: 2,
    savedAt: NOW - 60_000,
  },
  refresh: {
    token: 'refres…#abcdef',
    expiresAt: NOW - 20_000,
    expirySource: 'refresh_token_expires_in',
    expired: true,
    rejected: true,
    gen: 2,
    savedAt: NOW - 60_000,
  },
  ignored: [],
};

describe('tokens panel markup', () => {
  it('UI-TK9: a credential set carries its test IDs, masked values, countdowns and flow states', () => {
    const { groups } = groupByIdentity(
      [credential],
      [
        {
          id: 't1:alice:notes%3Av2',
          type: 'mcp_oauth',
          status: 'PENDING',
          createdAt: NOW - 5_000,
          tenant: 't1',
          metadata: { authorizationUrl: 'https://as.mock.test/authorize?state=s', sealed: 'SEALED-VERIFIER' },
        },
      ],
    );
    const [group] = groups;
    if (!group) throw new Error('no group');
    const html = renderToStaticMarkup(
      createElement(TokenSetCard, { group, now: NOW, actions, onDone: () => {} }),
    );
    for (const id of [
      'token-set',
      'token-client',
      'token-access',
      'token-refresh',
      'token-expiry',
      'token-action-expire',
      'token-action-corrupt',
      'token-action-delete-refresh',
      'token-action-revoke',
      'flow-row',
    ])
      expect(html, id).toContain(`data-testid="${id}"`);
    expect(html).toContain('data-tenant="t1" data-user="alice" data-server="notes:v2"');
    expect(html).toContain('expires in 3 m 12 s');
    expect(html).toContain('expired 20 s ago');
    expect(html).toMatch(/data-testid="token-refresh" data-state="rejected"/);
    expect(html).toMatch(/data-testid="flow-row" data-state="PENDING"/);
    expect(html).toContain('DCR');
    expect(html).not.toContain('SEALED-VERIFIER');
    expect(html.match(/<button[^>]*title="Simulates[^"]+"/g)).toHaveLength(4);
  });

  it('UI-TK10: before the stores answer, the panel says it is reading and offers no clear-all yet', () => {
    const engine = createEngine({ redirectUri: 'http://localhost/oauth/callback' });
    const html = renderToStaticMarkup(createElement(TokensPanel, { engine, actions }));
    expect(html).toContain('data-testid="tokens-panel"');
    expect(html).toContain('data-state="loading"');
    expect(html).toMatch(/data-testid="tokens-clear-all"[^>]*disabled/);
    engine.flowStore.close();
  });
});
