/**
 * The MCP Lab Playwright fixture for QA teams: `import { test, expect } from './fixture'` and use
 * `lab` for the playground's actions (connect with consent, call tools, break things on purpose)
 * and assertions on what went over the wire.
 *
 *   test('my server refreshes silently', async ({ lab }) => {
 *     await lab.open();
 *     await lab.connect('dcr');
 *     await lab.expireToken();
 *     expect(await lab.call('echo', { message: 'hi' })).toContain('hi');
 *     await lab.expectRequests({ endpoint: 'token', detail: 'refresh_token' }, 1);
 *   });
 */
import { test as base, expect, type Page } from '@playwright/test';
import type { MockKnobs } from '../mocks/knobs';
import type { MockRequestLogEntry } from '../mocks/world';
import type { TimelineEvent } from '../src/engine/timeline/events';

export interface ConsentOptions {
  /** `mock`: the playground's consent page for mock ASes; `real`: a real AS login and consent page; `auto`: approve without a popup (mocks only). */
  via?: 'mock' | 'real' | 'auto';
  /** Real AS credentials (the reference stack: alice / wonderland). */
  username?: string;
  password?: string;
}

export class Lab {
  constructor(readonly page: Page) {}

  /** Opens the playground and waits until the mock servers answer. */
  async open(path = '/'): Promise<void> {
    await this.page.goto(path);
    await expect(this.page.getByTestId('mock-worker')).toHaveAttribute('data-state', 'intercepting');
  }

  /** Selects a server (a mock id, `reference`, or a custom one) and connects, going through consent when asked. */
  async connect(serverId: string, consent: ConsentOptions = {}): Promise<void> {
    const via = consent.via ?? (serverId === 'reference' ? 'real' : 'mock');
    await this.page.getByTestId('auto-approve').setChecked(via === 'auto');
    await this.page.getByTestId(`server-${serverId}`).click();
    if (via === 'auto') {
      await this.page.getByTestId('connect').click();
    } else {
      const popup = this.page.waitForEvent('popup');
      await this.page.getByTestId('connect').click();
      await this.approve(await popup, consent);
    }
    await expect(this.page.getByTestId('connect-panel')).toHaveAttribute('data-state', 'connected');
  }

  /** Approves in a consent popup: the mock consent page, or a real AS's login and consent pages. */
  async approve(popup: Page, consent: ConsentOptions = {}): Promise<void> {
    const mockApprove = popup.getByTestId('consent-approve');
    const username = popup.getByTestId('as-username');
    const realApprove = popup.getByTestId('as-approve');
    // Whichever page the authorization server shows first.
    await expect(mockApprove.or(username).or(realApprove)).toBeVisible({ timeout: 15_000 });
    if (await mockApprove.isVisible()) return mockApprove.click();
    if (await username.isVisible()) {
      await username.fill(consent.username ?? 'alice');
      await popup.getByTestId('as-password').fill(consent.password ?? 'wonderland');
      await popup.getByTestId('as-login-submit').click();
    }
    await realApprove.click();
  }

  /** Calls a tool of the selected server through the form; returns the result text (throws on an error result). */
  async call(tool: string, args: Record<string, unknown> = {}): Promise<string> {
    await this.page.getByTestId(`tool-pick-${tool}`).click();
    await this.page.getByTestId('call-args').fill(JSON.stringify(args));
    const before = await this.page.evaluate(() => window.mcpLab?.engine.recorder.events.length ?? 0);
    await this.page.getByTestId('call-run').click();
    await expect
      .poll(() => this.page.evaluate((n) => (window.mcpLab?.engine.recorder.events.length ?? 0) > n, before))
      .toBe(true);
    const result = this.page.getByTestId('call-result');
    await expect(result).toContainText(tool);
    return (await result.textContent()) ?? '';
  }

  /** The engine's timeline (redacted events). */
  timeline(): Promise<TimelineEvent[]> {
    return this.page.evaluate(() => window.mcpLab?.engine.recorder.events ?? []);
  }

  /** What the mock servers answered, optionally filtered. */
  requests(
    filter: Partial<Pick<MockRequestLogEntry, 'endpoint' | 'detail' | 'serverId' | 'status'>> = {},
  ): Promise<MockRequestLogEntry[]> {
    return this.page.evaluate(
      (f) =>
        (window.mcpLab?.world.log ?? []).filter((l) =>
          Object.entries(f).every(([k, v]) => l[k as keyof typeof l] === v),
        ),
      filter,
    );
  }

  /** Asserts how many requests of a kind the mocks answered (polls briefly). */
  async expectRequests(
    filter: Partial<Pick<MockRequestLogEntry, 'endpoint' | 'detail' | 'serverId' | 'status'>>,
    count: number,
  ): Promise<void> {
    await expect.poll(async () => (await this.requests(filter)).length).toBe(count);
  }

  /** Changes fault knobs of a mock server. */
  setKnob(serverId: string, patch: Partial<MockKnobs>): Promise<void> {
    return this.page.evaluate(([id, p]) => window.mcpLab?.world.setKnobs(id, p), [serverId, patch] as const);
  }

  /** Tokens panel actions on the first credential set shown. */
  async tokenAction(action: 'expire' | 'corrupt' | 'delete-refresh' | 'revoke'): Promise<void> {
    await this.page.getByTestId('tab-tokens').click();
    await this.page.getByTestId(`token-action-${action}`).first().click();
  }

  expireToken(): Promise<void> {
    return this.tokenAction('expire');
  }

  /** Rule IDs the timeline has shown so far. */
  async ruleIdsSeen(): Promise<string[]> {
    return [...new Set((await this.timeline()).flatMap((e) => e.ruleIds))].sort();
  }
}

export const test = base.extend<{ lab: Lab }>({
  lab: async ({ page }, use) => {
    await use(new Lab(page));
  },
});

export { expect };
