/**
 * The MCP Lab Playwright fixture: `import { test, expect } from './fixture'` and use `lab` for the
 * playground's actions (connect with or without consent, call tools, token actions, fault knobs,
 * custom servers, scenarios) and for assertions on what went over the wire. Our own specs drive the
 * page only through it, so QA suites and ours wait on the same things.
 *
 *   test('my server refreshes silently', async ({ lab }) => {
 *     await lab.open();
 *     await lab.connect('dcr');
 *     await lab.expireToken();
 *     expect(await lab.call('echo', { message: 'hi' })).toContain('hi');
 *     await lab.expectRequests({ endpoint: 'token', detail: 'refresh_token' }, 1);
 *     expect(lab.popupsOpened()).toBe(1); // the first connect's consent only
 *   });
 *
 * How it waits: every connect, call, token action and scenario run has its own id in the page
 * (`data-action-id`, `data-call-id`, `data-run-id`) and a `data-state` that moves from `pending`
 * through `waiting-for-consent` or `refreshing` to `ok` or `error`. The fixture reads the id of the
 * action it started and waits for that action's end, never for "something changed". Budgets are in
 * `BUDGET` below (README: QA).
 */
import { test as base, expect, type Locator, type Page, type TestInfo } from '@playwright/test';
import type { MockKnobs } from '../mocks/knobs';
import type { MockRequestLogEntry } from '../mocks/world';
import type { Lane, TimelineEvent } from '../src/engine/timeline/events';
import { BUDGET } from './budget';

export { BUDGET } from './budget';

export interface ConsentOptions {
  /**
   * `popup` (the default): auto-approve off; a consent popup is approved when one appears, and a
   * connect that needs none (stored tokens, no auth) simply ends. `auto`: the mocks' auto-approve,
   * no popup. Real authorization servers always use the popup.
   */
  via?: 'popup' | 'auto';
  /** What to do in the consent popup: approve (default) or deny. */
  decision?: 'approve' | 'deny';
  /** Real AS credentials (the reference stack: alice / wonderland). */
  username?: string;
  password?: string;
  /** Runs on each consent page before the decision (e.g. to assert the scopes it asks for). */
  inspect?: (popup: Page) => Promise<void>;
}

export type ActionState = 'pending' | 'waiting-for-consent' | 'refreshing' | 'ok' | 'error';

/** How a connect or call ended, as the page shows it. */
export interface ActionOutcome {
  id: string;
  state: 'ok' | 'error';
  /** How authorization went: `popup`, `auto`, `stored` (tokens already held) or `none` (no auth needed). */
  consent: string;
  /** The result text (calls), or the error shown. */
  text: string;
}

export interface ServerInput {
  id: string;
  url: string;
  title?: string;
  headers?: Record<string, string>;
  /** Hosts allowed despite SSRF protection (e.g. `localhost:3000`). */
  allowList?: string[];
}

export type RequestFilter = Partial<Pick<MockRequestLogEntry, 'endpoint' | 'detail' | 'serverId' | 'status'>>;

/** A filter on the engine's own timeline of HTTP exchanges: works for real servers as well as mocks. */
export interface HttpFilter {
  /** The exchange's label: `initialize`, `tools/call echo`, `token: refresh_token`, `PRM discovery`… */
  label?: string | RegExp;
  method?: string;
  /** A substring (or pattern) of the request URL. */
  url?: string | RegExp;
  status?: number;
  /** Who answered: `mcp` (the MCP server) or `as` (the authorization server). */
  to?: Lane;
}

const matches = (value: string | undefined, want: string | RegExp | undefined) =>
  want === undefined ||
  (value !== undefined && (typeof want === 'string' ? value === want : want.test(value)));

export class Lab {
  #server: string | undefined;
  #popups: Page[] = [];

