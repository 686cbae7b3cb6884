import { type ReactNode, useId, useState } from 'react';
import type { AccessExpirySource, ClientObtainedVia, RefreshExpirySource } from '../../engine/tokens';
import { ACTION_TITLES, type TokenActions } from './actions';
import { formatCountdown } from './countdown';
import { FlowTable } from './FlowTable';
import type { TokenGroup } from './grouping';
import { decodeJwtClaims, formatClaim } from './jwt';

const OBTAINED_VIA: Record<ClientObtainedVia, string> = {
  dcr: 'DCR (dynamic registration)',
  cimd: 'CIMD (client ID metadata document)',
  preregistered: 'pre-registered',
};
const ACCESS_SOURCE: Record<AccessExpirySource, string> = {
  expires_at: 'from expires_at',
  expires_in: 'from expires_in',
  jwt_exp: 'from the JWT exp claim',
  default: 'default lifetime (the server gave none)',
};
const REFRESH_SOURCE: Record<RefreshExpirySource, string> = {
  refresh_token_expires_in: 'from refresh_token_expires_in',
  default: 'default lifetime (the server gave none)',
};

const sectionClass = 'rounded-md border border-slate-200 p-3 dark:border-slate-700';
const buttonClass =
  'rounded-md border border-slate-300 px-2.5 py-1 text-sm hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-sky-600 disabled:cursor-not-allowed disabled:opacity-50 dark:border-slate-600 dark:hover:bg-slate-800';

function Field({ label, children, mono = false }: { label: string; children: ReactNode; mono?: boolean }) {
  return (
    <>
      <dt className="text-slate-500 dark:text-slate-400">{label}</dt>
      <dd className={mono ? 'font-mono break-all' : 'break-words'}>{children}</dd>
    </>
  );
}

function Expiry({ expiresAt, now }: { expiresAt: number; now: number }) {
  const expired = expiresAt <= now;
  const at = new Date(expiresAt);
  return (
    <span
      data-testid="token-expiry"
      data-expired={expired}
      title={Number.isNaN(at.getTime()) ? undefined : at.toISOString()}
      className={expired ? 'font-medium text-red-700 dark:text-red-300' : ''}
    >
      {formatCountdown(expiresAt, now)}
    </span>
  );
}

type ActionId = 'expire' | 'corrupt' | 'delete-refresh' | 'revoke';
const ACTION_LABEL: Record<ActionId, string> = {
  expire: 'Expire now',
  corrupt: 'Corrupt',
  'delete-refresh': 'Delete refresh token',
  revoke: 'Revoke at the AS',
};
/** Token actions get ids unique in the page (`token-3`), so a test waits for the one it started. */
let tokenActionSeq = 0;
const ACTION_TITLE: Record<ActionId, string> = {
  expire: ACTION_TITLES.expire,
  corrupt: ACTION_TITLES.corrupt,
  'delete-refresh': ACTION_TITLES.deleteRefresh,
  revoke: ACTION_TITLES.revoke,
};

