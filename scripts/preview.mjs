// Builds the app and serves it with `vite preview` for a script (benchmarks, screenshots), then stops it.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const executablePath =
  process.env.CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);

/** Runs `fn(baseUrl)` against a fresh production build served on `port`. */
export async function withPreview(port, fn) {
  spawnSync('npx', ['vite', 'build', '--logLevel', 'error'], { stdio: 'inherit' });
  const server = spawn('npx', ['vite', 'preview', '--port', String(port), '--strictPort'], {
    stdio: 'ignore',
  });
  try {
    const base = `http://localhost:${port}`;
    for (let i = 0; i < 50; i++) {
      try {
        if ((await fetch(`${base}/`)).ok) break;
      } catch {}
      await new Promise((r) => setTimeout(r, 200));
    }
    return await fn(base);
  } finally {
    server.kill();
  }
}
