/** Secrets at rest: AES-256-GCM under a key derived by HKDF-SHA256 (RFC 5869) from the key secret. */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

export type KeySecretErrorCode = 'KEY_SECRET_WRONG' | 'KEY_SECRET_TOO_SHORT' | 'SECRET_BOX_MALFORMED';

export class KeySecretError extends Error {
  override readonly name = 'KeySecretError';
  constructor(readonly code: KeySecretErrorCode, message: string) {
    super(message);
  }
}

export interface KeySecret {
  readonly secret: string;
  /** Where the secret came from, in words an admin can act on (named in error messages). */
  readonly source: string;
}

// v1 = HKDF-SHA256(secret, SALT, INFO) → 32-byte key; AES-256-GCM, 12-byte random IV, 16-byte tag.
// A new scheme gets a new version prefix so values sealed under v1 stay readable.
const VERSION = 'v1';
const SALT = 'microcred secret-box';
const INFO = 'v1 aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Seals strings as `v1.<iv>.<ciphertext+tag>` (base64url). Each value is bound to a context
 * string (the GCM additional data), so a sealed value copied onto another row does not open.
 */
export class SecretBox {
  readonly #key: Buffer;
  readonly #source: string;

  constructor({ secret, source }: KeySecret) {
    // HKDF does not stretch a weak passphrase; loadKeySecret insists on a long random secret.
    this.#key = Buffer.from(hkdfSync('sha256', secret, SALT, INFO, 32));
    this.#source = source;
  }

  seal(plaintext: string, context: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return [VERSION, iv.toString('base64url'), body.toString('base64url')].join('.');
  }

  open(sealed: string, context: string): string {
    const [version, ivText, bodyText, ...rest] = sealed.split('.');
    const iv = Buffer.from(ivText ?? '', 'base64url');
    const body = Buffer.from(bodyText ?? '', 'base64url');
    if (version !== VERSION || rest.length > 0 || iv.length !== IV_BYTES || body.length < TAG_BYTES) {
      throw new KeySecretError('SECRET_BOX_MALFORMED', `The stored secret for ${context} is not in a format this version of microcred reads (expected ${VERSION}).`);
    }
    const decipher = createDecipheriv('aes-256-gcm', this.#key, iv);
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
    try {
      return Buffer.concat([decipher.update(body.subarray(0, body.length - TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      // GCM cannot tell a different secret from an altered value; the secret is by far the likelier.
      throw new KeySecretError(
        'KEY_SECRET_WRONG',
        `Cannot decrypt ${context} with the key secret from ${this.#source}. The key secret has changed since this ` +
          'was stored (or the stored value was altered). Restore the previous value of the MICROCRED_KEY_SECRET ' +
          'environment variable or of the key-secret file in the data directory.',
      );
    }
  }
}
