/**
 * The heavy half of VC Data Integrity 1.0 §4.5 (verify proof): JSON-LD expansion, RDF
 * canonicalisation and the cryptosuite's signature check, done by the digitalbazaar libraries
 * against the key our issuer-key check already resolved and bound to the issuer. Contexts come from
 * the pinned set (or a caller's local, never-network source). data-integrity.ts decides whether a
 * proof gets here at all; this module is the one the browser extension runs in a worker, because
 * the stack is most of its code size.
 */
import type { JWK } from 'jose';
import { multibaseFromJwk } from '../crypto/did-key.ts';
import { isObject } from './parse-input.ts';
import { pinnedContexts } from './pinned-contexts.ts';
import type { CheckOutcome, DataIntegrityRequest, DataIntegritySuite, VerifyOptions } from './types.ts';

export async function checkDataIntegrityProof(request: DataIntegrityRequest, contextSource?: VerifyOptions['contextSource']): Promise<CheckOutcome> {
  const { credential, suite: suiteName, key } = request;
  const [suite, jsigsModule, contexts] = await Promise.all([loadSuite(suiteName), (jsonldSignatures ??= import('jsonld-signatures')), pinnedContexts()]);
  // jsonld-signatures is CommonJS: bundlers and vitest expose its exports directly, Node's ESM loader (tsx, the CLI) under `default`.
  const jsigs = (jsigsModule as unknown as { default?: typeof jsigsModule }).default ?? jsigsModule;
  const loadContext = async (url: string): Promise<object | undefined> => {
    const pinnedCopy = contexts.get(url);
    if (pinnedCopy || !contextSource) return pinnedCopy;
    const local = await contextSource.getJson(url);
    return local.ok && isObject(local.value) ? local.value : undefined;
  };
  for (const url of contextUrlsOf(credential)) {
    if (!(await loadContext(url))) {
      return {
        status: 'failed',
        code: 'signature.unknown-context',
        message: 'The credential uses a JSON-LD context this verifier does not know, so its meaning cannot be checked safely.',
        detail: `${url} is not among the pinned contexts; remote contexts are never fetched.`,
      };
    }
  }
  const verificationMethod = {
    '@context': 'https://w3id.org/security/multikey/v1',
    id: key.kid,
    type: 'Multikey',
    controller: key.controller,
    publicKeyMultibase: multibaseOf(key.jwk),
  };
  const documentLoader = async (url: string) => {
    const document = url === key.kid ? verificationMethod : await loadContext(url);
    if (!document) throw new Error(`${url} is not a pinned context; remote contexts are never fetched.`);
    return { contextUrl: null, documentUrl: url, document };
  };
  const purpose = new jsigs.purposes.AssertionProofPurpose({ controller: { id: key.controller, assertionMethod: [key.kid] } });
  const result = await jsigs.verify(credential, { suite, purpose, documentLoader });
  if (result.verified) {
    return { status: 'passed', code: 'signature.valid', message: `The Data Integrity proof (${suiteName}) is valid: the credential has not been changed since the issuer signed it.` };
  }
  return {
    status: 'failed',
    code: 'signature.invalid',
    message: 'The proof does not match: the credential was changed after signing or was not signed by this issuer.',
    detail: result.error?.errors?.map((e) => e.message).join('; ') ?? result.error?.message ?? 'no reason given',
  };
}

/** Loaded once: every dynamic import() costs a module-resolution round trip in Node's loader. */
let jsonldSignatures: Promise<typeof import('jsonld-signatures')> | undefined;

/** Multibase encoding validates the curve point, which is slow; issuers reuse few keys. */
const multibaseCache = new Map<string, string>();

function multibaseOf(jwk: JWK): string {
  const cacheKey = `${jwk.kty}|${jwk.crv}|${jwk.x}|${jwk.y ?? ''}`;
  let value = multibaseCache.get(cacheKey);
  if (value === undefined) {
    value = multibaseFromJwk(jwk);
    if (multibaseCache.size >= 256) multibaseCache.clear();
    multibaseCache.set(cacheKey, value);
  }
  return value;
}

/** Verification suites hold no key or state, so one instance per suite serves every verification. */
const suites = new Map<DataIntegritySuite, Promise<unknown>>();

function loadSuite(name: DataIntegritySuite): Promise<unknown> {
  let suite = suites.get(name);
  if (!suite) {
    suite = createSuite(name);
    suite.catch(() => suites.delete(name));
    suites.set(name, suite);
  }
  return suite;
}

async function createSuite(name: DataIntegritySuite): Promise<unknown> {
  if (name === 'Ed25519Signature2020') {
    const { Ed25519Signature2020 } = await import('@digitalbazaar/ed25519-signature-2020');
    return new Ed25519Signature2020();
  }
  const { DataIntegrityProof } = await import('@digitalbazaar/data-integrity');
  if (name === 'eddsa-rdfc-2022') return new DataIntegrityProof({ cryptosuite: (await import('@digitalbazaar/eddsa-rdfc-2022-cryptosuite')).cryptosuite });
  if (name === 'ecdsa-rdfc-2019') return new DataIntegrityProof({ cryptosuite: (await import('@digitalbazaar/ecdsa-rdfc-2019-cryptosuite')).cryptosuite });
  return new DataIntegrityProof({ cryptosuite: (await import('@digitalbazaar/eddsa-jcs-2022-cryptosuite')).createVerifyCryptosuite() });
}

function contextUrlsOf(credential: Record<string, unknown>): string[] {
  const contexts = Array.isArray(credential['@context']) ? credential['@context'] : [credential['@context']];
  return contexts.filter((c): c is string => typeof c === 'string');
}
