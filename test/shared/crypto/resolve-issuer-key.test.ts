import { describe, expect, test } from 'vitest';
import { didKeyFromJwk, multibaseFromJwk } from '../../../shared/crypto/did-key.ts';
import { buildDidWebDocument } from '../../../shared/crypto/did-web.ts';
import { buildJwks } from '../../../shared/crypto/jwks.ts';
import { generateSigningKey, type SigningKeyPair } from '../../../shared/crypto/keys.ts';
import { resolveIssuerKey } from '../../../shared/crypto/resolve-issuer-key.ts';
import { signVcJwt, verifyVcJwtSignature } from '../../../shared/crypto/vc-jwt.ts';
import type { DocumentSource } from '../../../shared/net/document-source.ts';

const DID = 'did:web:issuer.example';
const DID_URL = 'https://issuer.example/.well-known/did.json';

/** Serves only the given documents; every other URL is unreachable. Records what was asked for. */
function documentsOf(served: Record<string, unknown>): Pick<DocumentSource, 'getJson'> & { requested: string[] } {
  const requested: string[] = [];
  return {
    requested,
    async getJson(url) {
      requested.push(url);
      if (url in served) return { ok: true, value: served[url], contentType: 'application/json' };
      return { ok: false, code: 'fetch.network', message: `${url} could not be reached (connection refused).` };
    },
  };
}

async function didWebIssuer(): Promise<{ key: SigningKeyPair; kid: string; documents: ReturnType<typeof documentsOf> }> {
  const key = await generateSigningKey();
  const documents = documentsOf({ [DID_URL]: buildDidWebDocument(DID, [{ kid: key.thumbprint, publicJwk: key.publicJwk }]) });
  return { key, kid: `${DID}#${key.thumbprint}`, documents };
}

