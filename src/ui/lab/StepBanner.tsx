import { useEffect, useState } from 'react';
import type { PendingGateStep, StepGate } from '../../engine/net/step-gate';
import { useController } from './useLab';

/** Step-through: what is about to be sent and why, with Continue and Run to end. */
export function StepBanner() {
  const lab = useController();
  const gate: StepGate = lab.gate;
  // The gate hands each listener a fresh snapshot; keep the last one.
  const [pending, setPending] = useState<readonly PendingGateStep[]>(gate.pending);
  useEffect(() => gate.subscribe((s) => setPending(s.pending)), [gate]);
  const next = pending[0];
  if (!next) return null;
  return (
    <div
      data-testid="step-banner"
      data-state="paused"
      role="status"
      className="flex flex-col gap-2 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm dark:border-amber-700 dark:bg-amber-950"
    >
      <div className="min-w-0">
        <p className="font-medium">
          Paused before{' '}
          <span className="break-all font-mono">
            {next.method} {next.url}
          </span>
          {pending.length > 1 && (
            <span className="text-slate-600 dark:text-slate-400"> (+{pending.length - 1} waiting)</span>
          )}
        </p>
        <p data-testid="step-explanation" className="text-slate-700 dark:text-slate-300">
          {next.explanation}
        </p>
      </div>
      <div className="flex gap-2">
        <button
          type="button"
          data-testid="step-continue"
          onClick={() => gate.continue()}
          className="rounded bg-amber-700 px-3 py-1.5 font-medium text-white"
        >
          Continue
        </button>
        <button
          type="button"
          data-testid="step-run"
          onClick={() => lab.setStepThrough(false)}
          className="rounded border border-amber-600 px-3 py-1.5"
        >
          Run to end
        </button>
      </div>
    </div>
  );
}
