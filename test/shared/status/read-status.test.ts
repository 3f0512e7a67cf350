import { describe, expect, test } from 'vitest';
import { base64urlnopad } from '@scure/base';
import { Bitstring } from '../../../shared/status/bitstring.ts';
import { checkStatusInList, readStatusEntries, type StatusEntry } from '../../../shared/status/read-status.ts';
import { buildStatusEntry, buildStatusListCredential } from '../../../shared/status/status-list-credential.ts';
import { vector } from './vectors.ts';

const LIST_URL = 'https://example.com/credentials/status/3';
const entry = (over: Partial<StatusEntry> = {}): StatusEntry => ({ statusPurpose: 'revocation', statusListIndex: 94567, statusListCredential: LIST_URL, ...over });
const withStatus = (credentialStatus: unknown) => ({ ...vector('example-4-revocable-credential.json'), credentialStatus });
const validEntry = () => vector('example-4-revocable-credential.json').credentialStatus as Record<string, unknown>;

describe('Bitstring Status List v1.0 §2.1 reading credentialStatus', () => {
  test('§2.1 Example 1: both entries of the spec example are read', () => {
    expect(readStatusEntries(vector('example-1-credential-with-two-entries.json'))).toEqual({
      ok: true,
      ignored: [],
      entries: [
        { id: `${LIST_URL}#94567`, statusPurpose: 'revocation', statusListIndex: 94567, statusListCredential: LIST_URL },
        { id: 'https://example.com/credentials/status/4#23452', statusPurpose: 'suspension', statusListIndex: 23452, statusListCredential: 'https://example.com/credentials/status/4' },
      ],
    });
  });

  test('§A.1 Example 4: a single credentialStatus object is read as one entry', () => {
    const read = readStatusEntries(vector('example-4-revocable-credential.json'));
    expect(read).toMatchObject({ ok: true, entries: [{ statusListIndex: 94567, statusPurpose: 'revocation' }] });
  });

  test('when credentialStatus is absent, then there is nothing to check', () => {
    const { credentialStatus: _, ...credential } = vector('example-4-revocable-credential.json');
    expect(readStatusEntries(credential)).toEqual({ ok: true, entries: [], ignored: [] });
  });

  test.each([
    ['statusListIndex as a JSON number', { statusListIndex: 94567 }],
    ['a negative statusListIndex', { statusListIndex: '-1' }],
    ['a fractional statusListIndex', { statusListIndex: '1.5' }],
    ['an empty statusListIndex', { statusListIndex: '' }],
    ['a statusListCredential that is not a URL', { statusListCredential: 'status list 3' }],
    ['no statusPurpose', { statusPurpose: undefined }],
    ['an id equal to the status list URL', { id: LIST_URL }],
    ['statusSize 0', { statusSize: 0 }],
    ['no type', { type: undefined }],
  ])('§2.1: when an entry has %s, then status.malformed-entry', (_name, change) => {
    const read = readStatusEntries(withStatus([{ ...validEntry(), ...change }]));
    expect(read).toMatchObject({ ok: false, code: 'status.malformed-entry' });
  });

  test('§2.1: when credentialStatus is not an object, then status.malformed-entry', () => {
    expect(readStatusEntries(withStatus('https://example.com/credentials/status/3'))).toMatchObject({ ok: false, code: 'status.malformed-entry' });
  });

  test('when an entry has another type or a multi-bit statusSize, then it is skipped and reported', () => {
    const read = readStatusEntries(withStatus([validEntry(), { ...validEntry(), type: 'StatusList2021Entry' }, { ...validEntry(), statusSize: 2 }]));
    expect(read).toMatchObject({ ok: true, entries: [{ statusListIndex: 94567 }] });
    expect(read.ok && read.ignored.map((i) => i.type)).toEqual(['StatusList2021Entry', 'BitstringStatusListEntry']);
  });
});

