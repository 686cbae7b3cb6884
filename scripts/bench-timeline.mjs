#!/usr/bin/env node
// Benchmark: how long the timeline takes to render 10,000 events and to scroll through them, in
// Chromium against the production build. Prints figures; asserts nothing (tests assert behaviour).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromium } from '@playwright/test';

const N = Number(process.argv[2] ?? 10_000);
const PORT = 4179;
const executablePath =
  process.env.CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);

spawnSync('npx', ['vite', 'build', '--logLevel', 'error'], { stdio: 'inherit' });
const server = spawn('npx', ['vite', 'preview', '--port', String(PORT), '--strictPort'], { stdio: 'ignore' });
try {
  for (let i = 0; i < 50; i++) {
    try {
      if ((await fetch(`http://localhost:${PORT}/`)).ok) break;
    } catch {}
    await new Promise((r) => setTimeout(r, 200));
  }
  const browser = await chromium.launch({
    ...(executablePath ? { executablePath } : {}),
    args: ['--no-sandbox', '--disable-gpu'],
  });
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const started = Date.now();
  await page.goto(`http://localhost:${PORT}/?bench=${N}`);
  await page.getByTestId('timeline-row').first().waitFor();
  const firstRender = Date.now() - started;
  const inPage = await page.evaluate(() => window.__benchRender ?? null);
  const scroll = await page.evaluate(async () => {
    const el = document.querySelector('[data-testid="timeline-list"]') ?? document.scrollingElement;
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
} finally {
  server.kill();
}
