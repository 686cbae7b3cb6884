#!/usr/bin/env node
// npm start: the playground (Vite, mocks embedded) and the reference real stack (oidc-provider AS +
// SDK MCP server) together. If the stack cannot start (a port is taken), the playground still does.
import { spawn, spawnSync } from 'node:child_process';

// The sample MCP Apps the mock servers serve: rebuilt first so edits to mocks/apps/src show up.
const apps = spawnSync('node', ['scripts/build-apps.mjs'], { stdio: 'inherit' });
if (apps.status !== 0) process.exit(apps.status ?? 1);

const children = [];
const run = (cmd, args) => {
  const child = spawn(cmd, args, { stdio: 'inherit' });
  children.push(child);
  return child;
};

const stack = run('npx', ['tsx', 'server/main.ts']);
stack.on('exit', (code) => {
  if (code)
    console.log(
      '\nThe reference stack did not start (see above); the playground runs with the mock servers only.\n',
    );
});
const vite = run('npx', ['vite']);
vite.on('exit', (code) => {
  for (const c of children) c.kill();
  process.exit(code ?? 0);
});
for (const sig of ['SIGINT', 'SIGTERM'])
  process.on(sig, () => {
    for (const c of children) c.kill(sig);
    process.exit(0);
  });
