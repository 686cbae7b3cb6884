import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { LabError } from '../engine/errors';
import type { SecretBox } from '../engine/tokens';

const FORMAT = 'nodegcm1';

/**
 * AES-256-GCM with `node:crypto`, for Node hosts (the CLI, tests). Node 20's WebCrypto AES jobs run
 * on the libuv thread pool and abort the whole process (`Assertion failed: errors->Empty()`,
 * nodejs/node#42919) when a pool thread carries a stale OpenSSL error from another job; the
 * synchronous cipher API clears the error queue itself. The key lives in this process only: Node
 * hosts keep their stores in memory, so nothing outlives it anyway.
 */
export class NodeSecretBox implements SecretBox {
  readonly #key = randomBytes(32);

  async encrypt(plaintext: string, context = ''): Promise<string> {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return `${FORMAT}.${iv.toString('base64')}.${body.toString('base64')}`;
  }

  async decrypt(sealed: string, context = ''): Promise<string> {
    const [format, iv, body] = sealed.split('.');
    if (format !== FORMAT || !iv || !body)
      throw new LabError(
        'invalid_input',
        'Failed to open a stored secret: it is not in the Node AES-GCM format.',
        { ruleIds: ['T7'] },
      );
    const data = Buffer.from(body, 'base64');
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.#key, Buffer.from(iv, 'base64'));
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(data.subarray(data.length - 16));
      return Buffer.concat([decipher.update(data.subarray(0, data.length - 16)), decipher.final()]).toString(
        'utf8',
      );
    } catch (cause) {
      throw new LabError(
        'invalid_input',
        'Failed to open a stored secret: the key or its slot does not match.',
        { cause, ruleIds: ['T7'] },
      );
    }
  }
}
