import { useEffect, useId, useRef, useState } from 'react';
import { ACTION_TITLES, type TokenActions } from './actions';
import { FlowTable } from './FlowTable';
import { groupByIdentity } from './grouping';
import { TokenSetCard } from './TokenSetCard';
import { type TokensEngine, useNow, useTokenData } from './useTokenData';

export interface TokensPanelProps {
  engine: TokensEngine;
  /** What the action buttons do; the app implements them. */
  actions: TokenActions;
  /** The time countdowns count against; default: the engine's clock (token expiry is on it). */
  now?: () => number;
}

const buttonClass =
  'rounded-md border px-2.5 py-1 text-sm focus-visible:outline-2 focus-visible:outline-sky-600 disabled:cursor-not-allowed disabled:opacity-50';

/**
 * Every record the engine keeps in its stores, per identity (tenant, user, server): client
 * registration, access and refresh tokens (masked, T7) with live expiry, and flows (S1). Reloads on
 * `tokens` and `flows` timeline events; countdowns tick every second.
 */
export function TokensPanel({ engine, actions, now }: TokensPanelProps) {
  const { data, error, reload } = useTokenData(engine);
  const t = useNow(now ?? (() => engine.clock.now()));
  const [confirming, setConfirming] = useState(false);
  const [clearing, setClearing] = useState(false);
  const [clearError, setClearError] = useState<string>();
  const confirmRef = useRef<HTMLButtonElement>(null);
  const clearRef = useRef<HTMLButtonElement>(null);
  const wasConfirming = useRef(false);
  const headingId = useId();

  // Keyboard users land on the confirm button, and back on "Clear all…" when the step closes.
  useEffect(() => {
    if (confirming) confirmRef.current?.focus();
    else if (wasConfirming.current) clearRef.current?.focus();
    wasConfirming.current = confirming;
  }, [confirming]);

  const cancel = () => setConfirming(false);
  const clearAll = async () => {
    setClearing(true);
    setClearError(undefined);
    try {
      await actions.clearAll();
      setConfirming(false);
    } catch (e) {
      setClearError(`Failed to clear the stores: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      setClearing(false);
      reload();
    }
  };

  const grouped = data ? groupByIdentity(data.credentials, data.flows) : undefined;
  const empty = grouped && grouped.groups.length === 0 && grouped.otherFlows.length === 0;

  return (
    <section
      data-testid="tokens-panel"
      data-state={data ? 'ready' : error ? 'failed' : 'loading'}
      aria-labelledby={headingId}
      className="text-slate-900 dark:text-slate-100"
    >
      <header className="mb-3 flex flex-wrap items-center justify-between gap-2">
        <h2 id={headingId} className="text-lg font-semibold">
          Stored tokens and flows
        </h2>
        {confirming ? (
          <fieldset
            className="flex flex-wrap items-center gap-2 border-0 p-0 text-sm"
            onKeyDown={(e) => {
              if (e.key === 'Escape') cancel();
            }}
          >
            <legend className="float-left mr-2">
              Delete every stored token, client registration and flow?
            </legend>
            <button
              ref={confirmRef}
              type="button"
              data-testid="tokens-clear-all-confirm"
              title={ACTION_TITLES.clearAll}
              disabled={clearing}
              aria-busy={clearing}
              onClick={() => void clearAll()}
              className={`${buttonClass} border-red-600 bg-red-600 text-white hover:bg-red-700`}
            >
              Yes, clear all
            </button>
            <button
              type="button"
              data-testid="tokens-clear-all-cancel"
              disabled={clearing}
              onClick={cancel}
              className={`${buttonClass} border-slate-300 hover:bg-slate-100 dark:border-slate-600 dark:hover:bg-slate-800`}
            >
              Cancel
            </button>
          </fieldset>
        ) : (
          <button
            ref={clearRef}
            type="button"
            data-testid="tokens-clear-all"
            title={ACTION_TITLES.clearAll}
            disabled={!data || empty}
            onClick={() => setConfirming(true)}
            className={`${buttonClass} border-red-300 text-red-700 hover:bg-red-50 dark:border-red-800 dark:text-red-300 dark:hover:bg-red-950`}
          >
            Clear all…
          </button>
        )}
      </header>
      {(error || clearError) && (
        <p role="alert" data-testid="tokens-error" className="mb-2 text-sm text-red-700 dark:text-red-300">
          {clearError ?? error}
        </p>
      )}
      {!data && !error && <p className="text-sm text-slate-500 dark:text-slate-400">Reading the stores…</p>}
      {empty && (
        <p data-testid="tokens-empty" className="text-sm text-slate-600 dark:text-slate-400">
          No tokens yet: connect to an OAuth server.
        </p>
      )}
      {grouped && grouped.groups.length > 0 && (
        <ul className="grid gap-3">
          {grouped.groups.map((g) => (
            <TokenSetCard key={g.id} group={g} now={t} actions={actions} onDone={reload} />
          ))}
        </ul>
      )}
      {grouped && grouped.otherFlows.length > 0 && (
        <FlowTable flows={grouped.otherFlows} now={t} caption="Other flows" />
      )}
    </section>
  );
}
