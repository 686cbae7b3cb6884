import type { EventKind } from '../timeline/events';
import type { TimelineRecorder } from '../timeline/recorder';
import type { CredentialKey } from './types';

export interface TokenEventInput {
  kind?: EventKind;
  summary: string;
  ruleIds: string[];
  /** Only masked values (`mask()` from redact.ts) may go here; the recorder masks known secrets again. */
  data?: Record<string, unknown>;
  level?: 'info' | 'warn' | 'error';
}

/**
 * The token store's voice on the timeline (lane `tokens`). Secrets are registered with the
 * recorder's redactor as soon as the store sees them (T7), before anything could print them: an
 * error message from a token endpoint that echoes a refresh token is then masked too.
 */
export class TokenLog {
  constructor(readonly recorder: TimelineRecorder | undefined) {}

  /** Registers values that must never appear in the clear. Rule T7. */
  secret(...values: Array<string | undefined>): void {
    this.recorder?.redactor.addSecret(...values);
  }

  event(key: CredentialKey, input: TokenEventInput): void {
    this.recorder?.record({
      lane: 'tokens',
      kind: input.kind ?? 'token',
      summary: input.summary,
      ruleIds: input.ruleIds,
      who: { tenant: key.tenant, user: key.user, server: key.server },
      ...(input.data ? { data: input.data } : {}),
      ...(input.level ? { level: input.level } : {}),
    });
  }

  decision(key: CredentialKey, summary: string, ruleIds: string[], data?: Record<string, unknown>): void {
    this.event(key, { kind: 'decision', summary, ruleIds, ...(data ? { data } : {}) });
  }

  warn(key: CredentialKey, summary: string, ruleIds: string[], data?: Record<string, unknown>): void {
    this.event(key, { kind: 'error', level: 'warn', summary, ruleIds, ...(data ? { data } : {}) });
  }
}
