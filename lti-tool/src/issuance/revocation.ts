/**
 * Revocation (Bitstring Status List v1.0 §3.1: the credential's bit is set, the list re-signed on
 * its next request), re-issue (a fresh credential for the same award, the old one revoked), and the
 * holder hiding the public page, which leaves the credential and the status list untouched.
 */
import { buildAchievementCredential } from '../../../shared/credential/build-credential.ts';
import { decodeVcJwt } from '../../../shared/crypto/vc-jwt.ts';
import { buildStatusEntry } from '../../../shared/status/status-list-credential.ts';
import { awardTx, type IssuedCredentialRecord } from '../store/award-repository.ts';
import { allocateStatusIndexes } from '../store/status-list-repository.ts';
import type { IssuanceDeps } from './award-engine.ts';
import { issuableDefinition } from './definitions.ts';
import { credentialUrl, cryptoRandomness, newCredentialId, statusListUrl } from './ids.ts';

export type RevocationErrorCode = 'CREDENTIAL_NOT_FOUND' | 'ALREADY_REVOKED' | 'REASON_REQUIRED' | 'NOT_CURRENT' | 'DEFINITION_NOT_PUBLISHED' | 'DEFINITION_INCOMPLETE' | 'DEFINITION_NOT_FOUND';

export type RevocationOutcome =
  | { readonly ok: true; readonly credential: IssuedCredentialRecord }
  | { readonly ok: false; readonly code: RevocationErrorCode; readonly message: string };

const MAX_REASON_LENGTH = 500;

export async function revokeCredential(deps: IssuanceDeps, args: { credentialId: string; reason: string }): Promise<RevocationOutcome> {
  const reason = typeof args.reason === 'string' ? args.reason.trim() : '';
  if (reason === '') return fail('REASON_REQUIRED', 'Give a reason for the revocation; it is kept with the credential.');
  if (reason.length > MAX_REASON_LENGTH) return fail('REASON_REQUIRED', `The reason is longer than ${MAX_REASON_LENGTH} characters.`);
  const found = await deps.store.awards.credential(args.credentialId);
  if (!found) return fail('CREDENTIAL_NOT_FOUND', 'There is no credential with this id.');
  const at = (deps.now ?? (() => new Date()))().getTime();
  if (!(await deps.store.awards.revoke(found.id, reason, at))) return fail('ALREADY_REVOKED', `This credential was already revoked on ${found.revokedAt?.toISOString().slice(0, 10) ?? 'an earlier date'}.`);
  return { ok: true, credential: (await deps.store.awards.credential(found.id)) as IssuedCredentialRecord };
}

/**
 * A new credential for the same award (same learner, same identifiers, today's date, a new status
 * index), replacing the award's current one, which is revoked with the reason given. One transaction.
 */
export async function reissueCredential(deps: IssuanceDeps, args: { credentialId: string; reason?: string }): Promise<RevocationOutcome> {
  const old = await deps.store.awards.credential(args.credentialId);
  if (!old) return fail('CREDENTIAL_NOT_FOUND', 'There is no credential with this id.');
  if (!old.current) return fail('NOT_CURRENT', 'This credential was already replaced by a newer one; re-issue the newest.');
  const record = await deps.store.definitions.get(old.definitionId);
  if (!record) return fail('DEFINITION_NOT_FOUND', 'The micro-credential definition of this credential no longer exists.');
  const issuable = issuableDefinition(record);
  if (!issuable.ok) return fail(issuable.code, issuable.message);
  const now = (deps.now ?? (() => new Date()))();
  const sign = await deps.issuer.signer();
  const oldPayload = decodeVcJwt(old.jwt);
  const oldSubject = oldPayload.ok ? (oldPayload.payload.credentialSubject as Record<string, unknown> | undefined) : undefined;
  const newId = newCredentialId();
  await deps.store.awards.db.transaction(async (tx) => {
    const [slot] = await allocateStatusIndexes(tx, { purpose: 'revocation', count: 1, now: now.getTime(), random: deps.random ?? cryptoRandomness });
    const credential = await buildAchievementCredential({
      definition: issuable.definition,
      learner: { name: old.learnerName },
      result: { issuedAt: now, ...(gradeFrom(oldSubject) ? { grade: gradeFrom(oldSubject) as string } : {}) },
      issuerId: deps.issuer.id,
      credentialId: credentialUrl(deps.publicUrl, newId),
      credentialStatus: buildStatusEntry({ listCredentialUrl: statusListUrl(deps.publicUrl, 'revocation', slot!.listId), index: slot!.index, statusPurpose: 'revocation' }),
    });
    // The learner's identifiers (name and salted email hash) carry over: the email itself was never stored.
    if (Array.isArray(oldSubject?.identifier)) (credential.credentialSubject as Record<string, unknown>).identifier = oldSubject.identifier;
    await awardTx.insertCredentials(tx, [{ id: newId, awardId: old.awardId, statusListId: slot!.listId, statusIndex: slot!.index, jwt: await sign(credential), issuedAt: now.getTime() }]);
    await awardTx.setCurrent(tx, old.awardId, newId);
    await awardTx.revoke(tx, old.id, args.reason?.trim() || 'Replaced by a re-issued credential.', now.getTime());
  });
  return { ok: true, credential: (await deps.store.awards.credential(newId)) as IssuedCredentialRecord };
}

/** The holder withdraws (or restores) the public page; verifiers holding the credential still see it valid. */
export async function setCredentialHidden(deps: IssuanceDeps, args: { credentialId: string; learnerKey: string; hidden: boolean }): Promise<RevocationOutcome> {
  const found = await deps.store.awards.credential(args.credentialId);
  // Someone else's credential answers exactly like a missing one.
  if (!found || found.learnerKey !== args.learnerKey) return fail('CREDENTIAL_NOT_FOUND', 'There is no credential with this id among yours.');
  await deps.store.awards.setHidden(found.id, args.hidden ? (deps.now ?? (() => new Date()))().getTime() : null);
  return { ok: true, credential: (await deps.store.awards.credential(found.id)) as IssuedCredentialRecord };
}

function gradeFrom(subject: Record<string, unknown> | undefined): string | undefined {
  const results = Array.isArray(subject?.result) ? (subject.result as Record<string, unknown>[]) : [];
  const value = results.find((r) => typeof r?.value === 'string')?.value;
  return typeof value === 'string' ? value : undefined;
}

function fail(code: RevocationErrorCode, message: string): { ok: false; code: RevocationErrorCode; message: string } {
  return { ok: false, code, message };
}
