#!/usr/bin/env node
// Benchmark: how long the timeline takes to render 10,000 events and to scroll through them, in
// Chromium against the production build. Prints figures; asserts nothing (tests assert behaviour).
import { chromium } from '@playwright/test';
import { executablePath, withPreview } from './preview.mjs';

const N = Number(process.argv[2] ?? 10_000);

await withPreview(4179, async (base) => {
  const browser = await chromium.launch({
    ...(executablePath ? { executablePath } : {}),
    args: ['--no-sandbox', '--disable-gpu'],
  });
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const started = Date.now();
  await page.goto(`${base}/?bench=${N}`);
  await page.getByTestId('timeline-row').first().waitFor();
  const firstRender = Date.now() - started;
  const inPage = await page.evaluate(() => window.__benchRender ?? null);
  const scroll = await page.evaluate(async () => {
    const el = document.querySelector('[data-testid="timeline-list"]');
    if (!el) return null;
    const frames = [];
    let last = performance.now();
    const t0 = last;
    for (let y = 0; y < el.scrollHeight; y += el.clientHeight) {
      el.scrollTop = y;
      await new Promise((r) => requestAnimationFrame(() => r(undefined)));
      const now = performance.now();
      frames.push(now - last);
      last = now;
    }
    frames.sort((a, b) => a - b);
    return {
      pages: frames.length,
      totalMs: Math.round(performance.now() - t0),
      p95FrameMs: Math.round(frames[Math.floor(frames.length * 0.95)] ?? 0),
    };
  });
  const rendered = await page.getByTestId('timeline-row').count();
  console.log(`timeline: ${N} events`);
  console.log(
    `  page load to first rows: ${firstRender} ms (in page, events to rows: ${inPage ?? 'n/a'} ms)`,
  );
  console.log(`  rows in the DOM: ${rendered} (virtualized)`);
  if (scroll)
    console.log(
      `  scroll through ${scroll.pages} screens: ${scroll.totalMs} ms, p95 frame ${scroll.p95FrameMs} ms`,
    );
  await browser.close();
});
