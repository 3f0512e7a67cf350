/**
 * VC Data Integrity 1.0 §4.5 with the EdDSA cryptosuite eddsa-rdfc-2022 (Data Integrity EdDSA
 * Cryptosuites v1.0 §3.2), verified by the digitalbazaar libraries against the key our issuer-key
 * check already resolved and bound to the issuer. The RDF canonicalisation stack is large, so it is
 * imported only when such a proof is met.
 */
import { didKeyFromJwk } from '../crypto/did-key.ts';
import { isObject } from './parse-input.ts';
import { pinnedContexts } from './pinned-contexts.ts';
import type { CheckOutcome, VerifyContext } from './types.ts';

const SUPPORTED = 'eddsa-rdfc-2022';

export async function verifyDataIntegrityProof(credential: Record<string, unknown>, key: NonNullable<VerifyContext['issuerKey']>): Promise<CheckOutcome> {
  const proofs = Array.isArray(credential.proof) ? credential.proof : [credential.proof];
  const proof = proofs[0];
  if (!isObject(proof)) return { status: 'failed', code: 'signature.missing', message: 'The credential carries no proof: it is not signed.' };
  if (proof.type !== 'DataIntegrityProof' || proof.cryptosuite !== SUPPORTED) {
    return {
      status: 'failed',
      code: 'signature.unsupported-proof',
      message: `This credential is signed with a proof type we cannot check (${String(proof.type)}${proof.cryptosuite ? ` / ${String(proof.cryptosuite)}` : ''}).`,
    };
  }
  if (key.jwk.kty !== 'OKP' || key.jwk.crv !== 'Ed25519') {
    return { status: 'failed', code: 'signature.alg-mismatch', message: "The proof's cryptosuite does not fit the issuer's key; it was not signed by that key." };
  }
  const [{ DataIntegrityProof }, { cryptosuite }, jsigs, contexts] = await Promise.all([
    import('@digitalbazaar/data-integrity'),
    import('@digitalbazaar/eddsa-rdfc-2022-cryptosuite'),
    import('jsonld-signatures'),
    pinnedContexts(),
  ]);
  const unknown = contextUrlsOf(credential).find((url) => !contexts.has(url));
  if (unknown) {
    return {
      status: 'failed',
      code: 'signature.unknown-context',
      message: 'The credential uses a JSON-LD context this verifier does not know, so its meaning cannot be checked safely.',
      detail: `${unknown} is not among the pinned contexts; remote contexts are never fetched.`,
    };
  }
  const verificationMethod = {
    '@context': 'https://w3id.org/security/multikey/v1',
    id: key.kid,
    type: 'Multikey',
    controller: key.controller,
    publicKeyMultibase: didKeyFromJwk(key.jwk).slice('did:key:'.length),
  };
  const documentLoader = async (url: string) => {
    const document = url === key.kid ? verificationMethod : contexts.get(url);
    if (!document) throw new Error(`${url} is not a pinned context; remote contexts are never fetched.`);
    return { contextUrl: null, documentUrl: url, document };
  };
  const purpose = new jsigs.purposes.AssertionProofPurpose({ controller: { id: key.controller, assertionMethod: [key.kid] } });
  const result = await jsigs.verify(credential, { suite: new DataIntegrityProof({ cryptosuite }), purpose, documentLoader });
  if (result.verified) {
    return { status: 'passed', code: 'signature.valid', message: 'The Data Integrity proof is valid: the credential has not been changed since the issuer signed it.' };
  }
  return {
    status: 'failed',
    code: 'signature.invalid',
    message: 'The proof does not match: the credential was changed after signing or was not signed by this issuer.',
    detail: result.error?.errors?.map((e) => e.message).join('; ') ?? result.error?.message ?? 'no reason given',
  };
}

function contextUrlsOf(credential: Record<string, unknown>): string[] {
  const contexts = Array.isArray(credential['@context']) ? credential['@context'] : [credential['@context']];
  return contexts.filter((c): c is string => typeof c === 'string');
}
