/** Test harness: an engine on memory stores whose requests are captured, with a consent robot. */
import { NodeSecretBox } from '../../cli/node-secret-box';
import type { Clock } from '../clock';
import { createEngine, type Engine, type EngineOptions } from '../engine';
import { capturingFetchFor, type SentRequest } from '../oauth/testing';
import { type Authorizer, mockConsentAuthorizer } from './authorizers';
import type { FactoryOAuthOptions } from './factory-types';

export const TEST_REDIRECT = 'http://localhost:5173/oauth/callback';

export interface Harness {
  engine: Engine;
  sent: SentRequest[];
  /** Authorization URLs handed to the request's `oauthStart`. */
  started: string[];
  /** Authorization URLs handed to the host's `oauthStart` (no request-scoped one). */
  hostStarted: string[];
  /** OAuth options whose `oauthStart` approves at the mock and completes the flow. */
  oauth(extra?: Partial<FactoryOAuthOptions>, authorizer?: Authorizer): FactoryOAuthOptions;
}

export function harness(
  options: Partial<EngineOptions> & { clock?: Clock } = {},
  consent: { decision: 'approve' | 'deny'; scopes?: string[] } = { decision: 'approve' },
): Harness {
  const { sent, fetchFor } = capturingFetchFor();
  const started: string[] = [];
  const hostStarted: string[] = [];
  let robot: Authorizer | undefined;
  const engine = createEngine({
    redirectUri: TEST_REDIRECT,
    fetchFor,
    secretBox: new NodeSecretBox(),
    pollIntervalMs: 20,
    // Retries are proven by their own tests; elsewhere they would only slow the suite down.
    timings: { connectBackoffMs: 20 },
    // The host's consent robot, for step-ups on connections that are already ready.
    oauthStart: async (url) => {
      hostStarted.push(url);
      if (robot) await engine.completeAuthorization(await robot(url));
    },
    ...options,
  });
  robot = mockConsentAuthorizer((input, init) => fetch(input, init), consent, engine.recorder);
  return {
    engine,
    sent,
    started,
    hostStarted,
    oauth: (extra = {}, authorizer = robot) => ({
      oauthStart: async (url) => {
        started.push(url);
        const callback = await authorizer(url);
        await engine.completeAuthorization(callback);
      },
      ...extra,
    }),
  };
}