describe('did:web issuers', () => {
  test('when the kid names a key in the issuer\'s DID document, then that key is returned with the issuer as controller', async () => {
    const { key, kid, documents } = await didWebIssuer();
    expect(await resolveIssuerKey({ kid, issuerId: DID, documents })).toEqual({ ok: true, kid, jwk: key.publicJwk, controller: DID });
    expect(documents.requested).toEqual([DID_URL]);
  });

  test('when the kid is a relative "#fragment", then it is read against the issuer DID', async () => {
    const { key, kid, documents } = await didWebIssuer();
    expect(await resolveIssuerKey({ kid: `#${key.thumbprint}`, issuerId: DID, documents })).toMatchObject({ ok: true, kid });
  });

  test('when the kid belongs to another DID, then it is refused without fetching anything', async () => {
    const { key, documents } = await didWebIssuer();
    const result = await resolveIssuerKey({ kid: `did:web:attacker.example#${key.thumbprint}`, issuerId: DID, documents });
    expect(result).toMatchObject({ ok: false, code: 'key.not-issuers' });
    expect(documents.requested).toEqual([]);
  });

  test('when the kid is an https URL for a DID issuer, then it is not the issuer\'s key', async () => {
    const { documents } = await didWebIssuer();
    expect(await resolveIssuerKey({ kid: 'https://issuer.example/keys#1', issuerId: DID, documents })).toMatchObject({ ok: false, code: 'key.not-issuers' });
  });

  test('when the DID document has no such key, then key.unknown-kid', async () => {
    const { documents } = await didWebIssuer();
    expect(await resolveIssuerKey({ kid: `${DID}#rotated-away`, issuerId: DID, documents })).toMatchObject({ ok: false, code: 'key.unknown-kid' });
  });

  test('when the DID document cannot be fetched, then key.unresolvable carries the fetch message', async () => {
    const result = await resolveIssuerKey({ kid: `${DID}#k`, issuerId: DID, documents: documentsOf({}) });
    expect(result).toMatchObject({ ok: false, code: 'key.unresolvable', message: expect.stringContaining('could not be reached') });
  });

  test('did:web Read (Resolve): when the document is for another DID, then key.did-mismatch', async () => {
    const key = await generateSigningKey();
    const foreign = buildDidWebDocument('did:web:other.example', [{ kid: key.thumbprint, publicJwk: key.publicJwk }]);
    const result = await resolveIssuerKey({ kid: `${DID}#${key.thumbprint}`, issuerId: DID, documents: documentsOf({ [DID_URL]: foreign }) });
    expect(result).toMatchObject({ ok: false, code: 'key.did-mismatch' });
  });

  test('DID Core §5.3.2: when the document lists assertionMethod without the key, then key.not-assertion-method', async () => {
    const key = await generateSigningKey();
    const document = { ...buildDidWebDocument(DID, [{ kid: key.thumbprint, publicJwk: key.publicJwk }]), assertionMethod: [] };
    const result = await resolveIssuerKey({ kid: `${DID}#${key.thumbprint}`, issuerId: DID, documents: documentsOf({ [DID_URL]: document }) });
    expect(result).toMatchObject({ ok: false, code: 'key.not-assertion-method' });
  });

  test('when the method is an Ed25519 Multikey with relative ids, then its publicKeyMultibase is decoded', async () => {
    const key = await generateSigningKey();
    const document = {
      '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1'],
      id: DID,
      verificationMethod: [{ id: '#key-1', type: 'Multikey', controller: DID, publicKeyMultibase: multibaseFromJwk(key.publicJwk) }],
      assertionMethod: ['#key-1'],
    };
    const result = await resolveIssuerKey({ kid: `${DID}#key-1`, issuerId: DID, documents: documentsOf({ [DID_URL]: document }) });
    expect(result).toEqual({ ok: true, kid: `${DID}#key-1`, jwk: key.publicJwk, controller: DID });
  });

  test('when a did:web lives on loopback under a path, then its document is fetched over http there', async () => {
    const did = 'did:web:localhost%3A3000:issuers:a';
    const key = await generateSigningKey('ES256');
    const documents = documentsOf({ 'http://localhost:3000/issuers/a/did.json': buildDidWebDocument(did, [{ kid: 'k1', publicJwk: key.publicJwk }]) });
    expect(await resolveIssuerKey({ kid: 'k1', issuerId: did, documents })).toMatchObject({ ok: true, kid: `${did}#k1`, jwk: key.publicJwk });
  });

  test('when a credential is signed, then its kid resolves through did.json and the signature verifies with the resolved key', async () => {
    const { key, kid, documents } = await didWebIssuer();
    const compact = await signVcJwt({ '@context': ['https://www.w3.org/ns/credentials/v2'], issuer: DID, validFrom: '2026-01-01T00:00:00Z' }, { privateJwk: key.privateJwk, alg: key.alg, kid });
    const resolved = await resolveIssuerKey({ kid, issuerId: DID, documents });
    if (!resolved.ok) throw new Error(resolved.message);
    expect(await verifyVcJwtSignature(compact, resolved.jwk)).toMatchObject({ ok: true });
  });
});

describe('did:key and other DID methods', () => {
  test('when the issuer is a did:key, then the key is derived locally from the DID', async () => {
    const key = await generateSigningKey();
    const did = didKeyFromJwk(key.publicJwk);
    const documents = documentsOf({});
    const expected = { ok: true, kid: `${did}#${did.slice('did:key:'.length)}`, jwk: key.publicJwk, controller: did };
    expect(await resolveIssuerKey({ kid: expected.kid, issuerId: did, documents })).toEqual(expected);
    expect(await resolveIssuerKey({ kid: did, issuerId: did, documents })).toEqual(expected);
    expect(documents.requested).toEqual([]);
  });

  test('when a did:key issuer\'s kid names another did:key, then key.not-issuers', async () => {
    const [mine, theirs] = await Promise.all([generateSigningKey(), generateSigningKey()]);
    const other = didKeyFromJwk(theirs.publicJwk);
    const result = await resolveIssuerKey({ kid: `${other}#${other.slice(8)}`, issuerId: didKeyFromJwk(mine.publicJwk), documents: documentsOf({}) });
    expect(result).toMatchObject({ ok: false, code: 'key.not-issuers' });
  });

  test('when the issuer uses did:ion, then key.unsupported-method', async () => {
    const result = await resolveIssuerKey({ kid: 'did:ion:EiA#key-1', issuerId: 'did:ion:EiA', documents: documentsOf({}) });
    expect(result).toMatchObject({ ok: false, code: 'key.unsupported-method' });
  });

  test('when there is no kid, then key.kid-missing', async () => {
    expect(await resolveIssuerKey({ kid: undefined, issuerId: DID, documents: documentsOf({}) })).toMatchObject({ ok: false, code: 'key.kid-missing' });
  });

  test('when the issuer id is neither a DID nor a web address, then key.unsupported-method', async () => {
    expect(await resolveIssuerKey({ kid: 'k1', issuerId: 'urn:uuid:1234', documents: documentsOf({}) })).toMatchObject({ ok: false, code: 'key.unsupported-method' });
  });
});

