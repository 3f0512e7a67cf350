/**
 * Recipient: does the credential name the person the verifier was told about? Open Badges 2.0
 * `recipient` (IdentityObject: type, identity, hashed, salt; identity `sha256$<hex>` when hashed)
 * and Open Badges 3.0 §B.1 `credentialSubject.identifier[]` (identityHash, hashed, salt) are
 * compared with the name or email the user gives (VerifyOptions.recipient).
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { isObject } from '../parse-input.ts';
import type { Check, CheckOutcome, ParsedCredential, VerifyContext } from '../types.ts';

interface Identity {
  readonly value: string;
  readonly hashed: boolean;
  readonly salt: string;
}

export const recipientCheck: Check = {
  id: 'recipient',
  name: 'Recipient',
  fatal: false,
  async execute(ctx): Promise<CheckOutcome> {
    const claimed = ctx.options.recipient?.trim();
    if (!claimed) return { status: 'skipped', code: 'recipient.not-checked', message: 'No name or email was given, so whom the credential names was not checked.' };
    const identities = identitiesOf(ctx);
    if (identities.length === 0) return { status: 'skipped', code: 'recipient.none', message: 'The credential carries no recipient identity to compare with.' };
    const unsupported = identities.filter((identity) => identity.hashed && !identity.value.toLowerCase().startsWith('sha256$'));
    if (identities.some((identity) => matches(identity, claimed))) {
      return { status: 'passed', code: 'recipient.match', message: `The credential was issued to ${claimed}.` };
    }
    if (unsupported.length === identities.length) {
      return { status: 'skipped', code: 'recipient.unsupported-hash', message: 'The recipient is hashed with an algorithm this verifier does not check (only SHA-256 is).' };
    }
    return { status: 'failed', code: 'recipient.mismatch', message: `The credential was not issued to ${claimed}.` };
  },
};

function identitiesOf(ctx: VerifyContext): Identity[] {
  if (ctx.ob2) {
    const recipient = ctx.ob2.assertion.recipient;
    return isObject(recipient) && typeof recipient.identity === 'string' ? [{ value: recipient.identity, hashed: recipient.hashed === true, salt: typeof recipient.salt === 'string' ? recipient.salt : '' }] : [];
  }
  const subject = (ctx.parsed as ParsedCredential).credential.credentialSubject;
  const subjects = Array.isArray(subject) ? subject : [subject];
  return subjects.flatMap((s) => {
    if (!isObject(s)) return [];
    const identifiers = Array.isArray(s.identifier) ? s.identifier : [s.identifier];
    return identifiers.flatMap((item): Identity[] =>
      isObject(item) && typeof item.identityHash === 'string' ? [{ value: item.identityHash, hashed: item.hashed === true, salt: typeof item.salt === 'string' ? item.salt : '' }] : [],
    );
  });
}

/** Emails compare case-insensitively (issuers hash the lower-cased address); names as given. */
function matches(identity: Identity, claimed: string): boolean {
  const candidates = [...new Set([claimed, claimed.toLowerCase()])];
  if (!identity.hashed) return candidates.some((c) => c === identity.value || c === identity.value.toLowerCase());
  if (!identity.value.toLowerCase().startsWith('sha256$')) return false;
  const expected = identity.value.slice('sha256$'.length).toLowerCase();
  return candidates.some((c) => bytesToHex(sha256(new TextEncoder().encode(c + identity.salt))) === expected);
}
