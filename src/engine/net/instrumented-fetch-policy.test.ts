// D8 (spec/behaviour.md) through the instrumented fetch, and GATE6: the fetch pauses at the step gate.
import { registerClient, startAuthorization } from '@modelcontextprotocol/client';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { startMockServer } from '../../../mocks/node';
import { flushMicrotasks, RealClock } from '../clock';
import { isLabError } from '../errors';
import { TimelineRecorder } from '../timeline/recorder';
import { createInstrumentedFetch, type FetchLike, type InstrumentedFetchOptions } from './instrumented-fetch';
import { StepGate } from './step-gate';
import { UrlPolicy } from './url-policy';

const mocks = startMockServer();
afterAll(() => mocks.close());
beforeEach(() => mocks.world.reset());

interface Sent {
  url: string;
  method: string;
  headers: Headers;
  body: string | undefined;
}

/** A fake network: answers from a table and remembers what was sent. */
function fakeNetwork(routes: Record<string, () => Response>) {
  const sent: Sent[] = [];
  const fetchFn: FetchLike = async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    const body = typeof init?.body === 'string' ? init.body : undefined;
    sent.push({ url, method: init?.method ?? 'GET', headers: new Headers(init?.headers), body });
    const route = routes[url];
    return route ? route() : new Response('not found', { status: 404 });
  };
  return { sent, fetchFn };
}

const redirect = (status: number, location: string) => () =>
  new Response(null, { status, headers: { location } });
const ok = () =>
  new Response('{"ok":true}', { status: 200, headers: { 'content-type': 'application/json' } });

function setup(extra: Partial<InstrumentedFetchOptions> = {}) {
  const recorder = new TimelineRecorder(new RealClock());
  const fetchFor = createInstrumentedFetch({ recorder, pageOrigin: null, policy: new UrlPolicy(), ...extra });
  return { recorder, fetchFor };
}

describe('D8 URL policy in the fetch', () => {
  it('D8: a refused URL is never requested, and the refusal is a warn decision on the timeline', async () => {
    const net = fakeNetwork({});
    const { recorder, fetchFor } = setup({ fetch: net.fetchFn });
    await expect(fetchFor('mcp')('http://169.254.169.254/latest/meta-data/iam')).rejects.toMatchObject({
      code: 'url_refused',
      ruleIds: ['D8'],
    });
    expect(net.sent).toEqual([]);
    expect(recorder.events).toHaveLength(1);
    expect(recorder.events[0]).toMatchObject({
      kind: 'decision',
      level: 'warn',
      ruleIds: ['D8'],
      lane: 'host',
      summary: 'Refused GET http://169.254.169.254/latest/meta-data/iam: URL policy (D8)',
      data: { rule: 'link-local', to: 'mcp' },
    });
  });

  it('D8: a redirect to another origin drops Authorization (recorded); a same-origin one keeps it', async () => {
    const net = fakeNetwork({
      'https://a.example/start': redirect(307, '/same'),
      'https://a.example/same': redirect(302, 'https://b.example/other'),
      'https://b.example/other': ok,
    });
    const { recorder, fetchFor } = setup({ fetch: net.fetchFn });
    const res = await fetchFor('mcp')('https://a.example/start', {
      headers: { authorization: 'Bearer at-secret-123456' },
    });
    expect(res.status).toBe(200);
    expect(net.sent.map((s) => [s.url, s.headers.get('authorization')])).toEqual([
      ['https://a.example/start', 'Bearer at-secret-123456'],
      ['https://a.example/same', 'Bearer at-secret-123456'],
      ['https://b.example/other', null],
    ]);
    const decisions = recorder.events.filter((e) => e.kind === 'decision');
    expect(decisions.map((d) => d.summary)).toEqual([
      'Dropped authorization on the redirect from https://a.example to https://b.example (D8)',
    ]);
    expect(decisions[0]?.ruleIds).toEqual(['D8']);
    expect(recorder.events.filter((e) => e.kind === 'http').map((e) => e.summary)).toEqual([
      'GET /start → 307',
      'GET /same → 302',
      'GET /other → 200',
    ]);
  });

  it('D8: a 303 after POST continues as GET without the body; a 307 keeps method and body', async () => {
    const net = fakeNetwork({
      'https://a.example/post303': redirect(303, '/done'),
      'https://a.example/post307': redirect(307, '/again'),
      'https://a.example/done': ok,
      'https://a.example/again': ok,
    });
    const { fetchFor } = setup({ fetch: net.fetchFn });
    const init = { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"x":1}' };
    await fetchFor('mcp')('https://a.example/post303', init);
    await fetchFor('mcp')('https://a.example/post307', init);
    expect(net.sent.map((s) => [s.method, s.url, s.body, s.headers.get('content-type')])).toEqual([
      ['POST', 'https://a.example/post303', '{"x":1}', 'application/json'],
      ['GET', 'https://a.example/done', undefined, null],
      ['POST', 'https://a.example/post307', '{"x":1}', 'application/json'],
      ['POST', 'https://a.example/again', '{"x":1}', 'application/json'],
    ]);
  });

  it('D8: a mock authorization redirect to a loopback callback is refused before it is followed', async () => {
    const asUrl = 'https://auth.dcr.mock.test';
    const redirectUrl = 'http://localhost:3999/oauth/callback';
    const client = await registerClient(asUrl, {
      clientMetadata: { redirect_uris: [redirectUrl], token_endpoint_auth_method: 'none' },
    });
    const { authorizationUrl } = await startAuthorization(asUrl, { clientInformation: client, redirectUrl });
    mocks.world.setKnobs('dcr', { autoApprove: true });
    const { recorder, fetchFor } = setup();
    const e = await fetchFor('as')(authorizationUrl).catch((x: unknown) => x);
    expect(isLabError(e, 'url_refused')).toBe(true);
    const [hop, refusal] = recorder.events;
    expect(hop?.summary).toBe('GET /authorize → 302');
    const location = hop?.http?.response?.headers.location ?? '';
    const [code = ''] = mocks.world.authServer('dcr')?.state.codes.keys() ?? [];
    expect(code.length).toBeGreaterThan(8);
    expect(location).toMatch(/^http:\/\/localhost:3999\/oauth\/callback\?code=/);
    expect(location).not.toContain(code); // T7: the code in the Location header is masked
    expect(refusal).toMatchObject({
      kind: 'decision',
      level: 'warn',
      ruleIds: ['D8'],
      data: { rule: 'loopback' },
    });
    expect(recorder.events).toHaveLength(2);
  });

  it('D8: in a browser the final URL of a followed redirect is checked (the browser strips Authorization itself)', async () => {
    const fetchFn: FetchLike = async () => {
      const res = ok();
      Object.defineProperty(res, 'redirected', { value: true });
      Object.defineProperty(res, 'url', { value: 'http://10.0.0.7/internal' });
      return res;
    };
    const { recorder, fetchFor } = setup({ fetch: fetchFn, pageOrigin: 'http://localhost:5173' });
    await expect(fetchFor('mcp')('https://a.example/start')).rejects.toMatchObject({ code: 'url_refused' });
    expect(recorder.events.map((e) => e.kind)).toEqual(['http', 'decision']);
    expect(recorder.events[1]?.data?.rule).toBe('private');
  });

  it('D8: without a policy the fetch passes redirects through untouched', async () => {
    const net = fakeNetwork({ 'https://a.example/start': redirect(302, 'https://b.example/other') });
    const recorder = new TimelineRecorder(new RealClock());
    const fetchFor = createInstrumentedFetch({ recorder, pageOrigin: null, fetch: net.fetchFn });
    const res = await fetchFor('mcp')('https://a.example/start', {
      headers: { authorization: 'Bearer abcdefghij' },
    });
    expect(res.status).toBe(302);
    expect(net.sent).toHaveLength(1);
  });
});