describe('https issuers', () => {
  const ISSUER = 'https://issuer.example/profiles/university';
  const JWKS_URL = 'https://issuer.example/.well-known/jwks.json';

  test('when the kid is a bare key id, then it is found in the issuer origin\'s JWKS', async () => {
    const key = await generateSigningKey('RS256');
    const documents = documentsOf({ [JWKS_URL]: buildJwks([{ kid: 'k1', publicJwk: key.publicJwk, alg: 'RS256' }]) });
    expect(await resolveIssuerKey({ kid: 'k1', issuerId: ISSUER, documents })).toEqual({ ok: true, kid: 'k1', jwk: key.publicJwk, controller: ISSUER });
  });

  test('when the JWKS lacks the kid, then key.unknown-kid', async () => {
    const key = await generateSigningKey();
    const documents = documentsOf({ [JWKS_URL]: buildJwks([{ kid: 'k1', publicJwk: key.publicJwk, alg: 'EdDSA' }]) });
    expect(await resolveIssuerKey({ kid: 'k2', issuerId: ISSUER, documents })).toMatchObject({ ok: false, code: 'key.unknown-kid' });
  });

  test('when the kid is a key URL on the issuer\'s origin serving a bare JWK, then only its public members are returned', async () => {
    const key = await generateSigningKey('ES256');
    const documents = documentsOf({ 'https://issuer.example/keys/1': { ...key.privateJwk, kid: 'https://issuer.example/keys/1' } });
    expect(await resolveIssuerKey({ kid: 'https://issuer.example/keys/1', issuerId: ISSUER, documents })).toMatchObject({ ok: true, jwk: key.publicJwk });
  });

  test('when the kid is a key URL whose document lists verification methods, then the method with that id is used', async () => {
    const key = await generateSigningKey();
    const document = { id: 'https://issuer.example/keys', verificationMethod: [{ id: '#main', type: 'JsonWebKey2020', controller: ISSUER, publicKeyJwk: key.publicJwk }] };
    const documents = documentsOf({ 'https://issuer.example/keys': document });
    expect(await resolveIssuerKey({ kid: 'https://issuer.example/keys#main', issuerId: ISSUER, documents })).toMatchObject({ ok: true, jwk: key.publicJwk });
  });

  test('when the key URL is on another origin, then key.not-issuers and nothing is fetched', async () => {
    const documents = documentsOf({});
    expect(await resolveIssuerKey({ kid: 'https://attacker.example/jwks.json#k1', issuerId: ISSUER, documents })).toMatchObject({ ok: false, code: 'key.not-issuers' });
    expect(documents.requested).toEqual([]);
  });

  test('when the JWKS cannot be fetched, then key.unresolvable', async () => {
    expect(await resolveIssuerKey({ kid: 'k1', issuerId: ISSUER, documents: documentsOf({}) })).toMatchObject({ ok: false, code: 'key.unresolvable' });
  });

  test('when the published key is of an unsupported type, then key.unsupported-type', async () => {
    const documents = documentsOf({ [JWKS_URL]: { keys: [{ kty: 'oct', k: 'c2VjcmV0', kid: 'k1' }] } });
    expect(await resolveIssuerKey({ kid: 'k1', issuerId: ISSUER, documents })).toMatchObject({ ok: false, code: 'key.unsupported-type' });
  });
});
