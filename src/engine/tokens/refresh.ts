import { abortError, type Clock } from '../clock';
import { isLabError, LabError } from '../errors';
import { mask } from '../timeline/redact';
import { accessValid, type CredentialView, readView, refreshUsable, toTokens } from './credential-view';
import { accessExpiry, refreshExpiry } from './expiry';
import { lockName } from './keys';
import type { LockManagerLike } from './locks';
import { accessDraft, accessSecrets, type CredentialRecords, refreshDraft } from './records';
import { classifyRefreshError, type RefreshFailure } from './refresh-errors';
import type { TokenLog } from './token-log';
import type { CredentialKey, RecordKind, Refresher, TokenResponse, Tokens } from './types';

export interface RefreshContext {
  records: CredentialRecords;
  log: TokenLog;
  clock: Clock;
  refresher: Refresher;
  locks: LockManagerLike | undefined;
  defaultLifetimeMs: number;
}

export interface RefreshPlan {
  key: CredentialKey;
  scope: string | undefined;
  force: boolean;
  /** The access record revision the caller saw when it decided to refresh (for `force`). */
  observedAccessRev: string | undefined;
  /** The access token the server refused (for `force`): any other valid stored token is newer. */
  rejectedAccessToken?: string;
}

/** LabError('reauth_required') with a message that names the server and why. Rule T3/T5. */
export function reauthRequired(key: CredentialKey, why: string, ruleIds: string[], details = {}): LabError {
  return new LabError('reauth_required', `Failed to get tokens for "${key.server}": ${why}.`, {
    hint: 'Authorize again.',
    ruleIds,
    details,
  });
}

const isTokenResponse = (v: unknown): v is TokenResponse =>
  !!v &&
  typeof v === 'object' &&
  typeof (v as { access_token?: unknown }).access_token === 'string' &&
  (v as { access_token: string }).access_token.length > 0;

/**
 * Runs one refresh for a flight (T4): under the cross-tab lock when there is one (T8), reading
 * the stored tokens only once it runs. Resolves `undefined` on a transient failure (T5).
 *
 * Rules T4, T8.
 */
export function runRefresh(
  ctx: RefreshContext,
  plan: RefreshPlan,
  signal: AbortSignal,
): Promise<Tokens | undefined> {
  if (!ctx.locks) return redeem(ctx, plan, signal);
  const name = lockName(plan.key, plan.scope);
  return ctx.locks.request(name, { mode: 'exclusive', signal }, () => redeem(ctx, plan, signal));
}

async function redeem(
  ctx: RefreshContext,
  plan: RefreshPlan,
  signal: AbortSignal,
): Promise<Tokens | undefined> {
  const { key } = plan;
  const { log } = ctx;
  // T4: the refresh token is read now, not when the caller queued: an earlier flight, an
  // interactive grant or another tab (T8) may have replaced it meanwhile.
  const view = await readView(ctx.records, log, key);
  const now = ctx.clock.now();
  const replaced =
    plan.rejectedAccessToken !== undefined
      ? view.access?.secrets.access_token !== plan.rejectedAccessToken
      : view.access?.record.rev !== plan.observedAccessRev;
  if (accessValid(view, now) && (!plan.force || replaced)) {
    log.decision(
      key,
      'T8: a fresh access token was stored meanwhile (another tab or flight); not redeeming',
      ['T8', 'T4'],
    );
    return toTokens(view, now, 'refreshed');
  }
  if (!view.refresh || !view.client || !refreshUsable(view, now)) {
    log.decision(key, 'T3: no usable refresh token when the refresh ran; re-authentication required', ['T3']);
    throw reauthRequired(key, 'no usable refresh token is stored', ['T3']);
  }
  if (signal.aborted) throw abortError(signal);

  const refreshToken = view.refresh.secrets.refresh_token;
  log.event(key, {
    kind: 'decision',
    summary: `T4: redeeming refresh token ${mask(refreshToken)}`,
    ruleIds: ['T4', 'O9'],
    data: { refreshToken: mask(refreshToken), gen: view.refresh.record.gen, scope: plan.scope ?? null },
  });
  let response: unknown;
  try {
    response = await ctx.refresher({
      refreshToken,
      client: view.client.client,
      ...(plan.scope !== undefined ? { scope: plan.scope } : {}),
      signal,
    });
  } catch (e) {
    return onFailure(ctx, plan, view, classifyRefreshError(e));
  }
  if (!isTokenResponse(response))
    return onFailure(ctx, plan, view, {
      kind: 'transient',
      message: 'the token response has no access_token',
    });
  return storeRefreshed(ctx, plan, view, response);
}

