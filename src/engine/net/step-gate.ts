import { abortError } from '../clock';
import type { Lane } from '../timeline/events';

/** A request about to be sent, as the step gate shows it to a person. */
export interface GateStep {
  method: string;
  url: string;
  /** The lane the request goes to. */
  lane: Lane;
  label?: string;
  /** What this request is about to do, in a sentence an educator can read out. */
  explanation?: string;
}

export interface PendingGateStep extends GateStep {
  readonly id: number;
  /** When it started waiting (ms since the epoch, on the gate's clock). */
  readonly since: number;
}

export interface GateSnapshot {
  enabled: boolean;
  pending: readonly PendingGateStep[];
}

export interface StepGateOptions {
  /** Start paused on every request (default false). */
  enabled?: boolean;
  /** Time source for `since` (default Date.now). */
  now?: () => number;
}

interface Waiter {
  step: PendingGateStep;
  release: () => void;
}

/**
 * Step-through for educators and debugging: when enabled, every outgoing request waits before it is
 * sent until a person calls `continue()` (releases the oldest waiting request) or `runToEnd()`
 * (turns the gate off and releases all). The instrumented fetch pauses here and records `gate`
 * events, so the timeline shows what is held and why.
 * @see DESIGN.md (users: educators who demonstrate MCP OAuth step by step)
 */
export class StepGate {
  #enabled: boolean;
  #seq = 0;
  #waiting: Waiter[] = [];
  readonly #listeners = new Set<(snapshot: GateSnapshot) => void>();
  readonly #now: () => number;

  constructor(options: StepGateOptions = {}) {
    this.#enabled = options.enabled ?? false;
    this.#now = options.now ?? Date.now;
  }

  get enabled(): boolean {
    return this.#enabled;
  }

  /** Requests waiting, oldest first. */
  get pending(): readonly PendingGateStep[] {
    return this.#waiting.map((w) => w.step);
  }

  /** Turns step-through on: requests sent from now on wait for `continue()`. */
  enable(): void {
    if (this.#enabled) return;
    this.#enabled = true;
    this.#emit();
  }

  /**
   * Waits until a person lets this request go. Resolves at once when the gate is off; rejects with
   * the signal's abort reason (and leaves the queue) when `signal` aborts while waiting.
   */
  pause(step: GateStep, signal?: AbortSignal): Promise<void> {
    if (!this.#enabled) return Promise.resolve();
    if (signal?.aborted) return Promise.reject(abortError(signal));
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        this.#waiting = this.#waiting.filter((w) => w !== waiter);
        this.#emit();
        reject(abortError(signal));
      };
      const waiter: Waiter = {
        step: { ...step, id: ++this.#seq, since: this.#now() },
        release: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiting.push(waiter);
      this.#emit();
    });
  }

  /** Releases the oldest waiting request; returns it, or undefined when nothing waits. */
  continue(): PendingGateStep | undefined {
    const next = this.#waiting.shift();
    if (!next) return undefined;
    next.release();
    this.#emit();
    return next.step;
  }

  /** Turns the gate off and releases every waiting request, oldest first. */
  runToEnd(): void {
    const all = this.#waiting;
    this.#waiting = [];
    this.#enabled = false;
    for (const w of all) w.release();
    this.#emit();
  }

  /** Calls `listener` with a snapshot after every change; returns an unsubscribe function. */
  subscribe(listener: (snapshot: GateSnapshot) => void): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  #emit(): void {
    const snapshot: GateSnapshot = { enabled: this.#enabled, pending: this.pending };
    for (const fn of this.#listeners) fn(snapshot);
  }
}
