#!/usr/bin/env -S npx tsx
/**
 * `npm run bench [-- --cycles N] [-- --skip-timeline]`: prints figures, each next to what it is
 * compared with, measured in one run. Asserts nothing (tests assert behaviour; this measures it).
 *
 *   1. the scenario catalogue, headless in Node: wall time, passed/failed
 *   2. HTTP requests of a first OAuth connect on the `dcr` mock: engine · protocol minimum · SDK v1 auth()
 *   3. 100 concurrent tool calls that all meet a 401 vs one call: token requests and wall time
 *   4. timeline render of 10,000 events (scripts/bench-timeline.mjs, Chromium, production build)
 *   5. initial JS (gzip) that dist/index.html loads, next to all JS in dist
 *   6. heap and listeners after N connect/401/refresh cycles
 *   7. a first OAuth connect in the page (scripts/bench-connect.mjs): median and p95 of 20, mocks in the
 *      page and through the service worker, idle and with a busy loop per core, beside Node's figure
 *
 * Run with gc exposed (the package script does) so the heap figures are after a full collection.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';

const { values: argv } = parseArgs({
  args: process.argv.slice(2),
  options: { cycles: { type: 'string' }, 'skip-timeline': { type: 'boolean' } },
});
// 1,000 cycles take about 15 s on an idle 2-core machine; lower --cycles when it is busy.
const CYCLES = Number(argv.cycles ?? 1000);
if (!Number.isInteger(CYCLES) || CYCLES < 1) throw new Error(`--cycles must be a positive integer`);

const ROOT = new URL('..', import.meta.url).pathname;
const lines: string[] = [];
const say = (s: string) => {
  lines.push(s);
  console.log(s);
};
const ms = (t0: number) => Math.round(performance.now() - t0);
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(2)} MiB`;

// ── 1. scenario catalogue ────────────────────────────────────────────────────────────────────────
async function scenarioCatalogue(): Promise<void> {
  const { SCENARIOS } = await import('../src/scenarios');
  const { closeNodeScenarioEnvironment, runScenarioInNode } = await import('../src/scenarios/node');
  const t0 = performance.now();
  let passed = 0;
  const failed: string[] = [];
  try {
    for (const s of SCENARIOS) {
      const r = await runScenarioInNode(s);
      if (r.passed) passed++;
      else failed.push(r.id);
    }
  } finally {
    closeNodeScenarioEnvironment();
  }
  const wall = ms(t0);
  say(
    `1. scenario catalogue (Node, headless): ${SCENARIOS.length} scenarios in ${wall} ms wall · ` +
      `${passed} passed, ${failed.length} failed${failed.length ? ` (${failed.join(', ')})` : ''} · ` +
      `mean ${Math.round(wall / SCENARIOS.length)} ms per scenario`,
  );
}

// ── 2, 3, 6: the engine and the SDK against one mock world ───────────────────────────────────────
async function againstMocks(): Promise<string[]> {
  const { startMockServer } = await import('../mocks/node');
  const { harness } = await import('../src/engine/connection/factory-testing');
  const { CircuitBreaker } = await import('../src/engine/connection/circuit-breaker');
  const { MemoryProvider } = await import('../mocks/testing/memory-provider');
  const { SDK_V1, connectWithOAuth, listAllTools } = await import('../mocks/testing/sdks');
  type AdjustableClock = import('../mocks/world').AdjustableClock;
  type Connection = import('../src/engine/connection/connection').Connection;

  const mocks = startMockServer();
  const world = mocks.world;
  const clock = world.clock as AdjustableClock;
  const DCR = { name: 'dcr', url: 'https://dcr.mock.test/mcp' };
  const alice = { tenant: 'bench', user: { id: 'alice' } };
  // The consent decision is the person's click, not the client's protocol traffic.
  const clientRequests = () => world.log.filter((l) => l.endpoint !== 'decision');
  const tokenRequests = () => world.log.filter((l) => l.endpoint === 'token');
  const settle = () => new Promise((r) => setTimeout(r, 50)).then(() => world.idle());

  try {
    // 2. First OAuth connect: connect + list tools, one tools page for everybody.
    world.reset();
    world.setKnobs('dcr', { toolsPageSize: 50 });
    const h = harness();
    const conn = await h.engine.connect(DCR, alice, h.oauth());
    await conn.listTools();
    await settle();
    const engineLog = clientRequests().map((l) => `${l.endpoint}:${l.detail ?? l.method}`);
    await conn.close();

    world.reset();
    world.setKnobs('dcr', { toolsPageSize: 50 });
    const provider = new MemoryProvider();
    const client = await connectWithOAuth(SDK_V1, DCR.url, provider);
    await listAllTools(client);
    await settle();
    const sdkLog = clientRequests().map((l) => `${l.endpoint}:${l.detail ?? l.method}:${l.status}`);
    await client.close();
    const minimum = [
      'initialize→401',
      'PRM',
      'AS metadata',
      'register',
      'token',
      'initialize',
      'initialized',
      'tools/list',
    ];
    say(
      `2. first OAuth connect on dcr (connect + list tools, consent decision not counted): ` +
        `engine ${engineLog.length} requests · protocol minimum ${minimum.length} · SDK v1 auth() ${sdkLog.length}`,
    );
    // The same connect's wall time in Node, beside the page's (7): twenty fresh engines, consent by the decision API.
    const nodeTimes: number[] = [];
    for (let i = 0; i < 20; i++) {
      world.reset();
      const hn = harness();
      const t0 = performance.now();
      const c = await hn.engine.connect(DCR, alice, hn.oauth());
      await c.listTools();
      nodeTimes.push(ms(t0));
      await c.close();
    }
    nodeTimes.sort((a, b) => a - b);
    nodeConnect = `median ${nodeTimes[10]} ms · p95 ${nodeTimes[18]} ms`;
    say(`     minimum = ${minimum.join(' + ')} = ${minimum.length}`);
    say(`     engine: ${engineLog.join(' ')}`);
    say(`     SDK v1: ${sdkLog.join(' ')}`);

    // 3. 100 concurrent calls that meet a 401 vs one call, each after the access token expired.
    const burst = async (n: number) => {
      world.reset();
      const hb = harness();
      const c = await hb.engine.connect(DCR, alice, hb.oauth());
      clock.advance(2 * 3600_000); // past the mock AS's 1 h access token lifetime
      world.log.length = 0;
      const t0 = performance.now();
      const results = await Promise.allSettled(
        Array.from({ length: n }, (_, i) => c.callTool('echo', { message: `m${i}` })),
      );
      const wall = ms(t0);
      const tokens = tokenRequests().length;
      const ok = results.filter((r) => r.status === 'fulfilled').length;
      const unauthorized = world.log.filter((l) => l.endpoint === 'mcp' && l.status === 401).length;
      await c.close();
      return { wall, tokens, ok, unauthorized };
    };
    const one = await burst(1);
    const hundred = await burst(100);
    say(
      `3. expired token: 100 concurrent calls → ${hundred.tokens} token request(s), ${hundred.wall} ms wall, ` +
        `${hundred.ok}/100 ok, ${hundred.unauthorized} × 401 · one call → ${one.tokens} token request(s), ` +
        `${one.wall} ms wall, ${one.unauthorized} × 401`,
    );

    // 6. Heap and listeners after N connect/401/refresh cycles on one engine.
    const gc = (globalThis as { gc?: () => void }).gc;
    const collect = async () => {
      for (let i = 0; i < 3; i++) {
        gc?.();
        await new Promise((r) => setImmediate(r));
      }
      return process.memoryUsage().heapUsed;
    };
    const processListeners = () =>
      process.eventNames().reduce((n, name) => n + process.listenerCount(name as string), 0);
    const heapLines: string[] = [];
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    world.reset();
    // The cycles call the mock world directly instead of through msw: in Node, msw 3 intercepts at
    // the socket level and its request context (an AsyncLocalStorage store on every mocked socket)
    // keeps each finished request, and through its abort reason each connection, reachable. That is
    // the mock transport's memory, not the engine's; a browser or a real server has no such sockets.
    const mswFetch = globalThis.fetch;
    globalThis.fetch = async (input, init) =>
      (await world.handle(new Request(input, init))) ?? new Response('not a mock host', { status: 502 });
    const hc = harness();
    // Count the recorder's and the world's live subscriptions from outside: every subscribe that
    // has not been unsubscribed yet (their listener sets are private).
    const live = { recorder: 0, world: 0 };
    const countSubscriptions = <T extends { subscribe(fn: never): () => void }>(
      target: T,
      key: keyof typeof live,
    ) => {
      const original = target.subscribe.bind(target) as (fn: never) => () => void;
      target.subscribe = ((fn: never) => {
        live[key]++;
        const off = original(fn);
        let done = false;
        return () => {
          if (!done) live[key]--;
          done = true;
          return off();
        };
      }) as T['subscribe'];
    };
    // D5 opens the circuit after 7 connect cycles in 45 s, which is what a reconnect loop is; the
    // bench keeps the breaker but with a 1 ms window so it never trips and keeps no history.
    hc.engine.deps.breaker = new CircuitBreaker(hc.engine.clock, { windowMs: 1 });
    countSubscriptions(hc.engine.recorder, 'recorder');
    countSubscriptions(world, 'world');
    const first = await hc.engine.connect(DCR, alice, hc.oauth());
    await first.close();
    const measure = async () => ({
      heap: await collect(),
      recorder: live.recorder,
      world: live.world,
      process: processListeners(),
      timers: timers(),
      events: hc.engine.recorder.events.length,
    });
    const before = await measure();
    const refs: WeakRef<Connection>[] = [];
    let notClosed = 0;
    const t0 = performance.now();
    for (let i = 0; i < CYCLES; i++) {
      clock.advance(2 * 3600_000); // the stored access token is expired at the AS: 401, then refresh
      const c = await hc.engine.connect(DCR, alice, hc.oauth());
      await c.callTool('echo', { message: `cycle ${i}` });
      await c.close();
      if (c.state !== 'disconnected') notClosed++;
      refs.push(new WeakRef(c));
      world.log.length = 0; // the mocks' log is the bench's record, not the engine's
    }
    const wall = ms(t0);
    await settle();
    const after = await measure();
    const reachable = refs.filter((r) => r.deref() !== undefined).length;
    globalThis.fetch = mswFetch;
    const refreshes = hc.engine.recorder.events.filter((e) => e.ruleIds.includes('F10')).length;
    heapLines.push(
      `6. ${CYCLES} connect/401/refresh/call/close cycles in ${wall} ms (mock world called directly, not through msw; D5 breaker window 1 ms)${gc ? '' : ' (gc not exposed: heap figures include garbage)'}:`,
    );
    heapLines.push(
      `     heapUsed after gc ${mb(before.heap)} → ${mb(after.heap)} (${after.heap >= before.heap ? '+' : ''}${mb(after.heap - before.heap)}, ` +
        `${Math.round((after.heap - before.heap) / CYCLES)} B per cycle); timeline events kept ${before.events} → ${after.events}`,
    );
    heapLines.push(
      `     live subscriptions: recorder ${before.recorder} → ${after.recorder} · mock world ${before.world} → ${after.world} · ` +
        `process listeners ${before.process} → ${after.process} · active timers ${before.timers} → ${after.timers} · connections still reachable after gc ` +
        `${reachable}/${CYCLES} (${notClosed} not disconnected after close) · F10 refresh events ${refreshes}`,
    );
    return heapLines;
  } finally {
    mocks.close();
  }
}

/** Node's figure for a first OAuth connect on dcr, set by 2 and printed beside the page's in 7. */
let nodeConnect = 'not measured';

