import { useCallback, useId, useState } from 'react';
import { KNOBS, type KnobDescriptor, type MockKnobs, type TokenEndpointError } from '../../../mocks/knobs';
import { formatDuration } from '../tokens/countdown';
import {
  BooleanControl,
  ChoiceControl,
  type ControlProps,
  NumberControl,
  ToolScopesControl,
} from './controls';
import { TokenErrorEditor } from './TokenErrorEditor';
import { type KnobsWorld, useClockOffset, useKnobs } from './useKnobs';

export interface KnobsPanelProps {
  world: KnobsWorld;
  /** The mock server whose knobs are shown (`MockServerDef.id`). */
  serverId: string;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const buttonClass =
  'rounded-md border border-slate-300 px-2.5 py-1 text-sm hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-sky-600 disabled:cursor-not-allowed disabled:opacity-50 dark:border-slate-600 dark:hover:bg-slate-800';

const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));
type KnobValue = MockKnobs[keyof MockKnobs];
const isTokenError = (v: KnobValue): v is TokenEndpointError =>
  typeof v === 'object' && v !== null && typeof (v as Partial<TokenEndpointError>).kind === 'string';
const isStringMap = (v: KnobValue): v is Record<string, string> =>
  typeof v === 'object' && v !== null && Object.values(v).every((s) => typeof s === 'string');

function Control({ d, value, ...p }: ControlProps & { d: KnobDescriptor; value: KnobValue }) {
  switch (d.kind) {
    case 'number':
      return <NumberControl {...p} nullable={false} value={typeof value === 'number' ? value : null} />;
    case 'nullableNumber':
      return <NumberControl {...p} nullable value={typeof value === 'number' ? value : null} />;
    case 'boolean':
      return <BooleanControl {...p} value={value === true} />;
    case 'choice':
      return <ChoiceControl {...p} value={String(value)} choices={d.choices ?? []} />;
    case 'tokenError':
      return <TokenErrorEditor {...p} value={isTokenError(value) ? value : null} />;
    case 'toolScopes':
      return <ToolScopesControl {...p} value={isStringMap(value) ? value : {}} />;
  }
}

function KnobRow({
  d,
  value,
  error,
  apply,
  setError,
}: {
  d: KnobDescriptor;
  value: MockKnobs[keyof MockKnobs];
  error: string | undefined;
  apply: (key: keyof MockKnobs, value: unknown) => boolean;
  setError: (key: keyof MockKnobs, message: string | undefined) => void;
}) {
  const id = useId();
  const descId = `${id}-desc`;
  const errId = `${id}-err`;
  return (
    <li
      data-knob={d.key}
      className="grid gap-2 border-t border-slate-100 py-3 first:border-t-0 md:grid-cols-[minmax(14rem,18rem)_1fr] dark:border-slate-800"
    >
      <div>
        <label htmlFor={id} className="font-medium">
          {d.label}
        </label>
        <p id={descId} className="text-xs text-slate-600 dark:text-slate-400">
          {d.description}
        </p>
        {d.ruleIds.length > 0 && (
          <ul aria-label="Rule IDs" className="mt-1 flex flex-wrap gap-1">
            {d.ruleIds.map((r) => (
              <li
                key={r}
                data-testid="knob-rule"
                className="rounded bg-sky-50 px-1.5 py-0.5 font-mono text-[11px] text-sky-800 dark:bg-sky-950 dark:text-sky-300"
              >
                {r}
              </li>
            ))}
          </ul>
        )}
      </div>
      <div className="grid content-start gap-1">
        <Control
          d={d}
          value={value}
          id={id}
          knobKey={d.key}
          describedBy={error ? `${descId} ${errId}` : descId}
          invalid={!!error}
          onValue={(v) => apply(d.key, v)}
          onError={(m) => setError(d.key, m)}
          onClearError={() => setError(d.key, undefined)}
        />
        {error && (
          <p
            id={errId}
            role="alert"
            data-testid="knob-error"
            data-knob={d.key}
            className="text-sm text-red-700 dark:text-red-300"
          >
            {error}
          </p>
        )}
      </div>
    </li>
  );
}

/**
 * Every fault knob of one mock server (mocks/knobs.ts KNOBS), changeable while it runs: changes
 * apply on the next request. A value the world refuses is not applied; its TypeError shows by the
 * control. Also: reset the knobs, revoke every grant now, and move the mock clock forward.
 */
