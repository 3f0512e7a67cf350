/**
 * RFC 9901 §4.3 and §7.3: the Key Binding JWT a holder appends to an SD-JWT, checked against the
 * key the issuer bound the credential to (`cnf.jwk`, RFC 7800 §3.2) and against the exact
 * presentation it covers (`sd_hash`). Whether it was made for this verifier depends on the
 * audience and nonce the verifier asked for; without them the binding proves little.
 */
import { compactVerify, importJWK, type JWK } from 'jose';
import { isJsonObject } from './did-document.ts';
import { cryptoFailure, type CryptoFailure } from './errors.ts';
import { algForJwk, publicJwkOf } from './keys.ts';
import { sdDigest } from './sd-jwt.ts';
import { decodeVcJwt } from './vc-jwt.ts';

export interface KeyBindingExpectation {
  /** The verifier's identifier the holder must have addressed the presentation to (`aud`). */
  readonly audience?: string;
  /** The fresh value the verifier handed the holder (`nonce`). */
  readonly nonce?: string;
}

export interface VerifiedKeyBinding {
  readonly ok: true;
  /** True when an expected audience and nonce were given and both matched: the holder presented it to us, now. */
  readonly bound: boolean;
  readonly payload: Record<string, unknown>;
}

export interface KeyBindingArgs {
  readonly keyBindingJwt: string;
  /** The SD-JWT up to and including the `~` before the KB-JWT. */
  readonly presentation: string;
  readonly hashAlg: string;
  /** The issuer-signed claims (after disclosure), where `cnf` names the holder's key. */
  readonly claims: Record<string, unknown>;
  readonly expected?: KeyBindingExpectation;
  /** Latest acceptable `iat`, i.e. now plus the clock skew tolerance. */
  readonly notAfter: Date;
}

export async function verifyKeyBinding({ keyBindingJwt, presentation, hashAlg, claims, expected, notAfter }: KeyBindingArgs): Promise<VerifiedKeyBinding | CryptoFailure> {
  const holderJwk = isJsonObject(claims.cnf) && isJsonObject(claims.cnf.jwk) ? (claims.cnf.jwk as JWK) : undefined;
  if (!holderJwk) return cryptoFailure('holder.no-key', 'The presentation is signed by a holder key, but the credential names no holder key (cnf.jwk) to check it with.');
  const decoded = decodeVcJwt(keyBindingJwt);
  if (!decoded.ok) return cryptoFailure('holder.kb-malformed', 'The holder’s key binding is damaged and cannot be read.', decoded.message);
  const { header, payload } = decoded;
  if (header.typ !== 'kb+jwt') return cryptoFailure('holder.kb-typ', 'The holder’s key binding is not typed as one (kb+jwt).', `typ ${JSON.stringify(header.typ)}`);
  const alg = algForJwk(holderJwk);
  if (!alg) return cryptoFailure('holder.key-unsupported', 'The holder key named by the credential is of a type this verifier does not support.', `kty ${String(holderJwk.kty)} crv ${String(holderJwk.crv)}`);
  if (header.alg !== alg) return cryptoFailure('holder.kb-alg', `The key binding says it was signed with ${String(header.alg)}, but the holder’s key signs with ${alg}.`);
  try {
    await compactVerify(keyBindingJwt, await importJWK(publicJwkOf(holderJwk), alg), { algorithms: [alg] });
  } catch (error) {
    return cryptoFailure('holder.kb-signature', 'The key binding was not signed by the holder key the credential names.', (error as Error).message);
  }
  if (payload.sd_hash !== sdDigest(presentation, hashAlg)) {
    return cryptoFailure('holder.kb-sd-hash', 'The key binding was made for another presentation: the disclosures shown are not the ones the holder signed.', `sd_hash ${String(payload.sd_hash)}`);
  }
  if (typeof payload.iat !== 'number' || payload.iat * 1000 > notAfter.getTime()) {
    return cryptoFailure('holder.kb-iat', 'The key binding has no valid creation time, or one in the future.', `iat ${String(payload.iat)}`);
  }
  if (expected?.audience !== undefined && payload.aud !== expected.audience) {
    return cryptoFailure('holder.kb-audience', 'The holder made this presentation for another verifier.', `aud ${JSON.stringify(payload.aud)} ≠ ${expected.audience}`);
  }
  if (expected?.nonce !== undefined && payload.nonce !== expected.nonce) {
    return cryptoFailure('holder.kb-nonce', 'The presentation answers another request (its nonce differs): it may be a replay.', `nonce ${JSON.stringify(payload.nonce)}`);
  }
  return { ok: true, bound: expected?.audience !== undefined && expected.nonce !== undefined, payload };
}
