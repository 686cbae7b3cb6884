import type { Clock } from '../clock';
import { LabError } from '../errors';

export interface CircuitBreakerOptions {
  /** Connect cycles allowed in `windowMs` before the breaker opens. */
  maxCycles?: number;
  windowMs?: number;
  /** First cooldown; each further round that trips again doubles it, up to `maxCooldownMs`. */
  cooldownMs?: number;
  maxCooldownMs?: number;
}

interface ServerState {
  cycles: number[];
  openUntil: number;
  rounds: number;
}

/**
 * D5: a circuit breaker per server. Too many connect cycles in a short window (7 in 45 s) opens a
 * cooldown (15 s); repeated failed rounds back off exponentially, capped at 5 minutes. A success
 * resets the rounds. F22: failed discovery attempts give their cycle back.
 */
export class CircuitBreaker {
  readonly #servers = new Map<string, ServerState>();
  readonly maxCycles: number;
  readonly windowMs: number;
  readonly cooldownMs: number;
  readonly maxCooldownMs: number;

  constructor(
    readonly clock: Clock,
    o: CircuitBreakerOptions = {},
  ) {
    this.maxCycles = o.maxCycles ?? 7;
    this.windowMs = o.windowMs ?? 45_000;
    this.cooldownMs = o.cooldownMs ?? 15_000;
    this.maxCooldownMs = o.maxCooldownMs ?? 300_000;
  }

  #state(server: string): ServerState {
    let s = this.#servers.get(server);
    if (!s) {
      s = { cycles: [], openUntil: 0, rounds: 0 };
      this.#servers.set(server, s);
    }
    return s;
  }

  /** Counts one connect cycle; throws LabError('circuit_open') while the breaker is open. */
  begin(server: string): void {
    const s = this.#state(server);
    const now = this.clock.now();
    if (now < s.openUntil)
      throw new LabError(
        'circuit_open',
        `Failed to connect to ${server}: too many attempts; waiting ${Math.ceil((s.openUntil - now) / 1000)} s before the next one.`,
        {
          ruleIds: ['D5'],
          details: { retryAt: s.openUntil },
        },
      );
    s.cycles = s.cycles.filter((t) => now - t < this.windowMs);
    s.cycles.push(now);
    if (s.cycles.length > this.maxCycles) {
      s.rounds++;
      const cooldown = Math.min(this.maxCooldownMs, this.cooldownMs * 2 ** (s.rounds - 1));
      s.openUntil = now + cooldown;
      s.cycles = [];
      throw new LabError(
        'circuit_open',
        `Failed to connect to ${server}: ${this.maxCycles} connect cycles in ${this.windowMs / 1000} s; cooling down for ${cooldown / 1000} s.`,
        {
          ruleIds: ['D5'],
          details: { retryAt: s.openUntil, round: s.rounds },
        },
      );
    }
  }

  /** A connection succeeded: later trips start again from the first cooldown. */
  succeeded(server: string): void {
    this.#state(server).rounds = 0;
  }

  /** F22: gives back the last cycle (failed discovery must not trip the breaker). */
  giveBack(server: string): void {
    this.#state(server).cycles.pop();
  }

  cycles(server: string): number {
    return this.#state(server).cycles.length;
  }
}
