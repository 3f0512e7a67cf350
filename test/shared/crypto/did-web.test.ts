import { describe, expect, test } from 'vitest';
import { codeOf } from './error-code.ts';
import { buildDidWebDocument, didWebFromUrl, didWebToDocumentUrl } from '../../../shared/crypto/did-web.ts';
import { generateSigningKey } from '../../../shared/crypto/keys.ts';


describe('did:web Method Specification examples', () => {
  const examples: [string, string, string][] = [
    ['a bare domain', 'did:web:w3c-ccg.github.io', 'https://w3c-ccg.github.io/.well-known/did.json'],
    ['an optional path', 'did:web:w3c-ccg.github.io:user:alice', 'https://w3c-ccg.github.io/user/alice/did.json'],
    ['an optional path and port', 'did:web:example.com%3A3000:user:alice', 'https://example.com:3000/user/alice/did.json'],
  ];

  test.each(examples)('did:web Read (Resolve), %s: %s → %s', (_label, did, url) => {
    expect(didWebToDocumentUrl(did)).toBe(url);
  });

  test('did:web method-specific identifier: the example with a port', () => {
    expect(didWebToDocumentUrl('did:web:example.com%3A3000')).toBe('https://example.com:3000/.well-known/did.json');
  });

  test.each([
    ['https://w3c-ccg.github.io', 'did:web:w3c-ccg.github.io'],
    ['https://w3c-ccg.github.io/user/alice', 'did:web:w3c-ccg.github.io:user:alice'],
    ['https://example.com:3000/user/alice/', 'did:web:example.com%3A3000:user:alice'],
    ['https://Example.COM/', 'did:web:example.com'],
  ])('did:web Create: the public URL %s becomes %s', (url, did) => {
    expect(didWebFromUrl(url)).toBe(did);
  });
});

describe('did:web on this machine', () => {
  test('when the tool runs on http://localhost:3000, then its DID resolves over http on loopback', () => {
    const did = didWebFromUrl('http://localhost:3000');
    expect(did).toBe('did:web:localhost%3A3000');
    expect(didWebToDocumentUrl(did)).toBe('http://localhost:3000/.well-known/did.json');
  });

  test('when the tool runs on 127.0.0.1 under a path, then the DID document URL keeps port and path', () => {
    const did = didWebFromUrl('http://127.0.0.1:8080/microcred');
    expect(did).toBe('did:web:127.0.0.1%3A8080:microcred');
    expect(didWebToDocumentUrl(did)).toBe('http://127.0.0.1:8080/microcred/did.json');
  });
});

describe('did:web refusals', () => {
  test.each([
    ['plain http off this machine', () => didWebFromUrl('http://issuer.example')],
    ['a public IP address (the spec forbids IP addresses)', () => didWebFromUrl('https://203.0.113.7')],
    ['something that is not a URL', () => didWebFromUrl('issuer.example')],
    ['another DID method', () => didWebToDocumentUrl('did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp')],
    ['a DID URL with a fragment', () => didWebToDocumentUrl('did:web:issuer.example#key-1')],
    ['a ".." path segment', () => didWebToDocumentUrl('did:web:issuer.example:..:admin')],
    ['an encoded ".." path segment', () => didWebToDocumentUrl('did:web:issuer.example:%2E%2E:admin')],
    ['an empty path segment', () => didWebToDocumentUrl('did:web:issuer.example::x')],
    ['a backslash in a path segment', () => didWebToDocumentUrl('did:web:issuer.example:a\\b')],
    ['a percent-encoded slash in the host', () => didWebToDocumentUrl('did:web:evil.example%2Fx')],
    ['a percent-encoded "@" in the host', () => didWebToDocumentUrl('did:web:user%40issuer.example')],
    ['a public IP address as host', () => didWebToDocumentUrl('did:web:203.0.113.7')],
  ])('when given %s, then DID_WEB_INVALID is thrown', (_label, run) => {
    expect(codeOf(run)).toBe('DID_WEB_INVALID');
  });
});

describe('buildDidWebDocument', () => {
  test('when keys are given with bare, relative and absolute ids, then each becomes an assertion and authentication method with public members only', async () => {
    const did = 'did:web:issuer.example';
    const [a, b, c] = await Promise.all([generateSigningKey('EdDSA'), generateSigningKey('ES256'), generateSigningKey('RS256')]);
    const document = buildDidWebDocument(did, [
      { kid: a.thumbprint, publicJwk: a.privateJwk },
      { kid: `#${b.thumbprint}`, publicJwk: b.publicJwk },
      { kid: `${did}#${c.thumbprint}`, publicJwk: c.publicJwk },
    ]);
    const ids = [a, b, c].map((key) => `${did}#${key.thumbprint}`);
    expect(document['@context']).toEqual(['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/suites/jws-2020/v1']);
    expect(document.id).toBe(did);
    expect(document.verificationMethod.map((method) => method.id)).toEqual(ids);
    expect(document.verificationMethod.every((method) => method.type === 'JsonWebKey2020' && method.controller === did)).toBe(true);
    expect(document.verificationMethod[0]?.publicKeyJwk).toEqual(a.publicJwk);
    expect(JSON.stringify(document)).not.toMatch(/"(d|p|q|dp|dq|qi)":/);
    expect(document.assertionMethod).toEqual(ids);
    expect(document.authentication).toEqual(ids);
  });

  test('when a key id belongs to another DID, then the document is refused', async () => {
    const key = await generateSigningKey('EdDSA');
    expect(codeOf(() => buildDidWebDocument('did:web:issuer.example', [{ kid: 'did:web:other.example#k', publicJwk: key.publicJwk }]))).toBe('DID_WEB_INVALID');
  });
});
