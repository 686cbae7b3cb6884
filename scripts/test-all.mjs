#!/usr/bin/env node
// The one command that proves everything: rebuild the sample MCP Apps, then typecheck, lint, unit
// tests (vitest, Node) and browser tests (Playwright, Chromium). Each step's own output streams
// through; at the end one line sums the tests of both runners as "N passed, N failed" so any CI
// can read the outcome.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

// Not under test-results/: Playwright empties that folder when it starts.
const out = 'reports';
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const unitJson = join(out, 'vitest.json');
const e2eJson = join(out, 'playwright.json');

const steps = [
  ['build sample apps', 'node', ['scripts/build-apps.mjs']],
  ['typecheck', 'npx', ['tsc', '-p', '.']],
  ['lint', 'npx', ['biome', 'check', '.']],
  [
    'unit',
    'npx',
    ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${unitJson}`],
  ],
  ['e2e', 'npx', ['playwright', 'test', '--reporter=list,json'], { PLAYWRIGHT_JSON_OUTPUT_NAME: e2eJson }],
];

let failedStep = null;
for (const [name, cmd, args, env] of steps) {
  console.log(`\n=== ${name}: ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  if (r.status !== 0) {
    failedStep ??= name;
    if (name !== 'unit' && name !== 'e2e') break;
  }
}

function read(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}
const unit = read(unitJson);
const e2e = read(e2eJson);
const passed = (unit?.numPassedTests ?? 0) + (e2e?.stats?.expected ?? 0);
const failed = (unit?.numFailedTests ?? 0) + (e2e?.stats?.unexpected ?? 0) + (e2e?.stats?.flaky ?? 0);
const skipped = (unit?.numPendingTests ?? 0) + (unit?.numTodoTests ?? 0) + (e2e?.stats?.skipped ?? 0);
console.log(
  `\nunit: ${unit ? `${unit.numPassedTests} passed, ${unit.numFailedTests} failed` : 'did not run'}; ` +
    `browser: ${e2e ? `${e2e.stats.expected} passed, ${e2e.stats.unexpected} failed` : 'did not run'}`,
);
if (failedStep) console.log(`The "${failedStep}" step failed.`);
console.log(`Tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failedStep || failed > 0 || passed === 0 ? 1 : 0);
