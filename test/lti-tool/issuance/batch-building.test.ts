import { describe, expect, test } from 'vitest';
import { batchCredentialFactory } from '../../../lti-tool/src/issuance/batch-credentials.ts';
import { createBatchSigner } from '../../../lti-tool/src/issuance/batch-signer.ts';
import { buildAchievementCredential } from '../../../shared/credential/build-credential.ts';
import type { MicroCredentialDefinition } from '../../../shared/credential/types.ts';
import { generateSigningKey, SIGNING_ALGS } from '../../../shared/crypto/keys.ts';
import { decodeVcJwt, signVcJwt, verifyVcJwtSignature } from '../../../shared/crypto/vc-jwt.ts';
import { EXAMPLE_DEFINITION } from './issuance-fixture.ts';

const definition = EXAMPLE_DEFINITION as unknown as MicroCredentialDefinition;
const issuedAt = new Date('2026-03-02T10:15:00Z');
const status = { id: 'https://t.example/status/revocation/L#7', type: 'BitstringStatusListEntry', statusPurpose: 'revocation', statusListIndex: '7', statusListCredential: 'https://t.example/status/revocation/L' };

describe('batch credential building', () => {
  test.each([
    ['name only', { name: 'Ada' }],
    ['name and email', { name: 'Ada', email: 'Ada@Example.org' }],
    ['name, email and grade', { name: 'Ada', email: 'ada@example.org', grade: '88 / 100' }],
  ])('when the learner has %s, then the batch factory builds exactly what the shared builder builds', async (_label, learner: { name: string; email?: string; grade?: string }) => {
    const factory = await batchCredentialFactory({ definition, issuerId: 'did:web:t.example', issuedAt });
    const fromFactory = await factory({ credentialId: 'https://t.example/credentials/abc', ...learner, credentialStatus: status, salt: 'fixed-salt' });
    const fromBuilder = await buildAchievementCredential({
      definition,
      learner: { name: learner.name, ...(learner.email ? { email: learner.email } : {}) },
      result: { issuedAt, ...(learner.grade ? { grade: learner.grade } : {}) },
      issuerId: 'did:web:t.example',
      credentialId: 'https://t.example/credentials/abc',
      credentialStatus: status,
      salt: 'fixed-salt',
    });
    expect(JSON.parse(JSON.stringify(fromFactory))).toEqual(fromBuilder);
  });

  test.each(SIGNING_ALGS)('VC-JOSE-COSE §3.1.1 (%s): the batch signer yields the header and claims of signVcJwt, and its signature verifies', async (alg) => {
    const key = await generateSigningKey(alg);
    const signingKey = { privateJwk: key.privateJwk, alg, kid: `did:web:t.example#${key.thumbprint}` };
    const now = () => new Date('2026-03-02T10:15:00Z');
    const credential = await buildAchievementCredential({ definition, learner: { name: 'Ada' }, result: { issuedAt, validUntil: new Date('2030-01-01T00:00:00Z') }, issuerId: 'did:web:t.example', credentialId: 'https://t.example/credentials/abc' });
    const fast = await createBatchSigner(signingKey, { now })(credential);
    const reference = await signVcJwt(credential, signingKey, { now });
    const [a, b] = [decodeVcJwt(fast), decodeVcJwt(reference)];
    if (!a.ok || !b.ok) throw new Error('undecodable');
    expect(a.header).toEqual(b.header);
    expect(a.payload).toEqual(b.payload);
    expect(await verifyVcJwtSignature(fast, key.publicJwk)).toMatchObject({ ok: true });
  });

  test('when the credential cannot be signed, then the batch signer refuses exactly as signVcJwt does', async () => {
    const key = await generateSigningKey('EdDSA');
    const signer = createBatchSigner({ privateJwk: key.privateJwk, alg: 'EdDSA', kid: 'did:web:t.example#k' });
    await expect(signer({ issuer: 'did:web:t.example' })).rejects.toMatchObject({ code: 'VC_JWT_UNSIGNABLE' });
  });
});
