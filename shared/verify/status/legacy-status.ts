/**
 * Status methods older issuers still use, besides Bitstring Status List v1.0:
 * - W3C CCG VC Status List 2021 (§2.1 StatusList2021Entry, §2.2 StatusList2021Credential): the
 *   same GZIP bitstring as its successor, in a list credential verified like one;
 * - 1EdTech Revocation List (OB 3.0 §9.5, VCRL 1.0): `credentialStatus.id` answers a JSON list
 *   `{ issuer, revokedCredentials: [{ id, revocationReason }] }` of the issuer's revoked credentials.
 */
import { Bitstring, StatusListError } from '../../status/bitstring.ts';
import { issuerIdOf, typesOf } from '../credential-fields.ts';
import { isObject } from '../parse-input.ts';
import type { CheckOutcome, VerifyContext } from '../types.ts';
import { loadList } from './load-status-list.ts';

export type EntryOutcome = { readonly state: 'active' } | { readonly state: 'revoked' | 'suspended'; readonly detail?: string } | { readonly state: 'outcome'; readonly outcome: CheckOutcome };

export async function checkStatusList2021Entry(entry: Record<string, unknown>, issuerId: string, ctx: VerifyContext): Promise<EntryOutcome> {
  const { statusPurpose, statusListIndex, statusListCredential } = entry;
  if (typeof statusPurpose !== 'string' || typeof statusListCredential !== 'string' || typeof statusListIndex !== 'string' || !/^[0-9]{1,15}$/.test(statusListIndex)) {
    return failed('status.malformed-entry', 'The StatusList2021 entry lacks its purpose, list or index.');
  }
  if (statusPurpose !== 'revocation' && statusPurpose !== 'suspension') return { state: 'active' };
  const list = await loadList(statusListCredential, issuerId, ctx);
  if (!list.ok) return { state: 'outcome', outcome: list.outcome };
  const subject = list.credential.credentialSubject;
  if (!typesOf(list.credential.type).includes('StatusList2021Credential') || !isObject(subject) || subject.type !== 'StatusList2021') {
    return failed('status.list-wrong-type', `The document at ${statusListCredential} is not a StatusList2021Credential.`);
  }
  if (subject.statusPurpose !== statusPurpose) return failed('status.purpose-mismatch', `The status list at ${statusListCredential} records ${String(subject.statusPurpose)}, not ${statusPurpose}.`);
  let bits: Bitstring;
  try {
    // StatusList2021 lists are GZIP in base64 (some publishers use the padded, non-url alphabet).
    const encoded = typeof subject.encodedList === 'string' ? subject.encodedList.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '') : subject.encodedList;
    bits = await Bitstring.decode(encoded as string);
  } catch (error) {
    if (!(error instanceof StatusListError)) throw error;
    return failed('status.list-malformed', `The status list at ${statusListCredential} cannot be read: ${error.message}`);
  }
  const index = Number(statusListIndex);
  if (index >= bits.length) return failed('status.index-out-of-range', `The credential's status index ${index} is beyond the end of the status list at ${statusListCredential}.`);
  if (!bits.get(index)) return { state: 'active' };
  return { state: statusPurpose === 'revocation' ? 'revoked' : 'suspended', ...(typeof entry.id === 'string' ? { detail: entry.id } : {}) };
}

export async function check1EdTechRevocationList(entry: Record<string, unknown>, credential: Record<string, unknown>, ctx: VerifyContext): Promise<EntryOutcome> {
  const url = entry.id;
  if (typeof url !== 'string' || !URL.canParse(url)) return failed('status.malformed-entry', 'The 1EdTech revocation list entry has no list URL.');
  const fetched = await ctx.options.documents.getJson(url);
  if (!fetched.ok) {
    if (ctx.options.offline) return { state: 'outcome', outcome: { status: 'skipped', code: 'status.not-checked-offline', message: 'Not checked: the revocation list is not in the documents given, and nothing is fetched offline.', detail: url } };
    return { state: 'outcome', outcome: { status: 'warning', code: 'status.unreachable', message: `The revocation status could not be checked: ${fetched.message}` } };
  }
  const list = fetched.value;
  if (!isObject(list) || !Array.isArray(list.revokedCredentials)) {
    return { state: 'outcome', outcome: { status: 'warning', code: 'status.list-unreadable', message: "The issuer's revocation list could not be read.", detail: url } };
  }
  // Unsigned lists are only as good as their origin: the list must say it is the credential issuer's.
  if (issuerIdOf(list) !== issuerIdOf(credential)) {
    return { state: 'outcome', outcome: { status: 'warning', code: 'status.list-issuer-differs', message: 'The revocation list is published by someone other than the issuer, so the status cannot be trusted.', detail: `${String(issuerIdOf(list))} ≠ ${String(issuerIdOf(credential))}` } };
  }
  const revoked = list.revokedCredentials.find((item) => isObject(item) && item.id === credential.id);
  if (!revoked) return { state: 'active' };
  const reason = isObject(revoked) && typeof revoked.revocationReason === 'string' ? revoked.revocationReason : undefined;
  return { state: 'revoked', ...(reason ? { detail: reason } : {}) };
}

function failed(code: string, message: string): EntryOutcome {
  return { state: 'outcome', outcome: { status: 'failed', code, message } };
}
