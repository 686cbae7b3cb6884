import { expect, it } from 'vitest';
import { client, harness, KEY } from './test-fixtures';

const grant = { access_token: 'access-grant-0001', refresh_token: 'refresh-grant-0001', expires_in: 3600 };

it('T2 T3: "expire now" makes the stored access token expired, so the next load refreshes', async () => {
  const h = harness();
  await h.tokens.saveGrant(KEY, grant, client());
  h.refresher.impl = async () => ({ access_token: 'access-new', expires_in: 3600 });
  await h.tokens.expireAccess(KEY);
  const listed = (await h.tokens.list())[0];
  expect(listed?.access?.expired).toBe(true);
  expect((await h.tokens.getTokens(KEY))?.access_token).toBe('access-new');
  expect(h.refresher.calls).toHaveLength(1);
});

it('T6: "corrupt" replaces the stored access token with one no server accepts, conditionally, and never shows it in the clear', async () => {
  const h = harness();
  await h.tokens.saveGrant(KEY, grant, client());
  const corrupted = await h.tokens.corruptAccess(KEY);
  expect(corrupted).toMatch(/^corrupted-/);
  expect((await h.tokens.getTokens(KEY))?.access_token).toBe(corrupted);
  expect(JSON.stringify(h.recorder.events)).not.toContain(corrupted ?? 'x');
  expect(await h.tokens.corruptAccess({ ...KEY, user: 'nobody' })).toBeUndefined();
});
