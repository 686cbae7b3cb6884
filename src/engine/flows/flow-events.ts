/**
 * Flow store transitions on the timeline (DESIGN.md principle 4). Events carry ids, statuses, the
 * tenant and error text only: metadata (code verifier, state) and results (tokens) stay out, so
 * nothing here depends on the recorder's masking to keep a secret.
 */
import type { TimelineRecorder } from '../timeline/recorder';
import { flowLabel } from './records';
import type { FlowRecord } from './types';

type FlowRef = Pick<FlowRecord, 'id' | 'type' | 'tenant'>;
/** The states a record goes through on the timeline: `new` before it exists, `deleted`/`expired` after. */
export type FlowState = FlowRecord['status'] | 'new' | 'deleted' | 'expired';

export interface FlowEventInput {
  flow: FlowRef;
  ruleIds: string[];
  /** A transition `from → to`; without one, `note` alone is the summary's tail. */
  from?: FlowState;
  to?: FlowState;
  note?: string;
  error?: string;
  level?: 'info' | 'warn' | 'error';
}

export class FlowEvents {
  constructor(readonly recorder: TimelineRecorder | undefined) {}

  record({ flow, ruleIds, from, to, note, error, level }: FlowEventInput): void {
    if (!this.recorder) return;
    const transition = from && to ? ` ${from} → ${to}` : '';
    const tail = note ? (transition ? ` (${note})` : `: ${note}`) : '';
    const data: Record<string, unknown> = { flowId: flow.id, type: flow.type };
    if (from) data.from = from;
    if (to) data.to = to;
    if (flow.tenant !== undefined) data.tenant = flow.tenant;
    if (error !== undefined) data.error = error;
    this.recorder.record({
      lane: 'flows',
      kind: 'flow',
      summary: `flow ${flowLabel(flow.id, flow.type)}${transition}${tail}`,
      ruleIds,
      data,
      ...(level ? { level } : {}),
      ...(flow.tenant !== undefined ? { who: { tenant: flow.tenant } } : {}),
    });
  }
}
