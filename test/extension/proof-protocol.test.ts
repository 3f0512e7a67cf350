/**
 * The messages that carry a Data Integrity proof check to the proof worker and back
 * (extension/src/proof/proof-protocol.ts): a reply must echo its request's id and be a well-formed,
 * size-capped check outcome; anything else means "could not be checked", which the verdict shows
 * as "not checkable", never as a verdict on the proof.
 */
import { describe, expect, test } from 'vitest';
import { CHECK_PROOF, isCheckProofMessage, MAX_REQUEST_CHARS, outcomeOf, requestTooLarge } from '../../extension/src/proof/proof-protocol.ts';
import type { CheckResult, DataIntegrityRequest } from '../../shared/verify/types.ts';
import { verdictOf } from '../../shared/verify/verdict.ts';

const key = { kid: 'did:key:z6Mk#z6Mk', controller: 'did:key:z6Mk', jwk: { kty: 'OKP', crv: 'Ed25519', x: 'AAAA' } };
const request = (size: number): DataIntegrityRequest => ({ credential: { name: 'x'.repeat(size) }, suite: 'eddsa-rdfc-2022', key });
const signature = (outcome: ReturnType<typeof outcomeOf>): CheckResult[] => [
  { id: 'format', name: 'Format', status: 'passed', code: 'format.ok', message: '' },
  { id: 'signature', name: 'Signature', ...outcome },
];

describe('proof check replies', () => {
  test('a reply with the request id passes its outcome on, with long texts cut', () => {
    const reply = { id: '7', outcome: { status: 'failed', code: 'signature.invalid', message: 'The proof does not match.', detail: 'd'.repeat(10_000), extra: true } };
    const outcome = outcomeOf(reply, '7');
    expect(outcome).toEqual({ status: 'failed', code: 'signature.invalid', message: 'The proof does not match.', detail: 'd'.repeat(4_000) });
    expect(verdictOf(signature(outcome))).toBe('invalid');
  });

  test('a reply to another request, or no reply, is "could not be checked": the verdict is not checkable', () => {
    for (const reply of [{ id: '8', outcome: { status: 'passed', code: 'signature.valid', message: 'ok' } }, undefined, null, 'passed']) {
      const outcome = outcomeOf(reply, '7');
      expect(outcome.code).toBe('signature.proof-check-unavailable');
      expect(verdictOf(signature(outcome))).toBe('unverifiable');
    }
  });

  test('a reply that is not a check outcome is not trusted, even if it says "passed"', () => {
    for (const outcome of [{ status: 'verified', code: 'signature.valid', message: 'ok' }, { status: 'passed', code: 'Signature Valid!', message: 'ok' }, { status: 'passed', code: 'signature.valid' }]) {
      expect(outcomeOf({ id: '7', outcome }, '7').code).toBe('signature.proof-check-unavailable');
    }
  });

  test('an error the check threw is thrown again, as it would be in the same thread', () => {
    expect(() => outcomeOf({ id: '7', error: 'TypeError: boom' }, '7')).toThrow('TypeError: boom');
  });
});

describe('proof check requests', () => {
  test('only a well-formed request to check a proof is taken for one', () => {
    expect(isCheckProofMessage({ type: CHECK_PROOF, id: '1', request: request(1) })).toBe(true);
    expect(isCheckProofMessage({ type: 'verify-text', text: '{}' })).toBe(false);
    expect(isCheckProofMessage({ type: CHECK_PROOF, id: 1, request: request(1) })).toBe(false);
    expect(isCheckProofMessage(null)).toBe(false);
  });

  test('a request over the size cap is not sent: "could not be checked"', () => {
    expect(requestTooLarge(request(1_000))).toBeUndefined();
    expect(requestTooLarge(request(MAX_REQUEST_CHARS))?.code).toBe('signature.proof-check-unavailable');
  });
});
