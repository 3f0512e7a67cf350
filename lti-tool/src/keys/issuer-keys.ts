/** The issuer's signing keys: first-use creation, rotation and the published set (kid = `${issuerDid}#${RFC 7638 thumbprint}`). */
import type { JWK } from 'jose';
import { generateSigningKey, publicJwkOf, type SigningAlg } from '../../../shared/crypto/keys.ts';
import type { IssuerKeyRecord, IssuerKeyRepository, IssuerKeyStatus, NewIssuerKey } from '../store/issuer-key-repository.ts';
import type { SecretBox } from './secret-box.ts';

export interface IssuerKeyInfo {
  readonly kid: string;
  readonly alg: SigningAlg;
  readonly status: IssuerKeyStatus;
  readonly createdAt: Date;
  readonly retiredAt: Date | null;
}

export interface ActiveSigningKey {
  readonly kid: string;
  readonly alg: SigningAlg;
  readonly privateJwk: JWK;
}

export interface PublishedKey {
  readonly kid: string;
  readonly alg: SigningAlg;
  readonly publicJwk: JWK;
}

export class IssuerKeyError extends Error {
  override readonly name = 'IssuerKeyError';
  constructor(readonly code: 'ISSUER_KEY_EXISTS', message: string) {
    super(message);
  }
}

export interface IssuerKeysOptions {
  /** The issuer's DID (did:web of the tool); key ids are fragments of it. */
  readonly issuerDid: string;
  readonly repository: IssuerKeyRepository;
  readonly secretBox: SecretBox;
  readonly now?: () => Date;
}

const DEFAULT_ALG: SigningAlg = 'EdDSA';

const infoOf = ({ kid, alg, status, createdAt, retiredAt }: IssuerKeyRecord): IssuerKeyInfo => ({ kid, alg, status, createdAt, retiredAt });

/** The sealed value is bound to its kid, so it cannot be moved onto another key's row. */
const sealContext = (kid: string) => `issuer key ${kid}`;

export class IssuerKeys {
  readonly #issuerDid: string;
  readonly #repository: IssuerKeyRepository;
  readonly #secretBox: SecretBox;
  readonly #now: () => Date;

  constructor({ issuerDid, repository, secretBox, now = () => new Date() }: IssuerKeysOptions) {
    this.#issuerDid = issuerDid;
    this.#repository = repository;
    this.#secretBox = secretBox;
    this.#now = now;
  }

  /** Creates the first key. Once a key is active, replacing it is a rotation, so this refuses. */
  async generate(alg: SigningAlg = DEFAULT_ALG): Promise<IssuerKeyInfo> {
    const key = await this.#newKey(alg);
    if (!(await this.#repository.insertActiveIfNone(key))) {
      const active = await this.#repository.active();
      throw new IssuerKeyError('ISSUER_KEY_EXISTS', `The issuer already has an active key${active ? ` (${active.kid})` : ''}; rotate it instead of generating another.`);
    }
    return this.#infoOfActive();
  }

  /** Every key, newest first, without private parts. */
  async list(): Promise<IssuerKeyInfo[]> {
    return (await this.#repository.list()).map(infoOf);
  }

  /**
   * Makes a new key active and retires the previous one, which stays published so credentials
   * it signed keep verifying. The algorithm defaults to the current key's.
   */
  async rotate(alg?: SigningAlg): Promise<IssuerKeyInfo> {
    const current = await this.#repository.active();
    await this.#repository.rotateTo(await this.#newKey(alg ?? current?.alg ?? DEFAULT_ALG));
    return this.#infoOfActive();
  }

  /**
   * The key to sign with now, created on first use. Read from the database on every call rather
   * than cached, so a rotation made by another instance takes effect here at once.
   */
  async activeSigningKey(): Promise<ActiveSigningKey> {
    let active = await this.#repository.active();
    if (!active) {
      // Generated outside any transaction: key generation is slow and awaits, and a losing
      // instance simply drops its key and uses the winner's.
      await this.#repository.insertActiveIfNone(await this.#newKey(DEFAULT_ALG));
      active = await this.#mustBeActive();
    }
    const privateJwk = JSON.parse(this.#secretBox.open(active.encryptedPrivateKey, sealContext(active.kid))) as JWK;
    return { kid: active.kid, alg: active.alg, privateJwk };
  }

  /** The keys verifiers may meet: the active one and every retired one, newest first. */
  async publishedKeys(): Promise<PublishedKey[]> {
    return (await this.#repository.published()).map(({ kid, alg, publicJwk }) => ({ kid, alg, publicJwk }));
  }

  async #newKey(alg: SigningAlg): Promise<NewIssuerKey> {
    const { thumbprint, publicJwk, privateJwk } = await generateSigningKey(alg);
    const kid = `${this.#issuerDid}#${thumbprint}`;
    const encryptedPrivateKey = this.#secretBox.seal(JSON.stringify(privateJwk), sealContext(kid));
    return { kid, alg, publicJwk: publicJwkOf(publicJwk), encryptedPrivateKey, createdAt: this.#now() };
  }

  async #mustBeActive(): Promise<IssuerKeyRecord> {
    const active = await this.#repository.active();
    // Unreachable unless someone deleted or edited the row by hand between our insert and this read.
    if (!active) throw new Error('No active issuer key right after creating one; a concurrent change removed it.');
    return active;
  }

  async #infoOfActive(): Promise<IssuerKeyInfo> {
    return infoOf(await this.#mustBeActive());
  }
}
