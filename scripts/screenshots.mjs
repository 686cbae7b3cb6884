#!/usr/bin/env node
// Takes the README's screenshots from the real app (production build, mock servers).
import { chromium } from '@playwright/test';
import { executablePath, withPreview } from './preview.mjs';

const shot = (page, name) => page.screenshot({ path: `docs/screenshots/${name}.png` });

await withPreview(4181, async (base) => {
  const browser = await chromium.launch({
    ...(executablePath ? { executablePath } : {}),
    args: ['--no-sandbox', '--disable-gpu'],
  });
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, colorScheme: 'light' });
  const page = await context.newPage();
  await page.goto(`${base}/`);
  await page.getByTestId('mock-worker').and(page.locator('[data-state="intercepting"]')).waitFor();
  await page.getByTestId('server-dcr').click();
  const popup = page.waitForEvent('popup');
  await page.getByTestId('connect').click();
  const consent = await popup;
  await consent.setViewportSize({ width: 520, height: 560 });
  await consent.getByTestId('consent-approve').waitFor();
  await shot(consent, 'consent');
  await consent.getByTestId('consent-approve').click();
  await page.locator('[data-testid="connect-panel"][data-state="connected"]').waitFor();
  await page.getByTestId('tool-pick-echo').click();
  await page.getByTestId('call-args').fill('{"message":"hello lab"}');
  await page.getByTestId('call-run').click();
  await page.getByTestId('call-result').waitFor();
  await page.getByTestId('timeline-row').nth(12).click();
  await shot(page, 'playground-timeline');
  await page.getByTestId('tab-tokens').click();
  await page.getByTestId('token-set').waitFor();
  await shot(page, 'tokens');
  await page.getByTestId('tab-knobs').click();
  await shot(page, 'knobs');
  await page.getByTestId('step-through').check();
  await page.getByTestId('tab-timeline').click();
  await page.getByTestId('connect').click();
  await page.getByTestId('step-banner').waitFor();
  await shot(page, 'step-through');
  await page.getByTestId('step-run').click();
  await page.getByTestId('connect-panel').and(page.locator('[data-state="connected"]')).waitFor();
  await page.getByTestId('tool-pick-show_dashboard').click();
  await page.getByTestId('call-args').fill('{"title":"Quarterly"}');
  await page.getByTestId('call-run').click();
  await page.getByTestId('app-view').and(page.locator('[data-state="initialized"]')).waitFor();
  const app = page.getByTestId('app-frame').contentFrame().locator('iframe').contentFrame();
  await app.locator('#refresh').click();
  await app.locator('#refresh-result[data-state="ok"]').waitFor();
  await page.getByTestId('timeline-search').fill('app');
  await page.getByTestId('app-panel').scrollIntoViewIfNeeded();
  await shot(page, 'apps');
  await page.getByTestId('timeline-search').fill('');
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.getByTestId('theme-toggle').click();
  await shot(page, 'dark');
  await browser.close();
  console.log('screenshots written to docs/screenshots/');
});
