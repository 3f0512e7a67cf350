/** Identifiers the issuance core hands out: unguessable credential ids (136 random bits, base64url) and the URLs built from them. */
import { randomBytes, randomInt } from 'node:crypto';
import type { AllocationRandomness } from '../store/status-list-repository.ts';

/**
 * 17 random bytes (136 bits), 23 base64url characters: a public credential URL cannot be guessed or
 * enumerated. Ids starting with "-" or "_" are drawn again (under 0.05 bits lost), because a
 * command line would read "-abc…" as an option.
 */
export function newCredentialId(): string {
  for (;;) {
    const id = randomBytes(17).toString('base64url');
    if (/^[A-Za-z0-9]/.test(id)) return id;
  }
}

export function newId(): string {
  return randomBytes(12).toString('base64url');
}

export const CREDENTIAL_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{22}$/;
export const LIST_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export const credentialUrl = (publicUrl: string, id: string): string => `${publicUrl}/credentials/${id}`;
export const statusListUrl = (publicUrl: string, purpose: string, listId: string): string => `${publicUrl}/status/${purpose}/${listId}`;

/** The credential id in a bare id or in its public URL (`…/credentials/:id`, with or without a sub-path). */
export function credentialIdFrom(value: string): string | undefined {
  const trimmed = value.trim();
  if (CREDENTIAL_ID_PATTERN.test(trimmed)) return trimmed;
  const match = /\/credentials\/([A-Za-z0-9][A-Za-z0-9_-]{22})(?:[/?#]|$)/.exec(trimmed);
  return match?.[1];
}

/** One learner across courses of a platform: LTI `sub` is unique per platform (LTI 1.3 Core §5.3.6). */
export const ltiLearnerKey = (platformId: string, userId: string): string => `lti|${platformId}|${userId}`;

export const cryptoRandomness: AllocationRandomness = {
  listId: () => randomBytes(9).toString('base64url'),
  below: (bound) => randomInt(bound),
};
