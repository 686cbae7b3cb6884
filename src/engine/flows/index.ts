/** The flow store (spec/behaviour.md, S rules). */
export { FlowStore } from './flow-store';
export {
  defaultIsResultExpired,
  flowKey,
  isRecordExpired,
  parseFlowRecord,
  SECONDS_THRESHOLD,
  toMillis,
} from './records';
export type {
  CreateFlowOptions,
  FlowChannel,
  FlowRecord,
  FlowStatus,
  FlowStoreOptions,
  FlowType,
  StateMapping,
  WaitOptions,
} from './types';
export {
  FLOW_POLL_INTERVAL_MS,
  FLOW_STATUSES,
  FLOW_TTL_MARGIN_MS,
  FLOW_TTL_MS,
  OAUTH_HANDLING_TIMEOUT_MS,
} from './types';
