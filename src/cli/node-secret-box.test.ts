import { expect, it } from 'vitest';
import { NodeSecretBox } from './node-secret-box';

it('T7 TOK-3: the Node secret box seals with AES-GCM bound to its slot, and refuses another slot or another key', async () => {
  const box = new NodeSecretBox();
  const sealed = await box.encrypt('canary-secret-value', 'slot/a');
  expect(sealed).not.toContain('canary');
  expect(await box.decrypt(sealed, 'slot/a')).toBe('canary-secret-value');
  await expect(box.decrypt(sealed, 'slot/b')).rejects.toMatchObject({ code: 'invalid_input' });
  await expect(new NodeSecretBox().decrypt(sealed, 'slot/a')).rejects.toMatchObject({
    code: 'invalid_input',
  });
  expect(await box.encrypt('x', 's')).not.toBe(await box.encrypt('x', 's'));
});