/**
 * Runs a Chromium benchmark script as a child process and prints its figures under `heading`, or
 * says why there are none (`label` names the figure in that sentence).
 */
function browserFigures(script: string, heading: string, label: string): Promise<void> {
  if (argv['skip-timeline']) {
    say(`${label}: not measured: --skip-timeline`);
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, script)], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d;
    });
    child.stderr.on('data', (d: Buffer) => {
      err += d;
    });
    child.on('close', (code) => {
      const figures = out.trim();
      if (code === 0 && figures) {
        say(heading);
        for (const l of figures.split('\n')) say(`     ${l.trim()}`);
      } else {
        const why = (err.trim().split('\n').at(-1) ?? '') || `exit code ${code}`;
        say(`${label}: not measured: ${script} failed (${why})`);
      }
      resolve();
    });
  });
}

// ── 4. timeline render (child process) ───────────────────────────────────────────────────────────
const timelineRender = () =>
  browserFigures(
    'scripts/bench-timeline.mjs',
    '4. timeline render (Chromium, production build, scripts/bench-timeline.mjs):',
    '4. timeline render, 10,000 events',
  );

// ── 7. first OAuth connect in the page (child process) ─────────────────────────────────────────────
async function connectInPage(): Promise<void> {
  await browserFigures(
    'scripts/bench-connect.mjs',
    '7. first OAuth connect on dcr, click to connected with auto-approve (Chromium, scripts/bench-connect.mjs):',
    '7. first OAuth connect in the page',
  );
  say(`     the same connect in Node (engine + mock world, no page): ${nodeConnect}`);
}

