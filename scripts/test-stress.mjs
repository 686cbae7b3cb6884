#!/usr/bin/env node
// npm run test:stress [-- <playwright args>]: the browser suite as a loaded CI runner sees it. One
// busy-loop process per core competes with Chromium and the servers for the whole run, and every
// test runs twice (--repeat-each=2), so a wait that only holds on an idle machine shows up here.
// Ends with Playwright's own summary and its exit code.
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';

const cores = availableParallelism();
const loops = Array.from({ length: cores }, () =>
  spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }),
);
const stopLoops = () => {
  for (const l of loops) l.kill('SIGKILL');
};
process.on('exit', stopLoops);
for (const sig of ['SIGINT', 'SIGTERM'])
  process.on(sig, () => {
    stopLoops();
    process.exit(130);
  });

console.log(`== test:stress: ${cores} busy loop(s), each test twice`);
const started = Date.now();
const run = spawn('npx', ['playwright', 'test', '--repeat-each=2', ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, CI: process.env.CI ?? 'true' },
});
run.on('exit', (code, signal) => {
  stopLoops();
  console.log(
    `== test:stress done in ${Math.round((Date.now() - started) / 1000)} s (exit ${code ?? signal})`,
  );
  process.exit(code ?? 1);
});
