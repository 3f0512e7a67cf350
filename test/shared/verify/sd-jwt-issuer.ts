/**
 * Test-side SD-JWT issuance (RFC 9901 §4.2, VC-JOSE-COSE §3.2) with jose and node:crypto, written
 * independently of shared/crypto/sd-jwt.ts so the verifier is checked against another implementation.
 */
import { createHash, randomBytes } from 'node:crypto';
import { CompactSign, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const digest = (disclosure: string, alg: 'sha-256' | 'sha-384' = 'sha-256') => createHash(alg.replace('-', '')).update(disclosure, 'ascii').digest('base64url');

export interface SdJwtIssuance {
  /** The SD-JWT as issued, with every disclosure, ending in `~`. */
  readonly sdJwt: string;
  readonly issuerJwt: string;
  /** Disclosures by claim path (`name` for top-level claims, `credentialSubject.name` one level down). */
  readonly disclosures: ReadonlyMap<string, string>;
}

export interface SdJwtIssueOptions {
  readonly privateJwk: JWK;
  readonly alg: string;
  readonly kid: string;
  /** Top-level claims and credentialSubject claims (`credentialSubject.x`) to make selectively disclosable. */
  readonly disclosable: readonly string[];
  readonly holderJwk?: JWK;
  readonly typ?: string;
  readonly sdAlg?: 'sha-256' | 'sha-384';
}

export async function issueSdJwt(credential: Record<string, unknown>, options: SdJwtIssueOptions): Promise<SdJwtIssuance> {
  const sdAlg = options.sdAlg ?? 'sha-256';
  const payload: Record<string, unknown> = structuredClone(credential);
  const disclosures = new Map<string, string>();
  const hide = (target: Record<string, unknown>, name: string, path: string) => {
    if (!(name in target)) throw new Error(`no claim ${path} to hide`);
    const disclosure = b64([randomBytes(16).toString('base64url'), name, target[name]]);
    delete target[name];
    target._sd = [...((target._sd as string[] | undefined) ?? []), digest(disclosure, sdAlg)];
    disclosures.set(path, disclosure);
  };
  for (const path of options.disclosable) {
    const [first, second] = path.split('.') as [string, string | undefined];
    if (second === undefined) hide(payload, first, path);
    else hide(payload[first] as Record<string, unknown>, second, path);
  }
  // One decoy digest, as RFC 9901 §4.2.5 recommends: it must simply be ignored.
  payload._sd = [...((payload._sd as string[] | undefined) ?? []), digest(randomBytes(8).toString('base64url'), sdAlg)];
  payload._sd_alg = sdAlg;
  payload.iss = typeof credential.issuer === 'string' ? credential.issuer : (credential.issuer as { id: string }).id;
  if (options.holderJwk) payload.cnf = { jwk: options.holderJwk };
  const issuerJwt = await new CompactSign(Buffer.from(JSON.stringify(payload)))
    .setProtectedHeader({ alg: options.alg, kid: options.kid, typ: options.typ ?? 'vc+sd-jwt' })
    .sign(await importJWK(options.privateJwk, options.alg));
  return { sdJwt: `${issuerJwt}~${[...disclosures.values()].map((d) => `${d}~`).join('')}`, issuerJwt, disclosures };
}

/** A presentation of some disclosures (RFC 9901 §4), with a KB-JWT (§4.3) when a holder key is given. */
export async function present(
  issuance: SdJwtIssuance,
  paths: readonly string[],
  holder?: { privateJwk: JWK; aud: string; nonce: string; iat: number },
): Promise<string> {
  const withoutKb = `${issuance.issuerJwt}~${paths.map((p) => `${issuance.disclosures.get(p) ?? ''}~`).join('')}`;
  if (!holder) return withoutKb;
  const kb = await new CompactSign(Buffer.from(JSON.stringify({ aud: holder.aud, nonce: holder.nonce, iat: holder.iat, sd_hash: digest(withoutKb) })))
    .setProtectedHeader({ alg: 'ES256', typ: 'kb+jwt' })
    .sign(await importJWK(holder.privateJwk, 'ES256'));
  return withoutKb + kb;
}

export async function holderKey(): Promise<{ privateJwk: JWK; publicJwk: JWK }> {
  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
  return { privateJwk: await exportJWK(privateKey), publicJwk: await exportJWK(publicKey) };
}
