/** The token store (spec/behaviour.md T1–T8): credentials per tenant, user and server. */
export { accessExpiry, jwtExp, refreshExpiry } from './expiry';
export { defaultLockManager, InProcessLockManager, type LockManagerLike } from './locks';
export {
  classifyRefreshError,
  INVALID_CLIENT_PATTERN,
  type RefreshFailure,
  type RefreshFailureKind,
} from './refresh-errors';
export {
  AesGcmSecretBox,
  type AesGcmSecretBoxOptions,
  PlainSecretBox,
  SECRET_KEY_NAME,
  type SecretBox,
} from './secret-box';
export { TokenStore, type TokenStoreOptions } from './token-store';
export * from './types';
