import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { SCENARIOS } from '../src/scenarios/index';
import { BUDGET, expect, Lab, test } from './fixture';

/**
 * The scenario catalogue in Chromium, against the mock world the service worker serves, on the
 * engine's IndexedDB stores and WebCrypto secret box. One test per scenario, so Playwright's
 * `--shard i/n` spreads them over machines. The tests of a worker share one page: every run starts
 * from a reset mock world and emptied stores (src/scenarios/browser.ts), so nothing carries over,
 * and the page loads once per worker rather than 45 times (~2 s each on a loaded runner).
 */

/** Scenarios that cannot run in a page, with the reason (none so far). */
const SKIPPED: Record<string, string> = {};

async function openLab(page: Page, path = '/'): Promise<void> {
  await new Lab(page).open(path);
  await page.waitForFunction(() => window.mcpLabScenarios !== undefined && window.mcpLab?.isLeader(), null, {
    timeout: BUDGET.boot,
  });
}

const catalogue = test.extend<object, { scenarioPage: Page }>({
  scenarioPage: [
    async ({ browser }, use) => {
      const context = await browser.newContext();
      const page = await context.newPage();
      await openLab(page);
      await use(page);
      await context.close();
    },
    { scope: 'worker' },
  ],
});

for (const scenario of SCENARIOS) {
  catalogue(`${scenario.ruleIds[0]} ${scenario.id}: runs in Chromium`, async ({ scenarioPage: page }) => {
    catalogue.skip(scenario.id in SKIPPED, SKIPPED[scenario.id]);
    catalogue.fail(!!scenario.knownIssue, `known engine bug: ${scenario.knownIssue}`);
    catalogue.setTimeout(BUDGET.scenario + BUDGET.boot);
    const result = await page.evaluate(async (id) => window.mcpLabScenarios?.run(id), scenario.id);
    expect(result, 'window.mcpLabScenarios.run returned nothing').toBeDefined();
    expect(result?.failures, `${scenario.title}\n\nTimeline:\n${result?.timeline}`).toEqual([]);
    expect(result?.passed).toBe(true);
    expect(result?.timeline, 'the run left no timeline').not.toBe('');
  });
}

async function seriousViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).include('[data-testid="scenarios-panel"]').analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

test('UI-SC3: ?scenario=ID&autorun=1 opens the Scenarios tab, runs that scenario and shows its timeline', async ({
  page,
}) => {
  await openLab(page, '/?scenario=dcr-first-oauth&autorun=1');
  const panel = page.getByTestId('scenarios-panel');
  await expect(panel).toBeVisible();
  const row = panel.locator('[data-testid="scenario-row"][data-scenario-id="dcr-first-oauth"]');
  await expect(row).toHaveAttribute('aria-current', 'true');
  await expect(row.getByTestId('scenario-teaching')).toBeVisible();
  await expect(row).toHaveAttribute('data-state', 'passed', { timeout: BUDGET.scenario });
  await expect(panel.getByTestId('scenario-result')).toHaveAttribute('data-state', 'passed');
  await expect(panel.getByTestId('scenarios-summary')).toHaveText('1 passed, 0 failed');
  const timeline = panel.getByTestId('scenario-timeline');
  await expect(timeline).toHaveAttribute('data-scenario-id', 'dcr-first-oauth');
  await expect(timeline.getByTestId('timeline-panel')).toHaveAttribute('data-state', 'replay');
  await expect(timeline.getByTestId('timeline-list')).toContainText('token');
  // Only the deep-linked scenario ran.
  await expect(panel.locator('[data-testid="scenario-row"][data-state="idle"]')).toHaveCount(
    SCENARIOS.length - 1,
  );
  expect(await seriousViolations(page)).toEqual([]);
  await page.getByTestId('theme-toggle').click();
  expect(await seriousViolations(page)).toEqual([]);
});

test('UI-SC4: with the keyboard, a filtered "Run all" runs the scenarios shown and each result opens its timeline', async ({
  page,
}) => {
  await openLab(page);
  await page.getByTestId('tab-scenarios').click();
  const panel = page.getByTestId('scenarios-panel');
  await panel.getByTestId('scenarios-filter').fill('F18');
  const shown = panel.getByTestId('scenario-row');
  const n = await shown.count();
  expect(n).toBeGreaterThan(1);
  await expect(panel.getByTestId('scenarios-run-all')).toHaveText(`Run all ${n} shown`);
  await panel.getByTestId('scenarios-run-all').focus();
  await page.keyboard.press('Enter');
  await expect(panel.getByTestId('scenarios-summary')).toHaveText(`${n} passed, 0 failed`, {
    timeout: BUDGET.scenario * 2,
  });
  await expect(panel.getByTestId('scenario-result')).toHaveCount(n);
  await expect(panel.getByTestId('scenario-timeline')).toHaveCount(0);
  const first = panel.getByTestId('scenario-result').first();
  const id = await first.getAttribute('data-scenario-id');
  await first.getByRole('button').focus();
  await page.keyboard.press('Enter');
  await expect(panel.getByTestId('scenario-timeline')).toHaveAttribute('data-scenario-id', id ?? '');
  // The teaching paragraph opens with the keyboard too.
  const toggle = panel.getByTestId(`scenario-toggle-${id}`);
  await toggle.focus();
  await page.keyboard.press('Enter');
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
});

test('UI-SC5: a tab that does not host the mock world reports a failed run with the reason, not a wrong result', async ({
  context,
}) => {
  const leader = await context.newPage();
  await openLab(leader);
  const follower = await context.newPage();
  await follower.goto('/?scenario=noauth-connect');
  await expect(follower.getByTestId('scenarios-panel')).toBeVisible();
  await follower.getByTestId('scenario-run-noauth-connect').click();
  const result = follower.getByTestId('scenario-result');
  await expect(result).toHaveAttribute('data-state', 'failed', { timeout: BUDGET.scenario });
  await expect(result.getByTestId('scenario-failures')).toContainText('does not host the mock world');
  await expect(follower.getByTestId('scenarios-summary')).toHaveText('0 passed, 1 failed');
  await expect(
    follower.locator('[data-testid="scenario-row"][data-scenario-id="noauth-connect"]'),
  ).toHaveAttribute('data-state', 'failed');
});