// ── 5. initial JS size ───────────────────────────────────────────────────────────────────────────
function initialJs(): void {
  const dist = join(ROOT, 'dist');
  const indexHtml = join(dist, 'index.html');
  if (!existsSync(indexHtml)) {
    say('5. initial JS (gzip): not measured: dist/index.html missing (the build did not run)');
    return;
  }
  const html = readFileSync(indexHtml, 'utf8');
  const refs = new Set<string>();
  for (const m of html.matchAll(/<script\b[^>]*\bsrc="([^"]+\.js)"/g)) if (m[1]) refs.add(m[1]);
  for (const m of html.matchAll(/<link\b[^>]*\brel="modulepreload"[^>]*\bhref="([^"]+\.js)"/g))
    if (m[1]) refs.add(m[1]);
  for (const m of html.matchAll(/<link\b[^>]*\bhref="([^"]+\.js)"[^>]*\brel="modulepreload"/g))
    if (m[1]) refs.add(m[1]);
  const gz = (file: string) => gzipSync(readFileSync(file), { level: 9 }).length;
  let initial = 0;
  let initialRaw = 0;
  const names: string[] = [];
  for (const ref of refs) {
    const file = join(dist, ref.replace(/^\//, ''));
    if (!existsSync(file)) continue;
    initial += gz(file);
    initialRaw += statSync(file).size;
    names.push(relative(dist, file));
  }
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith('.js') ? [join(dir, e.name)] : [],
    );
  const all = walk(dist);
  const total = all.reduce((n, f) => n + gz(f), 0);
  say(
    `5. initial JS (gzip -9): ${kb(initial)} in ${names.length} file(s) loaded by index.html (${kb(initialRaw)} raw) · ` +
      `all JS in dist ${kb(total)} gzip in ${all.length} files`,
  );
  say(`     initial: ${names.join(', ')}`);
}

const started = performance.now();
console.log(`MCP Lab bench — Node ${process.version}, ${new Date().toISOString()}\n`);
await scenarioCatalogue();
const heap = await againstMocks(); // printed last, in the order of the list above
await timelineRender(); // builds into dist/, which 5 reads
initialJs();
for (const l of heap) say(l);
await connectInPage();
console.log(`\nbench done in ${Math.round((performance.now() - started) / 1000)} s`);
// Leftover timers of ended scenario tabs must not keep the process alive.
process.exit(0);
