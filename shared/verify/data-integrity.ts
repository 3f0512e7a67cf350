/**
 * VC Data Integrity 1.0 §4.5 (verify proof) for the cryptosuites issuers use today:
 * `eddsa-rdfc-2022` and `eddsa-jcs-2022` (Data Integrity EdDSA Cryptosuites v1.0 §3.2–3.3),
 * `ecdsa-rdfc-2019` with P-256 or P-384 (Data Integrity ECDSA Cryptosuites v1.0 §3.2) and the older
 * `Ed25519Signature2020` (Ed25519Signature2020 CG report). This half is light: it reads the proof,
 * names the suite and checks that the issuer's key fits it. The proof itself is checked by
 * data-integrity-proof.ts, whose JSON-LD / RDF canonicalisation stack is large: it is imported only
 * when such a proof is met, or the caller injects a check that runs it elsewhere (the extension).
 */
import type { JWK } from 'jose';
import { isObject } from './parse-input.ts';
import type { CheckOutcome, DataIntegrityProofCheck, DataIntegritySuite, VerifyContext, VerifyOptions } from './types.ts';

/** What each suite signs with; the resolved key must be of that kind. */
const SUITE_KEYS: Record<DataIntegritySuite, (jwk: JWK) => boolean> = {
  'eddsa-rdfc-2022': isEd25519,
  'eddsa-jcs-2022': isEd25519,
  Ed25519Signature2020: isEd25519,
  // ECDSA Cryptosuites §3.2: P-256 keys hash with SHA-256, P-384 keys with SHA-384 (the library picks by key).
  'ecdsa-rdfc-2019': (jwk) => jwk.kty === 'EC' && (jwk.crv === 'P-256' || jwk.crv === 'P-384'),
};

export function dataIntegritySuiteOf(proof: Record<string, unknown>): DataIntegritySuite | undefined {
  if (proof.type === 'Ed25519Signature2020') return 'Ed25519Signature2020';
  if (proof.type !== 'DataIntegrityProof' || typeof proof.cryptosuite !== 'string') return undefined;
  return proof.cryptosuite in SUITE_KEYS && proof.cryptosuite !== 'Ed25519Signature2020' ? (proof.cryptosuite as DataIntegritySuite) : undefined;
}

export async function verifyDataIntegrityProof(
  credential: Record<string, unknown>,
  key: NonNullable<VerifyContext['issuerKey']>,
  contextSource?: VerifyOptions['contextSource'],
  proofCheck?: DataIntegrityProofCheck,
): Promise<CheckOutcome> {
  const proofs = Array.isArray(credential.proof) ? credential.proof : [credential.proof];
  const proof = proofs[0];
  if (!isObject(proof)) return { status: 'failed', code: 'signature.missing', message: 'The credential carries no proof: it is not signed.' };
  const suite = dataIntegritySuiteOf(proof);
  if (!suite) {
    return {
      status: 'failed',
      code: 'signature.unsupported-proof',
      message: `This credential is signed with a proof type we cannot check (${String(proof.type)}${proof.cryptosuite ? ` / ${String(proof.cryptosuite)}` : ''}).`,
    };
  }
  if (!SUITE_KEYS[suite](key.jwk)) {
    return { status: 'failed', code: 'signature.alg-mismatch', message: "The proof's cryptosuite does not fit the issuer's key; it was not signed by that key.", detail: `${suite} with a ${key.jwk.kty} ${key.jwk.crv ?? ''} key` };
  }
  const request = { credential, suite, key };
  if (proofCheck) return proofCheck(request);
  // The extension's build replaces this import (vite.extension.config.ts): it always injects proofCheck.
  return (await (proofModule ??= import('./data-integrity-proof.ts'))).checkDataIntegrityProof(request, contextSource);
}

/** Loaded once: every dynamic import() costs a module-resolution round trip in Node's loader. */
let proofModule: Promise<typeof import('./data-integrity-proof.ts')> | undefined;

function isEd25519(jwk: JWK): boolean {
  return jwk.kty === 'OKP' && jwk.crv === 'Ed25519';
}