  constructor(readonly page: Page) {
    page.on('popup', (p) => this.#popups.push(p));
  }

  /** Opens the playground and waits until the mock servers answer. */
  async open(path = '/'): Promise<void> {
    await this.page.goto(path);
    await expect(this.page.getByTestId('mock-worker')).toHaveAttribute('data-state', 'intercepting', {
      timeout: BUDGET.boot,
    });
  }

  /** Consent popups this page opened so far (blocked ones do not count). */
  popupsOpened(): number {
    return this.#popups.length;
  }

  /** Picks a server in the list (a mock id, `reference`, or a custom server's id). */
  async select(serverId: string): Promise<void> {
    await this.page.getByTestId(`server-${serverId}`).click();
    await expect(this.page.getByTestId('connect-panel')).toBeVisible({ timeout: BUDGET.ui });
    this.#server = serverId;
  }

  async setAutoApprove(on: boolean): Promise<void> {
    await this.page.getByTestId('auto-approve').setChecked(on);
  }

  /**
   * Selects a server and connects. Whether consent appears or not (a popup, auto-approve, stored
   * tokens, a server without auth) it waits for this connect's end and says which happened; it
   * throws with the page's reason when the connect fails.
   */
  async connect(serverId: string, consent: ConsentOptions = {}): Promise<ActionOutcome> {
    const outcome = await this.tryConnect(serverId, consent);
    if (outcome.state === 'error') throw new Error(`Connecting to "${serverId}" failed: ${outcome.text}`);
    return outcome;
  }

  /** Like `connect`, but an error is returned rather than thrown. */
  async tryConnect(serverId: string, consent: ConsentOptions = {}): Promise<ActionOutcome> {
    await this.setAutoApprove(consent.via === 'auto');
    await this.select(serverId);
    const status = this.page.getByTestId('connect-status');
    const popupsBefore = this.#popups.length;
    const id = await this.#start(status, 'data-action-id', () => this.page.getByTestId('connect').click());
    const state = await this.#settle(status, consent, popupsBefore);
    const text =
      state === 'error'
        ? ((await this.page.getByTestId('connection-error').textContent({ timeout: BUDGET.ui })) ?? '')
        : ((await status.textContent()) ?? '');
    return { id, state, consent: (await status.getAttribute('data-consent')) ?? '', text };
  }

  /** Approves (or denies) in a consent popup: the mock consent page, or a real AS's login and consent pages. */
  async approve(popup: Page, consent: ConsentOptions = {}): Promise<void> {
    const deny = consent.decision === 'deny';
    const mockButton = popup.getByTestId(deny ? 'consent-deny' : 'consent-approve');
    const username = popup.getByTestId('as-username');
    const realButton = popup.getByTestId(deny ? 'as-deny' : 'as-approve');
    // Whichever page the authorization server shows first.
    await expect(mockButton.or(username).or(realButton)).toBeVisible({ timeout: BUDGET.consentPage });
    if (await mockButton.isVisible()) {
      await consent.inspect?.(popup);
      return mockButton.click();
    }
    if (await username.isVisible()) {
      await username.fill(consent.username ?? 'alice');
      await popup.getByTestId('as-password').fill(consent.password ?? 'wonderland');
      await popup.getByTestId('as-login-submit').click();
    }
    await expect(realButton).toBeVisible({ timeout: BUDGET.consentPage });
    await consent.inspect?.(popup);
    await realButton.click();
  }

  /** Opens the call form of a tool of the selected server and sets its arguments. */
  async pickTool(tool: string, args?: Record<string, unknown>): Promise<void> {
    await this.page.getByTestId(`tool-pick-${tool}`).click({ timeout: BUDGET.ui });
    if (args) await this.page.getByTestId('call-args').fill(JSON.stringify(args));
  }

  /**
   * Calls a tool of the selected server through the form and returns *this* call's result text. A
   * consent popup that the call needs (re-authentication, step-up) is approved unless told
   * otherwise. Throws with the reason when the call fails or the result has `isError: true`.
   */
  async call(
    tool: string,
    args: Record<string, unknown> = {},
    consent: ConsentOptions = {},
  ): Promise<string> {
    const outcome = await this.tryCall(tool, args, consent);
    if (outcome.state === 'error') throw new Error(`${tool} failed: ${outcome.text}`);
    return outcome.text;
  }

  /** Like `call`, but an error result is returned rather than thrown. `args` undefined keeps the form as it is. */
  async tryCall(
    tool: string,
    args: Record<string, unknown> | undefined = {},
    consent: ConsentOptions = {},
    times = 1,
  ): Promise<ActionOutcome> {
    await this.pickTool(tool, args);
    if (times !== 1) await this.page.getByTestId('call-times').fill(String(times));
    return this.rerun(consent);
  }

  /** Runs the call form again as it stands (the same tool and arguments). */
  async rerun(consent: ConsentOptions = {}): Promise<ActionOutcome> {
    const result = this.page.getByTestId('call-result');
    const popupsBefore = this.#popups.length;
    const id = await this.#start(result, 'data-call-id', () => this.page.getByTestId('call-run').click());
    const state = await this.#settle(result, consent, popupsBefore);
    const text = (await result.locator('pre').textContent({ timeout: BUDGET.ui })) ?? '';
    return { id, state, consent: (await result.getAttribute('data-consent')) ?? '', text };
  }

  /** Clicks `go` and returns the id of the action it started, once `target` carries it. */
  async #start(target: Locator, attribute: string, go: () => Promise<void>): Promise<string> {
    const before = (await target.count()) ? await target.getAttribute(attribute) : null;
    await go();
    let id: string | null = null;
    await expect
      .poll(
        async () => {
          id = (await target.count()) ? await target.getAttribute(attribute) : null;
          return id !== null && id !== before;
        },
        { timeout: BUDGET.ui, message: `a new ${attribute} after the click` },
      )
      .toBe(true);
    return id as unknown as string;
  }

