#!/usr/bin/env node
/**
 * The scenario catalogue on the command line: `npm run scenarios -- [--shard i/n] [--junit <file>]
 * [--only <id,…>] [--verbose]`. Runs each scenario in this process against the mock world, prints
 * one line per scenario and ends with `N passed, N failed`; exits 1 when any failed, 2 on bad input.
 */
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { SCENARIOS } from '../scenarios';
import { closeNodeScenarioEnvironment, runScenarioInNode } from '../scenarios/node';
import type { Scenario, ScenarioResult } from '../scenarios/types';

const USAGE = `Usage: npm run scenarios -- [options]

  --shard <i/n>     run every n-th scenario starting with the i-th (1-based), e.g. 2/4
  --only <id,…>     run only these scenarios (comma-separated ids)
  --junit <file>    also write the results as JUnit XML
  --verbose         print each scenario's timeline
  --list            list the scenarios and exit
`;

export interface ScenarioCliOptions {
  shard?: { index: number; total: number };
  only?: string[];
  junit?: string;
  verbose: boolean;
  list: boolean;
  help: boolean;
}

/** Reads the arguments; throws an Error a person can act on. */
export function parseScenarioArgs(argv: string[]): ScenarioCliOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      shard: { type: 'string' },
      only: { type: 'string' },
      junit: { type: 'string' },
      verbose: { type: 'boolean' },
      list: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const out: ScenarioCliOptions = {
    verbose: values.verbose === true,
    list: values.list === true,
    help: values.help === true,
  };
  if (values.shard !== undefined) {
    const m = /^(\d+)\/(\d+)$/.exec(values.shard);
    const index = Number(m?.[1]);
    const total = Number(m?.[2]);
    if (!m || total < 1 || index < 1 || index > total)
      throw new Error(`--shard must be i/n with 1 ≤ i ≤ n, e.g. 1/3; got "${values.shard}".`);
    out.shard = { index, total };
  }
  if (values.only !== undefined) {
    out.only = values.only
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const unknown = out.only.filter((id) => !SCENARIOS.some((s) => s.id === id));
    if (unknown.length)
      throw new Error(`No scenario ${unknown.map((u) => `"${u}"`).join(', ')}. Try --list.`);
  }
  if (values.junit !== undefined) {
    if (!values.junit) throw new Error('--junit needs a file name.');
    out.junit = values.junit;
  }
  return out;
}

/** The scenarios a run covers: `--only`, then every n-th from the i-th for `--shard i/n`. */
export function selectScenarios(all: readonly Scenario[], o: Pick<ScenarioCliOptions, 'only' | 'shard'>) {
  const picked = o.only ? all.filter((s) => o.only?.includes(s.id)) : [...all];
  const shard = o.shard;
  return shard ? picked.filter((_, i) => i % shard.total === shard.index - 1) : picked;
}

const xml = (s: string) =>
  s.replace(
    /[<>&"']/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] ?? c,
  );

/** JUnit XML: one testsuite, one testcase per scenario, a failure element per failed scenario. */
export function junitXml(results: readonly ScenarioResult[], suite = 'mcp-lab scenarios'): string {
  const failed = results.filter((r) => !r.passed).length;
  const seconds = (ms: number) => (ms / 1000).toFixed(3);
  const total = results.reduce((t, r) => t + r.durationMs, 0);
  const cases = results.map((r) => {
    const open = `    <testcase classname="scenarios" name="${xml(`${r.id}: ${r.title}`)}" time="${seconds(r.durationMs)}"`;
    if (r.passed) return `${open}/>`;
    const message = xml(r.failures[0] ?? 'failed');
    const body = xml(`${r.failures.join('\n')}\n\nTimeline:\n${r.timeline}`);
    return `${open}>\n      <failure message="${message}">${body}</failure>\n    </testcase>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites tests="${results.length}" failures="${failed}" time="${seconds(total)}">`,
    `  <testsuite name="${xml(suite)}" tests="${results.length}" failures="${failed}" errors="0" skipped="0" time="${seconds(total)}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

/** One line per scenario, then its failures indented. */
export function formatResult(r: ScenarioResult): string {
  const head = `${r.passed ? '✓' : '✗'} ${r.id}  ${r.title} (${r.durationMs} ms)`;
  const known = !r.passed && r.knownIssue ? [`    known engine bug: ${r.knownIssue}`] : [];
  return [head, ...known, ...r.failures.map((f) => `    - ${f}`)].join('\n');
}

export async function main(argv: string[], write = (s: string) => process.stdout.write(s)): Promise<number> {
  let options: ScenarioCliOptions;
  try {
    options = parseScenarioArgs(argv);
  } catch (e) {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n\n${USAGE}`);
    return 2;
  }
  if (options.help) {
    write(USAGE);
    return 0;
  }
  const chosen = selectScenarios(SCENARIOS, options);
  if (options.list) {
    for (const s of chosen) write(`${s.id}  [${s.ruleIds.join(' ')}]  ${s.title}\n`);
    return 0;
  }
  const results: ScenarioResult[] = [];
  try {
    for (const s of chosen) {
      const r = await runScenarioInNode(s);
      results.push(r);
      write(`${formatResult(r)}\n`);
      if (options.verbose) write(`${r.timeline.replace(/^/gm, '      ')}\n`);
    }
  } finally {
    closeNodeScenarioEnvironment();
  }
  const failed = results.filter((r) => !r.passed).length;
  if (options.junit) writeFileSync(options.junit, junitXml(results));
  write(`\n${results.length - failed} passed, ${failed} failed\n`);
  return failed ? 1 : 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href)
  main(process.argv.slice(2)).then(
    // Leftover timers of ended tabs must not keep the process alive.
    (code) => process.exit(code),
    (e: unknown) => {
      process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exit(2);
    },
  );
