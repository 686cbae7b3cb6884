#!/usr/bin/env node
// Benchmark: a first OAuth connect in the page on the `dcr` mock (auto-approve), from the click on
// Connect to the connect's `data-state="ok"`, timed inside the page (no Playwright polling in the
// figure). Twenty connects, each in a fresh browser context, for each way the page reaches the
// mocks (in the page, the default; through the service worker), idle and with one busy-loop
// process per core. Prints figures; asserts nothing.
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { chromium } from '@playwright/test';
import { executablePath, withPreview } from './preview.mjs';

const N = Number(process.argv[2] ?? 20);

const stats = (times) => {
  const s = [...times].sort((a, b) => a - b);
  const at = (q) => s[Math.min(s.length - 1, Math.ceil(s.length * q) - 1)];
  return `median ${at(0.5)} ms · p95 ${at(0.95)} ms`;
};

async function connects(browser, base, viaWorker, n = N) {
  const times = [];
  for (let i = 0; i < n; i++) {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${base}/`);
    await page.locator('[data-testid="mock-worker"][data-state="intercepting"]').waitFor({ timeout: 60_000 });
    await page.getByTestId('auto-approve').check();
    await page.getByTestId('mock-via-worker').setChecked(viaWorker);
    await page.getByTestId('server-dcr').click();
    const ms = await page.evaluate(
      () =>
        new Promise((resolve, reject) => {
          const t0 = performance.now();
          const observer = new MutationObserver(() => {
            const state = document
              .querySelector('[data-testid="connect-status"]')
              ?.getAttribute('data-state');
            if (state !== 'ok' && state !== 'error') return;
            observer.disconnect();
            if (state === 'error') reject(new Error('the connect failed'));
            else resolve(Math.round(performance.now() - t0));
          });
          observer.observe(document.body, { subtree: true, attributes: true, childList: true });
          document.querySelector('[data-testid="connect"]')?.click();
        }),
    );
    times.push(ms);
    await context.close();
  }
  return times;
}

/** Runs `fn` with one busy-loop process per core, then stops them. */
async function underContention(fn) {
  const loops = Array.from({ length: availableParallelism() }, () =>
    spawn(process.execPath, ['-e', 'for(;;){}'], { stdio: 'ignore' }),
  );
  try {
    return await fn();
  } finally {
    for (const l of loops) l.kill('SIGKILL');
  }
}

await withPreview(4181, async (base) => {
  const browser = await chromium.launch({
    ...(executablePath ? { executablePath } : {}),
    args: ['--no-sandbox', '--disable-gpu'],
  });
  try {
    // Warm-up, not counted: the first connects of a fresh browser and server compile and cache.
    await connects(browser, base, false, 3);
    for (const [label, viaWorker] of [
      ['in the page (default)', false],
      ['through the service worker', true],
    ]) {
      const idle = await connects(browser, base, viaWorker);
      const busy = await underContention(() => connects(browser, base, viaWorker));
      console.log(
        `mocks ${label}: idle ${stats(idle)} · ${availableParallelism()} busy loops ${stats(busy)} (${N} connects each)`,
      );
    }
  } finally {
    await browser.close();
  }
});
