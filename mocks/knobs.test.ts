import { readdirSync, readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { DEFAULT_KNOBS, KNOBS } from './knobs';

it('K-*: every knob is documented, has a default, and has a test named after it', () => {
  const tests = readdirSync('mocks')
    .filter((f) => f.startsWith('knobs-') && f.endsWith('.test.ts'))
    .map((f) => readFileSync(`mocks/${f}`, 'utf8'))
    .join('\n');
  const readme = readFileSync('mocks/README.md', 'utf8');
  const missing = KNOBS.filter((k) => !new RegExp(`'K-${k.key}[=:]`).test(tests)).map((k) => k.key);
  expect(missing).toEqual([]);
  expect(KNOBS.map((k) => k.key).sort()).toEqual(Object.keys(DEFAULT_KNOBS).sort());
  expect(KNOBS.filter((k) => !readme.includes(`\`${k.key}\``)).map((k) => k.key)).toEqual([]);
});
