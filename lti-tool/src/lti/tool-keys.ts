/**
 * The tool's own LTI signing keys (Security Framework §6: tool JWKS): RS256 only, because Moodle
 * verifies nothing else. Stored through IssuerKeys with purpose 'lti', private halves sealed at
 * rest; rotation keeps the previous key published while platforms may still check it.
 */
import { SignJWT, type JWTPayload } from 'jose';
import { buildJwks } from '../../../shared/crypto/jwks.ts';
import { importSigningKey } from '../../../shared/crypto/keys.ts';
import { IssuerKeyError, IssuerKeys, type IssuerKeyInfo } from '../keys/issuer-keys.ts';
import type { SecretBox } from '../keys/secret-box.ts';
import type { IssuerKeyRepository } from '../store/issuer-key-repository.ts';

export const LTI_JWKS_PATH = '/lti/jwks.json';

export class ToolKeys {
  readonly #keys: IssuerKeys;

  constructor(args: { publicUrl: string; repository: IssuerKeyRepository; secretBox: SecretBox; now?: () => Date }) {
    // kid = `<JWKS URL>#<RFC 7638 thumbprint>`: unique beside the issuer's did:web kids in the shared table.
    this.#keys = new IssuerKeys({ issuerDid: `${args.publicUrl}${LTI_JWKS_PATH}`, repository: args.repository, secretBox: args.secretBox, ...(args.now ? { now: args.now } : {}) });
  }

  /** Creates the first RS256 key unless one exists (several instances may race; one wins). */
  async ensureKey(): Promise<void> {
    if ((await this.#keys.list()).some((k) => k.status === 'active')) return;
    try {
      await this.#keys.generate('RS256');
    } catch (error) {
      if (!(error instanceof IssuerKeyError)) throw error;
    }
  }

  async rotate(): Promise<IssuerKeyInfo> {
    return this.#keys.rotate('RS256');
  }

  list(): Promise<IssuerKeyInfo[]> {
    return this.#keys.list();
  }

  /** RFC 7517 key set of the active and retired keys, for /lti/jwks.json. */
  async jwks(): Promise<{ keys: unknown[] }> {
    await this.ensureKey();
    return buildJwks(await this.#keys.publishedKeys());
  }

  /** Signs `payload` as a JWT with the active key (RS256, kid in the header). */
  async sign(payload: JWTPayload, typ = 'JWT'): Promise<string> {
    await this.ensureKey();
    const { kid, alg, privateJwk } = await this.#keys.activeSigningKey();
    return new SignJWT(payload).setProtectedHeader({ alg, kid, typ }).sign(await importSigningKey(privateJwk, alg));
  }
}