describe('step gate in the fetch', () => {
  it('GATE6: a request is held at the gate, not sent, until continue(); gate events bracket it', async () => {
    const gate = new StepGate({ enabled: true });
    const { recorder, fetchFor } = setup({ gate });
    const before = mocks.world.log.length;
    let done = false;
    const pending = fetchFor('as')('https://auth.dcr.mock.test/.well-known/oauth-authorization-server').then(
      (r) => {
        done = true;
        return r;
      },
    );
    for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 5));
    await flushMicrotasks();
    expect(done).toBe(false);
    expect(mocks.world.log.length).toBe(before);
    expect(gate.pending).toHaveLength(1);
    expect(gate.pending[0]).toMatchObject({ method: 'GET', lane: 'as', label: 'AS metadata' });
    expect(gate.pending[0]?.explanation).toContain('RFC 8414');
    gate.continue();
    expect((await pending).status).toBe(200);
    expect(mocks.world.log.length).toBe(before + 1);
    expect(recorder.events.map((e) => [e.kind, e.data?.phase ?? e.summary])).toEqual([
      ['gate', 'paused'],
      ['gate', 'released'],
      ['http', 'GET /.well-known/oauth-authorization-server → 200 (AS metadata)'],
    ]);
  });

  it('GATE6: aborting a held request cancels it before anything is sent', async () => {
    const gate = new StepGate({ enabled: true });
    const net = fakeNetwork({ 'https://a.example/x': ok });
    const { recorder, fetchFor } = setup({ gate, fetch: net.fetchFn });
    const ac = new AbortController();
    const p = fetchFor('mcp')('https://a.example/x', { signal: ac.signal });
    await flushMicrotasks();
    ac.abort();
    await expect(p).rejects.toMatchObject({ code: 'aborted' });
    expect(net.sent).toEqual([]);
    expect(gate.pending).toEqual([]);
    expect(recorder.events.map((e) => e.data?.phase)).toEqual(['paused', 'aborted']);
  });
});
