import { describe, expect, it } from 'vitest';
import { type LockManagerLike, shareWorld } from './shared-world';
import { MockWorld } from './world';

/** A lock manager shared by two "tabs" in one process, like navigator.locks across tabs. */
function locks(): LockManagerLike {
  const queues = new Map<string, Promise<unknown>>();
  return {
    request(name, _o, cb) {
      const prev = queues.get(name) ?? Promise.resolve();
      const run = prev.then(() => cb(null));
      queues.set(
        name,
        run.catch(() => {}),
      );
      return run;
    },
  };
}

const init = () =>
  new Request('https://noauth.mock.test/mcp', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } },
    }),
  });

describe('shared mock world', () => {
  it('M10: a second tab relays to the tab that hosts the world, so both see one authorization server', async () => {
    const lm = locks();
    const channelName = `test-${Math.random()}`;
    const worldA = new MockWorld();
    const worldB = new MockWorld();
    const a = shareWorld(worldA, { channelName, locks: lm });
    const b = shareWorld(worldB, { channelName, locks: lm });
    await a.leadership;
    expect(a.isLeader).toBe(true);
    expect(b.isLeader).toBe(false);
    const res = await b.handle(init());
    expect(res?.status).toBe(200);
    expect(res?.headers.get('mcp-session-id')).toMatch(/^sess_/);
    expect(await res?.text()).toContain('"protocolVersion":"2025-11-25"');
    expect(worldA.log).toHaveLength(1);
    expect(worldB.log).toHaveLength(0);
    // Not a mock host: the leader says so and the follower passes it on.
    expect(await b.handle(new Request('https://example.com/'))).toBeUndefined();
    // The leader goes away: the follower takes over with its own world.
    a.close();
    await b.leadership;
    expect(b.isLeader).toBe(true);
    expect((await b.handle(init()))?.status).toBe(200);
    expect(worldB.log).toHaveLength(1);
    b.close();
  });

  it('M10: a network-error answer crosses the relay as a network error', async () => {
    const lm = locks();
    const channelName = `test-${Math.random()}`;
    const worldA = new MockWorld();
    const a = shareWorld(worldA, { channelName, locks: lm });
    const b = shareWorld(new MockWorld(), { channelName, locks: lm });
    await a.leadership;
    worldA.setKnobs('dcr', { tokenError: { kind: 'network', grant: 'any', remaining: 1 } });
    const res = await b.handle(
      new Request('https://auth.dcr.mock.test/token', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=refresh_token',
      }),
    );
    expect(res?.type).toBe('error');
    a.close();
    b.close();
  });
});