describe('Bitstring Status List v1.0 §3.2 Validate Algorithm on a fetched list', () => {
  const listWith = async (setIndexes: number[], purpose: 'revocation' | 'suspension' = 'revocation') => {
    const list = Bitstring.create();
    for (const i of setIndexes) list.set(i, true);
    return buildStatusListCredential({ id: LIST_URL, issuer: 'did:example:12345', statusPurpose: purpose, encodedList: await list.encode(), validFrom: new Date('2026-03-02T00:00:00Z') });
  };

  test('§A.1 Example 4 against §A.2 Example 5: the credential is not revoked', async () => {
    const read = readStatusEntries(vector('example-4-revocable-credential.json'));
    if (!read.ok) throw new Error(read.message);
    expect(await checkStatusInList({ entry: read.entries[0]!, listCredential: vector('example-5-status-list-credential.json') })).toEqual({ ok: true, set: false });
  });

  test('§3.2 step 10: an entry built by buildStatusEntry reads the bit the issuer set', async () => {
    const listCredential = await listWith([94567]);
    const read = readStatusEntries({ credentialStatus: buildStatusEntry({ listCredentialUrl: LIST_URL, index: 94567, statusPurpose: 'revocation' }) });
    if (!read.ok) throw new Error(read.message);
    expect(await checkStatusInList({ entry: read.entries[0]!, listCredential })).toEqual({ ok: true, set: true });
    expect(await checkStatusInList({ entry: entry({ statusListIndex: 94566 }), listCredential })).toEqual({ ok: true, set: false });
  });

  test('§3.2 step 5: when the list is for suspension and the entry for revocation, then status.purpose-mismatch', async () => {
    const out = await checkStatusInList({ entry: entry(), listCredential: await listWith([], 'suspension') });
    expect(out).toMatchObject({ ok: false, code: 'status.purpose-mismatch' });
  });

  test('§3.2 step 5: a list whose statusPurpose is an array serves each of its purposes', async () => {
    const listCredential = await listWith([94567], 'suspension');
    (listCredential.credentialSubject as Record<string, unknown>).statusPurpose = ['revocation', 'suspension'];
    expect(await checkStatusInList({ entry: entry(), listCredential })).toEqual({ ok: true, set: true });
  });

  test('§3.2 RANGE_ERROR: when the index is past the end of the list, then status.index-out-of-range', async () => {
    const out = await checkStatusInList({ entry: entry({ statusListIndex: 131_072 }), listCredential: vector('example-3-status-list-credential.json') });
    expect(out).toMatchObject({ ok: false, code: 'status.index-out-of-range' });
  });

  test('§2.1 statusListCredential: when the document is not a BitstringStatusListCredential, then status.list-wrong-type', async () => {
    const listCredential = { ...vector('example-3-status-list-credential.json'), type: ['VerifiableCredential', 'StatusList2021Credential'] };
    expect(await checkStatusInList({ entry: entry(), listCredential })).toMatchObject({ ok: false, code: 'status.list-wrong-type' });
  });

  test.each([
    ['an encodedList that is not GZIP', 'uAAAA', 'status.list-malformed'],
    ['no encodedList', undefined, 'status.list-malformed'],
  ])('§3 MALFORMED_VALUE_ERROR: when the list has %s, then %s', async (_name, encodedList, code) => {
    const listCredential = await listWith([]);
    (listCredential.credentialSubject as Record<string, unknown>).encodedList = encodedList;
    expect(await checkStatusInList({ entry: entry(), listCredential })).toMatchObject({ ok: false, code });
  });

  test('§3.2 STATUS_LIST_LENGTH_ERROR: when the list has fewer than 131,072 entries, then status.list-too-short', async () => {
    const gzipped = await new Response(new Blob([new Uint8Array(1024)]).stream().pipeThrough(new CompressionStream('gzip'))).arrayBuffer();
    const listCredential = await listWith([]);
    (listCredential.credentialSubject as Record<string, unknown>).encodedList = `u${base64urlnopad.encode(new Uint8Array(gzipped))}`;
    expect(await checkStatusInList({ entry: entry({ statusListIndex: 0 }), listCredential })).toMatchObject({ ok: false, code: 'status.list-too-short' });
  });

  test('§3.4 with limits: when the list expands past the caller limit, then status.list-too-large', async () => {
    const out = await checkStatusInList({ entry: entry(), listCredential: await listWith([]), limits: { maxBits: 8 * 1024 } });
    expect(out).toMatchObject({ ok: false, code: 'status.list-too-large' });
  });
});
