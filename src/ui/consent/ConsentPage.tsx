import { useState } from 'react';

/**
 * The consent page of the mock authorization servers, shown in the popup. A service worker cannot
 * answer a popup's navigation, so the playground renders the AS's page itself and sends the
 * person's decision to the mock AS's decision API, then follows the redirect like a real AS would.
 */
export function ConsentPage({ authorizationUrl }: { authorizationUrl: string }) {
  const url = new URL(authorizationUrl);
  const params = url.searchParams;
  const requested = (params.get('scope') ?? '').split(' ').filter(Boolean);
  const [scopes, setScopes] = useState<string[]>(requested);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function decide(decision: 'approve' | 'deny', options: { wrongState?: boolean } = {}) {
    setBusy(true);
    setError(undefined);
    try {
      const endpoint = `${url.origin}${url.pathname.replace(/\/authorize$/, '/mock/decision')}`;
      const res = await fetch(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ authorizationUrl, decision, ...(decision === 'approve' ? { scopes } : {}) }),
      });
      const body = (await res.json()) as { redirectTo?: string; error?: string; error_description?: string };
      if (!body.redirectTo)
        throw new Error(`${body.error ?? `HTTP ${res.status}`}: ${body.error_description ?? ''}`);
      const next = new URL(body.redirectTo);
      if (options.wrongState) next.searchParams.set('state', 'forged-state');
      location.assign(next.href);
    } catch (e) {
      setError(`The authorization server refused: ${(e as Error).message}`);
      setBusy(false);
    }
  }

  return (
    <main data-testid="consent-page" className="mx-auto max-w-md p-6 text-sm">
      <p className="text-xs uppercase tracking-wide text-slate-600 dark:text-slate-400">
        Mock authorization server · {url.host}
      </p>
      <h1 className="mt-1 text-xl font-semibold">Authorize {params.get('client_id')}?</h1>
      <p className="mt-2 text-slate-600 dark:text-slate-300">
        It asks to use <span className="font-mono">{params.get('resource') ?? 'this server'}</span> on your
        behalf. Untick a scope to approve fewer.
      </p>
      <fieldset className="mt-4 space-y-2">
        <legend className="font-medium">Scopes</legend>
        {requested.length === 0 && (
          <p className="text-slate-600 dark:text-slate-400">No scope requested (the server's default).</p>
        )}
        {requested.map((s) => (
          <label key={s} className="flex items-center gap-2">
            <input
              type="checkbox"
              data-testid={`consent-scope-${s}`}
              checked={scopes.includes(s)}
              onChange={(e) => setScopes(e.target.checked ? [...scopes, s] : scopes.filter((x) => x !== s))}
            />
            <span className="font-mono">{s}</span>
          </label>
        ))}
      </fieldset>
      {error && (
        <p role="alert" className="mt-3 rounded bg-red-50 p-2 text-red-800">
          {error}
        </p>
      )}
      <div className="mt-6 flex flex-wrap gap-2">
        <button
          type="button"
          data-testid="consent-approve"
          disabled={busy}
          onClick={() => decide('approve')}
          className="rounded bg-emerald-700 px-4 py-2 font-medium text-white disabled:opacity-50"
        >
          Approve
        </button>
        <button
          type="button"
          data-testid="consent-deny"
          disabled={busy}
          onClick={() => decide('deny')}
          className="rounded border border-slate-300 px-4 py-2"
        >
          Deny
        </button>
        <button
          type="button"
          data-testid="consent-wrong-state"
          disabled={busy}
          onClick={() => decide('approve', { wrongState: true })}
          className="rounded border border-amber-400 px-4 py-2 text-amber-800 dark:text-amber-300"
          title="Approve, but answer with another state: the client must refuse it (O7)"
        >
          Approve with a wrong state
        </button>
      </div>
    </main>
  );
}