async function storeRefreshed(
  ctx: RefreshContext,
  plan: RefreshPlan,
  view: CredentialView,
  response: TokenResponse,
): Promise<Tokens> {
  const { key } = plan;
  const { log } = ctx;
  log.secret(response.access_token, response.refresh_token, response.id_token);
  const now = ctx.clock.now();
  const setId = view.client?.record.setId ?? '';
  const oldRefresh = view.refresh?.secrets.refresh_token;
  try {
    if (response.refresh_token) {
      // TOK-5/O9: a returned refresh token replaces the old one, which the AS now considers dead.
      const exp = refreshExpiry(response, now, ctx.defaultLifetimeMs);
      const rec = await ctx.records.writeIf(
        key,
        'refresh',
        view.snapshot.refresh?.rev,
        refreshDraft(setId, now, exp),
        {
          refresh_token: response.refresh_token,
        },
      );
      const rotated = response.refresh_token !== oldRefresh;
      log.event(key, {
        summary: rotated
          ? `TOK-5: stored the rotated refresh token ${mask(response.refresh_token)} (gen ${rec?.gen})`
          : `T2: the AS re-issued the same refresh token; expiry updated (gen ${rec?.gen})`,
        ruleIds: ['T6', 'TOK-5', 'O9'],
        data: {
          refreshToken: mask(response.refresh_token),
          expiresAt: exp.expiresAt,
          expirySource: exp.source,
        },
      });
    } else {
      log.decision(key, 'TOK-5: the response has no refresh_token; keeping the stored one', ['TOK-5', 'O9']);
    }
    const exp = accessExpiry(response, now, ctx.defaultLifetimeMs);
    const scope = response.scope ?? plan.scope ?? view.access?.record.scope;
    const tokenType = response.token_type ?? view.access?.record.tokenType ?? 'Bearer';
    const rec = await ctx.records.writeIf(
      key,
      'access',
      view.snapshot.access?.rev,
      accessDraft(setId, now, exp, tokenType, scope),
      accessSecrets(response),
    );
    log.event(key, {
      summary: `T4: refreshed; stored access token ${mask(response.access_token)} (gen ${rec?.gen})`,
      ruleIds: ['T4', 'T2', 'T6'],
      data: { accessToken: mask(response.access_token), expiresAt: exp.expiresAt, expirySource: exp.source },
    });
    return {
      access_token: response.access_token,
      token_type: tokenType,
      expires_at: exp.expiresAt,
      expires_in: Math.max(0, Math.floor((exp.expiresAt - now) / 1000)),
      ...(scope !== undefined ? { scope } : {}),
      ...(response.id_token ? { id_token: response.id_token } : {}),
      hasRefreshToken: response.refresh_token ? true : refreshUsable(view, now),
      source: 'refreshed',
    };
  } catch (e) {
    if (isLabError(e, 'store_conflict'))
      log.warn(key, 'T6: the refresh result lost a race with another write; the other write is kept', ['T6']);
    throw e;
  }
}

/** Deletes or updates a record only if nobody replaced it since `view` was read; a newer record wins. */
async function replaceQuietly(
  ctx: RefreshContext,
  key: CredentialKey,
  kind: RecordKind,
  write: () => Promise<unknown>,
): Promise<void> {
  try {
    await write();
  } catch (e) {
    if (!isLabError(e, 'store_conflict')) throw e;
    ctx.log.event(key, {
      summary: `T6: the ${kind} record changed meanwhile; left as it is`,
      ruleIds: ['T6'],
    });
  }
}

async function onFailure(
  ctx: RefreshContext,
  plan: RefreshPlan,
  view: CredentialView,
  failure: RefreshFailure,
): Promise<undefined> {
  const { key } = plan;
  const { log } = ctx;
  const details = { code: failure.code ?? null, status: failure.status ?? null };
  if (failure.kind === 'invalid_client') {
    // T5/F17: the registration is refused; a new one must be made, and its refresh token is useless.
    await replaceQuietly(ctx, key, 'client', () =>
      ctx.records.writeIf(key, 'client', view.client?.record.rev, undefined),
    );
    await replaceQuietly(ctx, key, 'refresh', () =>
      ctx.records.writeIf(key, 'refresh', view.refresh?.record.rev, undefined),
    );
    log.decision(
      key,
      `T5: the AS refused the client (${failure.message}); deleted client and refresh records`,
      ['T5', 'F17'],
      details,
    );
    throw reauthRequired(
      key,
      'the authorization server refused the client registration',
      ['T5', 'F17'],
      details,
    );
  }
  if (failure.kind === 'invalid_grant' && view.refresh) {
    // The refresh token is dead: mark it so it is never redeemed again, but keep it visible.
    const { v: _v, gen: _gen, rev, sealed: _sealed, ...rest } = view.refresh.record;
    const secrets = view.refresh.secrets;
    await replaceQuietly(ctx, key, 'refresh', () =>
      ctx.records.writeIf(key, 'refresh', rev, { ...rest, rejectedAt: ctx.clock.now() }, secrets),
    );
    log.decision(
      key,
      `T5: the AS rejected the refresh token (${failure.message}); marked rejected`,
      ['T5'],
      details,
    );
    throw reauthRequired(
      key,
      'the authorization server rejected the refresh token (invalid_grant)',
      ['T5'],
      details,
    );
  }
  // T5: network, 5xx, timeout, abort, malformed response: no tokens, and nothing stored changes.
  log.warn(
    key,
    `T5: refresh failed (${failure.kind}: ${failure.message}); stored credentials kept`,
    ['T5'],
    details,
  );
  return undefined;
}