export function KnobsPanel({ world, serverId }: KnobsPanelProps) {
  const knobs = useKnobs(world, serverId);
  const offset = useClockOffset(world);
  const [errors, setErrors] = useState<Partial<Record<keyof MockKnobs, string>>>({});
  const [status, setStatus] = useState<{ ok: boolean; text: string }>();
  const headingId = useId();
  const def = world.servers.find((s) => s.id === serverId);

  const setError = useCallback((key: keyof MockKnobs, message: string | undefined) => {
    setErrors((prev) => {
      const { [key]: _, ...rest } = prev;
      return message === undefined ? rest : { ...rest, [key]: message };
    });
  }, []);
  const apply = (key: keyof MockKnobs, value: unknown): boolean => {
    try {
      // The world validates every patch (validateKnobPatch) and throws a TypeError naming the knob.
      world.setKnobs(serverId, { [key]: value } as Partial<MockKnobs>);
      setError(key, undefined);
      return true;
    } catch (e) {
      setError(key, messageOf(e));
      return false;
    }
  };
  const act = (text: string, fn: () => void) => {
    try {
      fn();
      setStatus({ ok: true, text });
    } catch (e) {
      setStatus({ ok: false, text: messageOf(e) });
    }
  };

  if (!def || !knobs)
    return (
      <section data-testid="knobs-panel" data-state="unknown-server" className="p-2 text-sm">
        No mock server "{serverId}": pick one of {world.servers.map((s) => s.id).join(', ')}.
      </section>
    );

  const hasAs = def.auth === 'oauth';
  return (
    <section
      data-testid="knobs-panel"
      data-server={serverId}
      aria-labelledby={headingId}
      className="text-slate-900 dark:text-slate-100"
    >
      <header className="mb-2 flex flex-wrap items-center justify-between gap-2">
        <div>
          <h2 id={headingId} className="text-lg font-semibold">
            Fault knobs: {def.title}
          </h2>
          <p className="text-xs text-slate-600 dark:text-slate-400">
            Changes apply to the next request. Text fields apply on Enter or when you leave them; Escape
            undoes.
          </p>
        </div>
        <div className="flex flex-wrap gap-2">
          <button
            type="button"
            data-testid="knobs-reset"
            title="Puts every knob of this server back to its preset value."
            onClick={() => {
              setErrors({});
              act('Knobs reset to this server’s preset.', () => world.resetKnobs(serverId));
            }}
            className={buttonClass}
          >
            Reset knobs
          </button>
          <button
            type="button"
            data-testid="knobs-revoke-all"
            disabled={!hasAs}
            title={
              hasAs
                ? 'Simulates an admin revoking every grant: the authorization server refuses all its tokens from now on.'
                : 'This server has no authorization server.'
            }
            onClick={() =>
              act('Every grant at this server’s authorization server is revoked.', () =>
                world.revokeAllTokens(serverId),
              )
            }
            className={buttonClass}
          >
            Revoke all tokens now
          </button>
          <fieldset className="flex items-center gap-1 border-0 p-0">
            <legend className="float-left mr-1 text-sm">Advance mock clock</legend>
            {(
              [
                ['1m', '+1 min', MINUTE],
                ['1h', '+1 h', HOUR],
              ] as const
            ).map(([id, label, ms]) => (
              <button
                key={id}
                type="button"
                data-testid={`knobs-advance-clock-${id}`}
                aria-label={`Advance mock clock by ${label.slice(1)}`}
                title={`Simulates time passing at the mock servers: tokens and codes age by ${label.slice(1)}.`}
                onClick={() => act(`Mock clock advanced by ${label.slice(1)}.`, () => world.advanceClock(ms))}
                className={buttonClass}
              >
                {label}
              </button>
            ))}
          </fieldset>
        </div>
      </header>
      <p className="text-xs text-slate-600 dark:text-slate-400" data-testid="knobs-clock">
        Mock clock: {offset ? `${formatDuration(offset)} ahead of real time` : 'real time'}
      </p>
      {status && (
        <p
          role={status.ok ? 'status' : 'alert'}
          data-testid={status.ok ? 'knobs-status' : 'knobs-action-error'}
          className={`mt-1 text-sm ${status.ok ? 'text-emerald-800 dark:text-emerald-300' : 'text-red-700 dark:text-red-300'}`}
        >
          {status.text}
        </p>
      )}
      <ul className="mt-2">
        {KNOBS.map((d) => (
          <KnobRow
            key={d.key}
            d={d}
            value={knobs[d.key]}
            error={errors[d.key]}
            apply={apply}
            setError={setError}
          />
        ))}
      </ul>
    </section>
  );
}
