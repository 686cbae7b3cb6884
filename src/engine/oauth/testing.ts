/** Test helpers for the OAuth handler: plain fetch to the mocks, and a recorder of what was sent. */
import type { Lane } from '../timeline/events';
import type { FetchLike } from './types';

export interface SentRequest {
  lane: Lane;
  method: string;
  url: string;
  body?: string;
  headers: Record<string, string>;
}

/** A `fetchFor` that sends through global fetch (MSW answers the mocks) and remembers every request. */
export function capturingFetchFor(sent: SentRequest[] = []) {
  const fetchFor =
    (lane: Lane): FetchLike =>
    async (input, init) => {
      const body =
        typeof init?.body === 'string'
          ? init.body
          : init?.body instanceof URLSearchParams
            ? init.body.toString()
            : undefined;
      sent.push({
        lane,
        method: init?.method ?? 'GET',
        url: String(input),
        headers: Object.fromEntries(new Headers(init?.headers)),
        ...(body !== undefined ? { body } : {}),
      });
      return fetch(input, init);
    };
  return { sent, fetchFor };
}
