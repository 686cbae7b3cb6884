#!/usr/bin/env node
// npm start: the playground (Vite, mocks embedded) and the reference real stack (oidc-provider AS +
// SDK MCP server) together. If the stack cannot start (a port is taken), the playground still does.
import { spawn } from 'node:child_process';

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