  /**
   * Waits for the action shown on `target` to end, going through a consent popup when it asks for
   * one. `handled`: popups that opened before the action started (the action's own may already be
   * open by the time its id shows).
   */
  async #settle(target: Locator, consent: ConsentOptions, handled: number): Promise<'ok' | 'error'> {
    let approved = handled;
    // Whether the consent step now shown was handled already (its popup approved, the callback on its way).
    let handling = false;
    const deadline = Date.now() + BUDGET.action;
    for (;;) {
      const state = (await target.getAttribute('data-state')) as ActionState | null;
      if (state === 'ok' || state === 'error') return state;
      const popupStep =
        state === 'waiting-for-consent' && (await target.getAttribute('data-consent')) === 'popup';
      if (!popupStep) handling = false;
      else if (!handling || this.#popups.length > approved) {
        // The popup opens right after the state changes: take the first one not handled yet.
        await expect
          .poll(() => this.#popups.length > approved, {
            timeout: BUDGET.consentPage,
            message: 'a consent popup',
          })
          .toBe(true);
        const popup = this.#popups[approved];
        approved += 1;
        handling = true;
        if (popup) await this.approve(popup, consent);
      }
      if (Date.now() > deadline)
        throw new Error(
          `The action did not end within ${BUDGET.action} ms (still "${state}"); raise LAB_E2E_TIMEOUT_SCALE on a slow machine.`,
        );
      await this.page.waitForTimeout(50);
    }
  }

  /** The engine's timeline (redacted events). */
  timeline(): Promise<TimelineEvent[]> {
    return this.page.evaluate(() => window.mcpLab?.engine.recorder.events ?? []);
  }

  /** HTTP exchanges on the engine's timeline that match (any server: mock or real). */
  async http(filter: HttpFilter = {}): Promise<TimelineEvent[]> {
    return (await this.timeline()).filter((e) => {
      const h = e.http;
      if (e.kind !== 'http' || !h) return false;
      return (
        matches(h.label, filter.label) &&
        (filter.method === undefined || h.request.method === filter.method.toUpperCase()) &&
        matches(h.request.url, filter.url instanceof RegExp ? filter.url : undefined) &&
        (typeof filter.url !== 'string' || h.request.url.includes(filter.url)) &&
        (filter.status === undefined || h.response?.status === filter.status) &&
        (filter.to === undefined || h.to === filter.to)
      );
    });
  }

  /** Asserts how many exchanges of a kind the engine made (waits up to the action budget for it). */
  async expectHttp(filter: HttpFilter, count: number): Promise<void> {
    await expect
      .poll(async () => (await this.http(filter)).length, {
        timeout: BUDGET.action,
        message: `HTTP exchanges matching ${JSON.stringify(filter, (_, v) => (v instanceof RegExp ? String(v) : v))}`,
      })
      .toBe(count);
  }

  /** What the mock servers answered, optionally filtered (README: the mock log's vocabulary). */
  requests(filter: RequestFilter = {}): Promise<MockRequestLogEntry[]> {
    return this.page.evaluate(
      (f) =>
        (window.mcpLab?.world.log ?? []).filter((l) =>
          Object.entries(f).every(([k, v]) => l[k as keyof typeof l] === v),
        ),
      filter,
    );
  }

  /** Asserts how many requests of a kind the mocks answered (waits up to the action budget for it). */
  async expectRequests(filter: RequestFilter, count: number): Promise<void> {
    await expect
      .poll(async () => (await this.requests(filter)).length, {
        timeout: BUDGET.action,
        message: `mock requests matching ${JSON.stringify(filter)}`,
      })
      .toBe(count);
  }

  /** Changes fault knobs of a mock server (README: every knob's shape and limits). */
  setKnob(serverId: string, patch: Partial<MockKnobs>): Promise<void> {
    return this.page.evaluate(([id, p]) => window.mcpLab?.world.setKnobs(id, p), [serverId, patch] as const);
  }

  /**
   * A Tokens panel action on one server's credential set (default: the server last selected; with
   * several users, `user` picks one), waiting for it to end. Throws with the panel's reason on failure.
   */
  async tokenAction(
    action: 'expire' | 'corrupt' | 'delete-refresh' | 'revoke',
    serverId = this.#server,
    user?: string,
  ): Promise<void> {
    if (!serverId) throw new Error('tokenAction: name the server (no server was selected yet).');
    await this.page.getByTestId('tab-tokens').click();
    const card = this.page.locator(
      `[data-testid="token-set"][data-server="${serverId}"]${user ? `[data-user="${user}"]` : ''}`,
    );
    await expect(card.first()).toBeVisible({ timeout: BUDGET.action });
    const status = card.first().getByTestId('token-action-status');
    await this.#start(status, 'data-action-id', () =>
      card.first().getByTestId(`token-action-${action}`).click(),
    );
    await expect(status).toHaveAttribute('data-state', /^(ok|error)$/, { timeout: BUDGET.action });
    if ((await status.getAttribute('data-state')) === 'error')
      throw new Error(
        `Token action ${action} failed: ${await card.first().getByTestId('token-action-error').textContent()}`,
      );
  }

  expireToken(serverId = this.#server): Promise<void> {
    return this.tokenAction('expire', serverId);
  }

  /** Adds a custom server through "+ Add" with the id you choose (`server-<id>` from then on). */
  async addServer(server: ServerInput): Promise<void> {
    await this.page.getByTestId('server-add').click();
    await this.page.getByTestId('server-form-url').fill(server.url);
    await this.page.getByTestId('server-form-id').fill(server.id);
    if (server.title) await this.page.getByTestId('server-form-title').fill(server.title);
    if (server.headers)
      await this.page.getByTestId('server-form-headers').fill(
        Object.entries(server.headers)
          .map(([k, v]) => `${k}: ${v}`)
          .join('\n'),
      );
    if (server.allowList)
      await this.page.getByTestId('server-form-allow-list').fill(server.allowList.join(', '));
    await this.page.getByTestId('server-form-save').click();
    const error = this.page.locator('[data-testid^="server-form-error-"]');
    await expect(this.page.getByTestId(`server-${server.id}`).or(error).first()).toBeVisible({
      timeout: BUDGET.ui,
    });
    if (await error.count())
      throw new Error(`The server form refused it: ${await error.first().textContent()}`);
    this.#server = server.id;
  }

  /** Runs one catalogue scenario in the Scenarios tab; resolves with whether it passed. */
  async runScenario(id: string): Promise<boolean> {
    await this.page.getByTestId('tab-scenarios').click();
    const row = this.page.locator(`[data-testid="scenario-row"][data-scenario-id="${id}"]`);
    await expect(row).toBeVisible({ timeout: BUDGET.ui });
    await this.#start(row, 'data-run-id', () => row.getByTestId(`scenario-run-${id}`).click());
    await expect(row).toHaveAttribute('data-run-state', /^(ok|error)$/, { timeout: BUDGET.scenario });
    return (await row.getAttribute('data-run-state')) === 'ok';
  }

  /**
   * Asserts that the browser blocked the consent popup of the last connect or call (run with
   * `test.use({ popupBlocker: true })`): no popup opened and the timeline says why.
   */
  async expectPopupBlocked(): Promise<void> {
    expect(this.popupsOpened(), 'popups that opened').toBe(0);
    await expect
      .poll(async () => (await this.timeline()).some((e) => /blocked the popup/.test(e.summary)), {
        timeout: BUDGET.action,
        message: 'a timeline event saying the popup was blocked',
      })
      .toBe(true);
  }

  /** Rule IDs the timeline has shown so far. */
  async ruleIdsSeen(): Promise<string[]> {
    return [...new Set((await this.timeline()).flatMap((e) => e.ruleIds))].sort();
  }
}

