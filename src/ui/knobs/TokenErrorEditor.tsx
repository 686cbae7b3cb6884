import { useId, useState } from 'react';
import type { TokenEndpointError } from '../../../mocks/knobs';
import { type ControlProps, DraftInput, inputClass } from './controls';
import {
  buildTokenError,
  nullableNumberText,
  TOKEN_ERROR_GRANTS,
  TOKEN_ERROR_KINDS,
  TOKEN_ERROR_OFF,
} from './knob-parse';

/**
 * The token endpoint fault: which error ("off" for none), for which grant, and how many matching
 * requests fail before it recovers (empty: until cleared). The three are a draft that follows the
 * world whenever it changes; while the fault is off (or refused), grant and count are only kept,
 * so a person can set them before switching it on.
 */
export function TokenErrorEditor(p: ControlProps & { value: TokenEndpointError | null }) {
  const { value } = p;
  const [kind, setKind] = useState<string>(value?.kind ?? TOKEN_ERROR_OFF);
  const [grant, setGrant] = useState<string>(value?.grant ?? 'refresh_token');
  const [remaining, setRemaining] = useState(value ? nullableNumberText(value.remaining) : '');
  // Follow the world when it changes (reset, another control, another tab's automation).
  const signature = JSON.stringify(value);
  const [seen, setSeen] = useState(signature);
  if (seen !== signature) {
    setSeen(signature);
    setKind(value?.kind ?? TOKEN_ERROR_OFF);
    if (value) {
      setGrant(value.grant);
      setRemaining(nullableNumberText(value.remaining));
    }
  }
  const grantId = useId();
  const remainingId = useId();

  const apply = (k: string, g: string, r: string): boolean => {
    const parsed = buildTokenError(k, g, r, p.knobKey);
    if (!parsed.ok) {
      p.onError(parsed.error);
      return false;
    }
    return p.onValue(parsed.value);
  };

  return (
    <div className="flex flex-wrap items-end gap-3 text-sm">
      <select
        id={p.id}
        data-testid={`knob-${p.knobKey}`}
        aria-describedby={p.describedBy}
        aria-invalid={p.invalid}
        value={kind}
        onChange={(e) => {
          // A refused choice stays selected beside its error, so fixing the count applies it.
          setKind(e.target.value);
          apply(e.target.value, grant, remaining);
        }}
        className={inputClass}
      >
        <option value={TOKEN_ERROR_OFF}>off</option>
        {TOKEN_ERROR_KINDS.map((k) => (
          <option key={k} value={k}>
            {k}
          </option>
        ))}
      </select>
      <label htmlFor={grantId} className="grid gap-0.5">
        <span className="text-xs text-slate-500 dark:text-slate-400">for grant</span>
        <select
          id={grantId}
          data-testid={`knob-${p.knobKey}-grant`}
          value={grant}
          onChange={(e) => {
            setGrant(e.target.value);
            if (kind !== TOKEN_ERROR_OFF) apply(kind, e.target.value, remaining);
          }}
          className={inputClass}
        >
          {TOKEN_ERROR_GRANTS.map((g) => (
            <option key={g} value={g}>
              {g}
            </option>
          ))}
        </select>
      </label>
      <label htmlFor={remainingId} className="grid gap-0.5">
        <span className="text-xs text-slate-500 dark:text-slate-400">
          failing requests (empty: until cleared)
        </span>
        <DraftInput
          id={remainingId}
          data-testid={`knob-${p.knobKey}-remaining`}
          aria-invalid={p.invalid}
          type="number"
          inputMode="numeric"
          min={1}
          step={1}
          placeholder="until cleared"
          value={remaining}
          commit={(text) => {
            setRemaining(text);
            return kind === TOKEN_ERROR_OFF || apply(kind, grant, text);
          }}
          onCancel={p.onClearError}
          className={`${inputClass} w-32`}
        />
      </label>
    </div>
  );
}
