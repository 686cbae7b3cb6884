import { mockConsentAuthorizer } from '../engine/connection/authorizers';
import type { Engine } from '../engine/engine';
import type { ConsentChoice } from './types';

/** An authorization URL put in front of someone: a person asked (`consent`) or a link handed out (`offer`, F19). */
export interface Presentation {
  seq: number;
  url: string;
  state: string;
  scope: string[];
  tab: number;
  /** Whose authorization it is (from the flow id), so the mock records the right subject. */
  user?: string;
  kind: 'consent' | 'offer';
  answered: boolean;
}

export interface Decision {
  seq: number;
  state: string;
  decision: 'approve' | 'deny';
}

const plainFetch = (input: string | URL | Request, init?: RequestInit) => globalThis.fetch(input, init);

/** The user id of an OAuth flow id (`tenant:user:server`, each part percent-encoded, F21). */
function userOfFlow(flowId: string | undefined): string | undefined {
  const part = flowId?.split(':')[1];
  return part === undefined ? undefined : decodeURIComponent(part);
}

/**
 * The consent robot: it plays the person at the mock authorization server's consent page (its
 * decision API), counts every request put in front of them, and hands the redirect back to the
 * tab's engine, as the playground's callback page does.
 */
export class ConsentDesk {
  readonly presentations: Presentation[] = [];
  readonly decisions: Decision[] = [];
  #seq = 0;

  constructor(private readonly engineOf: (tab: number) => Engine) {}

  #record(url: string, tab: number, kind: Presentation['kind'], user?: string): Presentation {
    const params = new URL(url).searchParams;
    const p: Presentation = {
      seq: ++this.#seq,
      url,
      state: params.get('state') ?? '',
      scope: (params.get('scope') ?? '').split(' ').filter(Boolean),
      tab,
      ...(user ? { user } : {}),
      kind,
      answered: false,
    };
    this.presentations.push(p);
    return p;
  }

  /** A link handed out without asking anyone (tool discovery). */
  offer(url: string, tab: number): void {
    this.#record(url, tab, 'offer');
  }

  /** The consent page opens for `url`; the person answers at once unless the choice is `none`. */
  async present(url: string, tab: number, choice: ConsentChoice, info: { flowId?: string }): Promise<void> {
    const p = this.#record(url, tab, 'consent', userOfFlow(info.flowId));
    if (choice === 'none') return;
    await this.answer(
      p,
      choice === 'approve' || choice === 'deny' ? { decision: choice } : { decision: 'approve', ...choice },
    );
  }

  /** The oldest consent page still open, if any. */
  get open(): Presentation | undefined {
    return this.presentations.find((p) => p.kind === 'consent' && !p.answered);
  }

  /** The person decides on `p`; the redirect lands in the tab's current engine (which may be a reloaded one). */
  async answer(
    p: Presentation,
    decision: { decision: 'approve' | 'deny'; scopes?: string[] },
  ): Promise<void> {
    // Every page showing this same request closes with the answer (a re-issued URL is the same request).
    for (const q of this.presentations) if (q.state === p.state) q.answered = true;
    const engine = this.engineOf(p.tab);
    this.decisions.push({ seq: ++this.#seq, state: p.state, decision: decision.decision });
    const robot = mockConsentAuthorizer(
      plainFetch,
      { ...decision, ...(p.user ? { subject: p.user } : {}) },
      engine.recorder,
    );
    await engine.completeAuthorization(await robot(p.url));
  }
}