/** Attaches the engine's timeline to the report when a test failed, so a failure can be read step by step. */
async function attachTimeline(lab: Lab, testInfo: TestInfo): Promise<void> {
  if (testInfo.status === testInfo.expectedStatus) return;
  try {
    const events = await lab.timeline();
    await testInfo.attach('timeline.json', {
      body: JSON.stringify({ format: 'mcp-lab-timeline', version: 1, events }, null, 2),
      contentType: 'application/json',
    });
  } catch {
    /* the page is gone: nothing to attach */
  }
}

export const test = base.extend<{ lab: Lab }, { popupBlocker: boolean }>({
  /** `test.use({ popupBlocker: true })`: Chromium with its popup blocker on (Playwright turns it off by default). */
  popupBlocker: [false, { scope: 'worker', option: true }],
  launchOptions: [
    async ({ launchOptions, popupBlocker }, use) => {
      const ignored = Array.isArray(launchOptions.ignoreDefaultArgs) ? launchOptions.ignoreDefaultArgs : [];
      await use(
        popupBlocker
          ? { ...launchOptions, ignoreDefaultArgs: [...ignored, '--disable-popup-blocking'] }
          : launchOptions,
      );
    },
    { scope: 'worker' },
  ],
  lab: async ({ page }, use, testInfo) => {
    const lab = new Lab(page);
    await use(lab);
    await attachTimeline(lab, testInfo);
  },
});

export { expect };