/** All records of one identity (tenant, user, server): client, access token, refresh token, flows, actions. */
export function TokenSetCard({
  group,
  now,
  actions,
  onDone,
}: {
  group: TokenGroup;
  now: number;
  actions: TokenActions;
  onDone: () => void;
}) {
  const { key, credential: c, flows } = group;
  const [busy, setBusy] = useState<ActionId>();
  const [error, setError] = useState<string>();
  const [status, setStatus] = useState<{ id: string; action: ActionId; state: 'pending' | 'ok' | 'error' }>();
  const headingId = useId();

  const run = async (id: ActionId, doing: string, fn: () => Promise<void>) => {
    tokenActionSeq += 1;
    const actionId = `token-${tokenActionSeq}`;
    setBusy(id);
    setError(undefined);
    setStatus({ id: actionId, action: id, state: 'pending' });
    try {
      await fn();
      setStatus({ id: actionId, action: id, state: 'ok' });
    } catch (e) {
      setError(`Failed to ${doing}: ${e instanceof Error ? e.message : String(e)}`);
      setStatus({ id: actionId, action: id, state: 'error' });
    } finally {
      setBusy(undefined);
      onDone();
    }
  };
  const button = (id: ActionId, label: string, doing: string, enabled: boolean, fn: () => Promise<void>) => (
    <button
      type="button"
      data-testid={`token-action-${id}`}
      title={ACTION_TITLE[id]}
      disabled={!enabled || busy !== undefined}
      aria-busy={busy === id}
      onClick={() => void run(id, doing, fn)}
      className={buttonClass}
    >
      {label}
    </button>
  );
  const claims = c?.access ? decodeJwtClaims(c.access.token) : undefined;
  const refreshState = c?.refresh?.rejected ? 'rejected' : c?.refresh?.expired ? 'expired' : 'usable';

  return (
    <li
      data-testid="token-set"
      data-tenant={key.tenant}
      data-user={key.user}
      data-server={key.server}
      aria-labelledby={headingId}
      className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm dark:border-slate-700 dark:bg-slate-900"
    >
      <h3 id={headingId} className="font-semibold">
        <span className="font-mono">{key.server}</span>
        <span className="ml-2 text-sm font-normal text-slate-500 dark:text-slate-400">
          tenant <span className="font-mono">{key.tenant}</span> · user{' '}
          <span className="font-mono">{key.user}</span>
        </span>
      </h3>
      {c ? (
        <div className="mt-3 grid gap-3 md:grid-cols-3">
          <section data-testid="token-client" aria-label="Client registration" className={sectionClass}>
            <h4 className="mb-1 text-sm font-medium">Client registration</h4>
            {c.client ? (
              <dl className="grid grid-cols-[max-content_1fr] gap-x-2 gap-y-0.5 text-xs">
                <Field label="Client id" mono>
                  {c.client.clientId}
                </Field>
                <Field label="Obtained via">
                  {OBTAINED_VIA[c.client.obtainedVia] ?? c.client.obtainedVia}
                </Field>
                <Field label="Issuer" mono>
                  {c.client.issuer}
                </Field>
                <Field label="Secret" mono>
                  {c.client.clientSecret ?? 'none (public client)'}
                </Field>
                {c.client.resource !== undefined && (
                  <Field label="Resource" mono>
                    {c.client.resource}
                  </Field>
                )}
                <Field label="Generation">{c.client.gen}</Field>
              </dl>
            ) : (
              <p className="text-xs text-slate-500 dark:text-slate-400">No client registration.</p>
            )}
          </section>
          <section
            data-testid="token-access"
            data-state={c.access ? (c.access.expired ? 'expired' : 'valid') : 'absent'}
            aria-label="Access token"
            className={sectionClass}
          >
            <h4 className="mb-1 text-sm font-medium">Access token</h4>
            {c.access ? (
              <dl className="grid grid-cols-[max-content_1fr] gap-x-2 gap-y-0.5 text-xs">
                <Field label="Value" mono>
                  {c.access.token}
                </Field>
                <Field label="Type">{c.access.tokenType}</Field>
                <Field label="Scope" mono>
                  {c.access.scope ?? '(none stated)'}
                </Field>
                <Field label="Expiry">
                  <Expiry expiresAt={c.access.expiresAt} now={now} />
                </Field>
                <Field label="Expiry source">
                  {ACCESS_SOURCE[c.access.expirySource] ?? c.access.expirySource}
                </Field>
                <Field label="Generation">{c.access.gen}</Field>
                <Field label={claims ? 'JWT claims' : 'Claims'}>
                  {claims ? (
                    <dl data-testid="token-claims" className="grid grid-cols-[max-content_1fr] gap-x-2">
                      {Object.entries(claims).map(([name, value]) => (
                        <Field key={name} label={name} mono>
                          {formatClaim(name, value)}
                        </Field>
                      ))}
                    </dl>
                  ) : (
                    <span className="text-slate-500 dark:text-slate-400">
                      value masked; from the store: scope {c.access.scope ?? '(none)'}, exp{' '}
                      {Math.floor(c.access.expiresAt / 1000)}
                    </span>
                  )}
                </Field>
              </dl>
            ) : (
              <p className="text-xs text-slate-500 dark:text-slate-400">No access token.</p>
            )}
          </section>
          <section
            data-testid="token-refresh"
            data-state={c.refresh ? refreshState : 'absent'}
            aria-label="Refresh token"
            className={sectionClass}
          >
            <h4 className="mb-1 text-sm font-medium">Refresh token</h4>
            {c.refresh ? (
              <dl className="grid grid-cols-[max-content_1fr] gap-x-2 gap-y-0.5 text-xs">
                <Field label="Value" mono>
                  {c.refresh.token}
                </Field>
                <Field label="Expiry">
                  <Expiry expiresAt={c.refresh.expiresAt} now={now} />
                </Field>
                <Field label="Expiry source">
                  {REFRESH_SOURCE[c.refresh.expirySource] ?? c.refresh.expirySource}
                </Field>
                <Field label="Rejected">
                  {c.refresh.rejected ? (
                    <span className="font-medium text-red-700 dark:text-red-300">
                      yes: the AS refused it (T5)
                    </span>
                  ) : (
                    'no'
                  )}
                </Field>
                <Field label="Generation">{c.refresh.gen}</Field>
              </dl>
            ) : (
              <p className="text-xs text-slate-500 dark:text-slate-400">No refresh token.</p>
            )}
          </section>
        </div>
      ) : (
        <p className="mt-2 text-sm text-slate-600 dark:text-slate-400">No stored credentials yet.</p>
      )}
      {c && c.ignored.length > 0 && (
        <p data-testid="token-ignored" className="mt-2 text-xs text-amber-800 dark:text-amber-300">
          Ignored records ({c.ignored.join(', ')}): of another credential set or unreadable (T1, T7).
        </p>
      )}
      <FlowTable flows={flows} now={now} caption="Flows" />
      {c && (
        <fieldset className="mt-3 flex flex-wrap gap-2 border-0 p-0">
          <legend className="sr-only">Actions for this credential set</legend>
          {button('expire', ACTION_LABEL.expire, 'expire the access token', !!c.access, () =>
            actions.expireAccess(key),
          )}
          {button('corrupt', ACTION_LABEL.corrupt, 'corrupt the access token', !!c.access, () =>
            actions.corruptAccess(key),
          )}
          {button(
            'delete-refresh',
            ACTION_LABEL['delete-refresh'],
            'delete the refresh token',
            !!c.refresh,
            () => actions.deleteRefresh(key),
          )}
          {button(
            'revoke',
            ACTION_LABEL.revoke,
            'revoke the grant at the AS',
            !!(c.access || c.refresh),
            () => actions.revoke(key),
          )}
        </fieldset>
      )}
      {status && (
        <p
          data-testid="token-action-status"
          data-action-id={status.id}
          data-action={status.action}
          data-state={status.state}
          role="status"
          className="mt-2 text-xs text-slate-600 dark:text-slate-400"
        >
          {status.state === 'pending'
            ? `${ACTION_LABEL[status.action]}…`
            : status.state === 'ok'
              ? `${ACTION_LABEL[status.action]}: done`
              : `${ACTION_LABEL[status.action]}: failed`}
        </p>
      )}
      {error && (
        <p
          role="alert"
          data-testid="token-action-error"
          className="mt-2 text-sm text-red-700 dark:text-red-300"
        >
          {error}
        </p>
      )}
    </li>
  );
}
