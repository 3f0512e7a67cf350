/**
 * The simulated platform's own signing keys (RFC 7517 JWK Set, RS256 as Moodle and Canvas use)
 * and the id_token signer with the tampering modes the tool's rejection tests need (RFC 7515 /
 * RFC 7519; `none` per RFC 7519 §6; HS256-with-the-public-key is the classic algorithm confusion).
 */
import { createPublicKey } from 'node:crypto';
import { base64url, exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import type { LaunchOverride } from './model.ts';

interface PlatformKey {
  readonly kid: string;
  readonly privateKey: CryptoKey;
  readonly publicJwk: JWK;
}

export class PlatformKeys {
  #active: PlatformKey;
  #published: PlatformKey[];
  #other: PlatformKey | undefined;

  private constructor(active: PlatformKey) {
    this.#active = active;
    this.#published = [active];
  }

  static async create(): Promise<PlatformKeys> {
    return new PlatformKeys(await newKey());
  }

  get kid(): string {
    return this.#active.kid;
  }

  jwks(): { keys: JWK[] } {
    return { keys: this.#published.map((key) => ({ ...key.publicJwk, kid: key.kid, alg: 'RS256', use: 'sig' })) };
  }

  /** Start signing with a new key; the previous one stays published unless `keepPrevious` is false. */
  async rotate(keepPrevious = true): Promise<string> {
    const next = await newKey();
    this.#published = keepPrevious ? [next, ...this.#published] : [next];
    this.#active = next;
    return next.kid;
  }

  /** Sign with the platform key (RS256) and the platform kid. */
  async sign(payload: Record<string, unknown>, header: Record<string, unknown> = {}): Promise<string> {
    return new SignJWT(payload).setProtectedHeader({ typ: 'JWT', ...header, alg: 'RS256', kid: this.#active.kid }).sign(this.#active.privateKey);
  }

  /** Sign an id_token the way `override.signWith` asks (default: properly). */
  async signIdToken(payload: Record<string, unknown>, override: LaunchOverride): Promise<string> {
    const extra = override.header ?? {};
    switch (override.signWith ?? 'platform') {
      case 'platform':
        return new SignJWT(payload).setProtectedHeader({ typ: 'JWT', alg: 'RS256', kid: this.#active.kid, ...extra }).sign(this.#active.privateKey);
      case 'no-kid':
        return new SignJWT(payload).setProtectedHeader({ typ: 'JWT', alg: 'RS256', ...extra }).sign(this.#active.privateKey);
      case 'other-rsa': {
        // Same kid, different key: only the signature is wrong.
        const other = await this.#otherKey();
        return new SignJWT(payload).setProtectedHeader({ typ: 'JWT', alg: 'RS256', kid: this.#active.kid, ...extra }).sign(other.privateKey);
      }
      case 'unknown-kid': {
        const other = await this.#otherKey();
        return new SignJWT(payload).setProtectedHeader({ typ: 'JWT', alg: 'RS256', kid: other.kid, ...extra }).sign(other.privateKey);
      }
      case 'none': {
        const header = { typ: 'JWT', alg: 'none', kid: this.#active.kid, ...extra };
        return `${encodeJson(header)}.${encodeJson(payload)}.`;
      }
      case 'hs256-with-public-key': {
        const pem = createPublicKey({ key: this.#active.publicJwk as import('node:crypto').JsonWebKey, format: 'jwk' }).export({ type: 'spki', format: 'pem' });
        return new SignJWT(payload).setProtectedHeader({ typ: 'JWT', alg: 'HS256', kid: this.#active.kid, ...extra }).sign(new TextEncoder().encode(String(pem)));
      }
    }
  }

  async #otherKey(): Promise<PlatformKey> {
    this.#other ??= await newKey();
    return this.#other;
  }
}

async function newKey(): Promise<PlatformKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const kid = `sim-${base64url.encode(crypto.getRandomValues(new Uint8Array(9)))}`;
  return { kid, privateKey, publicJwk };
}

function encodeJson(value: unknown): string {
  return base64url.encode(new TextEncoder().encode(JSON.stringify(value)));
}
