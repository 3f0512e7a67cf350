import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { awardCredential, awardMany } from '../../../lti-tool/src/issuance/award-engine.ts';
import { decideAwards } from '../../../lti-tool/src/issuance/decide-awards.ts';
import { CREDENTIAL_ID_PATTERN, ltiLearnerKey } from '../../../lti-tool/src/issuance/ids.ts';
import { reissueCredential, revokeCredential } from '../../../lti-tool/src/issuance/revocation.ts';
import { decodeVcJwt } from '../../../shared/crypto/vc-jwt.ts';
import { STORE_KINDS } from '../../setup/databases.ts';
import { openIssuanceFixture, PLATFORM, type IssuanceFixture } from './issuance-fixture.ts';

const payloadOf = (jwt: string) => {
  const decoded = decodeVcJwt(jwt);
  if (!decoded.ok) throw new Error(decoded.message);
  return decoded.payload as Record<string, any>;
};

describe.each(STORE_KINDS)('award engine (%s)', (kind) => {
  let fx: IssuanceFixture;
  beforeAll(async () => {
    fx = await openIssuanceFixture(kind);
  });
  afterAll(() => fx.close());

  test('when a learner passes, then one signed credential with an unguessable id and a revocation status entry is stored', async () => {
    const def = await fx.define();
    const outcome = await awardCredential(fx.deps, { definitionId: def.id, learner: { key: 'l-1', name: 'Ada Lovelace', email: 'ada@example.org' }, result: { resultScore: 80, resultMaximum: 100 } });
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.created).toBe(true);
    expect(outcome.credential.id).toMatch(CREDENTIAL_ID_PATTERN);
    const vc = payloadOf(outcome.credential.jwt);
    expect(vc.id).toBe(`${fx.deps.publicUrl}/credentials/${outcome.credential.id}`);
    expect(outcome.url).toBe(vc.id);
    expect(vc.credentialStatus).toMatchObject({
      type: 'BitstringStatusListEntry',
      statusPurpose: 'revocation',
      statusListIndex: String(outcome.credential.statusIndex),
      statusListCredential: `${fx.deps.publicUrl}/status/revocation/${outcome.credential.statusListId}`,
    });
    expect(vc.credentialSubject.result[0].value).toBe('80 / 100');
    // The email travels only as a salted hash, and the store keeps no email at all.
    expect(JSON.stringify(vc)).not.toContain('ada@example.org');
    expect(vc.credentialSubject.identifier.find((i: any) => i.identityType === 'emailAddress').hashed).toBe(true);
  });

  test('when the same award is replayed, then nothing changes and the first credential is returned', async () => {
    const def = await fx.define();
    const args = { definitionId: def.id, learner: { key: 'l-2', name: 'Grace Hopper' }, result: { resultScore: 99, resultMaximum: 100 } };
    const first = await awardCredential(fx.deps, args);
    const second = await awardCredential(fx.deps, { ...args, learner: { ...args.learner, name: 'Someone Else' } });
    expect(first.ok && second.ok).toBe(true);
    if (!first.ok || !second.ok) return;
    expect(second.created).toBe(false);
    expect(second.credential.id).toBe(first.credential.id);
    expect(second.credential.jwt).toBe(first.credential.jwt);
  });

  test('when two awards of the same learner race, then one credential and one status index exist and both callers get it', async () => {
    const def = await fx.define();
    const args = { definitionId: def.id, learner: { key: 'racer', name: 'Racer' }, result: { resultScore: 70, resultMaximum: 100 } };
    const outcomes = await Promise.all(Array.from({ length: 6 }, () => awardCredential(fx.deps, args)));
    const ids = new Set(outcomes.map((o) => (o.ok ? o.credential.id : o.code)));
    expect(ids.size).toBe(1);
    expect(outcomes.filter((o) => o.ok && o.created)).toHaveLength(1);
    const rows = await fx.runtime.store.awards.db.query<{ n: number }>(
      'SELECT COUNT(*) AS n FROM issued_credentials c JOIN credential_awards a ON a.id = c.award_id WHERE a.definition_id = ?',
      [def.id],
    );
    expect(Number(rows[0]!.n)).toBe(1);
  });

  test('when the score is below the pass rule, then nothing is awarded', async () => {
    const def = await fx.define();
    const outcome = await awardCredential(fx.deps, { definitionId: def.id, learner: { key: 'l-3', name: 'Failing' }, result: { resultScore: 59, resultMaximum: 100 } });
    expect(outcome).toMatchObject({ ok: false, code: 'NOT_PASSED' });
    expect((await fx.runtime.store.awards.currentForDefinition(def.id)).length).toBe(0);
    // The same fraction out of another maximum passes: 6/10 = 60/100.
    expect((await awardCredential(fx.deps, { definitionId: def.id, learner: { key: 'l-3', name: 'Passing' }, result: { resultScore: 6, resultMaximum: 10 } })).ok).toBe(true);
  });

  test('when a learner completes the parts of a stack, then the stack credential is awarded automatically', async () => {
    const a = await fx.define({ title: 'Part A' });
    const b = await fx.define({ title: 'Part B', passRule: { kind: 'completion' } });
    const stack = await fx.define({ title: 'Whole pathway', stackRule: { allOf: [a.id, b.id] } });
    const learner = { key: 'stacker', name: 'Stacker' };
    await awardCredential(fx.deps, { definitionId: a.id, learner, result: { resultScore: 90, resultMaximum: 100 } });
    expect(await fx.runtime.store.awards.currentForLearners(stack.id, [learner.key])).toHaveProperty('size', 0);
    await awardCredential(fx.deps, { definitionId: b.id, learner });
    const stacked = (await fx.runtime.store.awards.currentForLearners(stack.id, [learner.key])).get(learner.key);
    expect(stacked).toBeDefined();
    expect(payloadOf(stacked!.jwt).name).toBe('Whole pathway');
    // Awarding the stack directly to someone without the parts is refused.
    expect(await awardCredential(fx.deps, { definitionId: stack.id, learner: { key: 'nobody', name: 'Nobody' } })).toMatchObject({ ok: false, code: 'NOT_PASSED' });
  });

  test('when an n-of stack has n parts held, then it is awarded', async () => {
    const parts = [await fx.define({ title: 'N1' }), await fx.define({ title: 'N2' }), await fx.define({ title: 'N3' })];
    const stack = await fx.define({ title: 'Two of three', stackRule: { nOf: 2, of: parts.map((p) => p.id) } });
    const learner = { key: 'n-of', name: 'N Of' };
    await awardCredential(fx.deps, { definitionId: parts[0]!.id, learner, result: { resultScore: 100, resultMaximum: 100 } });
    expect((await fx.runtime.store.awards.currentForLearners(stack.id, [learner.key])).size).toBe(0);
    await awardCredential(fx.deps, { definitionId: parts[2]!.id, learner, result: { resultScore: 100, resultMaximum: 100 } });
    expect((await fx.runtime.store.awards.currentForLearners(stack.id, [learner.key])).size).toBe(1);
  });

  test('when decideAwards runs twice concurrently over 10,000 results, then every passing learner is awarded once with distinct status indexes', async () => {
    const def = await fx.define();
    const results = Array.from({ length: 10_000 }, (_, i) => ({ userId: `u${i}`, resultScore: i % 4 === 0 ? 40 : 75, resultMaximum: 100 }));
    const identify = (userId: string) => ({ name: `Learner ${userId}` });
    const [one, two] = await Promise.all([decideAwards(fx.deps, { definitionId: def.id, results, identify }), decideAwards(fx.deps, { definitionId: def.id, results, identify })]);
    expect(one.awarded + two.awarded).toBe(7_500);
    expect(one.awarded + one.alreadyAwarded).toBe(7_500);
    expect(two.awarded + two.alreadyAwarded).toBe(7_500);
    expect(one.notPassed).toBe(2_500);
    const rows = await fx.runtime.store.awards.db.query<{ n: number; lists: number; slots: number }>(
      `SELECT COUNT(*) AS n, COUNT(DISTINCT c.status_list_id) AS lists, COUNT(DISTINCT c.status_list_id || ':' || c.status_index) AS slots
       FROM issued_credentials c JOIN credential_awards a ON a.id = c.award_id WHERE a.definition_id = ?`,
      [def.id],
    );
    expect(Number(rows[0]!.n)).toBe(7_500);
    expect(Number(rows[0]!.slots)).toBe(7_500);
    const replay = await decideAwards(fx.deps, { definitionId: def.id, results, identify });
    expect(replay).toMatchObject({ awarded: 0, alreadyAwarded: 7_500 });
    const sample = (await fx.runtime.store.awards.currentForLearners(def.id, [ltiLearnerKey(PLATFORM, 'u1')])).get(ltiLearnerKey(PLATFORM, 'u1'));
    expect(payloadOf(sample!.jwt).credentialSubject.identifier[0].identityHash).toBe('Learner u1');
  }, 120_000);

  test('when a credential is revoked, then revoking again is refused; re-issue revokes the old one and issues a new one', async () => {
    const def = await fx.define();
    const awarded = await awardCredential(fx.deps, { definitionId: def.id, learner: { key: 'r-1', name: 'Revoked', email: 'r@example.org' }, result: { resultScore: 90, resultMaximum: 100 } });
    if (!awarded.ok) throw new Error(awarded.message);
    expect(await revokeCredential(fx.deps, { credentialId: awarded.credential.id, reason: ' ' })).toMatchObject({ ok: false, code: 'REASON_REQUIRED' });
    const revoked = await revokeCredential(fx.deps, { credentialId: awarded.credential.id, reason: 'Academic misconduct' });
    expect(revoked).toMatchObject({ ok: true, credential: { revocationReason: 'Academic misconduct' } });
    expect(await revokeCredential(fx.deps, { credentialId: awarded.credential.id, reason: 'again' })).toMatchObject({ ok: false, code: 'ALREADY_REVOKED' });
    expect(await fx.runtime.store.statusLists.revokedIndexes(awarded.credential.statusListId)).toContain(awarded.credential.statusIndex);

    const reissued = await reissueCredential(fx.deps, { credentialId: awarded.credential.id });
    if (!reissued.ok) throw new Error(reissued.message);
    expect(reissued.credential.id).not.toBe(awarded.credential.id);
    expect(reissued.credential.current).toBe(true);
    expect(reissued.credential.revokedAt).toBeNull();
    const oldIds = payloadOf(awarded.credential.jwt).credentialSubject.identifier;
    expect(payloadOf(reissued.credential.jwt).credentialSubject.identifier).toEqual(oldIds);
    expect((await fx.runtime.store.awards.credential(awarded.credential.id))?.current).toBe(false);
    // Awarding again after a re-issue answers with the re-issued credential.
    const again = await awardCredential(fx.deps, { definitionId: def.id, learner: { key: 'r-1', name: 'Revoked' }, result: { resultScore: 90, resultMaximum: 100 } });
    expect(again).toMatchObject({ ok: true, created: false, credential: { id: reissued.credential.id } });
  });

  test('when the definition is unknown or unpublished, or the learner has no name, then nothing is awarded and the code says why', async () => {
    expect(await awardCredential(fx.deps, { definitionId: 'missing', learner: { key: 'x', name: 'X' } })).toMatchObject({ ok: false, code: 'DEFINITION_NOT_FOUND' });
    const def = await fx.define();
    expect(await awardCredential(fx.deps, { definitionId: def.id, learner: { key: 'x', name: '  ' }, result: { resultScore: 100 } })).toMatchObject({ ok: false, code: 'LEARNER_INVALID' });
    const outcomes = await awardMany(fx.deps, def.id, [{ learner: { key: '', name: 'No key' } }]);
    expect([...outcomes.values()][0]).toMatchObject({ ok: false, code: 'LEARNER_INVALID' });
  });
});
