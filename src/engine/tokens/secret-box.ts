import { LabError } from '../errors';
import type { KeyValueStore } from '../store/types';

/**
 * Seals secrets before they reach storage (T7, TOK-3). `context` is bound to the ciphertext
 * (AES-GCM additional data): a sealed value copied into another slot, e.g. another tenant's
 * record (F20), does not open.
 */
export interface SecretBox {
  encrypt(plaintext: string, context?: string): Promise<string>;
  decrypt(sealed: string, context?: string): Promise<string>;
}

/** Where the AES-GCM key lives in the settings store. */
export const SECRET_KEY_NAME = 'tokens/secret-box-key/v1';

const FORMAT = 'aesgcm1';

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

function isCryptoKey(v: unknown): v is CryptoKey {
  return typeof CryptoKey !== 'undefined' && v instanceof CryptoKey;
}

export interface AesGcmSecretBoxOptions {
  /** The settings store that keeps the key; without one the key lives in memory only. */
  settings?: KeyValueStore;
  keyName?: string;
  subtle?: SubtleCrypto;
}

/**
 * AES-GCM with a 256-bit non-extractable key (T7): page script can use the key but never read it,
 * so an XSS can decrypt only while it runs, and an exported IndexedDB dump is useless on its own.
 *
 * Rule T7.
 * @see https://www.w3.org/TR/WebCryptoAPI/#aes-gcm
 */
export class AesGcmSecretBox implements SecretBox {
  readonly #subtle: SubtleCrypto;
  readonly #settings: KeyValueStore | undefined;
  readonly #keyName: string;
  #key: Promise<CryptoKey> | undefined;
  #memoryOnly = false;

  constructor(options: AesGcmSecretBoxOptions = {}) {
    this.#subtle = options.subtle ?? globalThis.crypto.subtle;
    this.#settings = options.settings;
    this.#keyName = options.keyName ?? SECRET_KEY_NAME;
  }

  /** True when the key could not be stored and lives only in this instance (see `#loadKey`). */
  get memoryOnly(): boolean {
    return this.#memoryOnly;
  }

  async encrypt(plaintext: string, context = ''): Promise<string> {
    const key = await this.#getKey();
    const iv = globalThis.crypto.getRandomValues(new Uint8Array(12));
    const data = new TextEncoder().encode(plaintext);
    const sealed = await this.#subtle.encrypt(
      { name: 'AES-GCM', iv, additionalData: new TextEncoder().encode(context) },
      key,
      data,
    );
    return `${FORMAT}.${toBase64(iv)}.${toBase64(new Uint8Array(sealed))}`;
  }

  async decrypt(sealed: string, context = ''): Promise<string> {
    const [format, iv, body] = sealed.split('.');
    if (format !== FORMAT || !iv || !body)
      throw new LabError(
        'invalid_input',
        'Failed to open a stored secret: it is not in the AES-GCM format.',
        {
          ruleIds: ['T7'],
        },
      );
    const key = await this.#getKey();
    try {
      const plain = await this.#subtle.decrypt(
        { name: 'AES-GCM', iv: fromBase64(iv), additionalData: new TextEncoder().encode(context) },
        key,
        fromBase64(body),
      );
      return new TextDecoder().decode(plain);
    } catch (cause) {
      throw new LabError(
        'invalid_input',
        'Failed to open a stored secret: the key or its slot does not match.',
        {
          hint: 'The encryption key was replaced or the record was copied; authorize again.',
          cause,
          ruleIds: ['T7'],
        },
      );
    }
  }

  #getKey(): Promise<CryptoKey> {
    this.#key ??= this.#loadKey().catch((e: unknown) => {
      this.#key = undefined; // let a later call try again instead of caching the failure
      throw e;
    });
    return this.#key;
  }

  async #loadKey(): Promise<CryptoKey> {
    const stored = this.#settings
      ? await this.#settings.get(this.#keyName).catch(() => undefined)
      : undefined;
    if (isCryptoKey(stored)) return stored;
    const fresh = await this.#subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, [
      'encrypt',
      'decrypt',
    ]);
    if (!this.#settings) {
      this.#memoryOnly = true;
      return fresh;
    }
    try {
      // Atomic: two tabs starting at once agree on one key (the first writer's).
      const written = await this.#settings.update(this.#keyName, (old) => (isCryptoKey(old) ? old : fresh));
      if (isCryptoKey(written)) return written;
    } catch {
      // The store cannot clone a CryptoKey (some structuredClone implementations refuse it,
      // and a JSON-backed store cannot hold one at all). Browsers' IndexedDB can.
    }
    // Fallback: keep the key for this instance only. Secrets sealed now cannot be opened by another
    // instance or after a restart; they then read as absent and the user authorizes again, which is
    // safer than writing a raw key next to the data it protects.
    this.#memoryOnly = true;
    return fresh;
  }
}

/**
 * No encryption: a readable `plain:` prefix plus the text. For tests that need to see what was
 * stored, and to prove that the at-rest check would catch an unencrypted store. Never use it in
 * the app.
 */
export class PlainSecretBox implements SecretBox {
  async encrypt(plaintext: string, context = ''): Promise<string> {
    return `plain:${encodeURIComponent(context)}:${plaintext}`;
  }
  async decrypt(sealed: string, context = ''): Promise<string> {
    const prefix = `plain:${encodeURIComponent(context)}:`;
    if (!sealed.startsWith(prefix))
      throw new LabError('invalid_input', 'Failed to open a stored secret: it was sealed for another slot.', {
        ruleIds: ['T7'],
      });
    return sealed.slice(prefix.length);
  }
}
