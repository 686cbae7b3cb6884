import { type InputHTMLAttributes, type KeyboardEvent, useState } from 'react';
import {
  formatToolScopes,
  nullableNumberText,
  parseNullableNumberText,
  parseNumberText,
  parseToolScopesText,
} from './knob-parse';

export const inputClass =
  'rounded-md border border-slate-300 bg-white px-2 py-1 text-sm focus-visible:outline-2 focus-visible:outline-sky-600 aria-[invalid=true]:border-red-600 dark:border-slate-600 dark:bg-slate-900';

/** What every knob control gets from its row. */
export interface ControlProps {
  id: string;
  knobKey: string;
  describedBy: string;
  invalid: boolean;
  /** Applies a value; false when the world refused it (the row then shows why). */
  onValue: (value: unknown) => boolean;
  /** Shows a parse error in the row without applying anything. */
  onError: (message: string) => void;
  onClearError: () => void;
}

/**
 * A text field whose edits are a draft until Enter or leaving the field commits them; Escape
 * drops the draft. A refused draft stays, so the person can fix what the error names.
 */
export function DraftInput({
  value,
  commit,
  onCancel,
  ...rest
}: {
  value: string;
  commit: (text: string) => boolean;
  onCancel: () => void;
} & Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange' | 'onBlur' | 'onKeyDown'>) {
  const [draft, setDraft] = useState<string | null>(null);
  const done = () => {
    if (draft === null) return;
    if (draft === value) {
      setDraft(null);
      onCancel();
    } else if (commit(draft)) setDraft(null);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      done();
    } else if (e.key === 'Escape' && draft !== null) {
      e.preventDefault();
      setDraft(null);
      onCancel();
    }
  };
  return (
    <input
      {...rest}
      value={draft ?? value}
      onChange={(e) => setDraft(e.target.value)}
      onBlur={done}
      onKeyDown={onKeyDown}
    />
  );
}

function aria(p: ControlProps) {
  return {
    id: p.id,
    'data-testid': `knob-${p.knobKey}`,
    'aria-describedby': p.describedBy,
    'aria-invalid': p.invalid,
  };
}

/** A number knob; `nullable`: empty means null (shown as the placeholder "never"). */
export function NumberControl(p: ControlProps & { value: number | null; nullable: boolean }) {
  const commit = (text: string) => {
    const parsed = p.nullable ? parseNullableNumberText(p.knobKey, text) : parseNumberText(p.knobKey, text);
    if (!parsed.ok) {
      p.onError(parsed.error);
      return false;
    }
    return p.onValue(parsed.value);
  };
  return (
    <DraftInput
      {...aria(p)}
      type="number"
      inputMode="decimal"
      min={0}
      step="any"
      placeholder={p.nullable ? 'never' : undefined}
      value={nullableNumberText(p.value)}
      commit={commit}
      onCancel={p.onClearError}
      className={`${inputClass} w-36`}
    />
  );
}

export function BooleanControl(p: ControlProps & { value: boolean }) {
  return (
    <span className="inline-flex items-center gap-2">
      <input
        {...aria(p)}
        type="checkbox"
        role="switch"
        aria-checked={p.value}
        checked={p.value}
        onChange={(e) => p.onValue(e.target.checked)}
        className="h-4 w-4 accent-sky-600"
      />
      <span aria-hidden className="text-sm text-slate-600 dark:text-slate-400">
        {p.value ? 'on' : 'off'}
      </span>
    </span>
  );
}

export function ChoiceControl(p: ControlProps & { value: string; choices: readonly string[] }) {
  return (
    <select {...aria(p)} value={p.value} onChange={(e) => p.onValue(e.target.value)} className={inputClass}>
      {p.choices.map((c) => (
        <option key={c} value={c}>
          {c}
        </option>
      ))}
    </select>
  );
}

/** Tool → scope requirements: a "tool=scope, …" field plus the current entries, each removable. */
export function ToolScopesControl(p: ControlProps & { value: Readonly<Record<string, string>> }) {
  const commit = (text: string) => {
    const parsed = parseToolScopesText(text, p.knobKey);
    if (!parsed.ok) {
      p.onError(parsed.error);
      return false;
    }
    return p.onValue(parsed.value);
  };
  const entries = Object.entries(p.value);
  return (
    <div className="grid gap-1">
      <DraftInput
        {...aria(p)}
        type="text"
        spellCheck={false}
        placeholder="tool=scope, other_tool=scope"
        value={formatToolScopes(p.value)}
        commit={commit}
        onCancel={p.onClearError}
        className={`${inputClass} w-full max-w-md font-mono`}
      />
      {entries.length > 0 && (
        <ul aria-label="Tools that need a scope" className="flex flex-wrap gap-1">
          {entries.map(([tool, scope]) => (
            <li
              key={tool}
              className="inline-flex items-center gap-1 rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs dark:bg-slate-800"
            >
              {tool} → {scope}
              <button
                type="button"
                data-testid="knob-toolScopes-remove"
                data-tool={tool}
                aria-label={`Remove the scope requirement of ${tool}`}
                title={`${tool} no longer needs ${scope}`}
                onClick={() => p.onValue(Object.fromEntries(entries.filter(([t]) => t !== tool)))}
                className="rounded px-1 hover:bg-slate-200 focus-visible:outline-2 focus-visible:outline-sky-600 dark:hover:bg-slate-700"
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
