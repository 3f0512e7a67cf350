import { describe, expect, test } from 'vitest';
import { buildStatusEntry, buildStatusListCredential } from '../../../shared/status/status-list-credential.ts';
import { vector } from './vectors.ts';

describe('Bitstring Status List v1.0 §2.2 BitstringStatusListCredential', () => {
  test('§2.2 Example 3: the builder yields the spec example, except the subject id it derives from the list URL', () => {
    const example = vector('example-3-status-list-credential.json');
    const subject = example.credentialSubject as Record<string, unknown>;
    const built = buildStatusListCredential({
      id: 'https://example.com/credentials/status/3',
      issuer: 'did:example:12345',
      statusPurpose: 'revocation',
      encodedList: subject.encodedList as string,
      validFrom: new Date('2021-04-05T14:27:40Z'),
    });
    // The example's subject id ("…/status/3#list") is not derived from its credential id; ours is `${id}#list`.
    expect(built).toEqual({ ...example, credentialSubject: { ...subject, id: 'https://example.com/credentials/status/3#list' } });
  });

  test('§2.2 validUntil and credentialSubject.ttl are written when given, and an issuer object is kept', () => {
    const built = buildStatusListCredential({
      id: 'https://issuer.example/status/7',
      issuer: { id: 'https://issuer.example', name: 'Example University' },
      statusPurpose: 'suspension',
      encodedList: 'uH4sI',
      validFrom: new Date('2026-03-02T10:00:00.250Z'),
      validUntil: new Date('2026-03-03T10:00:00Z'),
      ttlMs: 300_000,
    });
    expect(built).toMatchObject({
      issuer: { id: 'https://issuer.example', name: 'Example University' },
      validFrom: '2026-03-02T10:00:00.250Z',
      validUntil: '2026-03-03T10:00:00Z',
      credentialSubject: { id: 'https://issuer.example/status/7#list', type: 'BitstringStatusList', statusPurpose: 'suspension', ttl: 300_000 },
    });
  });

  test('§2.2: without validUntil and ttlMs, neither property appears', () => {
    const built = buildStatusListCredential({
      id: 'https://issuer.example/status/7',
      issuer: 'https://issuer.example',
      statusPurpose: 'revocation',
      encodedList: 'uH4sI',
      validFrom: new Date('2026-03-02T10:00:00Z'),
    });
    expect(built).not.toHaveProperty('validUntil');
    expect(built.credentialSubject).not.toHaveProperty('ttl');
  });
});

describe('Bitstring Status List v1.0 §2.1 BitstringStatusListEntry', () => {
  test('§2.1 Example 1: buildStatusEntry yields the spec example entries', () => {
    const [revocation, suspension] = vector('example-1-credential-with-two-entries.json').credentialStatus as unknown[];
    expect(buildStatusEntry({ listCredentialUrl: 'https://example.com/credentials/status/3', index: 94567, statusPurpose: 'revocation' })).toEqual(revocation);
    expect(buildStatusEntry({ listCredentialUrl: 'https://example.com/credentials/status/4', index: 23452, statusPurpose: 'suspension' })).toEqual(suspension);
  });

  test('§2.1 statusListIndex: a negative or fractional index is refused with STATUS_LIST_INDEX_OUT_OF_RANGE', () => {
    for (const index of [-1, 2.5]) {
      expect(() => buildStatusEntry({ listCredentialUrl: 'https://issuer.example/status/7', index, statusPurpose: 'revocation' })).toThrowError(
        expect.objectContaining({ code: 'STATUS_LIST_INDEX_OUT_OF_RANGE' }),
      );
    }
  });
});
